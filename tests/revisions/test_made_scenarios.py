"""Issue 14's three checks on a made article (30 paragraphs with build-hash class names, links
and figures, like the benchmark's), labeled over HTTP: (a) the same file in a zip of another
name, (b) class names rotated and spaces added, (c) a figure edited, a paragraph inserted, one
deleted."""

import random

import pytest

from articles.imports.importers import import_paths
from articles.models import Article, ArticleRevision, LabelEvent, Paragraph
from tests.revisions.conftest import label_over_http, write_article, zip_of

LABELS = ["verified", "unverified", "boilerplate"]


def _made(rng: random.Random) -> list[str]:
    paragraphs = []
    for i in range(1, 31):
        text = f"Paragraph {i}: officials counted {rng.randint(100, 99_999):,} cases in region {i}."
        if i % 4 == 0:
            text += (
                f' <a class="lnk-{rng.getrandbits(24):06x} e1" '
                f'href="https://example.org/story/{i}?a=1&amp;b=2">Read the report</a>'
            )
        paragraphs.append(
            f'<span class="css-{rng.getrandbits(32):08x} x">{text}</span>'
        )
    return paragraphs


@pytest.fixture
def made(tmp_path, reviewer_client):
    raw = _made(random.Random(2026))
    path = write_article(tmp_path / "first", "made_001.txt", raw)
    import_paths([zip_of(path, tmp_path / "daily-2026-11-28.zip")])
    article = Article.objects.get()
    label_over_http(reviewer_client, article, {p: LABELS[p % 3] for p in range(1, 31)})
    return article, raw, path


def _labels():
    return list(Paragraph.objects.order_by("position").values_list("text", "label"))


def test_a_same_file_in_another_zip(made, tmp_path):
    _, _, path = made
    before, events = _labels(), LabelEvent.objects.count()
    result = import_paths([zip_of(path, tmp_path / "daily-2026-11-29.zip")])
    assert (result.unchanged, result.created, result.revised) == (1, 0, 0)
    assert list(Article.objects.values_list("external_id", "revision")) == [
        ("made_001", 1)
    ]
    assert (_labels(), LabelEvent.objects.count()) == (before, events)


def test_b_classes_rotated_and_spaces_added(made, tmp_path):
    _, raw, _ = made
    before = _labels()
    restyled = [
        " " + p.replace('class="', 'class="v2 ').replace(" ", "  ") + "\t" for p in raw
    ]
    result = import_paths([write_article(tmp_path / "b", "made_001.txt", restyled)])
    assert (result.unchanged, result.revised) == (1, 0)
    assert _labels() == before
    assert not ArticleRevision.objects.exists()


def test_c_figure_edited_paragraph_inserted_and_deleted(made, tmp_path):
    article, raw, _ = made
    before = dict(_labels())
    raw = list(raw)
    raw[9] = raw[9].replace("cases", "confirmed cases")  # paragraph 10
    raw[9] = raw[9].replace("region 10", "region 10 (revised)")
    del raw[20]  # paragraph 21
    raw.insert(15, "<p>Officials added a paragraph about 7 new shelters.</p>")
    result = import_paths([write_article(tmp_path / "c", "made_001.txt", raw)])
    assert (result.revised, result.failed) == (1, 0)
    article.refresh_from_db()
    assert (article.revision, article.status) == (2, "in_progress")
    rows = list(Paragraph.objects.order_by("position"))
    changes = [p.change for p in rows]
    assert changes.count("unchanged") == 28
    assert (changes.count("edited"), changes.count("added")) == (1, 1)
    edited = next(p for p in rows if p.change == "edited")
    assert (edited.position, edited.label, edited.previous_label) == (
        10,
        "",
        LABELS[10 % 3],
    )
    assert all(p.label == before[p.text] for p in rows if p.change == "unchanged")
    assert rows[15].change == "added"
    assert rows[15].label == ""
    assert ArticleRevision.objects.get().summary.startswith(
        "revision 2: 28 unchanged, 1 edited, 1 added, 1 deleted"
    )
