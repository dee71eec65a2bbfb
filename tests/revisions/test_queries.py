"""Queries of a re-import: constant per batch when nothing changed, constant per revised
article whatever its length."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.imports.importers import import_paths
from articles.imports.writer import EARLY_BATCH
from articles.models import Article, Paragraph
from tests.revisions.conftest import write_article


def _files(folder, n: int, *, styled: str, paragraphs: int = 5, edit: bool = False):
    for i in range(n):
        write_article(
            folder,
            f"{i:03d}.txt",
            [
                f'<p class="{styled}">Article {i}, paragraph {j}'
                f"{' now corrected' if edit and j == 2 else ''}.</p>"
                for j in range(paragraphs)
            ],
        )
    return folder


def _queries(paths) -> int:
    with CaptureQueriesContext(connection) as captured:
        import_paths(paths)
    return len(captured)


@pytest.mark.django_db
def test_an_unchanged_re_import_costs_queries_per_batch_not_per_article(tmp_path):
    counts = []
    for n in (20, 120):
        folder = tmp_path / str(n)
        import_paths([_files(folder / "first", n, styled="a")])
        # Class names changed: other raw HTML, the same cleaned content.
        counts.append(_queries([_files(folder / "again", n, styled="b  c")]))
        assert Article.objects.filter(revision=1).count() == Article.objects.count()
        Article.objects.all().delete()
    # The run, the batch's one lookup, the run's totals, the webhooks that want to hear of its
    # end (articles.webhooks).
    assert counts[0] <= 4
    # 120 articles, cleaned by a worker process: the batches the writer writes early while it
    # waits for the worker may add a lookup each (articles.imports.writer.write_while_waiting).
    assert counts[1] <= counts[0] + 120 // EARLY_BATCH


@pytest.mark.django_db
def test_a_revision_costs_the_same_queries_for_5_or_60_paragraphs(tmp_path):
    counts = []
    for paragraphs in (5, 60):
        folder = tmp_path / str(paragraphs)
        import_paths([_files(folder / "first", 1, styled="a", paragraphs=paragraphs)])
        counts.append(
            _queries(
                [
                    _files(
                        folder / "again",
                        1,
                        styled="a",
                        paragraphs=paragraphs,
                        edit=True,
                    )
                ]
            )
        )
        assert Article.objects.get().revision == 2
        Article.objects.all().delete()
    assert counts[0] == counts[1]


def test_the_revision_writers_own_delete_knows_every_reference_to_a_paragraph():
    # articles.revisions.rows.delete_rows clears these links by hand (the ORM's collector
    # was 6 ms an article): a new foreign key to Paragraph must be added there too.
    references = {
        (relation.related_model.__name__, relation.field.name)
        for relation in Paragraph._meta.related_objects
    }
    assert references == {
        ("LabelEvent", "paragraph"),
        ("ParagraphSnapshot", "paragraph"),
        ("SecondOpinion", "paragraph"),
    }
