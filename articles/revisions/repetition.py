"""A revision's change to RepeatedText (articles.boilerplate.repetition): the texts it removed
and added, and the boilerplate labels that left with them. The source's article count (the
row with text_hash "") stays: the article is still one article."""

from collections import Counter

from django.db import connection

from articles.models import Label, RepeatedText


def _counts(rows: list[tuple[str, str]]) -> dict[str, list[int]]:
    """{text_hash: [1 (the article has it), paragraphs with it, boilerplate labels]}."""
    paragraphs = Counter(text_hash for text_hash, _ in rows)
    boilerplate = Counter(
        text_hash for text_hash, label in rows if label == Label.BOILERPLATE
    )
    return {
        text_hash: [1, n, boilerplate[text_hash]] for text_hash, n in paragraphs.items()
    }


def shift_repetition(
    *, source: str, before: list[tuple[str, str]], after: list[tuple[str, str]]
) -> None:
    """Apply the difference between an article's (text_hash, label) rows `before` and `after`
    a revision to RepeatedText: one upsert per changed text, in key order (as every writer of
    these rows does, so none deadlocks), then the rows left counting no article are dropped."""
    old, new = _counts(before), _counts(after)
    changed, fresh = [], []
    for text_hash in sorted(old.keys() | new.keys()):
        was, now = old.get(text_hash, [0, 0, 0]), new.get(text_hash, [0, 0, 0])
        delta = [b - a for a, b in zip(was, now, strict=True)]
        if not any(delta):
            continue
        # A text the article had is in RepeatedText already: its row is updated (the delta
        # may be negative, which an INSERT's CHECK would refuse); a new text is upserted.
        (changed if text_hash in old else fresh).append((text_hash, delta))
    if not (changed or fresh):
        return
    table = connection.ops.quote_name(RepeatedText._meta.db_table)
    columns = ("article_count", "paragraph_count", "boilerplate_labels")
    # Only the table's quoted name and constant column names are formatted in; every value
    # is a parameter.
    update = (
        f"UPDATE {table} SET "  # noqa: S608
        + ", ".join(f"{column} = {column} + %s" for column in columns)
        + " WHERE source = %s AND text_hash = %s"
    )
    upsert = (
        f"INSERT INTO {table} (source, text_hash, {', '.join(columns)}) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (source, text_hash) DO UPDATE SET "
        + ", ".join(
            f"{column} = {table}.{column} + excluded.{column}" for column in columns
        )
    )
    drop = (
        f"DELETE FROM {table} WHERE source = %s AND text_hash = %s"  # noqa: S608
        " AND article_count <= 0"
    )
    with connection.cursor() as cursor:
        if changed:
            cursor.executemany(
                update, [(*delta, source, text_hash) for text_hash, delta in changed]
            )
            cursor.executemany(drop, [(source, text_hash) for text_hash, _ in changed])
        if fresh:
            cursor.executemany(
                upsert, [(source, text_hash, *delta) for text_hash, delta in fresh]
            )
