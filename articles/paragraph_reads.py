"""The paragraphs the review page shows and a label POST answers with, in ONE constant query.

Each paragraph comes with its article, who labeled it and its text's repetition counts: from
RepeatedText, by a LEFT JOIN on (the article's source, the paragraph's text_hash) and one on the
source's own row (text_hash ""): repeated_in, people_boilerplate, boilerplate_by (a username)
and source_articles, what articles.boilerplate.suggest() needs besides the paragraph's own
signals. Django cannot join models without a relation; the queryset this replaces read the same
through four correlated subqueries, whose compilation alone cost more than the rest of a label
POST's read (cProfile).

The SQL is built from the models' metadata once per connection and variant; only values are
bound. Locking reads lock the paragraph row only (FOR UPDATE OF p where the database has it;
SQLite's write transactions lock the whole database).
"""

from functools import lru_cache

from django.contrib.auth import get_user_model
from django.db import connections, router

from articles.model_rows import columns
from articles.models import Article, Paragraph, RepeatedText

# What a read selects by: the article's paragraphs, or one paragraph.
_WHERE = {
    "article": "p.article_id = %s",
    "position": "p.article_id = %s AND p.position = %s",
}


def repetition_join(connection, *, source: str, text_hash: str) -> tuple[str, str]:
    """(columns, joins): a text's article_count and boilerplate_labels in its source and the
    username of who labeled it boilerplate last, by LEFT JOINs on RepeatedText's unique
    (source, text_hash) and the user table (aliases r and ru). `source` and `text_hash` are the
    enclosing query's SQL expressions for them; the columns are NULL for a text not counted."""
    quote = connection.ops.quote_name
    users = get_user_model()._meta
    username = quote(users.get_field(get_user_model().USERNAME_FIELD).column)
    last_labeled_by = quote(RepeatedText._meta.get_field("last_labeled_by").column)
    return (
        f"r.article_count, r.boilerplate_labels, ru.{username}",
        f"LEFT JOIN {quote(RepeatedText._meta.db_table)} r "
        f"ON r.source = {source} AND r.text_hash = {text_hash} "
        f"LEFT JOIN {quote(users.db_table)} ru "
        f"ON ru.{quote(users.pk.column)} = r.{last_labeled_by}",
    )


@lru_cache(maxsize=128)
def _query(connection, where: str, *, article_users: bool, lock: bool):
    """(sql, the ModelColumns of paragraph, article, labeled_by[, assigned_to, last_reviewed_by]).

    `article_users` joins the article's assignee and last reviewer (the review page shows them).
    """
    quote = connection.ops.quote_name
    users = get_user_model()
    user_table = quote(users._meta.db_table)
    user_pk = quote(users._meta.pk.column)
    parts = [
        columns(Paragraph, "p", connection),
        columns(Article, "a", connection),
        columns(users, "lb", connection),
    ]
    joins = [
        f"JOIN {quote(Article._meta.db_table)} a ON a.id = p.article_id",
        f"LEFT JOIN {user_table} lb ON lb.{user_pk} = p.labeled_by_id",
    ]
    if article_users:
        parts += [columns(users, "aa", connection), columns(users, "lr", connection)]
        joins += [
            f"LEFT JOIN {user_table} aa ON aa.{user_pk} = a.assigned_to_id",
            f"LEFT JOIN {user_table} lr ON lr.{user_pk} = a.last_reviewed_by_id",
        ]
    repetition, repetition_joins = repetition_join(
        connection, source="a.source", text_hash="p.text_hash"
    )
    joins += [
        repetition_joins,
        f"LEFT JOIN {quote(RepeatedText._meta.db_table)} s "
        "ON s.source = a.source AND s.text_hash = ''",
    ]
    selected = ", ".join(part.sql for part in parts)
    sql = (
        f"SELECT {selected}, {repetition}, s.article_count FROM"  # noqa: S608 (names from model metadata)
        f" {quote(Paragraph._meta.db_table)} p {' '.join(joins)} "
        f"WHERE {_WHERE[where]} ORDER BY p.position"
    )
    if lock and connection.features.has_select_for_update_of:
        sql += " FOR UPDATE OF p"
    elif lock and connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    return sql, parts


def _read(
    where: str, params: list, *, article_users: bool = False, lock: bool = False
) -> list[Paragraph]:
    connection = connections[
        router.db_for_write(Paragraph) if lock else router.db_for_read(Paragraph)
    ]
    sql, parts = _query(connection, where, article_users=article_users, lock=lock)
    paragraph_columns, article_columns, labeled_by_columns, *article_user_columns = (
        parts
    )
    article_field = Paragraph._meta.get_field("article")
    labeled_by_field = Paragraph._meta.get_field("labeled_by")
    article_user_fields = [
        Article._meta.get_field("assigned_to"),
        Article._meta.get_field("last_reviewed_by"),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    paragraphs = []
    articles: dict[int, Article] = {}
    for row in rows:
        paragraph = paragraph_columns.build(row)
        start = paragraph_columns.width
        article = articles.get(paragraph.article_id)
        if article is None:
            article = articles[paragraph.article_id] = article_columns.build(row, start)
            offset = start + article_columns.width + labeled_by_columns.width
            for field, part in zip(
                article_user_fields, article_user_columns, strict=False
            ):
                field.set_cached_value(article, part.build(row, offset))
                offset += part.width
        start += article_columns.width
        article_field.set_cached_value(paragraph, article)
        labeled_by_field.set_cached_value(
            paragraph, labeled_by_columns.build(row, start)
        )
        (
            paragraph.repeated_in,
            paragraph.people_boilerplate,
            paragraph.boilerplate_by,
            paragraph.source_articles,
        ) = row[-4:]
        paragraphs.append(paragraph)
    return paragraphs


def article_paragraphs(article_id: int) -> list[Paragraph]:
    """The article's paragraphs in reading order, with repetition counts, who labeled each, and
    the article (one instance, shared) with its assignee and last reviewer: the review page."""
    return _read("article", [article_id], article_users=True)


def paragraph_at(article_id: int, position: int, *, lock: bool = False) -> Paragraph:
    """One paragraph with its article, who labeled it and its repetition counts; `lock` locks its
    row until the transaction ends. Raises Paragraph.DoesNotExist."""
    found = _read("position", [article_id, position], lock=lock)
    if not found:
        raise Paragraph.DoesNotExist("No such paragraph")
    return found[0]
