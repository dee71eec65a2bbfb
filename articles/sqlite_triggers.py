"""Putting back SQLite triggers that a migration dropped.

SQLite drops a table's triggers when a migration rebuilds the table (AddField/AlterField copy the
rows into a new table). The search index (articles.search) and the queue's tallies
(articles.tallies) are kept by triggers, so after every migrate each module puts its own back.
"""


def put_back(cursor, *, table: str, triggers: dict[str, str]) -> tuple[list[str], bool]:
    """Create each of `triggers` ({name: body after "CREATE TRIGGER name"}) that is missing or
    differs from its definition, if `table` exists. Returns (the names made, whether any was
    missing rather than outdated): rows written while one was missing were not seen by it.
    """
    cursor.execute("SELECT type, name, sql FROM sqlite_master WHERE name = %s", [table])
    if not cursor.fetchall():
        return [], False
    names = list(triggers)
    marks = ", ".join(["%s"] * len(names))
    cursor.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})",  # noqa: S608 (placeholders only)
        names,
    )
    present = dict(cursor.fetchall())
    made, missing = [], False
    for name, body in triggers.items():
        wanted = f"CREATE TRIGGER {name} {body}"
        if present.get(name) == wanted:
            continue
        missing = missing or name not in present
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(wanted)
        made.append(name)
    return made, missing
