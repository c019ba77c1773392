"""Plain INSERTs in batches, for writes of tens of thousands of rows (imports and their audit entries).

The ORM's bulk_create spends most of its time compiling SQL per object, which matters at 100,000 rows.
Values go through the database adaptation of their field type. No signal, no `save()`, no automatic
field: the caller gives every column (`created_at` included).
"""

from django.db import connections, models, router


def _converter(field, ops):
    """The database adaptation of one column (the same as the field's own, without its per-call overhead)."""
    if isinstance(field, models.DateTimeField):
        cache = {}

        def convert(value):
            if value not in cache:
                cache[value] = ops.adapt_datetimefield_value(value)
            return cache[value]

        return convert
    if isinstance(field, models.DecimalField):
        return lambda value: ops.adapt_decimalfield_value(
            value, field.max_digits, field.decimal_places
        )
    if isinstance(field, models.JSONField):
        return lambda value: ops.adapt_json_value(value, field.encoder)
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    return None


def insert_rows(model, field_names: list[str], rows: list[tuple], batch: int = 2000) -> None:
    """INSERT `rows` (tuples in the order of `field_names`) into the model's table."""
    db = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in field_names]
    converters = [_converter(f, db.ops) for f in fields]
    quote = db.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with db.cursor() as cursor:
        for start in range(0, len(rows), batch):
            cursor.executemany(
                sql,
                [
                    tuple(
                        v if c is None or v is None else c(v)
                        for c, v in zip(converters, row, strict=True)
                    )
                    for row in rows[start : start + batch]
                ],
            )
