"""Tokens: made on their page (shown once, stored hashed), revoked there or in the admin; a
missing, unknown or revoked token gets 401; a session cookie is never enough."""

import hashlib
import json

import pytest
from django.urls import reverse

from articles.api import tokens
from articles.models import ApiToken, Article

EVENTS = "/api/v1/events"


def test_a_token_made_on_its_page_is_shown_once_and_stored_hashed(reviewer_client):
    response = reviewer_client.post(
        reverse("articles:api_tokens"), {"name": "cms"}, follow=True
    )
    assert response.redirect_chain == [(reverse("articles:api_tokens"), 302)]
    token = response.context["new_token"]
    assert token.startswith("nr_")
    assert len(token) > 40
    assert token in response.content.decode()
    assert token not in str(dict(reviewer_client.session))  # shown, then forgotten
    row = ApiToken.objects.get()
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps(list(ApiToken.objects.values()), default=str)
    again = reviewer_client.get(reverse("articles:api_tokens"))
    assert token not in again.content.decode()
    assert row.prefix in again.content.decode()
    answer = reviewer_client.get(EVENTS, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200


def test_a_token_needs_a_name(reviewer_client):
    response = reviewer_client.post(reverse("articles:api_tokens"), {"name": "  "})
    assert response.status_code == 400
    assert "Name:" in response.content.decode()
    response = reviewer_client.post(reverse("articles:api_tokens"), {"name": "x" * 101})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_revoked_token_gets_401(reviewer_client, reviewer):
    row, token = tokens.create(user=reviewer, name="old")
    headers = {"Authorization": f"Bearer {token}"}
    assert reviewer_client.get(EVENTS, headers=headers).status_code == 200
    reviewer_client.post(reverse("articles:api_token_revoke", args=[row.pk]))
    response = reviewer_client.get(EVENTS, headers=headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["errors"][0]["field"] == "Authorization"


def test_nobody_revokes_someone_elses_token(client, reviewer, lead):
    row, _token = tokens.create(user=lead, name="lead's")
    client.force_login(reviewer)
    response = client.post(reverse("articles:api_token_revoke", args=[row.pk]))
    assert response.status_code == 404
    row.refresh_from_db()
    assert row.active


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Bearer nr_not-a-token",
        "Bearer " + "nr_" + "a" * 5000,
        "Basic dXNlcjpwYXNz",
        "Token nr_abc",
        "Bearer nr_\x00\x01",
        "Bearer nr_é" + "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
    ],
)
def test_a_missing_or_bad_token_gets_401(client, db, header):
    headers = {} if header is None else {"Authorization": header}
    for method, path in (("get", EVENTS), ("get", "/api/v1/articles")):
        response = getattr(client, method)(path, headers=headers)
        assert response.status_code == 401
        assert response.json()["errors"][0]["field"] == "Authorization"


def test_a_session_cookie_is_not_a_token(lead_client):
    # A logged-in browser: a page on another site cannot post through it (no CSRF hole).
    response = lead_client.post(
        "/api/v1/articles",
        json.dumps({"id": "csrf", "paragraphs": ["<p>x</p>"]}),
        content_type="application/json",
    )
    assert response.status_code == 401
    assert not Article.objects.exists()


def test_a_deactivated_user_or_one_without_a_role_is_refused(client, reviewer):
    _, token = tokens.create(user=reviewer, name="t")
    headers = {"Authorization": f"Bearer {token}"}
    reviewer.groups.clear()
    response = client.get(EVENTS, headers=headers)
    assert response.status_code == 403
    reviewer.is_active = False
    reviewer.save()
    assert client.get(EVENTS, headers=headers).status_code == 401


def test_requests_over_the_rate_limit_get_429(reviewer_api, settings):
    settings.NEWSREVIEW_API_RATE_PER_MINUTE = 3
    codes = [reviewer_api.get(EVENTS).status_code for _ in range(5)]
    # A minute boundary may fall between the requests and reset the count once.
    assert codes.count(429) >= 1
    over = reviewer_api.get(EVENTS)
    if over.status_code == 429:
        assert int(over["Retry-After"]) >= 1
        assert "requests a minute" in over.json()["errors"][0]["reason"]


def test_the_admin_lists_and_revokes_tokens(client, staff, reviewer):
    row, token = tokens.create(user=reviewer, name="reviewer's")
    client.force_login(staff)
    listing = client.get(reverse("admin:articles_apitoken_changelist"))
    assert listing.status_code == 200
    assert (
        "reviewer&#x27;s" in listing.content.decode()
        or "reviewer's" in listing.content.decode()
    )
    assert token not in listing.content.decode()
    client.post(
        reverse("admin:articles_apitoken_changelist"),
        {"action": "revoke_tokens", "_selected_action": [row.pk]},
    )
    row.refresh_from_db()
    assert not row.active
