"""A label POST racing a re-import is never silently lost nor applied to another text."""

import contextlib
import random
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from articles.imports.importers import import_paths
from articles.models import Article, Label, LabelEvent, Paragraph
from articles.review.labels import StaleParagraph, set_label
from tests.revisions.conftest import write_article
from tests.test_concurrency import recount


def _page_versions(client, article) -> dict[int, int]:
    """What the review page shows: each position's version, as its forms will post it."""
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return dict(article.paragraphs.values_list("position", "version"))


def _post(client, article, position, label, version):
    return client.post(
        reverse("articles:label", args=[article.pk, position]),
        {"label": label, "version": version, "method": "click"},
        headers={"HX-Request": "true"},
    )


def test_a_label_posted_against_the_old_revision_is_refused_where_the_text_moved(
    tmp_path, reviewer_client
):
    import_paths(
        [write_article(tmp_path / "1", "a.txt", ["Alpha.", "Beta.", "Gamma."])]
    )
    article = Article.objects.get()
    seen = _page_versions(reviewer_client, article)

    # The scraper's new version arrives while the reviewer reads revision 1.
    import_paths(
        [
            write_article(
                tmp_path / "2", "a.txt", ["New lead.", "Alpha.", "Beta.", "Gamma."]
            )
        ]
    )

    # Position 1 now holds "New lead.": the POST meant for "Alpha." must not land on it.
    response = _post(reviewer_client, article, 1, "verified", seen[1])
    assert response.status_code == 409
    assert "re-imported as revision 2" in response.content.decode()
    assert not Paragraph.objects.exclude(label="").exists()
    assert not LabelEvent.objects.filter(method=LabelEvent.Method.CLICK).exists()


def test_a_label_set_while_the_import_ran_is_carried_not_overwritten(
    tmp_path, reviewer, reviewer_client
):
    import_paths([write_article(tmp_path / "1", "a.txt", ["Alpha.", "Beta 4."])])
    article = Article.objects.get()
    seen = _page_versions(reviewer_client, article)
    # Labeled before the re-import's transaction takes the rows: the import sees it.
    assert _post(reviewer_client, article, 1, "verified", seen[1]).status_code == 200
    assert _post(reviewer_client, article, 2, "unverified", seen[2]).status_code == 200

    import_paths([write_article(tmp_path / "2", "a.txt", ["Alpha.", "Beta 5."])])

    alpha, beta = Paragraph.objects.order_by("position")
    assert (alpha.label, alpha.labeled_by, alpha.change) == (
        "verified",
        reviewer,
        "unchanged",
    )
    assert (beta.label, beta.previous_label, beta.change) == (
        "",
        "unverified",
        "edited",
    )
    # An unchanged paragraph that did not move keeps its version: the page's POST still works
    # and means the same text.
    assert (
        _post(reviewer_client, article, 1, "boilerplate", alpha.version).status_code
        == 200
    )
    # The edited one's old version is stale.
    assert (
        _post(reviewer_client, article, 2, "verified", seen[2] + 1).status_code == 409
    )


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite cannot run concurrent writers (set DATABASE_URL)",
)
@pytest.mark.django_db(transaction=True)
def test_reviewers_and_re_imports_at_once_lose_no_label(tmp_path, reviewer):
    """Four reviewers label while a fifth thread re-imports two versions of the article in
    turn. Afterwards every paragraph's label is the one its last audit event says (nothing
    was overwritten without a trace) and the counts are the labels."""
    versions = [
        [f"Paragraph {i} says {i * 7} things." for i in range(1, 13)],
        [f"Paragraph {i} says {i * 7 + (i % 3 == 0)} things." for i in range(1, 13)]
        + ["A paragraph added later."],
    ]
    import_paths([write_article(tmp_path / "0", "a.txt", versions[0])])
    article = Article.objects.get()
    stop = threading.Event()
    errors: list[BaseException] = []

    def label_loop(seed: int) -> None:
        rng = random.Random(seed)
        try:
            while not stop.is_set():
                paragraph = rng.choice(list(Paragraph.objects.filter(article=article)))
                with contextlib.suppress(StaleParagraph, Paragraph.DoesNotExist):
                    set_label(
                        article_id=article.pk,
                        position=paragraph.position,
                        label=rng.choice(["", *Label.values]),
                        user=reviewer,
                        expected_version=paragraph.version,
                    )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    def import_loop() -> None:
        try:
            for round_ in range(1, 9):
                folder = tmp_path / str(round_)
                import_paths([write_article(folder, "a.txt", versions[round_ % 2])])
        except BaseException as error:
            errors.append(error)
        finally:
            stop.set()
            connections.close_all()

    threads = [threading.Thread(target=label_loop, args=(i,)) for i in range(4)]
    threads.append(threading.Thread(target=import_loop))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors

    article.refresh_from_db()
    assert article.revision == 9
    stored, expected = recount(article)
    assert stored == expected
    for paragraph in Paragraph.objects.filter(article=article):
        last = (
            LabelEvent.objects.filter(paragraph=paragraph, field="label")
            .order_by("-id")
            .first()
        )
        assert paragraph.label == (last.new_value if last else ""), paragraph.position
