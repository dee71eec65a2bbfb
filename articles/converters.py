"""The `<id:…>` URL converter: a database id or position, never more than a 64-bit integer.

Django's `<int:…>` takes any run of digits; 20 of them overflow SQLite's INTEGER (and a
PostgreSQL bigint) in the first query that uses them, a 500 instead of a 404. An id out of
range does not match the pattern, so the resolver answers 404 before any view runs.
"""

MAX_ID = 2**63 - 1


def parse_id(value: str) -> int | None:
    """`value` as an id if it is one (ASCII digits, at most MAX_ID), else None: for ids that
    come in a query string or a form's list rather than the URL's path."""
    if value.isascii() and value.isdigit() and int(value) <= MAX_ID:
        return int(value)
    return None


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(f"{value} is larger than any id")
        return number

    def to_url(self, value: int) -> str:
        return str(value)
