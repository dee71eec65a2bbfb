"""Boilerplate suggestions in Chromium: shown apart from labels, accepted with a and A."""

import json

import pytest
from playwright.sync_api import expect

from articles.imports.importers import import_paths
from articles.models import Article, LabelEvent

FOOTER = "Sign up for our morning newsletter and get the news in your inbox."
COPYRIGHT = "© 2024 Example News Ltd. All rights reserved."


@pytest.fixture
def site(transactional_db, tmp_path) -> list[Article]:
    """Four articles of one site: three paragraphs of their own, then the same two footer lines."""
    path = tmp_path / "site.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(
                {
                    "id": f"story-{k}",
                    "title": f"Story {k}",
                    "source": "example.com",
                    "paragraphs": [
                        f"Story {k} begins: the council met on Tuesday ({k}).",
                        f"Story {k} goes on: the vote was close, officials said ({k}).",
                        f"Story {k} ends: the bridge reopens next month ({k}).",
                        FOOTER,
                        COPYRIGHT,
                    ],
                }
            )
            for k in range(4)
        ),
        encoding="utf-8",
    )
    import_paths([path])
    return list(Article.objects.order_by("external_id"))


def test_accept_one_suggestion_with_a_and_the_rest_with_shift_a(
    page, live_server, login, reviewer, site, screenshot
):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    article = site[0]
    login(reviewer)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")

    footer, copyright_line = page.locator("#p-4"), page.locator("#p-5")
    # Suggestions are outlined and explained in words; they are not labels.
    expect(footer).to_have_class("paragraph paragraph-none paragraph-suggested")
    expect(footer.locator(".suggestion-reason")).to_have_text(
        "— appears in 4 of 4 example.com articles"
    )
    expect(footer.locator(".label-badge")).to_have_text("Unlabeled")
    expect(page.locator("#p-1")).not_to_have_class("paragraph-suggested")
    expect(page.locator("#suggestion-count")).to_have_text("2 paragraphs")
    screenshot("suggestions-1280")

    # The help lists both keys.
    page.keyboard.press("?")
    expect(page.locator("#review-help")).to_contain_text(
        "Accept this paragraph's suggestion"
    )
    expect(page.locator("#review-help")).to_contain_text(
        "Review every suggestion (those at or above the Lead"
    )
    page.keyboard.press("Escape")

    # a on a paragraph without a suggestion does nothing.
    expect(page.locator("#p-1")).to_be_focused()
    page.keyboard.press("a")
    expect(page.locator("#p-1 .label-badge")).to_have_text("Unlabeled")

    for _ in range(3):
        page.keyboard.press("j")
    expect(footer).to_be_focused()
    page.keyboard.press("a")
    expect(footer.locator(".label-badge")).to_have_text("Boilerplate")
    expect(footer).not_to_have_class("paragraph-suggested")
    expect(copyright_line).to_be_focused()
    expect(page.locator("#suggestion-count")).to_have_text("1 paragraph")
    expect(page.locator(".progress-text")).to_have_text("1 of 5 labeled")

    # Shift+A shows what it will label first (issue 13); Enter on the focused button accepts.
    page.keyboard.press("Shift+A")
    expect(page.locator("#accept-list li")).to_have_count(1)
    expect(page.locator("#accept-list li")).to_contain_text("¶ 5 Boilerplate")
    expect(copyright_line.locator(".label-badge")).to_have_text("Unlabeled")
    expect(page.locator("#accept-confirm")).to_be_focused()
    page.keyboard.press("Enter")
    expect(copyright_line.locator(".label-badge")).to_have_text("Boilerplate")
    expect(page.locator("#accept-all-form")).to_be_hidden()
    expect(page.locator(".progress-text")).to_have_text("2 of 5 labeled")
    for position in (1, 2, 3):
        expect(page.locator(f"#p-{position} .label-badge")).to_have_text("Unlabeled")

    events = LabelEvent.objects.filter(article=article)
    assert list(events.order_by("id").values_list("paragraph__position", "method")) == [
        (4, "suggestion"),
        (5, "suggestion"),
    ]
    assert errors == []


def test_lead_clears_a_sites_footer_from_the_boilerplate_page_and_undoes_it(
    page, live_server, login, lead, reviewer, site, screenshot
):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    from articles.review.labels import set_label

    # A reviewer already decided one copy differently: applying keeps that label.
    set_label(article_id=site[1].pk, position=4, label="verified", user=reviewer)
    login(lead)
    page.get_by_role("link", name="Boilerplate").click()
    row = page.locator("tr", has_text=FOOTER)
    expect(row).to_contain_text("4 of 4")
    expect(row).to_contain_text("1 other")
    expect(row).to_contain_text("3 unlabeled")
    screenshot("boilerplate-1280")

    row.get_by_role("link", name="Apply to 3…").click()
    expect(page.locator(".apply-count")).to_contain_text(
        "This will label 3 unlabeled paragraphs in 3 example.com articles."
    )
    page.get_by_role("button", name="Label 3 paragraphs").click()
    expect(page.locator(".message")).to_contain_text(
        "Labeled 3 paragraphs in 3 example.com articles as boilerplate."
    )
    expect(page.locator("tr", has_text=FOOTER)).to_contain_text("3 boilerplate")

    page.get_by_role("button", name="Undo").click()
    expect(page.locator(".message")).to_contain_text(
        "Undone: 3 paragraphs unlabeled again."
    )
    expect(page.locator("tr", has_text=FOOTER)).to_contain_text("3 unlabeled")
    labels = [
        article.paragraphs.get(position=4).label
        for article in Article.objects.order_by("pk")
    ]
    assert sorted(labels) == ["", "", "", "verified"]
    assert errors == []
