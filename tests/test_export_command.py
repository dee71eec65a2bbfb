"""`manage.py export_review_status`: the web export's CSV on standard output or in a file."""

import io

import pytest
from django.core.management import CommandError, call_command

from articles.exports import csv as exports
from articles.models import Article, Paragraph
from tests.test_exports import parse


def run(*args: str) -> tuple[bytes, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("export_review_status", *args, stdout=out, stderr=err)
    return out.getvalue().encode("utf-8"), err.getvalue()


@pytest.fixture
def three_articles(make_article, reviewer):
    return [
        make_article(
            title="Jürgen's =SUM(1)",
            source="zeit.de",
            paragraphs=["Eins", "Zwei,\ndrei"],
            labels=["verified", "boilerplate"],
            labeled_by=reviewer,
        ),
        make_article(title="Half", source="bbc.co.uk", labels=["unverified", "", ""]),
        make_article(title="-Untouched", source="bbc.co.uk"),
    ]


def test_writes_the_articles_csv_to_standard_output(
    three_articles, django_assert_num_queries
):
    with django_assert_num_queries(1):
        body, _ = run()

    assert body.startswith(b"\xef\xbb\xbf")
    rows = parse(body)
    assert list(rows[0]) == list(exports.ARTICLE_COLUMNS)
    assert [(row["title"], row["status"]) for row in rows] == [
        ("Jürgen's =SUM(1)", "reviewed"),
        ("Half", "in_progress"),
        ("'-Untouched", "unreviewed"),
    ]
    first = Article.objects.get(title="Jürgen's =SUM(1)")
    assert rows[0]["review_url"] == f"http://127.0.0.1:8000/articles/{first.pk}/"


def test_paragraphs_with_status_and_source_filters(three_articles):
    body, _ = run("--paragraphs", "--status", "unreviewed", "--source", "bbc.co.uk")

    rows = parse(body)
    assert list(rows[0]) == list(exports.PARAGRAPH_COLUMNS)
    untouched = three_articles[2]
    assert [(row["external_id"], row["position"]) for row in rows] == [
        (untouched.external_id, "1"),
        (untouched.external_id, "2"),
        (untouched.external_id, "3"),
    ]


def test_every_paragraph_with_its_label(three_articles):
    rows = parse(run("--paragraphs")[0])

    assert len(rows) == Paragraph.objects.count() == 8
    assert rows[1]["text"] == "Zwei,\ndrei"
    assert rows[1]["label"] == "boilerplate"
    assert rows[1]["labeled_by"] == "rita"


def test_writes_a_file_with_the_base_url_given(three_articles, tmp_path):
    target = tmp_path / "status.csv"

    body, err = run("-o", str(target), "--base-url", "https://review.example.org/")

    assert body == b""
    assert err.strip() == f"Wrote {target}"
    content = target.read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.count(b"\r\n") == 4
    rows = parse(content)
    assert [row["source"] for row in rows] == ["zeit.de", "bbc.co.uk", "bbc.co.uk"]
    assert rows[2]["review_url"] == (
        f"https://review.example.org/articles/{three_articles[2].pk}/"
    )
    assert [path.name for path in tmp_path.iterdir()] == ["status.csv"]


def test_an_unwritable_file_names_the_file_and_leaves_nothing(db, tmp_path):
    target = tmp_path / "missing-folder" / "status.csv"
    with pytest.raises(CommandError, match=r"missing-folder/status\.csv: No such file"):
        run("-o", str(target))
    assert not target.parent.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--source", "x" * 300), "--source: 'xxx"),
        (("--base-url", "ftp://example.org"), "--base-url: 'ftp://example.org' must"),
        (("--status", "done"), "argument --status: invalid choice: 'done'"),
    ],
)
def test_bad_arguments_are_refused_with_a_reason(db, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
