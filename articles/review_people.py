"""The people the review page names, in ONE constant query: who else labeled here lately and,
for a Lead, who the article can be assigned to.

"Lately" is one grouped read of LabelEvent (label changes in the article since `since` by
anyone but the reader: paragraphs changed, last change). Written with the ORM, a Reviewer's
version cost 0.5 ms and a Lead's (correlated subqueries per user) 3 ms, nearly all of it
compiling the queryset (cProfile); as SQL built once from the models' metadata, with every
value bound, it costs a fraction of that.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connections, router

from articles.model_rows import columns, db_value
from articles.models import LabelEvent
from articles.querysets import REVIEW_GROUPS


@dataclass(frozen=True)
class Activity:
    username: str
    paragraphs: int
    at: object  # an aware datetime


@lru_cache(maxsize=128)
def _query(connection, *, assignable: bool) -> str:
    quote = connection.ops.quote_name
    users = get_user_model()._meta
    user_table, user_pk = quote(users.db_table), quote(users.pk.column)
    username = quote(users.get_field(get_user_model().USERNAME_FIELD).column)
    groups = users.get_field("groups")
    # Label changes by others since then, per user.
    recent = (
        "SELECT e.user_id, COUNT(DISTINCT e.paragraph_id) AS paragraphs, "  # noqa: S608 (names from model metadata)
        "MAX(e.created_at) AS last_at "
        f"FROM {quote(LabelEvent._meta.db_table)} e "
        "WHERE e.article_id = %s AND e.field = %s AND e.created_at >= %s "
        "AND e.user_id <> %s GROUP BY e.user_id"
    )
    if not assignable:
        return (
            f"SELECT u.{username}, r.paragraphs, r.last_at FROM ({recent}) r "  # noqa: S608
            f"JOIN {user_table} u ON u.{user_pk} = r.user_id "
            f"ORDER BY r.last_at DESC, u.{username}"
        )
    marks = ", ".join(["%s"] * len(REVIEW_GROUPS))
    in_role = (
        f"EXISTS (SELECT 1 FROM {quote(groups.m2m_db_table())} ug "  # noqa: S608
        f"JOIN {quote(Group._meta.db_table)} g "
        f"ON g.{quote(Group._meta.pk.column)} = ug.{quote(groups.m2m_reverse_name())} "
        f"WHERE ug.{quote(groups.m2m_column_name())} = u.{user_pk} "
        f"AND g.{quote(Group._meta.get_field('name').column)} IN ({marks}))"
    )
    is_active = quote(users.get_field("is_active").column)
    return (
        f"SELECT {columns(get_user_model(), 'u', connection).sql}, "  # noqa: S608
        f"r.paragraphs, r.last_at, {in_role} "
        f"FROM {user_table} u LEFT JOIN ({recent}) r ON r.user_id = u.{user_pk} "
        f"WHERE r.user_id IS NOT NULL OR (u.{is_active} AND {in_role}) "
        f"ORDER BY u.{username}"
    )


def review_people(
    *, article_id: int, user, since, assignable: bool
) -> tuple[list[Activity], list]:
    """(who else labeled `article_id` since `since`, latest first; and when `assignable`, the
    active members of the review groups by username: users the article can be assigned to)."""
    users = get_user_model()
    connection = connections[router.db_for_read(LabelEvent)]
    last_at = LabelEvent._meta.get_field("created_at")
    params = [
        article_id,
        LabelEvent.Field.LABEL,
        connection.ops.adapt_datetimefield_value(since),
        user.pk,
    ]
    if assignable:  # the role test comes before and after the events' subquery
        params = [*REVIEW_GROUPS, *params, *REVIEW_GROUPS]
    with connection.cursor() as cursor:
        cursor.execute(_query(connection, assignable=assignable), params)
        rows = cursor.fetchall()
    if not assignable:
        return [
            Activity(username, paragraphs, db_value(last_at, at, connection))
            for username, paragraphs, at in rows
        ], []
    user_columns = columns(users, "u", connection)
    recent, assignees = [], []
    for row in rows:
        person = user_columns.build(row)
        paragraphs, at, in_role = row[user_columns.width :]
        if at is not None:
            at = db_value(last_at, at, connection)
            recent.append(Activity(person.get_username(), paragraphs, at))
        if person.is_active and in_role:
            assignees.append(person)
    recent.sort(key=lambda activity: activity.at, reverse=True)
    return recent, assignees
