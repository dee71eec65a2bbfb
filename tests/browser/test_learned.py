"""Learned suggestions in Chromium: a Lead sets the confidence Shift+A needs, and it is obeyed."""

import json

import pytest
from playwright.sync_api import expect

from articles.imports.importers import import_paths
from articles.models import Article, LabelEvent
from articles.review.labels import set_label

SHARE = "Share this story on Facebook"


@pytest.fixture
def story(transactional_db, tmp_path, reviewer) -> Article:
    """Story 0 of two: its share line was labeled boilerplate in story 1 (confidence 100),
    its copyright line is the model's suggestion (below 100)."""
    path = tmp_path / "site.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(
                {
                    "id": f"story-{k}",
                    "title": f"Story {k}",
                    "source": "example.com",
                    "paragraphs": [
                        f"The council said on Tuesday that bridge {k} would reopen by the "
                        "end of the month, according to documents seen by reporters.",
                        f"Residents near bridge {k} said they had waited for months and "
                        "that the detour had added an hour to their daily journeys.",
                        SHARE,
                        f"© 2024 Example News Ltd. All rights reserved. Story {k}.",
                    ],
                }
            )
            for k in range(2)
        ),
        encoding="utf-8",
    )
    import_paths([path])
    first, second = Article.objects.order_by("external_id")
    set_label(article_id=second.pk, position=3, label="boilerplate", user=reviewer)
    return first


def test_shift_a_accepts_only_what_the_leads_threshold_allows(
    page, live_server, login, lead, reviewer, story, screenshot
):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(lead)
    page.get_by_role("link", name="Boilerplate").click()
    expect(page.locator("#learned-model")).to_contain_text("The starting model shipped")
    page.get_by_label("Shift+A accepts suggestions with a confidence of at least").fill(
        "100"
    )
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".message")).to_contain_text(
        "Saved: Shift+A now accepts suggestions with 100% confidence or more."
    )
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("learned-boilerplate-390")
    page.get_by_role("button", name="Log out").click()

    login(reviewer)
    page.goto(f"{live_server.url}{story.get_absolute_url()}")
    share, copyright_line = page.locator("#p-3"), page.locator("#p-4")
    expect(share.locator(".suggestion-confidence")).to_have_text("100% sure")
    expect(copyright_line).to_have_class("paragraph paragraph-none paragraph-suggested")
    expect(copyright_line.locator(".suggestion-reason")).to_contain_text(
        "looks like boilerplate:"
    )
    expect(page.locator("#suggestion-count")).to_have_text("2 paragraphs")
    expect(page.locator("#confident-count")).to_have_text("1")
    screenshot("learned-review-390")

    # Shift+A lists every suggestion; those at the Lead's threshold come ticked.
    page.keyboard.press("Shift+A")
    expect(page.locator('#accept-list input[value="3"]')).to_be_checked()
    expect(page.locator('#accept-list input[value="4"]')).not_to_be_checked()
    page.locator("#accept-confirm").click()
    expect(share.locator(".label-badge")).to_have_text("Boilerplate")
    expect(page.locator(".progress-text")).to_have_text("1 of 4 labeled")
    expect(copyright_line.locator(".label-badge")).to_have_text("Unlabeled")
    expect(copyright_line).to_have_class("paragraph paragraph-none paragraph-suggested")
    expect(page.locator("#suggestion-count")).to_have_text("1 paragraph")
    expect(page.locator("#confident-count")).to_have_text("0")

    assert list(
        LabelEvent.objects.filter(paragraph__article=story).values_list(
            "paragraph__position", "method"
        )
    ) == [(3, "suggestion")]
    assert errors == []
