"""manage.py createreviewer: a user in the right group with a password they can log in with."""

import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("createreviewer", *args, stdout=out)
    return out.getvalue()


def test_creates_a_reviewer_and_prints_a_random_password(db):
    output = _run("maria")
    password = re.search(r"Password: (\S+)", output).group(1)
    user = User.objects.get(username="maria")
    assert "Created maria (Reviewer)." in output
    assert len(password) >= 20
    assert user.check_password(password)
    assert list(user.groups.values_list("name", flat=True)) == ["Reviewer"]
    assert not user.is_staff
    assert user.has_perm("articles.label_article")
    assert not user.has_perm("articles.import_article")


def test_each_generated_password_is_different(db):
    first = re.search(r"Password: (\S+)", _run("a1")).group(1)
    second = re.search(r"Password: (\S+)", _run("a2")).group(1)
    assert first != second


def test_lead_with_admin_access(db):
    output = _run("lena", "--lead", "--staff")
    user = User.objects.get(username="lena")
    assert "Created lena (Lead with admin access)." in output
    assert list(user.groups.values_list("name", flat=True)) == ["Lead"]
    assert user.is_staff
    assert not user.is_superuser
    assert user.has_perm("articles.import_article")


def test_password_from_stdin_is_used_and_not_printed(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery staple\n"))
    output = _run("piet", "--password-stdin")
    assert "correct horse" not in output
    assert "Password:" not in output
    assert User.objects.get(username="piet").check_password(
        "correct horse battery staple"
    )


@pytest.mark.parametrize(
    ("stdin", "message"),
    [("\n", "No password on standard input."), ("123\n", "Password refused: ")],
)
def test_bad_password_from_stdin_is_refused(db, monkeypatch, stdin, message):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    with pytest.raises(CommandError, match=re.escape(message)):
        _run("piet", "--password-stdin")
    assert not User.objects.filter(username="piet").exists()


def test_existing_user_is_a_clear_error(reviewer):
    with pytest.raises(
        CommandError, match=re.escape("A user named 'Rita' already exists.")
    ):
        _run("Rita")
    assert User.objects.filter(username__iexact="rita").count() == 1


@pytest.mark.parametrize(
    ("username", "reason"),
    [
        ("maria schmidt", "Enter a valid username"),
        ("<script>", "Enter a valid username"),
        ("maria\x00", "Enter a valid username"),
        ("m" * 151, "at most 150 characters"),
    ],
)
def test_refuses_a_username_django_would_refuse(db, username, reason):
    with pytest.raises(CommandError, match=reason):
        _run(username)
    assert not User.objects.exists()


def test_accepts_what_djangos_username_rules_allow(db):
    _run("maria.schmidt+desk@example-news_1")
    assert User.objects.filter(username="maria.schmidt+desk@example-news_1").exists()
