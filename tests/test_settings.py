"""Deploy safety (the real settings module in a clean environment) and the security headers."""

import os
import subprocess
import sys

import pytest
from django.core.management.utils import get_random_secret_key
from django.urls import reverse

from tests.conftest import ROOT

PRODUCTION = {
    "DJANGO_SECRET_KEY": get_random_secret_key(),
    "DJANGO_ALLOWED_HOSTS": "review.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://review.example.org",
    "DJANGO_BEHIND_PROXY": "1",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py with the real settings and nothing from our environment but PATH."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _setting(expression: str, **env: str) -> str:
    result = _manage(
        "shell", "-c", f"from django.conf import settings; print({expression})", **env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_behind_the_proxy_the_lockout_reads_the_forwarded_address():
    expression = (
        "settings.AXES_IPWARE_META_PRECEDENCE_ORDER, settings.AXES_IPWARE_PROXY_COUNT,"
        " settings.IPWARE_STRICT"
    )
    assert _setting(expression, **PRODUCTION) == (
        "('HTTP_X_FORWARDED_FOR', 'REMOTE_ADDR') 0 False"
    )
    assert _setting(expression, **PRODUCTION, DJANGO_PROXY_COUNT="2") == (
        "('HTTP_X_FORWARDED_FOR', 'REMOTE_ADDR') 1 False"
    )
    direct = {**PRODUCTION, "DJANGO_BEHIND_PROXY": "0"}
    assert _setting("settings.AXES_IPWARE_META_PRECEDENCE_ORDER", **direct) == (
        "('REMOTE_ADDR',)"
    )


def test_refuses_to_start_without_a_secret_key():
    result = _manage("check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(
    ("debug", "expected"),
    [(None, "False"), ("0", "False"), ("1", "True")],
)
def test_debug_is_off_unless_asked_for(debug, expected):
    env = {"DJANGO_SECRET_KEY": "k" * 50}
    if debug is not None:
        env["DJANGO_DEBUG"] = debug
    assert _setting("settings.DEBUG", **env) == expected


def test_production_variables_pass_the_deploy_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "warning"),
    [
        ({"DJANGO_DEBUG": "1"}, "security.W018"),
        ({"DJANGO_SECRET_KEY": "short"}, "security.W009"),
        ({"DJANGO_SECURE": "0"}, "security.W008"),
    ],
)
def test_the_deploy_check_catches_an_unsafe_setup(override, warning):
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION, **override}
    )
    assert result.returncode != 0
    assert warning in result.stderr


def test_production_trusts_the_proxy_for_https_and_sends_hsts():
    script = (
        "from django.test import Client; c = Client();"
        "plain = c.get('/accounts/login/', HTTP_HOST='review.example.org');"
        "tls = c.get('/accounts/logout/', HTTP_HOST='review.example.org',"
        " HTTP_X_FORWARDED_PROTO='https');"
        "print(plain.status_code, plain['Location']);"
        "print(tls.status_code, tls['Strict-Transport-Security']);"
        "print(c.get('/', HTTP_HOST='evil.example', HTTP_X_FORWARDED_PROTO='https').status_code)"
    )
    # Nothing here touches the database or renders static files (no collectstatic manifest
    # needed): point the database at a path that cannot exist. (An anonymous GET of the logout
    # page is a redirect to log in, with no template; the 404 page is the site's own template
    # since issue 13, with static files.)
    result = _manage(
        "shell",
        "-c",
        script,
        DATABASE_URL="sqlite:////nonexistent/db.sqlite3",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    plain, tls, wrong_host = result.stdout.strip().splitlines()[-3:]
    assert plain == "301 https://review.example.org/accounts/login/"
    assert tls == "302 max-age=31536000; includeSubDomains"
    assert wrong_host == "400"


def _assert_security_headers(response) -> None:
    csp = response["Content-Security-Policy"]
    directives = {
        part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()
    }
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/", "/no-such-page/"])
def test_anonymous_pages_carry_the_strict_headers(client, db, url):
    response = client.get(url)
    assert response["Content-Type"].startswith("text/html")
    _assert_security_headers(response)


def test_logged_in_pages_carry_the_strict_headers(client, staff, make_article):
    article = make_article()
    client.force_login(staff)
    for url in [
        reverse("password_change"),
        reverse("admin:index"),
        reverse("admin:articles_article_change", args=[article.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_security_headers(response)


def test_the_lockout_page_carries_the_strict_headers(client, reviewer):
    for _ in range(5):
        response = client.post(
            "/accounts/login/", {"username": "rita", "password": "guess"}
        )
    assert response.status_code == 429
    _assert_security_headers(response)
