import json
import multiprocessing
import os
import signal
import zipfile

import pytest
from django.db import transaction

from articles.imports.importers import (
    MAX_LISTED_FILES,
    WORKER_AFTER_FILES,
    import_paths,
)
from articles.models import Article, ImportRun, Paragraph
from articles.search.index import bulk_index
from articles.search.queries import search_articles
from tests.conftest import SAMPLE_DATA, SEED_NAME

pytestmark = pytest.mark.django_db

SEED_ID = SEED_NAME.removesuffix(".txt")


def write(directory, name, content) -> str:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def test_the_seed_imports_as_one_article_with_29_clean_paragraphs(seed_file):
    result = import_paths([seed_file], user=None)

    assert (result.created, result.unchanged, result.failed) == (1, 0, 0)
    article = Article.objects.get()
    assert article.external_id == SEED_ID
    assert article.paragraph_count == 29 == result.paragraphs
    assert article.status == "unreviewed"
    assert article.import_run == result.run
    assert article.title.startswith("Ukraine's president, Volodymyr Zelensky")
    assert article.title.endswith("…")
    assert len(article.title) <= 121
    paragraphs = list(article.paragraphs.order_by("position"))
    assert [p.position for p in paragraphs] == list(range(1, 30))
    assert paragraphs[0].text.startswith("Ukraine's president, Volodymyr Zelensky")
    assert paragraphs[0].html.startswith("<b>Ukraine's president")
    assert paragraphs[-1].text.startswith("© 2022 BBC.")
    assert paragraphs[2].html == (
        '"Even war has rules", as the <a href="https://www.icrc.org/en/rules-of-war" '
        'rel="noopener noreferrer nofollow">International Committee of the Red Cross says</a>.'
    )
    assert not Paragraph.objects.filter(html__contains="class=").exists()
    assert not Paragraph.objects.filter(html__icontains="<script").exists()
    assert all(p.label == "" and p.version == 0 and p.note == "" for p in paragraphs)


def test_reimporting_changes_nothing(seed_file):
    import_paths([seed_file])
    before = (Article.objects.count(), Paragraph.objects.count())

    result = import_paths([seed_file])

    assert (result.created, result.unchanged, result.failed) == (0, 1, 0)
    assert (Article.objects.count(), Paragraph.objects.count()) == before
    assert ImportRun.objects.count() == 2


def test_the_same_id_with_other_content_becomes_its_next_revision(tmp_path, seed_file):
    # Before issue 14 this was refused as a conflict; tests/revisions/ holds the rules.
    import_paths([seed_file])
    changed = write(tmp_path, SEED_NAME, repr(["A different first paragraph."]))

    result = import_paths([changed])

    assert (result.failed, result.revised, result.errors) == (0, 1, [])
    article = Article.objects.get()
    assert (article.revision, article.paragraph_count) == (2, 1)
    assert Paragraph.objects.count() == 1


def test_the_same_paragraph_in_two_articles_has_the_same_text_hash(tmp_path):
    write(tmp_path, "a.txt", repr(["<b>Follow us</b> on   X", "A"]))
    write(tmp_path, "b.txt", repr(["follow us on x", "B"]))
    import_paths([tmp_path])
    first, second = (
        Article.objects.get(external_id=i).paragraphs.first() for i in "ab"
    )
    assert first.text_hash == second.text_hash


def test_every_format(tmp_path):
    record = {
        "id": "obj-1",
        "title": "An object",
        "source": "www.Example.COM",
        "url": "https://www.example.com/a",
        "paragraphs": ["<p>One</p>", "Two"],
    }
    write(tmp_path, "list.txt", repr(["Literal one", "Literal two"]))
    write(tmp_path, "strings.json", json.dumps(["Json string"]))
    write(tmp_path, "object.json", json.dumps(record))
    write(
        tmp_path,
        "objects.json",
        json.dumps(
            [
                {**record, "id": "obj-2"},
                {"paragraphs": ["No id"], "url": "https://news.example.org/x"},
            ]
        ),
    )
    write(
        tmp_path,
        "lines.jsonl",
        json.dumps({**record, "id": "line-1"})
        + "\n\n"
        + json.dumps({"id": "line-2", "paragraphs": ["L"]}),
    )
    with zipfile.ZipFile(tmp_path / "bundle.zip", "w") as archive:
        archive.writestr("dailyplanet.example/zipped.txt", repr(["From a zip"]))
        archive.writestr("notes.md", "ignored")

    result = import_paths([tmp_path])

    assert result.failed == 0, result.errors
    articles = {a.external_id: a for a in Article.objects.all()}
    assert set(articles) == {
        "list",
        "strings",
        "obj-1",
        "obj-2",
        "objects-2",
        "line-1",
        "line-2",
        "zipped",
    }
    assert articles["obj-1"].title == "An object"
    assert articles["obj-1"].source == "example.com"
    assert articles["obj-1"].url == "https://www.example.com/a"
    assert articles["objects-2"].source == "news.example.org"
    assert articles["zipped"].source == "dailyplanet.example"
    assert articles["list"].title == "Literal one"
    assert articles["list"].source == ""
    assert result.files_seen == 6


def test_source_argument_wins_over_record_and_folder(tmp_path):
    write(tmp_path, "bbc.co.uk/a.txt", repr(["A"]))
    write(tmp_path, "b.json", json.dumps({"source": "b.example", "paragraphs": ["B"]}))
    import_paths([tmp_path], source="https://www.Override.example/")
    assert set(Article.objects.values_list("source", flat=True)) == {"override.example"}


def test_a_folder_named_like_a_domain_gives_the_source(tmp_path):
    write(tmp_path, "bbc.co.uk/a.txt", repr(["A"]))
    write(tmp_path, "bbc.co.uk/2022/b.txt", repr(["B"]))
    write(tmp_path, "misc/c.txt", repr(["C"]))
    write(
        tmp_path,
        "bbc.co.uk/d.json",
        json.dumps({"url": "https://www.reuters.com/x", "paragraphs": ["D"]}),
    )
    import_paths([tmp_path])
    sources = dict(Article.objects.values_list("external_id", "source"))
    assert sources == {"a": "bbc.co.uk", "b": "bbc.co.uk", "c": "", "d": "reuters.com"}


def test_empty_paragraphs_are_dropped_and_counted(tmp_path):
    path = write(
        tmp_path,
        "a.txt",
        repr(["One", "<p> </p>", "<script>x()</script>", "&nbsp;", "Two"]),
    )
    result = import_paths([path])
    assert result.empty_paragraphs_dropped == 3
    assert list(Paragraph.objects.values_list("text", flat=True)) == ["One", "Two"]
    run = ImportRun.objects.get()
    assert (run.empty_paragraphs_dropped, run.paragraphs_created) == (3, 2)


def test_a_directory_with_one_bad_file_imports_the_rest_and_records_the_error(tmp_path):
    write(tmp_path, "a.txt", repr(["Good A"]))
    write(tmp_path, "b.txt", "['Truncated")
    write(tmp_path, "c.txt", repr(["Good C"]))
    write(tmp_path, ".hidden.txt", "not even read")

    result = import_paths([tmp_path])

    assert sorted(Article.objects.values_list("external_id", flat=True)) == ["a", "c"]
    run = ImportRun.objects.get()
    assert run.origin == ImportRun.Origin.COMMAND
    assert run.finished_at is not None
    assert (run.files_seen, run.articles_created, run.articles_failed) == (3, 2, 1)
    assert run.errors == [
        {
            "file": str(tmp_path / "b.txt"),
            "reason": "invalid syntax at line 1 (unterminated string literal (detected at line 1))",
        }
    ]
    assert [(f.name.rsplit("/", 1)[-1], f.created, f.failed) for f in result.files] == [
        ("a.txt", 1, 0),
        ("b.txt", 0, 1),
        ("c.txt", 1, 0),
    ]


def test_jsonl_bad_line_fails_that_record_only(tmp_path):
    path = write(
        tmp_path,
        "feed.jsonl",
        '{"id": "1", "paragraphs": ["One"]}\n{"id": "2", "paragraphs": [\n[1, 2]\n{"id": "4", "paragraphs": ["Four"]}\n',
    )
    result = import_paths([path])
    assert sorted(Article.objects.values_list("external_id", flat=True)) == ["1", "4"]
    assert [e["reason"] for e in result.errors] == [
        "line 2: invalid JSON at column 28 (Expecting value)",
        "line 3: not an article object (it holds a list)",
    ]


def test_the_same_id_twice_in_one_batch_is_created_once(tmp_path):
    write(tmp_path, "one/a.txt", repr(["Same"]))
    write(tmp_path, "two/a.txt", repr(["Same"]))
    write(tmp_path, "three/a.txt", repr(["Different"]))
    result = import_paths([tmp_path])
    # Files in order: one/ creates it, three/ makes revision 2, two/ revision 3 (issue 14).
    assert (result.created, result.revised, result.failed) == (1, 2, 0)
    article = Article.objects.get()
    assert (article.revision, article.paragraphs.get().text) == (3, "Same")


def test_batches_look_up_existing_ids_in_one_query(
    tmp_path, django_assert_max_num_queries
):
    for i in range(30):
        write(tmp_path, f"{i:02d}.txt", repr([f"Paragraph of {i}", "Shared line"]))
    import_paths([tmp_path])
    # Re-import: one run insert, one lookup of all 30 ids, one run update, and the webhooks
    # that want import.finished (articles.webhooks: a run's end is announced).
    with django_assert_max_num_queries(4):
        result = import_paths([tmp_path])
    assert result.unchanged == 30
    # A fresh import: run, lookup, savepoint/transaction, articles, paragraphs, repetition
    # counts, run update, webhooks; on SQLite 7 more for the text index
    # (articles.search.bulk_index: its three insert triggers dropped and made again, one
    # INSERT … SELECT), on PostgreSQL one (articles.search.settle_index).
    Article.objects.all().delete()
    with django_assert_max_num_queries(16):
        result = import_paths([tmp_path])
    assert result.created == 30
    assert Paragraph.objects.count() == 60


def test_progress_is_reported_per_file(tmp_path):
    for name in "abc":
        write(tmp_path, f"{name}.txt", repr([name]))
    calls = []
    import_paths([tmp_path], progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_only_the_first_files_that_went_well_are_listed(tmp_path, settings):
    for i in range(MAX_LISTED_FILES + 5):
        write(tmp_path, f"{i:05d}.txt", repr([f"P {i}"]))
    write(tmp_path, "zz-bad.txt", "nope")
    result = import_paths([tmp_path])
    assert result.created == MAX_LISTED_FILES + 5
    assert len(result.files) == MAX_LISTED_FILES + 1
    assert result.files[-1].failed == 1
    assert result.files_not_listed == 5


def test_the_sample_data_imports_cleanly_with_sources():
    result = import_paths([SAMPLE_DATA])
    assert result.failed == 0, result.errors
    assert result.created >= 9
    sources = set(Article.objects.values_list("source", flat=True))
    assert {
        "bbc.co.uk",
        "harbourtimes.co.uk",
        "alpenblatt.de",
        "nordcourrier.fr",
        "metrowire.example.com",
    } <= sources
    assert not Article.objects.filter(source="").exists()
    # Boilerplate repeats across a source's articles, so its hash is shared.
    copyright = Paragraph.objects.filter(text__startswith="© Alpenblatt")
    assert copyright.count() == 2
    assert len(set(copyright.values_list("text_hash", flat=True))) == 1


def test_a_large_import_cleaned_in_a_second_process_keeps_order_reasons_and_limits(
    tmp_path, settings
):
    # Past WORKER_AFTER_FILES files a worker process cleans .txt/.json files while this one
    # writes; the settings of the run (here a paragraph limit) must hold there too.
    settings.NEWSREVIEW_MAX_PARAGRAPHS_PER_ARTICLE = 3
    settings.NEWSREVIEW_MAX_FILE_BYTES = 2000
    for i in range(WORKER_AFTER_FILES + 5):
        write(tmp_path, f"a{i:03d}.txt", repr([f"Paragraph <b>{i}</b>", "Shared"]))
    write(tmp_path, "b-bad.txt", "['Truncated")
    write(tmp_path, "c-long.txt", repr(["one", "two", "three", "four"]))
    write(tmp_path, "d-big.txt", repr(["x" * 3068]))
    write(tmp_path, "e-feed.jsonl", '{"id": "j1", "paragraphs": ["J"]}\n[1]\n')
    write(
        tmp_path,
        "f-list.json",
        json.dumps([{"id": "k1", "paragraphs": ["K"]}, {"id": "k2"}]),
    )
    for i in range(WORKER_AFTER_FILES):
        write(tmp_path, f"g{i:03d}.txt", repr([f"Late {i}"]))
    write(tmp_path, "h-same.txt", repr(["Paragraph <b>0</b>", "Shared"]))

    result = import_paths([tmp_path])

    names = [f.name.rsplit("/", 1)[-1] for f in result.files]
    assert names == sorted(names)
    assert len(names) == 2 * WORKER_AFTER_FILES + 11
    assert [(e["file"].rsplit("/", 1)[-1], e["reason"]) for e in result.errors] == [
        (
            "b-bad.txt",
            "invalid syntax at line 1 (unterminated string literal (detected at line 1))",
        ),
        ("c-long.txt", "4 paragraphs, more than the limit of 3"),
        ("d-big.txt", "file is 3.0 KB, more than the limit of 2.0 KB"),
        ("e-feed.jsonl", "line 2: not an article object (it holds a list)"),
        ("f-list.json", "item 2: no paragraphs"),
    ]
    assert (result.created, result.unchanged, result.failed) == (
        2 * WORKER_AFTER_FILES + 8,
        0,
        5,
    )
    assert Article.objects.get(external_id="h-same").paragraph_count == 2
    first = Paragraph.objects.get(article__external_id="a000", position=1)
    assert (first.html, first.text) == ("Paragraph <b>0</b>", "Paragraph 0")
    assert Paragraph.objects.filter(text="Shared").count() == WORKER_AFTER_FILES + 6


def test_a_batch_rolled_back_keeps_the_text_index_trigger_for_other_writers(
    make_article,
):
    # bulk_index() drops the SQLite insert trigger for the import's own rows; a batch the
    # database refuses must bring it back with everything else.
    with pytest.raises(ZeroDivisionError), transaction.atomic(), bulk_index():
        1 / 0  # noqa: B018
    make_article(title="By hand", paragraphs=["Written by hand about sluices."])
    assert set(
        search_articles(Article.objects.all(), "sluices").values_list(
            "title", flat=True
        )
    ) == {"By hand"}


def test_if_the_worker_process_dies_the_rest_is_cleaned_here(tmp_path):
    for i in range(WORKER_AFTER_FILES + 150):
        write(tmp_path, f"{i:04d}.txt", repr([f"Paragraph {i}", "Shared"]))

    def kill_the_worker(done, total):
        if done == WORKER_AFTER_FILES + 1:
            for child in multiprocessing.active_children():
                os.kill(child.pid, signal.SIGKILL)

    result = import_paths([tmp_path], progress=kill_the_worker)

    assert (result.created, result.failed) == (WORKER_AFTER_FILES + 150, 0)
    assert Paragraph.objects.count() == 2 * (WORKER_AFTER_FILES + 150)
