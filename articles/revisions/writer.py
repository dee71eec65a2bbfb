"""Writing revision N + 1 of an article that a re-import brought back with other content.

One transaction per article. Its paragraph rows are locked first and read inside it, then the
article row (the order a label POST takes them: paragraph, then article, so the two never
deadlock; SQLite's BEGIN IMMEDIATE serialises writers anyway). The plan is made from the rows
as they are under the lock, so a label set while the import ran is what gets carried, and a
label POST that arrives afterwards for a paragraph this revision moved or edited finds a newer
version and is refused with the usual 409, never applied to another text.

Carry-over rules (REVISIONS.md, "Rules"): unchanged and links-changed paragraphs keep their row
(label, note, who, when, audit trail) with a CARRIED event; an edited paragraph keeps its row
and audit trail but loses its label (a REVISION event), which stays offered as previous_label;
an added one is a new row; a deleted one leaves the current revision and survives as its
ParagraphSnapshot with its label.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles import sanitize
from articles.models import (
    COUNT_FIELD,
    Article,
    ArticleRevision,
    Change,
    Label,
    LabelEvent,
    Paragraph,
    derive_status,
)
from articles.models.signals import article_revised
from articles.revisions import compare, rows
from articles.revisions.repetition import shift_repetition
from articles.revisions.summary import revision_counts, summarise
from articles.search.index import reindexed_once

# (html, text, text_hash, link_share, cues): articles.imports.records.Prepared.paragraphs
Incoming = tuple[str, str, str, int, int]


@dataclass
class Revised:
    """What a re-import did to one article: `revision` is None when it was unchanged."""

    revision: ArticleRevision | None
    counts: dict[str, int]


def _keys_of(paragraphs) -> list[compare.Keys]:
    return [sanitize.paragraph_keys(p.html, p.text) for p in paragraphs]


def revise_article(
    *,
    external_id: str,
    title: str,
    url: str,
    content_hash: str,
    fingerprint: str,
    paragraphs: Sequence[Incoming],
    import_run=None,
    user=None,
    file: str = "",
) -> Revised:
    """Compare the stored article `external_id` with its re-imported paragraphs and, if they
    differ in what the sanitiser keeps, write them as its next revision. Raises
    Article.DoesNotExist, or a DatabaseError with nothing changed."""
    with transaction.atomic():
        article_id = (
            Article.objects.filter(external_id=external_id)
            .values_list("pk", flat=True)
            .get()
        )
        # Locked in id order, as the propagation locks paragraphs; read in position order.
        old = sorted(
            Paragraph.objects.select_for_update()
            .filter(article_id=article_id)
            .order_by("pk"),
            key=lambda paragraph: paragraph.position,
        )
        article = Article.objects.select_for_update().get(pk=article_id)
        new_keys = [
            sanitize.paragraph_keys(html, text) for html, text, *_ in paragraphs
        ]
        plan = compare.plan(
            _keys_of(old),
            new_keys,
            old_texts=[p.text for p in old],
            new_texts=[text for _, text, *_ in paragraphs],
        )
        if plan.unchanged:
            if article.fingerprint != fingerprint:  # imported before revisions existed
                Article.objects.filter(pk=article_id).update(fingerprint=fingerprint)
            return Revised(None, {Change.UNCHANGED: len(old)})
        with reindexed_once(article_id):
            revision = _write(
                article=article,
                old=old,
                plan=plan,
                incoming=paragraphs,
                title=title,
                url=url,
                content_hash=content_hash,
                fingerprint=fingerprint,
                import_run=import_run,
                user=user,
                file=file,
            )
        article_revised.send(sender=Article, article=article, revision=revision.number)
        return Revised(revision, revision_counts(revision))


def _write(
    *,
    article: Article,
    old: list[Paragraph],
    plan: compare.Plan,
    incoming: Sequence[Incoming],
    title: str,
    url: str,
    content_hash: str,
    fingerprint: str,
    import_run,
    user,
    file: str,
) -> ArticleRevision:
    now = timezone.now()
    number = article.revision + 1
    before = [(p.text_hash, p.label) for p in old]  # the loop below changes `old`
    batch = uuid.uuid4()
    fates = dict.fromkeys(range(len(old)), Change.EDITED)
    for step in plan.steps:
        if step.old is not None:
            fates[step.old] = step.change
    for index in plan.deleted:
        fates[index] = "deleted"
    rows.snapshot(article, fates={old[i].pk: fate for i, fate in fates.items()})
    # Every row this revision moves or edits gets a version above any the page could hold, so
    # a label POST made against revision N for it is refused (409), not applied to new text.
    newer = max((p.version for p in old), default=0) + 1
    kept, added, events = [], [], []
    for position, (step, row) in enumerate(zip(plan.steps, incoming, strict=True), 1):
        html, text, text_hash, link_share, cues = row
        if step.old is None:
            added.append(
                Paragraph(
                    article_id=article.pk,
                    position=position,
                    html=html,
                    text=text,
                    text_hash=text_hash,
                    link_share=link_share,
                    cues=cues,
                    change=Change.ADDED,
                    version=newer,
                )
            )
            continue
        paragraph = old[step.old]
        was = paragraph.label
        old_position = paragraph.position
        moved = old_position != position
        paragraph.position = position
        paragraph.html, paragraph.text, paragraph.text_hash = html, text, text_hash
        paragraph.link_share, paragraph.cues = link_share, cues
        paragraph.change = step.change
        if step.change == Change.EDITED:
            paragraph.previous_label = was
            paragraph.label, paragraph.labeled_by_id, paragraph.labeled_at = (
                "",
                None,
                None,
            )
            paragraph.version = newer
            if was:
                events.append(
                    LabelEvent(
                        paragraph=paragraph,
                        article_id=article.pk,
                        user=user,
                        old_value=was,
                        new_value="",
                        method=LabelEvent.Method.REVISION,
                        batch=batch,
                    )
                )
        else:
            paragraph.previous_label = ""
            if moved:
                paragraph.version = newer
            if was:
                events.append(
                    LabelEvent(
                        paragraph=paragraph,
                        article_id=article.pk,
                        user=user,
                        old_value=was,
                        new_value=was,
                        method=LabelEvent.Method.CARRIED,
                        batch=batch,
                    )
                )
        kept.append((paragraph, old_position))

    deleted = [old[index] for index in plan.deleted]
    if deleted:
        rows.delete_rows([p.pk for p in deleted])
    rows.update_rows(
        ["position"],
        rows.moves(
            {p.pk: (was, p.position) for p, was in kept if was != p.position},
            taken={was for _, was in kept},
            parking=max(len(old), len(incoming)) + 1,
        ),
    )
    rows.update_rows(
        rows.KEPT_FIELDS,
        [(*(getattr(p, name) for name in rows.KEPT_ATTRIBUTES), p.pk) for p, _ in kept],
    )
    Paragraph.objects.bulk_create(added)
    LabelEvent.objects.bulk_create(events)

    current = [paragraph for paragraph, _ in kept] + added
    counts = dict.fromkeys(COUNT_FIELD.values(), 0)
    for paragraph in current:
        if paragraph.label:
            counts[COUNT_FIELD[Label(paragraph.label)]] += 1
    labeled = sum(counts.values())
    revision = ArticleRevision(
        article=article,
        number=number,
        import_run=import_run,
        file=file[:1000],
        unchanged=plan.count(Change.UNCHANGED),
        links_changed=plan.count(Change.LINKS_CHANGED),
        edited=plan.count(Change.EDITED),
        added=plan.count(Change.ADDED),
        deleted=len(deleted),
        previous_title=article.title,
        previous_url=article.url,
        batch=batch,
    )
    revision.summary = summarise(revision, deleted=deleted)
    revision.save()
    values = {
        **counts,
        "paragraph_count": len(current),
        "status": derive_status(labeled=labeled, total=len(current)),
        # A new revision is never the content a Lead signed off: the standing sign-off goes
        # with this UPDATE (the status rule's CHECK wants both or neither), and the
        # article_revised receivers record why (articles.quality).
        "signed_off": None,
        "revision": number,
        "revised_at": now,
        "title": title,
        "url": url,
        "content_hash": content_hash,
        "fingerprint": fingerprint,
    }
    Article.objects.filter(pk=article.pk).update(**values)
    for name, value in values.items():
        setattr(article, name, value)
    if settings.NEWSREVIEW_BOILERPLATE_SUGGESTIONS:
        shift_repetition(
            source=article.source,
            before=before,
            after=[(p.text_hash, p.label) for p in current],
        )
    return revision
