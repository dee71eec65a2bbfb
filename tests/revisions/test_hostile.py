"""Hostile input to revisions: script in a re-scraped paragraph, a database that refuses a
revision, zip members that try to smuggle an id; and the signal the sign-off feature hears."""

import pytest
from django.db import connection
from django.urls import reverse

from articles.imports.importers import import_paths
from articles.models import Article, ArticleRevision, Paragraph, ParagraphSnapshot
from articles.models.signals import article_revised
from tests.revisions.conftest import label_over_http, write_article, zip_of

SCRIPT = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def test_script_in_an_edited_paragraph_is_text_in_the_diff_and_gone_from_the_html(
    reimport, reviewer_client
):
    reimport(
        ["The toll rose to 12 &lt;script&gt;alert(0)&lt;/script&gt; today.", "Two."]
    )
    article = Article.objects.get()
    label_over_http(reviewer_client, article, {1: "verified"})
    reimport(
        [f"The toll rose to 14 {SCRIPT} &lt;script&gt;alert(3)&lt;/script&gt;.", "Two."]
    )
    for url in (
        article.get_absolute_url(),
        reverse("articles:revision", args=[article.pk, 1]),
    ):
        page = reviewer_client.get(url).content.decode()
        main = page.split("<main", 1)[1]
        assert "<script>alert" not in main
        assert "onerror" not in main
        assert "&lt;script&gt;alert(3)" in main or "&lt;script&gt;alert(0)" in main
    assert (
        '<mark class="diff-number">14</mark>'
        in reviewer_client.get(article.get_absolute_url()).content.decode()
    )


def _refuse_snapshots():
    """Make the database itself refuse the next revision's snapshot rows."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE TRIGGER refuse_snapshot BEFORE INSERT ON articles_paragraphsnapshot"
                " BEGIN SELECT RAISE(ABORT, 'no room for snapshots'); END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION refuse_snapshot() RETURNS trigger LANGUAGE plpgsql AS $$"
                " BEGIN RAISE EXCEPTION 'no room for snapshots'; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_snapshot BEFORE INSERT ON articles_paragraphsnapshot"
                " FOR EACH ROW EXECUTE FUNCTION refuse_snapshot()"
            )


def test_a_refused_revision_leaves_the_article_as_it_was_and_names_file_and_reason(
    tmp_path, reviewer_client
):
    import_paths([write_article(tmp_path / "1", "a.txt", ["Alpha 1.", "Beta."])])
    article = Article.objects.get()
    label_over_http(reviewer_client, article, {1: "verified", 2: "unverified"})
    before = list(Paragraph.objects.values_list("pk", "text", "label", "version"))
    _refuse_snapshots()

    changed = write_article(tmp_path / "2", "a.txt", ["Alpha 2.", "Beta."])
    new = write_article(tmp_path / "2", "b.txt", ["A new article."])
    result = import_paths([changed.parent])

    assert (result.created, result.revised, result.failed) == (1, 0, 1)
    (error,) = result.errors
    assert error["file"] == str(changed)
    assert error["reason"].startswith(
        "article a: the database refused its new revision ("
    )
    assert "no room for snapshots" in error["reason"]
    assert error["reason"].endswith("; left as it was")
    assert (
        list(
            Paragraph.objects.filter(article=article).values_list(
                "pk", "text", "label", "version"
            )
        )
        == before
    )
    article.refresh_from_db()
    assert (article.revision, article.status, article.labeled_count) == (
        1,
        "reviewed",
        2,
    )
    assert not ArticleRevision.objects.exists()
    assert not ParagraphSnapshot.objects.exists()
    assert Article.objects.filter(external_id=new.stem).exists()


@pytest.mark.parametrize(
    "member",
    ["000_x.txt", "deep/er/000_x.txt", "weird:name/000_x.txt"],
    ids=["top", "nested", "colon-folder"],
)
def test_a_zip_members_id_is_its_stem_whatever_the_zip_and_folders(
    db, tmp_path, member
):
    source = write_article(tmp_path, "src.txt", ["Same text."])
    import_paths([zip_of(source, tmp_path / "one:two.zip", member=member)])
    import_paths([zip_of(source, tmp_path / "other.zip", member="000_x.txt")])
    assert list(Article.objects.values_list("external_id", "revision")) == [
        ("000_x", 1)
    ]


def test_article_revised_is_sent_inside_the_transaction_with_the_new_number(reimport):
    heard = []

    def receiver(sender, article, revision, **kwargs):
        heard.append(
            (sender, article.external_id, revision, connection.in_atomic_block)
        )

    article_revised.connect(receiver)
    try:
        reimport(["One."])
        reimport(["One.", "Two."])
        reimport(["One.", "Two."])  # unchanged: no signal
        reimport(["Two."])
    finally:
        article_revised.disconnect(receiver)
    assert heard == [(Article, "a", 2, True), (Article, "a", 3, True)]
