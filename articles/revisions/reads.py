"""The reads of the revision pages: an article's revisions, and one earlier revision's
paragraphs as they were, each with what the next revision did to it."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils.safestring import SafeString

from articles.models import (
    Article,
    ArticleRevision,
    Change,
    Paragraph,
    ParagraphSnapshot,
)
from articles.revisions.diff import word_diff

# "changed since review": the queue's filter (articles.queue.queries.matching).
CHANGED_SINCE_REVIEW = "changed"


def changed_since_review(articles):
    """Articles a re-import changed after people labeled them, whose edited or added
    paragraphs still wait for a label."""
    waiting = Paragraph.objects.filter(
        article=OuterRef("pk"), change__in=[Change.EDITED, Change.ADDED], label=""
    )
    return articles.filter(revision__gte=2).filter(Exists(waiting))


def revision_history(article: Article) -> list[ArticleRevision]:
    """The article's revisions after its first, newest first; no query for one never revised."""
    if article.revision < 2:
        return []
    return list(
        ArticleRevision.objects.filter(article_id=article.pk)
        .select_related("import_run")
        .order_by("-number")
    )


@dataclass
class SnapshotRow:
    """One paragraph of an earlier revision: as it was, what became of it, and the diff to
    the next revision's text for an edited one."""

    snapshot: ParagraphSnapshot
    fate: str
    diff: SafeString | None


def revision_rows(article: Article, number: int) -> list[SnapshotRow]:
    """Revision `number`'s paragraphs (number < article.revision), in order: two queries."""
    snapshots = list(
        ParagraphSnapshot.objects.filter(article_id=article.pk, revision=number)
        .select_related("labeled_by")
        .order_by("position")
    )
    edited = [s.paragraph_id for s in snapshots if s.fate == Change.EDITED]
    if number + 1 == article.revision:
        later = Paragraph.objects.filter(pk__in=edited)
        next_texts = dict(later.values_list("pk", "text"))
    else:
        later = ParagraphSnapshot.objects.filter(
            article_id=article.pk, revision=number + 1, paragraph_id__in=edited
        )
        next_texts = dict(later.values_list("paragraph_id", "text"))
    return [
        SnapshotRow(
            snapshot=s,
            fate=s.fate,
            diff=word_diff(s.text, next_texts[s.paragraph_id])
            if s.paragraph_id in next_texts
            else None,
        )
        for s in snapshots
    ]
