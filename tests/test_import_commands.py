import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from articles.models import Article, ImportRun
from tests.conftest import SAMPLE_DATA

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def test_import_articles_prints_a_line_per_file_and_a_summary_and_exits_0(seed_file):
    code, out, err = run("import_articles", str(seed_file))
    assert code == 0
    assert out == (
        f"{seed_file}: 1 created, 0 unchanged, 0 revised, 0 refused\n"
        "Imported 1 articles (29 paragraphs), 0 unchanged, 0 revised, 0 failed.\n"
    )
    assert err == ""
    assert ImportRun.objects.get().origin == ImportRun.Origin.COMMAND


def test_import_articles_again_reports_unchanged(seed_file):
    run("import_articles", str(seed_file))
    code, out, _ = run("import_articles", str(seed_file))
    assert code == 0
    assert out.splitlines()[-1] == (
        "Imported 0 articles (0 paragraphs), 1 unchanged, 0 revised, 0 failed."
    )


def test_import_articles_exits_1_with_one_line_per_failed_file(tmp_path):
    (tmp_path / "good.txt").write_text(repr(["Good"]))
    (tmp_path / "bad.txt").write_text("not a list")
    code, out, err = run("import_articles", str(tmp_path), "--source", "example.org")
    assert code == 1
    assert err == f"{tmp_path / 'bad.txt'}: invalid syntax at line 1 (invalid syntax)\n"
    assert (
        out.splitlines()[-1]
        == "Imported 1 articles (1 paragraphs), 0 unchanged, 0 revised, 1 failed."
    )
    assert Article.objects.get().source == "example.org"


def test_no_progress_bar_when_output_is_not_a_terminal(seed_file):
    _, out, _ = run("import_articles", str(seed_file))
    assert "[" not in out
    assert "\r" not in out


def test_setup_demo_imports_sample_data_and_creates_the_demo_lead_once():
    code, out, _ = run("setup_demo")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Imported ")
    assert "sample articles" in lines[0]
    assert lines[1].startswith("Demo lead: demo / ")
    assert lines[1].endswith("  (log in at http://127.0.0.1:8000/)")
    password = lines[1].split(" / ")[1].split()[0]
    demo = User.objects.get(username="demo")
    assert demo.check_password(password)
    assert demo.has_perm("articles.import_article")
    assert Article.objects.count() == sum(1 for _ in SAMPLE_DATA.rglob("*.txt")) + 2
    assert ImportRun.objects.count() == 1

    counts = (Article.objects.count(), User.objects.count(), ImportRun.objects.count())
    # A second `make run`: how to get back in as the demo user, at the port make serves.
    code, out, _ = run("setup_demo")
    assert out == (
        "Log in at http://127.0.0.1:8000/ as demo (a Lead). Its password was printed when "
        "the demo was first set up; to choose a new one: "
        "python manage.py changepassword demo\n"
    )
    assert (
        Article.objects.count(),
        User.objects.count(),
        ImportRun.objects.count(),
    ) == counts


def test_setup_demo_prints_the_port_make_run_serves(monkeypatch):
    monkeypatch.setenv("HOST", "review.local")
    monkeypatch.setenv("PORT", "8765")
    code, out, _ = run("setup_demo")
    assert code == 0
    assert out.splitlines()[1].endswith("(log in at http://review.local:8765/)")


def test_setup_demo_with_nothing_to_do_is_three_queries(
    django_assert_num_queries, make_article, reviewer
):
    make_article()
    with django_assert_num_queries(3):  # articles, users, the demo user
        run("setup_demo")
