"""Model instances from constant SQL, for the few reads that run on every request.

A queryset is compiled to SQL anew on every evaluation, and for the review page's paragraphs,
the label POST's paragraph and the request's user that compilation cost more than running the
query (cProfile). These reads are written as constant SQL instead, with every value bound, and
their rows become model instances here: the columns of a model under a table alias, and the
instance built from its slice of a row with the same database converters the ORM applies
(on SQLite: aware datetimes, booleans), so an instance is the one a queryset would have made.
"""

from functools import lru_cache

from django.db.models import Model


class ModelColumns:
    """Every concrete column of `model` under the table alias `alias`, for one connection."""

    def __init__(self, model: type[Model], alias: str, connection):
        fields = model._meta.concrete_fields
        quote = connection.ops.quote_name
        self.model = model
        self.db = connection.alias
        self.sql = ", ".join(f"{alias}.{quote(field.column)}" for field in fields)
        self.width = len(fields)
        self._attnames = [field.attname for field in fields]
        self._pk_index = self._attnames.index(model._meta.pk.attname)
        self._converters = []
        for index, field in enumerate(fields):
            column = field.get_col(alias)
            converters = connection.ops.get_db_converters(
                column
            ) + column.get_db_converters(connection)
            if converters:
                self._converters.append((index, column, converters))
        self._connection = connection

    def build(self, row, start: int = 0) -> Model | None:
        """The instance in row[start : start + width], or None when its primary key is NULL
        (the missing side of a LEFT JOIN)."""
        values = list(row[start : start + self.width])
        if values[self._pk_index] is None:
            return None
        for index, column, converters in self._converters:
            value = values[index]
            for converter in converters:
                value = converter(value, column, self._connection)
            values[index] = value
        return self.model.from_db(self.db, self._attnames, values)


def db_value(field, value, connection):
    """One value of `field` read by a cursor (a column or an aggregate of it, such as MAX()),
    converted as the ORM converts it."""
    column = field.get_col(field.model._meta.db_table)
    converters = connection.ops.get_db_converters(column) + column.get_db_converters(
        connection
    )
    for converter in converters:
        value = converter(value, column, connection)
    return value


@lru_cache(maxsize=128)
def columns(model: type[Model], alias: str, connection) -> ModelColumns:
    """ModelColumns, made once per model, alias and connection (a connection is per thread)."""
    return ModelColumns(model, alias, connection)
