"""Reviewing the seed article in Chromium with the keyboard only; failed saves are visible."""

import pytest
from playwright.sync_api import expect

from articles.imports.importers import import_paths
from articles.models import Article, LabelEvent, Paragraph
from articles.review.labels import set_label


@pytest.fixture
def seed_article(transactional_db, seed_file) -> Article:
    import_paths([seed_file], source="bbc.co.uk")
    return Article.objects.get()


def collect_console_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def badge(page, position: int):
    return page.locator(f"#p-{position} .label-badge")


def test_label_the_seed_article_with_the_keyboard_only(
    page, live_server, login, reviewer, seed_article, screenshot
):
    errors = collect_console_errors(page)
    total = seed_article.paragraph_count
    login(reviewer)
    page.get_by_role("link", name=seed_article.title).click()
    expect(page.locator("h1")).to_have_text(seed_article.title)

    # Focus starts on the first unlabeled paragraph; j/k and the arrows move it.
    expect(page.locator("#p-1")).to_be_focused()
    page.keyboard.press("j")
    expect(page.locator("#p-2")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#p-3")).to_be_focused()
    page.keyboard.press("k")
    page.keyboard.press("ArrowUp")
    expect(page.locator("#p-1")).to_be_focused()

    keys = {"v": "Verified", "u": "Unverified", "b": "Boilerplate"}
    expected = {}
    for position in range(1, total - 1):
        key = "vub"[position % 3] if position != 1 else "v"
        page.keyboard.press(key)
        expected[position] = keys[key]
        # Each key saves once and moves on; wait for the save so the order stays readable.
        expect(badge(page, position)).to_have_text(keys[key])
        expect(page.locator(f"#p-{position + 1}")).to_be_focused()
    expect(page.locator("#review-status")).to_have_text("In progress")

    # Shift+B: the focused paragraph and every unlabeled one after it (the footer).
    page.keyboard.press("Shift+B")
    expect(badge(page, total)).to_have_text("Boilerplate")
    expect(page.locator("#review-status")).to_have_text("Reviewed")
    expect(page.locator(".progress-text")).to_have_text(f"{total} of {total} labeled")

    page.reload()
    for position, name in expected.items():
        expect(badge(page, position)).to_have_text(name)
    expect(badge(page, total - 1)).to_have_text("Boilerplate")
    expect(badge(page, total)).to_have_text("Boilerplate")
    expect(page.locator("#review-status")).to_have_text("Reviewed")
    seed_article.refresh_from_db()
    assert seed_article.status == "reviewed"
    assert set(
        LabelEvent.objects.filter(method="keyboard").values_list(
            "paragraph__position", flat=True
        )
    ) == set(range(1, total - 1))
    assert LabelEvent.objects.filter(method="bulk").count() == 2

    # The help overlay opens with ? and closes with Escape.
    page.keyboard.press("?")
    expect(page.locator("#review-help")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#review-help")).to_be_hidden()

    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot("review-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("review-390")
    assert errors == []


def test_a_failed_save_says_not_saved_and_retry_sends_it_again(
    page, live_server, login, reviewer, seed_article
):
    errors = collect_console_errors(page)
    login(reviewer)
    page.goto(live_server.url + seed_article.get_absolute_url())
    expect(page.locator("#p-1")).to_be_focused()

    # The network drops the label request: the paragraph must say so, not pretend it saved.
    page.route("**/paragraphs/1/label/", lambda route: route.abort())
    with page.expect_event("requestfailed") as failed:
        page.keyboard.press("u")
    assert failed.value.url.endswith("/paragraphs/1/label/")
    error = page.locator("#p-1 .paragraph-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Not saved.")
    expect(badge(page, 1)).to_have_text("Unlabeled")
    assert Paragraph.objects.get(article=seed_article, position=1).label == ""
    # The sticky bar counts it, wherever the reviewer has scrolled to.
    expect(page.locator("#review-unsaved")).to_have_text("1 unsaved")
    expect(page.locator("#review-live")).to_contain_text("Paragraph 1 not saved")

    page.unroute("**/paragraphs/1/label/")
    error.get_by_role("button", name="Retry").click()
    expect(badge(page, 1)).to_have_text("Unverified")
    expect(page.locator("#p-1 .paragraph-error")).to_be_hidden()
    expect(page.locator("#review-unsaved")).to_be_hidden()
    paragraph = Paragraph.objects.get(article=seed_article, position=1)
    assert (paragraph.label, paragraph.labeled_by) == ("unverified", reviewer)
    assert LabelEvent.objects.count() == 1

    # e opens the note on demand; Save note saves it and focus goes back to the paragraph.
    page.locator("#p-1").focus()
    page.keyboard.press("e")
    expect(page.locator("#note-text")).to_be_focused()
    expect(page.locator("#note-dialog h2")).to_have_text("Note on paragraph 1")
    page.keyboard.type("Check the 400 figure")
    page.get_by_role("button", name="Save note").click()
    expect(page.locator("#p-1 .paragraph-note-text")).to_have_text(
        "Check the 400 figure"
    )
    expect(page.locator("#review-live")).to_have_text("Paragraph 1: note, saved.")
    expect(page.locator("#p-1")).to_be_focused()
    assert Paragraph.objects.get(article=seed_article, position=1).note == (
        "Check the 400 figure"
    )
    # The aborted request logs the network failure (and htmx logs its error events); nothing
    # else may appear, such as a CSP violation.
    expected = ("net::ERR_FAILED", "htmx:sendError", "htmx:afterRequest")
    assert [e for e in errors if not any(x in e for x in expected)] == []


def test_a_refused_save_shows_the_reason(
    page, live_server, login, reviewer, seed_article
):
    login(reviewer)
    page.goto(live_server.url + seed_article.get_absolute_url())
    expect(page.locator("#p-1")).to_be_focused()
    reviewer.groups.clear()

    page.keyboard.press("v")

    error = page.locator("#p-1 .paragraph-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("You are not allowed to do this")
    expect(badge(page, 1)).to_have_text("Unlabeled")
    assert not LabelEvent.objects.exists()


def test_an_expired_session_is_not_saved_and_keeps_the_page(
    page, live_server, login, reviewer, seed_article
):
    login(reviewer)
    page.goto(live_server.url + seed_article.get_absolute_url())
    expect(page.locator("#p-1")).to_be_focused()
    page.context.clear_cookies(
        name="sessionid"
    )  # the CSRF cookie stays, as when a session expires

    page.keyboard.press("v")

    error = page.locator("#p-1 .paragraph-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(
        "Your session ended: log in again in another tab, then retry."
    )
    expect(page.locator("#p-1 .paragraph-text")).to_be_visible()
    expect(page.locator("#id_username")).to_have_count(0)
    assert not LabelEvent.objects.exists()


def test_someone_elses_change_meanwhile_is_shown_and_retry_overwrites_it(
    page, live_server, login, reviewer, other_reviewer, seed_article, htmx_settled
):
    login(reviewer)
    page.goto(live_server.url + seed_article.get_absolute_url())
    expect(page.locator("#p-1")).to_be_focused()
    set_label(
        article_id=seed_article.pk, position=1, label="verified", user=other_reviewer
    )

    page.keyboard.press("u")

    conflict = page.locator("#p-1 .paragraph-conflict")
    expect(conflict).to_contain_text(
        "oskar changed this paragraph to Verified while you were reading; "
        "your change was not saved."
    )
    expect(badge(page, 1)).to_have_text("Verified")
    # The retry form came with the swapped paragraph: htmx must have taken it over first, or the
    # click would post it without htmx (a whole-page reload).
    htmx_settled()
    page.evaluate("window.samePage = true")
    conflict.get_by_role("button", name="Retry: make it Unverified").click()
    expect(badge(page, 1)).to_have_text("Unverified")
    expect(page.locator("#p-1 .paragraph-conflict")).to_have_count(0)
    assert page.evaluate("window.samePage") is True
    assert list(
        LabelEvent.objects.order_by("id").values_list("user__username", "new_value")
    ) == [("oskar", "verified"), ("rita", "unverified")]
