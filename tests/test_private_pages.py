"""Pages for logged-in users are never cached, and sessions end after an idle time (sliding,
refreshed at most once every few minutes so that most requests write no session)."""

import datetime

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from articles.middleware import SESSION_STAMP

QUEUE = reverse("articles:queue")


def test_pages_for_logged_in_users_are_private_and_not_stored(reviewer_client):
    for url in [QUEUE, reverse("password_change"), "/no-such-page/"]:
        cache_control = reviewer_client.get(url)["Cache-Control"]
        assert "private" in cache_control
        assert "no-store" in cache_control


def test_static_files_stay_cacheable(client, reviewer, settings):
    # WhiteNoise answers static files before the session is read (here from the finders,
    # as with DEBUG; production serves the collected files the same way).
    settings.WHITENOISE_USE_FINDERS = True
    client.force_login(reviewer)
    response = client.get("/static/css/app.css")
    response.close()
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_sessions_last_the_idle_time_not_two_weeks(settings):
    assert settings.NEWSREVIEW_SESSION_IDLE_MINUTES == 480
    assert settings.SESSION_COOKIE_AGE == 480 * 60


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_request_soon_after_the_last_refresh_writes_no_session(reviewer_client):
    before = _expiry(reviewer_client)
    assert reviewer_client.get(QUEUE).status_code == 200
    assert _expiry(reviewer_client) == before


def test_activity_slides_the_expiry(reviewer_client):
    session = reviewer_client.session
    session[SESSION_STAMP] -= 6 * 60  # the last refresh was six minutes ago
    session.save()
    key = session.session_key
    Session.objects.filter(pk=key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=1)
    )

    assert reviewer_client.get(QUEUE).status_code == 200

    left = _expiry(reviewer_client) - timezone.now()
    assert left > datetime.timedelta(minutes=479)


def test_an_idle_session_ends(reviewer_client):
    key = reviewer_client.session.session_key
    Session.objects.filter(pk=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = reviewer_client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
