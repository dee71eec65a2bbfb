"""Each API endpoint per role's token, and hostile bodies: the API's rows of the access table."""

import json

import pytest
from django.contrib.auth.models import User

from articles.api import tokens
from articles.models import Article, ImportRun
from tests.api.conftest import TokenClient

ROLES = ["no group", "reviewer", "lead", "staff"]
RECORD = json.dumps({"id": "acc-1", "paragraphs": ["<p>Access.</p>"]})


@pytest.fixture
def api_for(client, reviewer, lead, staff):
    users = {
        "no group": User.objects.create_user("nadia"),
        "reviewer": reviewer,
        "lead": lead,
        "staff": staff,
    }
    return lambda role: TokenClient(
        client, tokens.create(user=users[role], name="t")[1]
    )


@pytest.mark.parametrize("role", ROLES)
def test_each_endpoint_per_token_role(api_for, role, make_article):
    api = api_for(role)
    article = make_article()
    run = ImportRun.objects.create(state="finished")
    reads = 403 if role == "no group" else 200
    imports = 200 if role in ("lead", "staff") else 403
    assert api.get("/api/v1/articles").status_code == reads
    assert api.get(f"/api/v1/articles/{article.pk}").status_code == reads
    assert api.get("/api/v1/events").status_code == reads
    assert api.get(f"/api/v1/imports/{run.pk}").status_code == (
        403 if role in ("no group", "reviewer") else 200
    )
    assert api.post("/api/v1/articles", RECORD).status_code == imports
    assert Article.objects.filter(external_id="acc-1").exists() == (imports == 200)


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ("{not json", "body", "invalid JSON"),
        ("", "body", "empty"),
        ("[]", "body", "non-empty list"),
        ('"a string"', "body", "article object"),
        ("[" * 100_000 + "]" * 100_000, "body", "nested"),
        (
            '{"id": "x", "paragraphs": [' + "[" * 5000 + "]" * 5000 + "]}",
            "body",
            "nested",
        ),
        (b"\xff\xfe{}", "body", "UTF-8"),
    ],
)
def test_a_malformed_body_gets_400_naming_the_field(lead_api, body, field, reason):
    response = lead_api.post("/api/v1/articles", body)
    assert response.status_code == 400, response.content
    error = response.json()["errors"][0]
    assert error["field"] == field
    assert reason.lower() in error["reason"].lower()
    assert not Article.objects.exists()


def test_a_huge_body_is_refused_before_it_is_read(lead_api, settings):
    settings.NEWSREVIEW_API_MAX_BODY_BYTES = 1000
    response = lead_api.post(
        "/api/v1/articles",
        json.dumps({"id": "big", "paragraphs": ["x" * 2000]}),
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["field"] == "body"
    assert not ImportRun.objects.exists()


def test_too_many_records_are_refused(lead_api, settings):
    settings.NEWSREVIEW_API_MAX_RECORDS = 2
    records = [{"id": f"r{i}", "paragraphs": ["<p>x</p>"]} for i in range(3)]
    response = lead_api.post("/api/v1/articles", json.dumps(records))
    assert response.status_code == 413
    assert "more than the limit of 2" in response.json()["errors"][0]["reason"]
    assert not Article.objects.exists()


def test_a_long_source_is_refused_naming_it(lead_api):
    response = lead_api.post("/api/v1/articles?source=" + "a" * 300, RECORD)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "source"


def test_hostile_paragraph_html_is_sanitised_once(lead_api):
    record = {
        "id": "xss",
        "paragraphs": ['<p onclick="x()">Hi<script>alert(1)</script></p>'],
    }
    lead_api.post("/api/v1/articles", json.dumps(record))
    html = Article.objects.get().paragraphs.get().html
    assert "script" not in html
    assert "onclick" not in html
