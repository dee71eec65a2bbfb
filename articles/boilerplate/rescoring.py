"""After training: score every unlabeled paragraph with the previous and the new model, and count.

Suggestions are worked out when a page or an export reads paragraphs, so a new model's are live
as soon as it is stored; `manage.py train_boilerplate` uses this pass to say what changed.
"""

from dataclasses import dataclass

from django.db.models import F

from articles.boilerplate.model import Model
from articles.boilerplate.suggestions import (
    Signals,
    Thresholds,
    score_signals,
    suggest,
)
from articles.boilerplate.training import ARTICLES_PER_READ, by_article
from articles.models import Article, Paragraph, RepeatedText


@dataclass
class Rescored:
    paragraphs: int = 0  # unlabeled paragraphs scored
    before: int = 0  # of which suggested by the previous model
    after: int = 0  # of which suggested by the new one
    both: int = 0


def rescore_unlabeled(previous: Model, new: Model) -> Rescored:
    """Score every unlabeled paragraph with both models and count the suggestions.

    Suggestions are worked out when a page or an export reads paragraphs, so the new model's
    are live as soon as it is stored; this pass says what changed. Per batch of
    ARTICLES_PER_READ articles: one query for their paragraphs, one for the repetition."""
    thresholds = Thresholds.from_settings()
    result = Rescored()
    ids = list(
        Article.objects.filter(
            paragraph_count__gt=F("verified_count")
            + F("unverified_count")
            + F("boilerplate_count")
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), ARTICLES_PER_READ):
        batch = ids[start : start + ARTICLES_PER_READ]
        rows = list(
            Paragraph.objects.filter(article_id__in=batch)
            .order_by("article_id", "position")
            .values_list(
                "article_id",
                "article__source",
                "position",
                "text",
                "link_share",
                "cues",
                "label",
                "text_hash",
            )
        )
        counts = {
            (source, text_hash): (article_count, people)
            for source, text_hash, article_count, people in RepeatedText.objects.filter(
                source__in={row[1] for row in rows},
                text_hash__in={row[7] for row in rows} | {""},
            ).values_list("source", "text_hash", "article_count", "boilerplate_labels")
        }
        for article in by_article(rows):
            source = article[0][1]
            context = [row[2:6] for row in article]
            old = score_signals(
                _unlabeled_signals(article, counts),
                source=source,
                model=previous,
                context=context,
            )
            now = score_signals(
                _unlabeled_signals(article, counts),
                source=source,
                model=new,
                context=context,
            )
            for before, after in zip(old, now, strict=True):
                was = suggest(before, thresholds) is not None
                is_ = suggest(after, thresholds) is not None
                result.paragraphs += 1
                result.before += was
                result.after += is_
                result.both += was and is_
    return result


def _unlabeled_signals(article: list[tuple], counts: dict) -> list[Signals]:
    """Signals of the unlabeled rows of one article (rescore_unlabeled()'s rows)."""
    source, total = article[0][1], len(article)
    articles = counts.get((source, ""), (0, 0))[0]
    return [
        Signals(
            text=row[3],
            link_share=row[4],
            cues=row[5],
            from_end=total - row[2],
            source=source,
            repeated_in=counts.get((source, row[7]), (0, 0))[0],
            source_articles=articles,
            people_boilerplate=counts.get((source, row[7]), (0, 0))[1],
            position=row[2],
        )
        for row in article
        if not row[6]
    ]
