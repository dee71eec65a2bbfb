"""What the review page and a label POST read: an article's paragraphs, or one paragraph, with
who labeled them and, for the suggestions, their texts' repetition counts in the source."""

from django.contrib.auth import get_user_model
from django.db import connections, router

from articles.boilerplate.suggestions import attach_repetition
from articles.models import Article, Paragraph


def article_paragraphs(article: Article, viewer=None) -> list[Paragraph]:
    """The article's paragraphs in reading order, each with who labeled it, `.article` (this
    same instance) and its repetition counts: two queries, three once someone other than
    `viewer` (the user looking, already read) labeled any.

    Who labeled them is read once per person, not joined per paragraph: a labeled article's
    thirty users cost more to build than the query for its two or three labelers (0.4 ms
    against 0.15 ms, profiled)."""
    paragraphs = list(article.paragraphs.order_by("position"))
    people = {viewer.pk: viewer} if viewer is not None and viewer.pk else {}
    others = {p.labeled_by_id for p in paragraphs if p.labeled_by_id} - people.keys()
    if others:
        people |= get_user_model().objects.in_bulk(others)
    if people:
        for paragraph in paragraphs:
            if paragraph.labeled_by_id:
                paragraph.labeled_by = people[paragraph.labeled_by_id]
    attach_repetition(paragraphs, source=article.source)
    return paragraphs


# The label POST's locked read as raw(): the same read as a queryset with select_related()
# spent three times as long compiling its SQL as running it (540 µs against 230 µs for these
# two raw() reads at a calibration loop of 14 ms), the dearest part of a label POST whose
# target is 3 ms (docs/benchmarks.md, "Restructure"). Only values are bound.
_LOCKED_PARAGRAPH = (
    "SELECT * FROM articles_paragraph WHERE article_id = %s AND position = %s{lock}"
)
# With the reviewer of its open second review, if any (articles.quality): the label writes
# refuse that blind reviewer before anything else, in this same query.
_ARTICLE = (
    "SELECT a.*, (SELECT r.reviewer_id FROM articles_secondreview AS r"
    " WHERE r.article_id = a.id AND r.finished_at IS NULL) AS blind_reviewer_id"
    " FROM articles_article AS a WHERE a.id = %s"
)


def paragraph_at(article_id: int, position: int, *, lock: bool = False) -> Paragraph:
    """One paragraph with its article; `lock` locks its row (only its row, so nobody waits on
    the article) until the transaction ends. Raises Paragraph.DoesNotExist.

    Who labeled it is not read: a label write sets it to the writer, and the one answer that
    shows another person's name (a conflict) reads it then.
    """
    if not lock:
        return Paragraph.objects.select_related("article").get(
            article_id=article_id, position=position
        )
    connection = connections[router.db_for_write(Paragraph)]
    clause = " FOR UPDATE" if connection.features.has_select_for_update else ""
    found = list(
        Paragraph.objects.raw(
            _LOCKED_PARAGRAPH.format(lock=clause), [article_id, position]
        )
    )
    if not found:
        raise Paragraph.DoesNotExist("No such paragraph")
    paragraph = found[0]
    paragraph.article = next(iter(Article.objects.raw(_ARTICLE, [article_id])))
    return paragraph
