"""The Lead's threshold for Shift+A, the confidence on the review page, suggestion_score in the CSV."""

import csv
import io
import json
import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from articles.boilerplate.threshold import DEFAULT, accept_threshold
from articles.imports.importers import import_paths
from articles.models import Article, LabelEvent, SuggestionSettings
from articles.review.labels import set_label

SHARE = "Share this story on Facebook"


def reporting(k: int) -> list[str]:
    """Three paragraphs of story k's own reporting."""
    return [
        f"The council said on Tuesday that bridge {k} would reopen by the end of the "
        "month, according to documents seen by reporters.",
        f"Residents near bridge {k} said they had waited for months and that the detour "
        "had added an hour to their daily journeys to work.",
        f"The mayor said a public meeting about bridge {k} would be held at the town hall "
        "on Thursday evening, and that everyone was welcome.",
    ]


THRESHOLD_URL = reverse("articles:boilerplate_threshold")
CONFIDENCE = re.compile(r'<li id="p-(\d+)"[^>]*data-confidence="(\d+)"')


@pytest.fixture
def lead_browser(lead) -> Client:
    """A second browser, the lead's, beside reviewer_client (both fixtures share `client`)."""
    browser = Client()
    browser.force_login(lead)
    return browser


@pytest.fixture
def article(db, reviewer, tmp_path) -> Article:
    """Two stories of a site ending with the same share line and their own copyright line;
    a reviewer labeled the share line boilerplate in the second, so in the first it is
    suggested with confidence 100 (people decided), the copyright line by the model."""
    path = tmp_path / "site.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(
                {
                    "id": f"story-{k}",
                    "title": f"Story {k}",
                    "source": "example.com",
                    "paragraphs": [
                        *reporting(k),
                        SHARE,
                        f"© 2024 Example News Ltd. All rights reserved. Story {k}.",
                    ],
                }
            )
            for k in range(2)
        ),
        encoding="utf-8",
    )
    assert import_paths([path]).failed == 0
    first, second = Article.objects.order_by("external_id")
    set_label(article_id=second.pk, position=4, label="boilerplate", user=reviewer)
    return first


def confidences(client, article) -> dict[int, int]:
    html = client.get(article.get_absolute_url()).content.decode()
    return {int(p): int(c) for p, c in CONFIDENCE.findall(html)}


def test_the_review_page_shows_each_confidence_and_what_shift_a_accepts(
    reviewer_client, article
):
    html = reviewer_client.get(article.get_absolute_url()).content.decode()
    shown = confidences(reviewer_client, article)
    assert shown[4] == 100
    assert 60 <= shown[5] < 100
    assert '<span class="suggestion-confidence">100% sure</span>' in html
    assert f'<span class="suggestion-confidence">{shown[5]}% sure</span>' in html
    expected = sum(1 for value in shown.values() if value >= DEFAULT)
    assert f'<span id="confident-count">{expected}</span>' in html
    assert "Those with 80% confidence or more (a Lead's setting;" in html
    # Shift+A's list (issue 13's preview) comes with the confident suggestions ticked.
    preview = BeautifulSoup(html, "html.parser").select("#accept-list input")
    ticked = {int(box["value"]): box.has_attr("checked") for box in preview}
    assert ticked == {position: value >= DEFAULT for position, value in shown.items()}


def test_shift_a_accepts_only_suggestions_at_the_leads_threshold(
    lead_browser, reviewer_client, article
):
    shown = confidences(reviewer_client, article)
    assert shown[4] > shown[5]  # two confidences, so a threshold can part them
    response = lead_browser.post(THRESHOLD_URL, {"accept_threshold": str(shown[4])})
    assert response.status_code == 302
    accept = reverse("articles:accept_suggestions", args=[article.pk])

    response = reviewer_client.post(accept, follow=True)
    assert "Accepted 1 suggestion" in response.content.decode()
    labels = dict(article.paragraphs.values_list("position", "label"))
    assert labels == {1: "", 2: "", 3: "", 4: "boilerplate", 5: ""}
    response = reviewer_client.post(accept, follow=True)
    assert (
        f"No suggestion with {shown[4]}% confidence or more was left to accept."
        in response.content.decode()
    )

    # One paragraph's `a` takes its suggestion whatever the threshold.
    reviewer_client.post(accept, {"position": "5"})
    assert article.paragraphs.get(position=5).label == "boilerplate"
    assert list(
        LabelEvent.objects.filter(paragraph__article=article)
        .order_by("pk")
        .values_list("paragraph__position", "method")
    ) == [(4, "suggestion"), (5, "suggestion")]


def test_a_threshold_of_zero_accepts_every_suggestion(
    lead_browser, reviewer_client, article
):
    lead_browser.post(THRESHOLD_URL, {"accept_threshold": "0"})
    reviewer_client.post(reverse("articles:accept_suggestions", args=[article.pk]))
    labels = dict(article.paragraphs.values_list("position", "label"))
    assert labels == {1: "", 2: "", 3: "", 4: "boilerplate", 5: "boilerplate"}


def test_a_lead_sets_the_threshold_on_the_boilerplate_page(lead_client, lead):
    page = lead_client.get(reverse("articles:boilerplate")).content.decode()
    assert 'name="accept_threshold"' in page
    assert f'value="{DEFAULT}"' in page
    response = lead_client.post(
        THRESHOLD_URL, {"accept_threshold": " 75 "}, follow=True
    )
    html = response.content.decode()
    assert "Saved: Shift+A now accepts suggestions with 75% confidence or more." in html
    assert 'value="75"' in html
    row = SuggestionSettings.objects.get()
    assert (row.accept_threshold, row.updated_by) == (75, lead)
    assert row.updated_at is not None
    assert accept_threshold() == 75


def test_reviewers_see_the_threshold_but_cannot_change_it(
    reviewer_client, lead_browser
):
    lead_browser.post(THRESHOLD_URL, {"accept_threshold": "90"})
    page = reviewer_client.get(reverse("articles:boilerplate")).content.decode()
    assert 'name="accept_threshold"' not in page
    assert "Shift+A accepts suggestions with 90% confidence or more" in page
    assert (
        reviewer_client.post(THRESHOLD_URL, {"accept_threshold": "10"}).status_code
        == 403
    )
    assert SuggestionSettings.objects.get().accept_threshold == 90


@pytest.mark.parametrize(
    "value",
    [
        "",
        "abc",
        "-1",
        "101",
        "50.5",
        "1e2",
        "٥٠",  # noqa: RUF001 - Arabic-Indic digits: str.isdigit() says yes
        "９０",  # noqa: RUF001 - full-width digits, the same
        "9" * 400,
        "<script>alert(1)</script>",
        "80; DROP TABLE articles_article",
    ],
)
def test_a_bad_threshold_is_refused_naming_the_field_and_changes_nothing(
    lead_client, lead, value
):
    lead_client.post(THRESHOLD_URL, {"accept_threshold": "65"})
    response = lead_client.post(THRESHOLD_URL, {"accept_threshold": value})
    assert response.status_code == 400
    body = response.content.decode()
    assert body == (
        "Not saved. accept_threshold: give a whole number of percent from 0 to 100."
    )
    assert SuggestionSettings.objects.get().accept_threshold == 65
    assert accept_threshold() == 65


def test_a_missing_threshold_field_is_refused_too(lead_client):
    response = lead_client.post(THRESHOLD_URL, {})
    assert response.status_code == 400
    assert "accept_threshold" in response.content.decode()
    assert not SuggestionSettings.objects.exists()


def test_the_paragraphs_csv_carries_the_suggestion_score(reviewer_client, article):
    shown = confidences(reviewer_client, article)
    response = reviewer_client.get(
        reverse("articles:export_paragraphs"), {"source": "example.com"}
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body, newline="")))
    header = list(rows[0])
    start = header.index("suggested_label")
    assert header[start : start + 3] == [
        "suggested_label",
        "suggestion_reason",
        "suggestion_score",
    ]
    mine = {
        int(row["position"]): row for row in rows if row["external_id"] == "story-0"
    }
    assert mine[4]["suggestion_score"] == "1.00"
    assert mine[4]["suggestion_reason"].startswith(
        "labeled boilerplate in 1 example.com"
    )
    assert int(float(mine[5]["suggestion_score"]) * 100) in (shown[5], shown[5] + 1)
    assert mine[5]["suggestion_reason"].startswith("looks like boilerplate: ")
    assert [mine[p]["suggestion_score"] for p in (1, 2, 3)] == ["", "", ""]
    # The labeled copy in story-1 keeps its suggestion in the export, for comparison.
    theirs = {
        int(row["position"]): row for row in rows if row["external_id"] == "story-1"
    }
    assert theirs[4]["label"] == "boilerplate"
    assert theirs[4]["suggestion_score"] == "1.00"
