"""Log in, log out by POST, change password, and django-axes' lockout after 5 failures.

The lockout tests POST to the login forms with the test client: client.login() cannot be used
under axes, which needs the request to know the address.
"""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
OFFICE = "203.0.113.7"
ELSEWHERE = "198.51.100.20"
WRONG_PASSWORD_MESSAGE = "Please enter a correct username and password"
LOCKED_MESSAGE = "Too many failed log-in attempts"


def _log_in(client, username: str, password: str, *, url: str = LOGIN, address=OFFICE):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_login_page_is_open_to_anonymous_visitors(client, db):
    response = client.get(LOGIN)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Log in to newsreview" in page
    assert 'name="password"' in page


def test_right_password_logs_in_and_lands_on_the_queue(client, reviewer):
    response = _log_in(client, "rita", "pw-rita")
    assert response.status_code == 302
    assert response["Location"] == reverse("articles:queue")
    assert client.session[SESSION_KEY] == str(reviewer.pk)


def test_login_follows_a_safe_next_but_not_another_site(client, reviewer):
    safe = client.post(
        LOGIN,
        {"username": "rita", "password": "pw-rita", "next": "/export/articles.csv"},
        REMOTE_ADDR=OFFICE,
    )
    assert safe["Location"] == "/export/articles.csv"
    client.post(reverse("logout"))
    evil = client.post(
        LOGIN,
        {"username": "rita", "password": "pw-rita", "next": "https://evil.example/"},
        REMOTE_ADDR=OFFICE,
    )
    assert evil["Location"] == reverse("articles:queue")


def test_wrong_password_shows_a_clear_message(client, reviewer):
    response = _log_in(client, "rita", "nope")
    page = response.content.decode()
    assert response.status_code == 200
    assert WRONG_PASSWORD_MESSAGE in page
    assert 'value="rita"' in page  # the username stays filled in
    assert SESSION_KEY not in client.session


def test_logout_needs_post(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("logout")).status_code == 405
    assert SESSION_KEY in client.session

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert SESSION_KEY not in client.session
    assert client.get(reverse("articles:queue"))["Location"].startswith(LOGIN)


def test_pages_show_a_logout_button_that_posts(client, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("password_change")).content.decode()
    assert f'<form method="post" action="{reverse("logout")}"' in page
    assert "Log out" in page


def test_password_change(client, reviewer):
    client.force_login(reviewer)
    form = client.get(reverse("password_change"))
    assert form.status_code == 200
    assert "Change your password" in form.content.decode()

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pw-rita",
            "new_password1": "a much longer passphrase 42",
            "new_password2": "a much longer passphrase 42",
        },
        follow=True,
    )

    assert "Password changed" in response.content.decode()
    reviewer.refresh_from_db()
    assert reviewer.check_password("a much longer passphrase 42")
    assert SESSION_KEY in client.session  # still logged in after the change


def test_password_change_refuses_a_wrong_old_password(client, reviewer):
    client.force_login(reviewer)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "a much longer passphrase 42",
            "new_password2": "a much longer passphrase 42",
        },
    )
    assert "Your old password was entered incorrectly" in response.content.decode()
    reviewer.refresh_from_db()
    assert reviewer.check_password("pw-rita")


def test_password_change_needs_login(client, db):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_five_failures_lock_the_username_at_that_address(client, staff, url):
    statuses = [_log_in(client, "sam", "guess", url=url).status_code for _ in range(5)]
    # The fifth failure itself already answers with the lockout page.
    assert statuses == [200, 200, 200, 200, 429]

    locked = _log_in(client, "sam", "pw-sam", url=url)

    assert locked.status_code == 429
    page = locked.content.decode()
    assert LOCKED_MESSAGE in page
    assert "15 minutes" in page
    assert SESSION_KEY not in client.session


def test_lockout_is_per_username_and_address(client, reviewer, lead):
    for _ in range(5):
        _log_in(client, "rita", "guess")
    assert _log_in(client, "rita", "pw-rita").status_code == 429

    colleague = _log_in(client, "lena", "pw-lena")
    assert colleague.status_code == 302
    client.post(reverse("logout"))
    other_address = _log_in(client, "rita", "pw-rita", address=ELSEWHERE)
    assert other_address.status_code == 302


def test_four_failures_then_success_resets_the_counter(client, reviewer):
    for _ in range(4):
        _log_in(client, "rita", "guess")
    assert _log_in(client, "rita", "pw-rita").status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        _log_in(client, "rita", "guess")
    assert _log_in(client, "rita", "pw-rita").status_code == 302


def test_login_works_again_after_the_cool_off(client, reviewer):
    for _ in range(5):
        _log_in(client, "rita", "guess")
    assert _log_in(client, "rita", "pw-rita").status_code == 429

    # Move the recorded failures 16 minutes into the past: the 15-minute cool-off has passed.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - datetime.timedelta(minutes=16)
    )

    assert _log_in(client, "rita", "pw-rita").status_code == 302
    assert client.session[SESSION_KEY] == str(reviewer.pk)


# The reverse proxy: REMOTE_ADDR of every request that comes through it.
PROXY = "10.0.0.2"


@pytest.fixture
def behind_proxy(settings):
    """What DJANGO_BEHIND_PROXY=1 sets (tests/test_settings.py checks that it does)."""
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    settings.AXES_IPWARE_PROXY_ORDER = "left-most"
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.IPWARE_STRICT = False


def _through_proxy(client, username, password, *, forwarded_for):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_the_proxy_one_client_cannot_lock_out_another(
    client, reviewer, behind_proxy
):
    for _ in range(5):
        _through_proxy(client, "rita", "guess", forwarded_for=OFFICE)
    assert (
        _through_proxy(client, "rita", "pw-rita", forwarded_for=OFFICE).status_code
        == 429
    )

    elsewhere = _through_proxy(client, "rita", "pw-rita", forwarded_for=ELSEWHERE)

    assert elsewhere.status_code == 302
    assert AccessAttempt.objects.get().ip_address == OFFICE


def test_behind_the_proxy_a_forged_header_entry_is_not_read(
    client, reviewer, behind_proxy
):
    # The client sends its own X-Forwarded-For; the proxy appends the address it saw.
    for forged in ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"]:
        _through_proxy(client, "rita", "guess", forwarded_for=f"{forged}, {OFFICE}")
    locked = _through_proxy(
        client, "rita", "pw-rita", forwarded_for=f"192.0.2.99, {OFFICE}"
    )
    assert locked.status_code == 429


def test_without_the_proxy_setting_the_header_is_ignored(client, reviewer):
    for _ in range(5):
        _through_proxy(client, "rita", "guess", forwarded_for=OFFICE)

    spoofed = _through_proxy(client, "rita", "pw-rita", forwarded_for=ELSEWHERE)

    assert spoofed.status_code == 429
    assert AccessAttempt.objects.get().ip_address == PROXY


def _change_password(client, old: str, *, url: str = "password_change"):
    new = "a much longer passphrase 42"
    return client.post(
        reverse(url),
        {"old_password": old, "new_password1": new, "new_password2": new},
        REMOTE_ADDR=OFFICE,
    )


def test_password_change_is_throttled_like_the_log_in(client, reviewer, caplog):
    client.force_login(reviewer)
    statuses = [_change_password(client, f"guess{i}").status_code for i in range(5)]
    # Like the log-in: the fifth failure itself answers with the lockout page.
    assert statuses == [200, 200, 200, 200, 429]

    locked = _change_password(client, "pw-rita")

    assert locked.status_code == 429
    assert LOCKED_MESSAGE in locked.content.decode()
    reviewer.refresh_from_db()
    assert reviewer.check_password("pw-rita")
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == ("rita", OFFICE)
    assert "guess" not in attempt.post_data
    assert "Wrong old password on the password-change form for rita" in caplog.text


def test_the_admins_password_change_is_throttled_too(client, staff):
    client.force_login(staff)
    page = client.get(reverse("admin:password_change")).content.decode()
    assert 'name="old_password"' in page

    statuses = [
        _change_password(client, f"guess{i}", url="admin:password_change").status_code
        for i in range(5)
    ]

    assert statuses == [200, 200, 200, 200, 429]
    locked = _change_password(client, "pw-sam", url="admin:password_change")
    assert locked.status_code == 429
    assert LOCKED_MESSAGE in locked.content.decode()
    assert AccessAttempt.objects.get().username == staff.get_username()


def test_the_admins_password_change_still_changes_the_password(client, staff):
    client.force_login(staff)
    password = staff.get_username()
    answer = _change_password(client, f"pw-{password}", url="admin:password_change")
    assert answer.status_code == 302
    assert answer.url == reverse("admin:password_change_done")
    staff.refresh_from_db()
    assert staff.check_password("a much longer passphrase 42")


def test_password_change_works_again_after_the_cool_off(client, reviewer):
    client.force_login(reviewer)
    for i in range(5):
        _change_password(client, f"guess{i}")
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - datetime.timedelta(minutes=16)
    )
    assert _change_password(client, "pw-rita").status_code == 302
