"""Articles the old zip rule made twice: before issue 14 a file at the top of a zip got the
zip's name in its id (`batch-a.zip:000_6311b4fd48edb408`), so the same article imported from
two zips, or from a zip and a folder, became two or three articles. find_duplicates() reports
them; merge_group() makes each group one article under the plain id, keeping every label and
the whole audit trail.

Merging, per group, in one transaction: the survivor is the article with the plain id (else the
oldest duplicate, renamed to it). Each other article's labeled paragraphs give their label, note,
who and when to the survivor's paragraph with the same cleaned content (sanitize.paragraph_keys)
where that one is unlabeled (a MERGED event records it); its LabelEvents move to the survivor
(to the matching paragraph); then it is deleted. A group where a label would be lost (a labeled
paragraph with no match in the survivor, or two different labels on the same text) is left as
it was and reported, for a person to settle on the review page.
"""

import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from articles import sanitize
from articles.boilerplate.repetition import count_decisions, delete_articles
from articles.models import (
    COUNT_FIELD,
    Article,
    Label,
    LabelEvent,
    Paragraph,
    derive_status,
)

# The old rule's ids: "<zip file name>:<stem>" (the zip's folder was never part of it).
OLD_ZIP_ID = re.compile(r"^(?P<zip>[^/\\]+\.zip):(?P<stem>[^/\\]+)$", re.IGNORECASE)


@dataclass
class Group:
    """The articles that are one article: `stem` is its id under today's rule."""

    stem: str
    articles: list[Article]
    problems: list[str] = field(default_factory=list)
    labels_carried: int = 0
    merged: bool = False


def find_duplicates() -> list[Group]:
    """Every group of two or more articles the old zip rule split, by stem. An article with a
    zip-prefixed id and no twin is listed as well (a group of one): merging renames it."""
    prefixed = Article.objects.filter(external_id__icontains=".zip:").order_by("pk")
    by_stem: dict[str, list[Article]] = defaultdict(list)
    for article in prefixed:
        match = OLD_ZIP_ID.match(article.external_id)
        if match:
            by_stem[match["stem"]].append(article)
    plain = {
        article.external_id: article
        for article in Article.objects.filter(external_id__in=list(by_stem))
    }
    return [
        Group(
            stem=stem,
            articles=([plain[stem]] if stem in plain else []) + duplicates,
        )
        for stem, duplicates in sorted(by_stem.items())
    ]


def _by_keys(paragraphs) -> dict[tuple[str, str], Paragraph]:
    found = {}
    for paragraph in paragraphs:
        found.setdefault(
            sanitize.paragraph_keys(paragraph.html, paragraph.text), paragraph
        )
    return found


def _plan(survivor_paragraphs, other_paragraphs, group: Group) -> dict[int, Paragraph]:
    """{other paragraph id: the survivor's paragraph with the same content}; problems noted."""
    mine = _by_keys(survivor_paragraphs)
    match = {}
    for paragraph in other_paragraphs:
        twin = mine.get(sanitize.paragraph_keys(paragraph.html, paragraph.text))
        if twin is not None:
            match[paragraph.pk] = twin
        if not paragraph.label:
            continue
        if twin is None:
            group.problems.append(
                f"{paragraph.article.external_id} ¶{paragraph.position} is labeled "
                f"{paragraph.label} and {group.stem} has no paragraph with its text"
            )
        elif twin.label and twin.label != paragraph.label:
            group.problems.append(
                f"¶{twin.position} is {twin.label} in one and {paragraph.label} in "
                f"{paragraph.article.external_id}"
            )
    return match


@transaction.atomic
def merge_group(group: Group, *, user=None) -> Group:
    """Make the group one article (see the module's docstring); sets group.merged, or
    group.problems with nothing changed."""
    articles = list(
        Article.objects.select_for_update().filter(
            pk__in=[a.pk for a in group.articles]
        )
    )
    articles.sort(key=lambda a: (a.external_id != group.stem, a.pk))
    survivor, others = articles[0], articles[1:]
    paragraphs = defaultdict(list)
    for paragraph in (
        Paragraph.objects.select_for_update()
        .filter(article__in=articles)
        .select_related("article")
        .order_by("position")
    ):
        paragraphs[paragraph.article_id].append(paragraph)
    plans = {
        other.pk: _plan(paragraphs[survivor.pk], paragraphs[other.pk], group)
        for other in others
    }
    if group.problems:
        return group

    batch = uuid.uuid4()
    changed: dict[int, Paragraph] = {}
    decisions = []
    for other in others:
        match = plans[other.pk]
        for paragraph in paragraphs[other.pk]:
            twin = match.get(paragraph.pk)
            if twin is None or not paragraph.label or twin.label:
                continue
            twin.label, twin.labeled_by_id = paragraph.label, paragraph.labeled_by_id
            twin.labeled_at, twin.version = paragraph.labeled_at, twin.version + 1
            if paragraph.note and not twin.note:
                twin.note = paragraph.note
            changed[twin.pk] = twin
            decisions.append((twin, paragraph.labeled_by))
        # The audit trail moves with the labels: each event to the survivor, to the paragraph
        # with the same text (or to none, for a paragraph it does not have).
        for event in LabelEvent.objects.filter(article=other).only(
            "pk", "paragraph_id"
        ):
            twin = match.get(event.paragraph_id)
            LabelEvent.objects.filter(pk=event.pk).update(
                article=survivor, paragraph=twin
            )
    Paragraph.objects.bulk_update(
        list(changed.values()),
        ["label", "labeled_by", "labeled_at", "note", "version"],
    )
    LabelEvent.objects.bulk_create(
        LabelEvent(
            paragraph=twin,
            article=survivor,
            user=user,
            old_value="",
            new_value=twin.label,
            method=LabelEvent.Method.MERGED,
            batch=batch,
        )
        for twin in changed.values()
    )
    for twin, labeled_by in decisions:
        if labeled_by is not None:
            count_decisions(
                source=survivor.source,
                changes=[(twin.text_hash, "", twin.label)],
                user=labeled_by,
            )
    delete_articles(Article.objects.filter(pk__in=[o.pk for o in others]))

    counts = dict.fromkeys(COUNT_FIELD.values(), 0)
    for paragraph in paragraphs[survivor.pk]:
        if paragraph.label:
            counts[COUNT_FIELD[Label(paragraph.label)]] += 1
    total = len(paragraphs[survivor.pk])
    Article.objects.filter(pk=survivor.pk).update(
        external_id=group.stem,
        status=derive_status(labeled=sum(counts.values()), total=total),
        **counts,
    )
    group.labels_carried = len(changed)
    group.merged = True
    return group


def merge_duplicates(*, user=None) -> list[Group]:
    """find_duplicates(), each group merged in its own transaction."""
    return [merge_group(group, user=user) for group in find_duplicates()]
