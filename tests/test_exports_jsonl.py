"""The paragraphs as JSON Lines: one object a paragraph, the queue's filters, streamed."""

import json

from django.utils import timezone

from articles.models import Label


def lines(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode()
    assert body.endswith("\n")
    return [json.loads(line) for line in body.splitlines()]


def test_paragraphs_with_their_labels_one_json_object_a_line(
    reviewer_client, make_article, reviewer
):
    article = make_article(
        paragraphs=["<b>Line\none</b> “quoted”", "Two", "=HYPERLINK(1)"],
        labels=[Label.VERIFIED, "", Label.BOILERPLATE],
        labeled_by=reviewer,
        source="bbc.co.uk",
    )
    article.paragraphs.filter(position=1).update(labeled_at=timezone.now())
    make_article(source="other.org")
    response = reviewer_client.get("/export/paragraphs.jsonl", {"source": "bbc.co.uk"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jsonl; charset=utf-8"
    rows = lines(response)
    assert [(r["external_id"], r["position"], r["label"]) for r in rows] == [
        (article.external_id, 1, "verified"),
        (article.external_id, 2, None),
        (article.external_id, 3, "boilerplate"),
    ]
    assert rows[0]["text"] == article.paragraphs.get(position=1).text
    assert rows[0]["labeled_by"] == "rita"
    assert rows[0]["labeled_at"].endswith("Z")
    assert rows[2]["text"] == "=HYPERLINK(1)"  # JSON needs no formula defusing
    assert rows[1]["labeled_at"] is None


def test_every_paragraph_across_batches_once(reviewer_client, make_article):
    from articles.exports import jsonl
    from articles.models import Article

    for _ in range(7):
        make_article(n=3)
    rows = [
        json.loads(line)
        for chunk in jsonl.paragraph_jsonl(Article.objects.all(), batch_size=4)
        for line in chunk.splitlines()
    ]
    assert len(rows) == 21
    assert len({(r["external_id"], r["position"]) for r in rows}) == 21


def test_a_bad_filter_is_400_naming_the_field(reviewer_client):
    response = reviewer_client.get("/export/paragraphs.jsonl", {"status": "nope"})
    assert response.status_code == 400
    assert "status" in response.content.decode()
