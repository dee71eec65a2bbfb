"""The API's articles: posted through the importer, listed with the queue's filters, read whole."""

import ast
import json

import pytest

from articles.models import Article, ImportRun, Paragraph

API = "/api/v1"


def seed_record(seed_file) -> dict:
    paragraphs = ast.literal_eval(seed_file.read_text(encoding="utf-8"))
    return {"id": seed_file.stem, "paragraphs": paragraphs, "source": "bbc.co.uk"}


def test_the_sample_posted_twice_is_one_article_unchanged_the_second_time(
    lead_api, seed_file
):
    record = seed_record(seed_file)
    first = lead_api.post(f"{API}/articles", json.dumps(record))
    assert first.status_code == 200, first.content
    body = first.json()
    assert body["created"] == 1
    assert body["results"] == [
        {
            "item": 1,
            "id": seed_file.stem,
            "result": "created",
            "changes": "",
            "reasons": [],
        }
    ]
    article = Article.objects.get(external_id=seed_file.stem)
    assert article.paragraph_count == 29
    assert ImportRun.objects.get(pk=body["run"]).origin == ImportRun.Origin.API

    second = lead_api.post(f"{API}/articles", json.dumps([record]))
    assert second.json()["results"][0]["result"] == "unchanged"
    assert Article.objects.count() == 1
    assert Paragraph.objects.count() == 29

    read = lead_api.get(f"{API}/articles/{article.pk}").json()
    assert read["external_id"] == seed_file.stem
    assert [p["position"] for p in read["paragraph_list"]] == list(range(1, 30))
    assert read["paragraph_list"][0]["html"] == article.paragraphs.get(position=1).html


def test_each_record_gets_its_own_result_in_order(lead_api):
    records = [
        {"id": "a-1", "paragraphs": ["<p>One.</p>"], "url": "https://example.com/1"},
        {"id": "a-2", "paragraphs": "not a list"},
        "a string",
        {"paragraphs": ["<p>No id.</p>"]},
        {"id": "a-1", "paragraphs": ["<p>Other.</p>"]},
        {"id": "a-1", "paragraphs": ["<p>Other.</p>"]},
    ]
    response = lead_api.post(f"{API}/articles", json.dumps(records))
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["result"] for r in results] == [
        "created",
        "failed",
        "failed",
        "failed",
        # The same id with other content is its next revision (articles.revisions), then
        # the same content again is unchanged.
        "revised",
        "unchanged",
    ]
    assert "paragraphs must be a list of strings" in results[1]["reasons"][0]
    assert results[2]["reasons"] == ["item 3: not an article object (it holds text)"]
    assert results[3]["reasons"] == ["item 4: no id"]
    # "Other." shares nothing with "One.": the revision added one paragraph, deleted one.
    assert "1 added, 1 deleted" in results[4]["changes"]
    assert list(Article.objects.values_list("external_id", "source", "revision")) == [
        ("a-1", "example.com", 2)
    ]


def test_a_reviewers_token_cannot_import(reviewer_api):
    response = reviewer_api.post(
        f"{API}/articles", json.dumps({"id": "x", "paragraphs": ["<p>x</p>"]})
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "Authorization"
    assert not Article.objects.exists()
    assert not ImportRun.objects.exists()


def test_a_reviewers_token_reads(reviewer_api, make_article):
    article = make_article(source="bbc.co.uk", labels=["verified", "", ""])
    page = reviewer_api.get(f"{API}/articles").json()
    assert [row["id"] for row in page["results"]] == [article.pk]
    assert page["results"][0]["verified"] == 1
    assert page["next_cursor"] is None


def test_articles_are_listed_with_the_queue_filters_and_a_cursor(
    reviewer_api, make_article, reviewer
):
    made = [make_article(source="bbc.co.uk") for _ in range(5)]
    done = make_article(source="bbc.co.uk", labels=["verified"] * 3)
    make_article(source="other.org")
    mine = make_article(source="bbc.co.uk", assigned_to=reviewer)
    seen, cursor = [], "0"
    while cursor is not None:
        page = reviewer_api.get(
            f"{API}/articles",
            {"source": "bbc.co.uk", "limit": 2, "cursor": cursor},
        ).json()
        assert len(page["results"]) <= 2
        seen += [row["id"] for row in page["results"]]
        cursor = page["next_cursor"]
    assert seen == [a.pk for a in [*made, done, mine]]
    reviewed = reviewer_api.get(f"{API}/articles", {"status": "reviewed"}).json()
    assert [row["id"] for row in reviewed["results"]] == [done.pk]
    assigned = reviewer_api.get(f"{API}/articles", {"assigned": "me"}).json()
    assert [row["id"] for row in assigned["results"]] == [mine.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "finished"}, "status"),
        ({"cursor": "abc"}, "cursor"),
        ({"cursor": "-1"}, "cursor"),
        ({"cursor": str(2**64)}, "cursor"),
        ({"limit": "0"}, "limit"),
        ({"imported_from": "2026-13-01"}, "imported_from"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"assigned": "everyone"}, "assigned"),
    ],
)
def test_bad_list_parameters_get_400_naming_the_field(reviewer_api, params, field):
    response = reviewer_api.get(f"{API}/articles", params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


def test_page_size_is_capped(reviewer_api, make_article, settings):
    settings.NEWSREVIEW_API_MAX_PAGE = 2
    for _ in range(3):
        make_article()
    page = reviewer_api.get(f"{API}/articles", {"limit": 1000}).json()
    assert len(page["results"]) == 2
    assert page["next_cursor"] is not None


def test_an_unknown_article_is_404_as_json(reviewer_api):
    for article_id in ("999", str(2**70)):
        response = reviewer_api.get(f"{API}/articles/{article_id}")
        assert response.status_code in (404, 400)
        assert response.json()["errors"]


def test_a_large_post_becomes_a_job_to_follow(lead_api, settings):
    from tests.conftest import run_queued_jobs

    settings.NEWSREVIEW_API_SYNC_MAX_RECORDS = 2
    records = [
        {"id": f"big-{i}", "paragraphs": [f"<p>Story {i}.</p>"]} for i in range(3)
    ]
    records.append({"id": "big-bad", "paragraphs": 5})
    response = lead_api.post(f"{API}/articles", json.dumps(records))
    assert response.status_code == 202
    queued = response.json()
    assert queued["state"] == "queued"
    assert not Article.objects.exists()  # nothing imported inside the request
    status = lead_api.get(queued["status_url"]).json()
    assert (status["state"], status["origin"]) == ("queued", "api")

    assert run_queued_jobs() == 1
    status = lead_api.get(queued["status_url"]).json()
    assert (status["state"], status["files_total"], status["articles_created"]) == (
        "finished",
        4,
        3,
    )
    assert [r["name"] for r in status["results"]] == [f"item {n}" for n in range(1, 5)]
    assert status["results"][3]["failed"] == 1
    assert "paragraphs must be a list of strings" in status["errors"][0]["reason"]
    # Posted again: a job again, everything unchanged.
    again = lead_api.post(f"{API}/articles", json.dumps(records)).json()
    run_queued_jobs()
    status = lead_api.get(again["status_url"]).json()
    assert (status["articles_created"], status["articles_unchanged"]) == (0, 3)
    assert Article.objects.count() == 3
