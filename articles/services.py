"""Writes that touch several rows or models: labels with their counts and audit trail, assignment.

Every label write runs in one transaction, so a paragraph's label, its article's counts and status,
and the LabelEvent change together or not at all (DESIGN.md invariants 1-3).

Locking: writers lock the paragraph rows they change (in position order) and update the article's
counters last, with F() expressions. Nobody holds the article row while waiting for a paragraph,
so concurrent reviewers neither deadlock nor make the counts drift.
"""

import contextlib
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
)
from django.utils import timezone

from articles.models import (
    COUNT_FIELD,
    Article,
    Label,
    LabelEvent,
    Paragraph,
    Propagation,
    RepeatedText,
    ReviewStatus,
    derive_status,
)
from articles.paragraph_reads import article_paragraphs, paragraph_at


class StaleParagraph(Exception):
    """Someone else changed the paragraph after the reviewer loaded it; nothing was saved."""

    def __init__(self, paragraph: Paragraph):
        super().__init__(f"paragraph {paragraph.position} changed meanwhile")
        self.paragraph = paragraph


def _valid_label(label: str) -> str:
    """The label, or ValueError naming the allowed values; "" means unlabeled."""
    if label == "" or label in Label.values:
        return label
    allowed = ", ".join(Label.values)
    raise ValueError(
        f"Unknown label {label!r}: use one of {allowed}, or empty to clear."
    )


def _count_changes(changes: list[tuple[str, str]]) -> dict[str, int]:
    """Net change of each counter for (old, new) label pairs."""
    delta = dict.fromkeys(COUNT_FIELD.values(), 0)
    for old, new in changes:
        if old:
            delta[COUNT_FIELD[Label(old)]] -= 1
        if new:
            delta[COUNT_FIELD[Label(new)]] += 1
    return {field: n for field, n in delta.items() if n}


# Constant SQL but for the number of ids, every value bound. The same UPDATE written with F()
# and a Case expression cost 1.3 ms to compile on every label POST, a quarter of the request
# (profiled); this costs 0.04 ms. It says what derive_status() says; the database's CHECK
# constraint (article_status_matches_counts) refuses any row where they would disagree.
_UPDATE_COUNTS = """UPDATE articles_article SET
    verified_count = verified_count + %s,
    unverified_count = unverified_count + %s,
    boilerplate_count = boilerplate_count + %s,
    status = CASE
        WHEN verified_count + unverified_count + boilerplate_count + %s = 0 THEN %s
        WHEN verified_count + unverified_count + boilerplate_count + %s >= paragraph_count
        THEN %s ELSE %s END,
    last_reviewed_by_id = %s,
    last_reviewed_at = %s
    WHERE id IN ({ids})"""


def _update_article_counts(
    *, article_ids: list[int], delta: dict[str, int], user: AbstractBaseUser, now
) -> None:
    """Apply the same counter changes and the derived status to the articles in ONE UPDATE,
    relative to the stored values (SQL reads a row's old values on the right of every SET, so
    concurrent writers add up)."""
    change = sum(delta.values())
    with connection.cursor() as cursor:
        cursor.execute(
            _UPDATE_COUNTS.format(ids=", ".join(["%s"] * len(article_ids))),
            [
                delta.get("verified_count", 0),
                delta.get("unverified_count", 0),
                delta.get("boilerplate_count", 0),
                change,
                ReviewStatus.UNREVIEWED,
                change,
                ReviewStatus.REVIEWED,
                ReviewStatus.IN_PROGRESS,
                user.pk,
                connection.ops.adapt_datetimefield_value(now),
                *article_ids,
            ],
        )


def _apply_delta_in_memory(article: Article, delta: dict[str, int]) -> None:
    for field, n in delta.items():
        setattr(article, field, getattr(article, field) + n)
    article.status = derive_status(
        labeled=article.labeled_count, total=article.paragraph_count
    )


# One paragraph's change and its LabelEvent, as constant SQL with every value bound:
# paragraph.save(update_fields=...) and LabelEvent.objects.create() compiled their statements
# on every label POST, a tenth of its time (cProfile).
_SET_LABEL = """UPDATE articles_paragraph
    SET label = %s, labeled_by_id = %s, labeled_at = %s, version = %s WHERE id = %s"""
_SET_NOTE = "UPDATE articles_paragraph SET note = %s, version = %s WHERE id = %s"
_INSERT_EVENT = """INSERT INTO articles_labelevent
    (paragraph_id, article_id, user_id, field, old_value, new_value, method, batch, created_at)
    VALUES (%s, %s, %s, %s, %s, %s, %s, NULL, %s)"""


def _datetime(value):
    return connection.ops.adapt_datetimefield_value(value)


def _write_one(
    update: str,
    params: list,
    *,
    paragraph: Paragraph,
    user: AbstractBaseUser,
    field: str,
    change: tuple[str, str],
    method: str,
) -> None:
    """Run `update` (one paragraph's new values) and write its LabelEvent, `change` = (old, new)."""
    with connection.cursor() as cursor:
        cursor.execute(update, params)
        cursor.execute(
            _INSERT_EVENT,
            [
                paragraph.pk,
                paragraph.article_id,
                user.pk,
                field,
                *change,
                method,
                _datetime(timezone.now()),
            ],
        )


# No @transaction.atomic here: a single UPDATE statement is atomic on its own.
def assign_articles(
    *, articles: QuerySet, assignee: AbstractBaseUser | None, by: AbstractBaseUser
) -> int:
    """Assign the articles to `assignee` (None unassigns) in one UPDATE; returns how many.

    `by` is the user who asked; assignment is not a label change, so it writes no LabelEvent.
    """
    return articles.update(assigned_to=assignee)


@transaction.atomic
def set_label(
    *,
    article_id: int,
    position: int,
    label: str,
    user: AbstractBaseUser,
    method: str = LabelEvent.Method.CLICK,
    expected_version: int | None = None,
) -> Paragraph:
    """Set (or with "" clear) one paragraph's label, its article's counts and one LabelEvent.

    Raises Paragraph.DoesNotExist, ValueError for an unknown label, and StaleParagraph when
    `expected_version` is given and the paragraph has changed since. An unchanged label is a
    no-op (no event). The returned paragraph (and the one StaleParagraph carries) has its text's
    repetition counts for the suggestion, and its `.article` the counts after the change.
    """
    label = _valid_label(label)
    # Only the paragraph row is locked: the article is read to render the result, while its
    # counters change relative to the stored values, so concurrent writers add up correctly.
    paragraph = paragraph_at(article_id, position, lock=True)
    if expected_version is not None and paragraph.version != expected_version:
        raise StaleParagraph(paragraph)
    old = paragraph.label
    if old == label:
        return paragraph
    now = timezone.now()
    paragraph.label = label
    paragraph.labeled_by = user
    paragraph.labeled_at = now
    paragraph.version += 1
    _write_one(
        _SET_LABEL,
        [label, user.pk, _datetime(now), paragraph.version, paragraph.pk],
        paragraph=paragraph,
        user=user,
        field=LabelEvent.Field.LABEL,
        change=(old, label),
        method=method,
    )
    delta = _count_changes([(old, label)])
    _update_article_counts(article_ids=[article_id], delta=delta, user=user, now=now)
    _count_decisions(
        source=paragraph.article.source,
        changes=[(paragraph.text_hash, old, label)],
        user=user,
    )
    # The suggestion shown with the answer counts what people decided, this change included.
    paragraph.people_boilerplate = (paragraph.people_boilerplate or 0) + (
        (label == Label.BOILERPLATE) - (old == Label.BOILERPLATE)
    )
    _apply_delta_in_memory(paragraph.article, delta)
    paragraph.article.last_reviewed_by = user
    paragraph.article.last_reviewed_at = now
    return paragraph


@transaction.atomic
def set_note(
    *,
    article_id: int,
    position: int,
    note: str,
    user: AbstractBaseUser,
    expected_version: int | None = None,
) -> Paragraph:
    """Replace one paragraph's note, writing one LabelEvent (field "note"); unchanged is a no-op.

    Raises Paragraph.DoesNotExist and StaleParagraph like set_label.
    """
    note = note.strip()
    paragraph = paragraph_at(article_id, position, lock=True)
    if expected_version is not None and paragraph.version != expected_version:
        raise StaleParagraph(paragraph)
    old = paragraph.note
    if old == note:
        return paragraph
    paragraph.note = note
    paragraph.version += 1
    _write_one(
        _SET_NOTE,
        [note, paragraph.version, paragraph.pk],
        paragraph=paragraph,
        user=user,
        field=LabelEvent.Field.NOTE,
        change=(old, note),
        method=LabelEvent.Method.CLICK,
    )
    return paragraph


def _relabel(
    *,
    paragraphs: QuerySet,
    label: str,
    user: AbstractBaseUser,
    method: str,
    article_id: int,
) -> int:
    """Give every paragraph in `paragraphs` the label: bulk update, events, counts in one UPDATE."""
    locked = list(
        paragraphs.select_for_update(of=("self",))
        .exclude(label=label)
        .select_related("article")
        .order_by("position")
        .only("pk", "label", "version", "text_hash", "article__source")
    )
    if not locked:
        return 0
    now = timezone.now()
    batch = uuid.uuid4()
    changes = [(paragraph.label, label) for paragraph in locked]
    LabelEvent.objects.bulk_create(
        LabelEvent(
            paragraph_id=paragraph.pk,
            article_id=article_id,
            user=user,
            field=LabelEvent.Field.LABEL,
            old_value=paragraph.label,
            new_value=label,
            method=method,
            batch=batch,
        )
        for paragraph in locked
    )
    Paragraph.objects.filter(pk__in=[paragraph.pk for paragraph in locked]).update(
        label=label,
        labeled_by=user,
        labeled_at=now,
        version=F("version") + 1,
    )
    _update_article_counts(
        article_ids=[article_id], delta=_count_changes(changes), user=user, now=now
    )
    _count_decisions(
        source=locked[0].article.source,
        changes=[(paragraph.text_hash, paragraph.label, label) for paragraph in locked],
        user=user,
    )
    return len(locked)


@transaction.atomic
def label_rest_as_boilerplate(
    *, article_id: int, from_position: int, user: AbstractBaseUser
) -> int:
    """Mark the paragraph at `from_position` and every UNLABELED one after it as boilerplate.

    Labels a reviewer already set further down are kept. Returns how many paragraphs changed.
    """
    rest = Paragraph.objects.filter(
        Q(position=from_position) | Q(position__gt=from_position, label=""),
        article_id=article_id,
    )
    return _relabel(
        paragraphs=rest,
        label=Label.BOILERPLATE,
        user=user,
        method=LabelEvent.Method.BULK,
        article_id=article_id,
    )


@transaction.atomic
def reset_article(*, article: Article, user: AbstractBaseUser) -> int:
    """Clear every label of the article (a Lead's action), one RESET event per cleared paragraph."""
    return _relabel(
        paragraphs=Paragraph.objects.filter(article_id=article.pk),
        label="",
        user=user,
        method=LabelEvent.Method.RESET,
        article_id=article.pk,
    )


# --- Boilerplate: repetition counts, suggestions accepted, labels applied across a source --------


def _repetition_counts(
    articles: Iterable[tuple[str, list[str]]],
) -> dict[tuple[str, str], list[int]]:
    """{(source, text_hash): [articles with the text, paragraphs with it]} for articles given as
    (source, [text_hash per paragraph]); each article counts once per text, and (source, "")
    counts the source's articles. What RepeatedText adds up."""
    counts: dict[tuple[str, str], list[int]] = {}
    for source, hashes in articles:
        counts.setdefault((source, ""), [0, 0])[0] += 1
        for text_hash in hashes:
            counts.setdefault((source, text_hash), [0, 0])[1] += 1
        for text_hash in set(hashes):
            counts[(source, text_hash)][0] += 1
    return counts


def count_repetition(articles: list[tuple[str, list[str]]]) -> None:
    """Add a batch of new articles, (source, [text_hash per paragraph]), to RepeatedText.

    INSERT … ON CONFLICT DO UPDATE adds to the stored counts, so nothing is rescanned and
    concurrent imports add up (SQLite ≥ 3.24 and PostgreSQL share this syntax). Each article
    counts once per text; the row with text_hash "" counts the source's articles.

    The statements' text never depends on the batch: PostgreSQL gets all rows in one statement
    as arrays (unnest); SQLite gets chunks of exactly 500 rows and the rest one row at a time
    (executemany). A statement of a new length each batch was prepared anew and kept in the
    connection's statement cache (~160 KB each on SQLite, up to 128 of them): the import's
    memory grew with every batch until the cache was full.
    """
    counts = _repetition_counts(articles)
    if not counts:
        return
    quote = connection.ops.quote_name
    table = quote(RepeatedText._meta.db_table)
    # Only the table's quoted name is formatted in; every value is a parameter.
    insert = (
        f"INSERT INTO {table} (source, text_hash, article_count, paragraph_count, "
        "boilerplate_labels) "
    )
    add = (
        " ON CONFLICT (source, text_hash) DO UPDATE SET "
        f"article_count = {table}.article_count + excluded.article_count, "
        f"paragraph_count = {table}.paragraph_count + excluded.paragraph_count"
    )
    # Rows in key order, so two imports lock shared rows in the same order (no deadlock).
    rows = [
        (source, text_hash, n_articles, n_paragraphs)
        for (source, text_hash), (n_articles, n_paragraphs) in sorted(counts.items())
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = "%s::varchar[], %s::varchar[], %s::integer[], %s::integer[]"
            cursor.execute(
                f"{insert} SELECT *, 0 FROM unnest({arrays}){add}",  # noqa: S608
                [list(column) for column in zip(*rows, strict=True)],
            )
            return
        whole = len(rows) - len(rows) % 500
        values = ", ".join(["(%s, %s, %s, %s, 0)"] * 500)
        for start in range(0, whole, 500):
            params = [value for row in rows[start : start + 500] for value in row]
            cursor.execute(f"{insert}VALUES {values}{add}", params)
        if whole < len(rows):
            cursor.executemany(
                insert + "VALUES (%s, %s, %s, %s, 0)" + add, rows[whole:]
            )


# Per text, what deleted articles took away: each, its number of articles, paragraphs and
# boilerplate labels (every value bound); a row left counting no article is removed.
_FORGET_TEXT = """UPDATE articles_repeatedtext SET article_count = article_count - %s,
    paragraph_count = paragraph_count - %s, boilerplate_labels = boilerplate_labels - %s
    WHERE source = %s AND text_hash = %s"""
_DROP_EMPTY_TEXT = """DELETE FROM articles_repeatedtext
    WHERE source = %s AND text_hash = %s AND article_count <= 0"""


@transaction.atomic
def delete_articles(articles: QuerySet) -> int:
    """Delete the articles with their paragraphs, and take them out of RepeatedText's counts,
    so no suggestion counts a text that is gone ("repeated in 12 articles" stays true). Returns
    how many articles were deleted.

    Articles with LabelEvents cannot be deleted (the audit trail protects them: ProtectedError,
    and nothing changes); the admin shows which before it gets here.
    """
    hashes = {pk: (source, []) for pk, source in articles.values_list("pk", "source")}
    boilerplate: Counter[tuple[str, str]] = Counter()
    rows = Paragraph.objects.filter(article__in=articles).values_list(
        "article_id", "text_hash", "label"
    )
    for article_id, text_hash, label in rows.iterator(chunk_size=5000):
        source, texts = hashes[article_id]
        texts.append(text_hash)
        boilerplate[(source, text_hash)] += label == Label.BOILERPLATE
    counts = _repetition_counts(hashes.values())
    articles.delete()
    # In order, so concurrent writers lock shared rows in the same order.
    keys = sorted(counts)
    with connection.cursor() as cursor:
        cursor.executemany(
            _FORGET_TEXT, [(*counts[key], boilerplate[key], *key) for key in keys]
        )
        cursor.executemany(_DROP_EMPTY_TEXT, keys)
    return len(hashes)


def rebuild_repeated_texts(*, repeated_text=None, paragraph=None, article=None) -> int:
    """Recount RepeatedText from the stored paragraphs and labels (migration, rebuild command).

    Three statements whatever the corpus size; the models can be a migration's historical ones.
    Returns how many rows it wrote.
    """
    repeated_text = repeated_text or RepeatedText
    paragraph = paragraph or Paragraph
    article = article or Article
    quote = connection.ops.quote_name
    rt = quote(repeated_text._meta.db_table)
    p = quote(paragraph._meta.db_table)
    a = quote(article._meta.db_table)
    columns = "source, text_hash, article_count, paragraph_count, boilerplate_labels"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {rt}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {rt} ({columns}) "  # noqa: S608 - table names from model metadata
            f"SELECT a.source, p.text_hash, COUNT(DISTINCT p.article_id), COUNT(*), "
            f"SUM(CASE WHEN p.label = %s THEN 1 ELSE 0 END) "
            f"FROM {p} p JOIN {a} a ON a.id = p.article_id GROUP BY a.source, p.text_hash",
            [Label.BOILERPLATE],
        )
        written = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {rt} ({columns}) "  # noqa: S608
            f"SELECT source, '', COUNT(*), 0, 0 FROM {a} GROUP BY source"
        )
        return written + cursor.rowcount


# One text's change, every value bound; the one who labeled it boilerplate last is kept unless
# this change adds a boilerplate label. Constant, unlike the ORM's CASE over the texts, which
# was compiled anew for every boilerplate label POST.
_COUNT_DECISIONS = """UPDATE articles_repeatedtext
    SET boilerplate_labels = boilerplate_labels + %s,
    last_labeled_by_id = CASE WHEN %s > 0 THEN %s ELSE last_labeled_by_id END
    WHERE source = %s AND text_hash = %s"""


def _count_decisions(
    *, source: str, changes: list[tuple[str, str, str]], user: AbstractBaseUser
) -> None:
    """Feed label changes, (text_hash, old, new), into RepeatedText.boilerplate_labels.

    One statement (executemany, a row per text) however many texts changed, and none when no
    change moved a paragraph into or out of boilerplate: a verified/unverified label costs
    nothing here, which keeps the label POST within its 8 statements.
    """
    net: dict[str, int] = {}
    for text_hash, old, new in changes:
        step = (new == Label.BOILERPLATE) - (old == Label.BOILERPLATE)
        if step:
            net[text_hash] = net.get(text_hash, 0) + step
    net = {text_hash: n for text_hash, n in net.items() if n}
    if not net:
        return
    # Texts in order, so concurrent writers lock shared rows in the same order.
    rows = [(n, n, user.pk, source, text_hash) for text_hash, n in sorted(net.items())]
    with connection.cursor() as cursor:
        cursor.executemany(_COUNT_DECISIONS, rows)


@transaction.atomic
def accept_suggestions(
    *, article_id: int, user: AbstractBaseUser, positions: list[int] | None = None
) -> int:
    """Label the article's unlabeled paragraphs that have a suggestion with what it suggests.

    `positions` limits it to those paragraphs (the `a` key sends one). Suggestions are worked
    out here again, never taken from the request. One SUGGESTION event per change; returns how
    many paragraphs changed.
    """
    from articles.boilerplate import attach_suggestions

    if positions is None:
        paragraphs = article_paragraphs(article_id)
    else:
        paragraphs = []
        for position in positions:
            with contextlib.suppress(Paragraph.DoesNotExist):
                paragraphs.append(paragraph_at(article_id, position))
    candidates = [paragraph for paragraph in paragraphs if not paragraph.label]
    if not candidates:
        return 0
    attach_suggestions(candidates, article=candidates[0].article)
    by_label: dict[str, list[int]] = {}
    for paragraph in candidates:
        if paragraph.suggestion:
            by_label.setdefault(paragraph.suggestion.label, []).append(paragraph.pk)
    changed = 0
    for label, pks in by_label.items():
        changed += _relabel(
            paragraphs=Paragraph.objects.filter(pk__in=pks, label=""),
            label=label,
            user=user,
            method=LabelEvent.Method.SUGGESTION,
            article_id=article_id,
        )
    return changed


@dataclass(frozen=True)
class PropagationPreview:
    source: str
    text_hash: str
    paragraphs: int
    articles: int
    sample: str


def propagation_preview(*, source: str, text_hash: str) -> PropagationPreview:
    """How many UNLABELED paragraphs with this text in this source an apply would label.

    Two indexed queries (text_hash): the counts, and one paragraph's text to show.
    """
    same = Paragraph.objects.filter(
        article__source=source, text_hash=text_hash
    ).order_by()
    totals = same.aggregate(
        paragraphs=Count("pk", filter=Q(label="")),
        articles=Count("article_id", filter=Q(label=""), distinct=True),
    )
    return PropagationPreview(
        source=source,
        text_hash=text_hash,
        paragraphs=totals["paragraphs"],
        articles=totals["articles"],
        sample=same.values_list("text", flat=True).first() or "",
    )


_CHUNK = 2000  # ids per IN (…): far below SQLite's 32,766 parameters, few statements at 10,000


def _chunks(values: list, size: int = _CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _update_many_articles(
    *, per_article: dict[int, dict[str, int]], user: AbstractBaseUser, now
) -> None:
    """Apply counter deltas to many articles: one UPDATE per distinct delta and chunk of ids.

    Articles with the same change (nearly all of them: one paragraph each) share a statement,
    so 10,000 articles cost a handful of UPDATEs, not 10,000.
    """
    groups: dict[tuple, list[int]] = {}
    for article_id, delta in per_article.items():
        key = tuple(sorted((f, n) for f, n in delta.items() if n))
        if key:
            groups.setdefault(key, []).append(article_id)
    for key, ids in groups.items():
        for chunk in _chunks(sorted(ids)):
            _update_article_counts(
                article_ids=chunk, delta=dict(key), user=user, now=now
            )


def _relabel_many(
    *,
    rows: list[tuple[int, int, str]],
    label: str,
    user: AbstractBaseUser,
    method: str,
    batch: uuid.UUID,
    now,
) -> dict[int, dict[str, int]]:
    """Give the (paragraph id, article id, old label) rows `label`: events, paragraphs, counts.

    Statements: events in bulk, one UPDATE per chunk of paragraphs, grouped article UPDATEs.
    Returns the counter deltas per article.
    """
    LabelEvent.objects.bulk_create(
        (
            LabelEvent(
                paragraph_id=pk,
                article_id=article_id,
                user=user,
                field=LabelEvent.Field.LABEL,
                old_value=old,
                new_value=label,
                method=method,
                batch=batch,
            )
            for pk, article_id, old in rows
        ),
        batch_size=_CHUNK,
    )
    for chunk in _chunks([pk for pk, _, _ in rows]):
        Paragraph.objects.filter(pk__in=chunk).update(
            label=label, labeled_by=user, labeled_at=now, version=F("version") + 1
        )
    per_article: dict[int, dict[str, int]] = {}
    for _, article_id, old in rows:
        delta = per_article.setdefault(
            article_id, dict.fromkeys(COUNT_FIELD.values(), 0)
        )
        if old:
            delta[COUNT_FIELD[Label(old)]] -= 1
        if label:
            delta[COUNT_FIELD[Label(label)]] += 1
    _update_many_articles(per_article=per_article, user=user, now=now)
    return per_article


@transaction.atomic
def apply_across_source(
    *,
    source: str,
    text_hash: str,
    user: AbstractBaseUser,
    label: str = Label.BOILERPLATE,
) -> Propagation:
    """Label every UNLABELED paragraph of `source` with this text, as one undoable action.

    One PROPAGATION event per change, all with the Propagation's batch id; counts and statuses
    of the touched articles change in grouped UPDATEs. Labels people already set are kept.
    """
    label = _valid_label(label)
    if not label:
        raise ValueError("Choose a label to apply; clearing is what undo is for.")
    locked = list(
        Paragraph.objects.filter(article__source=source, text_hash=text_hash, label="")
        .select_for_update(of=("self",))
        .order_by("pk")
        .values_list("pk", "article_id")
    )
    now = timezone.now()
    propagation = Propagation.objects.create(
        batch=uuid.uuid4(),
        source=source,
        text_hash=text_hash,
        label=label,
        user=user,
        paragraphs=len(locked),
        articles=len({article_id for _, article_id in locked}),
    )
    if locked:
        _relabel_many(
            rows=[(pk, article_id, "") for pk, article_id in locked],
            label=label,
            user=user,
            method=LabelEvent.Method.PROPAGATION,
            batch=propagation.batch,
            now=now,
        )
        _count_decisions(
            source=source, changes=[(text_hash, "", label)] * len(locked), user=user
        )
    return propagation


@transaction.atomic
def undo_propagation(*, propagation: Propagation, user: AbstractBaseUser) -> int:
    """Undo one apply-across-the-corpus action; returns how many paragraphs went back.

    Only paragraphs whose label is still the one the action set are reverted (a label someone
    changed since is theirs now). One UNDO event per revert, in the same batch. Undoing twice
    is a no-op.
    """
    propagation = Propagation.objects.select_for_update().get(pk=propagation.pk)
    if propagation.undone_at:
        return 0
    events = LabelEvent.objects.filter(
        batch=propagation.batch, method=LabelEvent.Method.PROPAGATION
    )
    locked = list(
        Paragraph.objects.filter(
            pk__in=events.values("paragraph_id"), label=propagation.label
        )
        .select_for_update(of=("self",))
        .order_by("pk")
        .values_list("pk", "article_id", "label")
    )
    now = timezone.now()
    if locked:
        _relabel_many(
            rows=locked,
            label="",
            user=user,
            method=LabelEvent.Method.UNDO,
            batch=propagation.batch,
            now=now,
        )
        _count_decisions(
            source=propagation.source,
            changes=[(propagation.text_hash, propagation.label, "")] * len(locked),
            user=user,
        )
    propagation.undone_at = now
    propagation.undone_by = user
    propagation.undone_paragraphs = len(locked)
    propagation.save(update_fields=["undone_at", "undone_by", "undone_paragraphs"])
    return len(locked)
