"""Bulk writes shared by the territory loaders (reference data: no audit entry)."""

from __future__ import annotations

from typing import Any

from django.db import connection, models

BULK_BATCH_SIZE = 1000


def update_rows(
    model: type[models.Model], fields: list[str], rows: list[tuple[Any, tuple]]
) -> None:
    """Set ``fields`` (attribute names) to the given values for each ``(pk, values)``.

    One parameterised UPDATE run through ``executemany``: Django's ``bulk_update`` builds a CASE
    expression per row and field, which takes over a minute when every commune changes (a new
    census), against about a second here.
    """
    if not rows:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    sql = (
        f"UPDATE {quote(meta.db_table)} SET "
        + ", ".join(f"{quote(column.column)} = %s" for column in columns)
        + f" WHERE {quote(meta.pk.column)} = %s"
    )
    params = [
        [
            column.get_db_prep_save(value, connection)
            for column, value in zip(columns, values, strict=True)
        ]
        + [pk]
        for pk, values in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), BULK_BATCH_SIZE):
            cursor.executemany(sql, params[start : start + BULK_BATCH_SIZE])
