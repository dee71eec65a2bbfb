"""Quality control in Chromium: a Lead signs off and returns, a label change asks first; the
second reviewer's blind page by keyboard; settling disagreements by keyboard."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Paragraph, ReviewStatus, SecondOpinion, SignOff
from articles.quality.second import (
    finish_second_review,
    send_to_second_review,
    set_second_label,
)

FIRST_NOTE = "Rita checked this with the agency"


@pytest.fixture
def reviewed_article(transactional_db, make_article, reviewer):
    article = make_article(
        title="Ceasefire talks resume",
        labels=["verified", "unverified", "boilerplate", "verified"],
        n=4,
        labeled_by=reviewer,
        last_reviewed_by=reviewer,
        last_reviewed_at=timezone.now(),
    )
    Paragraph.objects.filter(article=article, position=1).update(note=FIRST_NOTE)
    return article


def log_in_elsewhere(new_context, live_server, user):
    """A second browser (own cookies) with `user` logged in."""
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", f"pw-{user.username}")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_the_lead_signs_off_and_a_label_change_asks_before_it_withdraws(
    page, live_server, login, lead, reviewer, reviewed_article, new_context, screenshot
):
    login(lead)
    page.goto(f"{live_server.url}{reviewed_article.get_absolute_url()}")
    page.get_by_role("button", name="Sign off").click()
    expect(page.locator("#review-status")).to_have_text("Signed off")
    expect(page.locator("#quality-panel")).to_contain_text("Signed off by lena")
    screenshot("quality-signed-off-1280")
    assert SignOff.objects.get().by == lead
    # The queue counts and filters the new status; a Lead can send from it at 390 px too.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/?status=signed_off")
    expect(page.locator(".status-total-signed_off .status-total-count")).to_have_text(
        "1"
    )
    expect(page.locator(".second-review-send")).to_be_visible()
    screenshot("quality-queue-lead-390")

    rita = log_in_elsewhere(new_context, live_server, reviewer)
    rita.goto(f"{live_server.url}{reviewed_article.get_absolute_url()}")
    expect(rita.locator("#quality-panel")).to_contain_text("withdraws the sign-off")
    # Dismissed: nothing is saved.
    rita.once("dialog", lambda dialog: dialog.dismiss())
    rita.locator("#p-2").focus()
    rita.keyboard.press("v")
    expect(rita.locator("#p-2 .label-badge")).to_have_text("Unverified")
    reviewed_article.refresh_from_db()
    assert reviewed_article.status == ReviewStatus.SIGNED_OFF
    # Accepted: the label changes and the sign-off is withdrawn.
    rita.once("dialog", lambda dialog: dialog.accept())
    rita.locator("#p-2").focus()
    rita.keyboard.press("v")
    expect(rita.locator("#p-2 .label-badge")).to_have_text("Verified")
    expect(rita.locator("#review-status")).to_have_text("Reviewed")
    reviewed_article.refresh_from_db()
    assert reviewed_article.status == ReviewStatus.REVIEWED
    assert SignOff.objects.get().withdrawn_by == reviewer


def test_the_lead_returns_with_a_reason_the_reviewer_sees(
    page, live_server, login, lead, reviewer, reviewed_article, new_context
):
    login(lead)
    page.goto(f"{live_server.url}{reviewed_article.get_absolute_url()}")
    page.get_by_text("Return to the reviewer…").click()
    page.fill("#return-reason", "Paragraph 2 quotes a minister: is it verified?")
    page.get_by_role("button", name="Return", exact=True).click()
    expect(page.locator("#quality-panel")).to_contain_text("Returned by lena")

    rita = log_in_elsewhere(new_context, live_server, reviewer)
    expect(rita.locator(".returned-mark")).to_contain_text(
        "Paragraph 2 quotes a minister"
    )
    rita.get_by_role("link", name=reviewed_article.title).click()
    expect(rita.locator(".returned-reason")).to_have_text(
        "Paragraph 2 quotes a minister: is it verified?"
    )


def test_the_second_reviewer_labels_blind_by_keyboard_and_submits(
    page,
    live_server,
    login,
    lead,
    other_reviewer,
    reviewed_article,
    screenshot,
):
    send_to_second_review(
        article_ids=[reviewed_article.pk], reviewer=other_reviewer, by=lead
    )
    page.set_viewport_size({"width": 390, "height": 844})
    login(other_reviewer)
    # The queue's link to the article leads to the blind page.
    expect(page.locator(".status-second")).to_have_text("Your second review")
    page.get_by_role("link", name=reviewed_article.title).click()
    expect(page.locator(".blind-kicker")).to_contain_text("blind")
    html = page.content()
    assert "rita" not in html
    assert FIRST_NOTE not in html
    expect(page.locator("#p-1")).to_be_focused()
    for position, key, name in [
        (1, "v", "Verified"),
        (2, "b", "Boilerplate"),
        (3, "b", "Boilerplate"),
        (4, "u", "Unverified"),
    ]:
        page.keyboard.press(key)
        expect(page.locator(f"#p-{position} .label-badge")).to_have_text(name)
    expect(page.locator(".progress-text")).to_have_text("4 of 4 labeled by you")
    assert "rita" not in page.content()
    screenshot("quality-blind-390")
    page.get_by_role("button", name="Submit second review").click()
    expect(page.locator(".messages")).to_contain_text("Second review submitted")
    review = reviewed_article.second_review
    review.refresh_from_db()
    assert (review.compared, review.agreed) == (4, 2)


def test_the_lead_settles_disagreements_by_keyboard(
    page, live_server, login, lead, other_reviewer, reviewed_article, screenshot
):
    send_to_second_review(
        article_ids=[reviewed_article.pk], reviewer=other_reviewer, by=lead
    )
    for position, value in enumerate(
        ["verified", "boilerplate", "boilerplate", "unverified"], start=1
    ):
        set_second_label(
            article_id=reviewed_article.pk,
            position=position,
            label=value,
            user=other_reviewer,
        )
    finish_second_review(article_id=reviewed_article.pk, user=other_reviewer)
    first, second = SecondOpinion.objects.filter(
        paragraph__position__in=[2, 4]
    ).order_by("paragraph__position")

    login(lead)
    page.goto(f"{live_server.url}/quality/disagreements/")
    items = page.locator(".disagreement")
    expect(items).to_have_count(2)
    screenshot("quality-disagreements-1280")
    expect(items.nth(0)).to_be_focused()
    page.keyboard.press("2")  # take the second opinion: boilerplate
    expect(items.nth(0)).to_contain_text("Settled as Boilerplate by lena")
    expect(items.nth(1)).to_be_focused()
    page.keyboard.press("b")  # a third label for paragraph 4: boilerplate
    expect(items.nth(1)).to_contain_text("Settled as Boilerplate by lena")
    labels = dict(
        Paragraph.objects.filter(article=reviewed_article).values_list(
            "position", "label"
        )
    )
    assert labels == {
        1: "verified",
        2: "boilerplate",
        3: "boilerplate",
        4: "boilerplate",
    }
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.adjudicated_label, second.adjudicated_label) == (
        "boilerplate",
        "boilerplate",
    )
    page.goto(f"{live_server.url}/quality/agreement/")
    expect(page.locator(".agreement-team .agreement-compared")).to_have_text("4")
    screenshot("quality-agreement-1280")


def test_signing_off_with_disagreements_unsettled_takes_a_reason_and_stays_accessible(
    page, live_server, login, lead, other_reviewer, reviewed_article, screenshot
):
    from tests.browser.test_workspace import axe_violations

    send_to_second_review(
        article_ids=[reviewed_article.pk], reviewer=other_reviewer, by=lead
    )
    for position in range(1, 5):  # ¶2 and ¶3 disagree with the first opinion
        set_second_label(
            article_id=reviewed_article.pk,
            position=position,
            label="verified",
            user=other_reviewer,
        )
    finish_second_review(article_id=reviewed_article.pk, user=other_reviewer)
    login(lead)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}{reviewed_article.get_absolute_url()}")
    expect(page.locator("#quality-unsettled")).to_contain_text("2 paragraphs")
    expect(page.get_by_role("button", name="Sign off", exact=True)).to_have_count(0)
    page.get_by_text("Sign off anyway…").click()
    reason = page.get_by_label("Why it is signed off with 2 disagreements unsettled")
    expect(reason).to_be_visible()
    assert axe_violations(page) == []
    screenshot("quality-sign-off-anyway-390")
    reason.fill("Publishing tonight; the desk settles the two tomorrow.")
    page.get_by_role("button", name="Sign off anyway").click()
    expect(page.locator("#review-status")).to_have_text("Signed off")
    expect(page.locator("#quality-panel")).to_contain_text(
        "Signed off with 2 disagreements of the second review not settled: "
        "Publishing tonight"
    )
    assert SignOff.objects.get().unsettled == 2
