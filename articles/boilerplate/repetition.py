"""RepeatedText's counts: how often each paragraph text occurs in its source, and how often people
labeled it boilerplate. Kept current incrementally by the importer (count_repetition), the label
writes (count_decisions) and deletes (delete_articles); rebuilt from scratch on demand.

Multi-row writes in constant SQL with every value bound: an import's upsert of thousands of
texts, one statement per chunk (the import target, >= 25,000 paragraphs/s, docs/benchmarks.md).
"""

from collections import Counter
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import QuerySet

from articles.boilerplate.retraining import labels_changed
from articles.models import Article, Label, Paragraph, RepeatedText


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


def count_decisions(
    *, source: str, changes: list[tuple[str, str, str]], user: AbstractBaseUser
) -> None:
    """Feed label changes, (text_hash, old, new), into RepeatedText.boilerplate_labels.

    One statement (executemany, a row per text) however many texts changed, and none when no
    change moved a paragraph into or out of boilerplate: a verified/unverified label costs
    nothing here, which keeps the label POST within its 8 statements.

    Every label change passes here, so it also counts them for the learned model's
    retraining (articles.boilerplate.retraining; no query).
    """
    labels_changed(len(changes))
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
