"""Issue 14's check, on the customer's sample: the seed imported, every paragraph labeled over
HTTP, then re-imported (a) inside a zip of another name, (b) with class names rotated and
spaces added, (c) with one figure edited, one paragraph inserted and one deleted."""

import ast
import csv
import io
import re

import pytest
from django.urls import reverse

from articles.imports.importers import import_paths
from articles.models import (
    Article,
    ArticleRevision,
    LabelEvent,
    Paragraph,
    ParagraphSnapshot,
    ReviewStatus,
)
from tests.conftest import SEED_NAME
from tests.revisions.conftest import label_over_http, write_article, zip_of

SEED_ID = SEED_NAME.removesuffix(".txt")
LABELS = ["verified", "unverified", "boilerplate"]


@pytest.fixture
def labeled_seed(seed_file, tmp_path, reviewer_client):
    """The seed imported from batch-a.zip and every paragraph labeled over HTTP."""
    import_paths([zip_of(seed_file, tmp_path / "batch-a.zip")])
    article = Article.objects.get()
    label_over_http(
        reviewer_client,
        article,
        {
            position: "unverified" if position in (2, 12) else LABELS[position % 3]
            for position in range(1, 30)
        },
    )
    article.refresh_from_db()
    assert article.status == ReviewStatus.REVIEWED
    return article


def _state():
    return (
        list(
            Paragraph.objects.order_by("position").values_list(
                "position", "text", "label", "labeled_by", "labeled_at", "version"
            )
        ),
        list(Article.objects.values_list("revision", "status", "content_hash")),
        LabelEvent.objects.count(),
    )


def _raw_seed(seed_file) -> list[str]:
    return ast.literal_eval(seed_file.read_text(encoding="utf-8"))


def _csv(client, name: str) -> list[dict]:
    response = client.get(reverse(f"articles:export_{name}"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_id_is_the_stem_whatever_the_zips_name(labeled_seed):
    assert labeled_seed.external_id == SEED_ID


def test_a_the_same_file_in_another_zip_is_the_same_article_unchanged(
    labeled_seed, seed_file, tmp_path
):
    before = _state()
    result = import_paths([zip_of(seed_file, tmp_path / "batch-b.zip")])
    assert (result.created, result.unchanged, result.revised, result.failed) == (
        0,
        1,
        0,
        0,
    )
    assert Article.objects.count() == 1
    assert _state() == before
    assert not ArticleRevision.objects.exists()


def test_b_rotated_class_names_and_added_spaces_are_unchanged(
    labeled_seed, seed_file, tmp_path
):
    before = _state()
    rotated = [
        "  "
        + re.sub(r'class="([^"]*)"', lambda m: f'class="{m[1][::-1]} x9"', raw)
        .replace(" ", "   ")
        .replace("<a ", '<a  data-track="1" ')
        + " \n"
        for raw in _raw_seed(seed_file)
    ]
    result = import_paths([write_article(tmp_path, SEED_NAME, rotated)])
    assert (result.unchanged, result.revised, result.failed) == (1, 0, 0)
    assert _state() == before
    assert not ArticleRevision.objects.exists()


def test_c_an_edited_figure_an_insert_and_a_delete_make_revision_2(
    labeled_seed, seed_file, tmp_path, reviewer_client
):
    raw = _raw_seed(seed_file)
    labels_before = dict(
        Paragraph.objects.values_list("text", "label")
    )  # every text is distinct in the seed
    assert "34,000 possible war crimes" in raw[1]
    raw[1] = raw[1].replace("34,000", "36,000")
    deleted_text = Paragraph.objects.get(
        position=12
    ).text  # "Russia denies …", unverified
    assert Paragraph.objects.get(position=12).label == "unverified"
    del raw[11]
    inserted = (
        "Ukraine's government said on Monday that 412 cases are now before its courts."
    )
    raw.insert(5, inserted)

    result = import_paths([write_article(tmp_path / "c", SEED_NAME, raw)])

    assert (result.revised, result.failed) == (1, 0)
    assert result.files[0].changes_line == "27 unchanged, 1 edited, 1 added, 1 deleted"
    article = Article.objects.get()
    assert article.revision == 2
    assert article.revised_at is not None
    assert article.status == ReviewStatus.IN_PROGRESS
    assert (article.paragraph_count, article.labeled_count) == (29, 27)

    paragraphs = list(Paragraph.objects.order_by("position"))
    edited = paragraphs[1]
    added = paragraphs[5]
    assert (edited.change, edited.label, edited.previous_label) == (
        "edited",
        "",
        "unverified",
    )
    assert "36,000" in edited.text
    assert (added.change, added.label, added.text) == ("added", "", inserted)
    kept = [p for p in paragraphs if p.change == "unchanged"]
    assert len(kept) == 27
    assert all(p.label == labels_before[p.text] for p in kept)
    assert all(p.labeled_by_id and p.labeled_at for p in kept)

    # The audit trail: the edited paragraph's old label, each carried label, the summary.
    cleared = LabelEvent.objects.get(method=LabelEvent.Method.REVISION)
    assert (cleared.paragraph_id, cleared.old_value, cleared.new_value) == (
        edited.pk,
        "unverified",
        "",
    )
    assert LabelEvent.objects.filter(method=LabelEvent.Method.CARRIED).count() == 27
    assert LabelEvent.objects.filter(method=LabelEvent.Method.CLICK).count() == 29
    revision = ArticleRevision.objects.get()
    assert revision.summary.startswith(
        "revision 2: 27 unchanged, 1 edited, 1 added, 1 deleted; "
        "removed an unverified claim: ¶12 “Russia denies"
    )
    gone = ParagraphSnapshot.objects.get(revision=1, fate="deleted")
    assert (gone.text, gone.label, gone.paragraph_id) == (
        deleted_text,
        "unverified",
        None,
    )
    assert ParagraphSnapshot.objects.filter(revision=1).count() == 29
    assert not Paragraph.objects.filter(text=deleted_text).exists()

    # The exports.
    (row,) = _csv(reviewer_client, "articles")
    assert (row["revision"], row["status"]) == ("2", "in_progress")
    assert row["revised_at"].startswith(str(article.revised_at.date()))
    rows = _csv(reviewer_client, "paragraphs")
    assert len(rows) == 29
    assert {r["revision"] for r in rows} == {"2"}
    assert [r["change"] for r in rows].count("unchanged") == 27
    assert (rows[1]["change"], rows[1]["label"], rows[1]["previous_label"]) == (
        "edited",
        "",
        "unverified",
    )
    assert (rows[5]["change"], rows[5]["previous_label"]) == ("added", "")

    # A second identical re-import changes nothing more.
    again = import_paths([write_article(tmp_path / "d", SEED_NAME, raw)])
    assert (again.unchanged, again.revised) == (1, 0)
    assert Article.objects.get().revision == 2


def test_revision_1_exports_say_revision_1_and_empty_changes(
    labeled_seed, reviewer_client
):
    (row,) = _csv(reviewer_client, "articles")
    assert (row["revision"], row["revised_at"]) == ("1", "")
    rows = _csv(reviewer_client, "paragraphs")
    assert {(r["revision"], r["change"], r["previous_label"]) for r in rows} == {
        ("1", "", "")
    }
