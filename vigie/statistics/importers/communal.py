"""The SSMSI communal base (≈ 5.4 million rows per edition): from the file to its table in one write.

Rows are stored as published (`CommuneObservation`); the file's indicator and unit wordings are mapped to
Vigie's indicators once per edition (`CommuneIndicatorLabel`, a few dozen rows).

PostgreSQL ("copy" engine), new edition — the usual case:
1. COPY … FREEZE streams the file straight into a new table shaped like a partition of
   `statistics_communeobservation` (typed columns: PostgreSQL's own parsers check the integers while
   reading; `NA` becomes NULL; frozen rows need no later rewrite of their visibility bits);
2. one scan checks what COPY cannot (signs, years, diffusion flags, decimal-comma cells) and gathers the
   distinct indicator and unit wordings;
3. the primary-key index is built once on the loaded table (duplicate rows are caught here), its distinct
   commune codes read by a loose index scan (35,000 probes instead of 5 million rows) and checked;
4. the table is attached as the edition's partition: its CHECK constraint on the edition spares PostgreSQL
   the validating scan.
Anything wrong on that path sends the file to the exact path: the transaction goes back to a savepoint, the
file is read again into a text staging table where every cell is checked with the rules the ORM engine
uses (same messages, with line and column), and the rows are written with normalised codes and wordings.

Re-import of an edition already loaded: the file is loaded the same way into a temporary table, compared
with the stored rows, and only new or changed rows are written (nothing at all for the same file).

Other databases ("orm" engine): Python reads and checks every cell, then bulk_create / bulk_update.
"""

import hashlib
import logging
import re
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import IntegrityError, connection, transaction

from vigie.statistics.catalogue import normalise_unit
from vigie.statistics.importers.common import ImportStats, resolve_indicators
from vigie.statistics.importers.copy_engine import (
    _DROP_TEMP,
    _copy_error,
    _exact_checks,
    _ExactCheckNeeded,
    _is_format_error,
    _raise_errors,
    _Staging,
    missing_as_null,
)
from vigie.statistics.importers.layouts import (
    MAX_ERRORS,
    NA,
    HeaderInfo,
    ImportRefused,
    normalise_categorical,
    normalise_commune,
)
from vigie.statistics.models import CommuneIndicatorLabel, CommuneObservation

logger = logging.getLogger(__name__)

TABLE = "statistics_communeobservation"
KEY = ("code", "year", "indicator_label", "unit_label", "edition_id")
# Layout role → column of the table.
COLUMNS = {
    "code": "code",
    "year": "year",
    "indicator": "indicator_label",
    "unit": "unit_label",
    "count": "count",
    "rate": "rate",
    "diffusion": "diffusion",
    "pop": "population",
    "pop_vintage": "population_vintage",
    "log": "dwellings",
    "log_vintage": "dwellings_vintage",
    "imputed": "imputed",
    "imputed_rate": "imputed_rate",
}
VALUE_COLUMNS = (
    "count",
    "rate",
    "diffusion",
    "population",
    "population_vintage",
    "dwellings",
    "dwellings_vintage",
    "imputed",
    "imputed_rate",
)
NULLABLE = {"count", "rate", "population", "population_vintage", "dwellings", "dwellings_vintage"}
NULLABLE |= {"imputed", "imputed_rate"}
DECIMAL_COLUMNS = ("rate", "population", "dwellings", "imputed", "imputed_rate")
# Decimal cells as the SSMSI writes them; others (a point, an exponent) go through the exact path.
_PLAIN_DECIMAL = r"^[0-9]+(,[0-9]+)?$"
# One line of the communal base as published: every cell quoted, in this order.
PUBLISHED_ORDER = [*KEY[:4], *VALUE_COLUMNS]
_INT = rb'"(?:[0-9]+|NA)"'
_DEC = rb'"(?:[0-9]+(?:,[0-9]+)?|NA)"'
_VINTAGE = rb'"(?:[0-9]{4}|NA)"'
_WORDING = rb'"[^";\r\n]+"'
_PUBLISHED_LINE = re.compile(
    rb";".join(
        [
            rb'"(?:[0-9]{5}|2[AB][0-9]{3})"',  # canonical Insee code
            rb'"[0-9]{4}"',
            _WORDING,
            _WORDING,
            _INT,
            _DEC,
            rb'"n?diff"',
            _DEC,  # population: fractional estimates in some editions
            _VINTAGE,
            _DEC,  # dwellings
            _VINTAGE,
            _DEC,
            _DEC,
        ]
    )
    + rb"\r?\n"
)


def decimal_or_none(text: str | None) -> Decimal | None:
    """A stored decimal cell ("1,4285714", "NA" never stored) as a Decimal."""
    if text is None:
        return None
    try:
        return Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None


def partition_name(edition) -> str:
    return f"{TABLE}_e{int(edition.pk)}"


@dataclass
class _Label:
    raw_indicator: str
    raw_unit: str
    rows: int
    first_line: int | None = None


# ------------------------------------------------------------------------------------------- labels


def store_labels(edition, labels: list[_Label]) -> None:
    """Map the file's wordings to indicators for this edition; refuse two wordings of one indicator."""
    resolved = resolve_indicators({label.raw_indicator for label in labels})
    existing = {
        (row.indicator_id, row.unit): row
        for row in CommuneIndicatorLabel.objects.filter(edition=edition)
    }
    seen: dict[tuple, _Label] = {}
    errors = []
    to_create = []
    for label in sorted(labels, key=lambda item: item.first_line or 0):
        indicator, unit = resolved[label.raw_indicator], normalise_unit(label.raw_unit)
        key = (indicator.pk, unit)
        other = seen.get(key)
        stored = existing.get(key)
        if other is not None:
            errors.append(
                _where(label.first_line)
                + f"l'indicateur « {indicator.name} » ({label.raw_unit}) est écrit de deux façons dans le "
                f"fichier : « {other.raw_indicator} » et « {label.raw_indicator} »."
            )
        elif stored is not None and (stored.indicator_label, stored.unit_label) != (
            label.raw_indicator,
            label.raw_unit,
        ):
            errors.append(
                _where(label.first_line)
                + f"cette édition écrit déjà l'indicateur « {indicator.name} » « {stored.indicator_label} » "
                f"({stored.unit_label}) ; le fichier l'écrit « {label.raw_indicator} » ({label.raw_unit})."
            )
        seen[key] = label
        if stored is None:
            to_create.append(
                CommuneIndicatorLabel(
                    edition=edition,
                    indicator_label=label.raw_indicator,
                    unit_label=label.raw_unit,
                    indicator=indicator,
                    unit=unit,
                    row_count=label.rows,
                )
            )
        elif stored.row_count < label.rows:
            stored.row_count = label.rows
            stored.save(update_fields=["row_count"])
    if errors:
        raise ImportRefused(errors[:MAX_ERRORS])
    CommuneIndicatorLabel.objects.bulk_create(to_create)


def _where(line: int | None) -> str:
    return f"Ligne {line} : " if line else ""


# --------------------------------------------------------------------------------------- PostgreSQL


class _Steps:
    """Durations of the import's steps, logged (INFO) for whoever runs a big file."""

    def __init__(self):
        self.last = time.perf_counter()
        self.done: list[str] = []

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        self.done.append(f"{name} {now - self.last:.1f} s")
        self.last = now

    def log(self, rows: int) -> None:
        logger.info("Communal import, %s rows: %s", rows, ", ".join(self.done))


def import_communal_with_copy(path: Path, info: HeaderInfo, edition) -> tuple[ImportStats, str]:
    step = _Steps()
    fresh = not CommuneObservation.objects.filter(edition=edition).exists()
    target = partition_name(edition) if fresh else "stat_comm_new"
    with connection.cursor() as cursor:
        cursor.execute(_DROP_TEMP + ", stat_comm_new")
        hasher = hashlib.sha256()
        try:
            with transaction.atomic():
                _create_target(cursor, target, edition, fresh=fresh)
                checked = _copy_typed(cursor, target, info, path, hasher)
                step("COPY" + (" (lines checked while streaming)" if checked else ""))
                # Statistics first: without them the planner sorts 5 million rows to group 17 wordings.
                cursor.execute(f"ANALYZE {target}")
                step("analyze")
                labels, rows = (
                    _wordings(cursor, target) if checked else _fast_checks(cursor, target)
                )
                step("wordings" if checked else "checks")
                _build_key_index(cursor, target, exact=False)
                step("primary key")
                if not checked:
                    _check_codes(cursor, target)
                    step("commune codes")
                # Labels are read before the savepoint is released: a wording that needs normalising,
                # or two wordings of one indicator, send the file to the exact path.
                if any(
                    normalise_categorical("indicator", label.raw_indicator) != label.raw_indicator
                    or normalise_unit(label.raw_unit) is None
                    or label.raw_unit != label.raw_unit.strip()
                    for label in labels
                ):
                    raise _ExactCheckNeeded
                try:
                    with transaction.atomic():
                        store_labels(edition, labels)
                except ImportRefused as exc:
                    raise _ExactCheckNeeded from exc
        except _ExactCheckNeeded:
            step("fast path abandoned")
            cursor.execute(_DROP_TEMP + ", stat_comm_new")
            hasher = hashlib.sha256()
            staging = _Staging(info, typed=False)
            staging.create_and_copy(cursor, path, hasher)
            bad_lines = _exact_checks(cursor, staging)
            if bad_lines:
                _raise_errors(cursor, staging, bad_lines)
            labels, rows = _exact_write(cursor, staging, target, edition, fresh=fresh)
            store_labels(edition, labels)
            cursor.execute(f"ANALYZE {target}")
            step("exact path")
        if fresh:
            cursor.execute(
                f"ALTER TABLE {TABLE} ATTACH PARTITION {target} FOR VALUES IN ({int(edition.pk)})"
            )
            cursor.execute(f"ALTER TABLE {target} ALTER edition_id DROP DEFAULT")
            step("attach")
            stats = ImportStats(rows=rows, created=rows)
        else:
            stats = _merge(cursor, edition, rows)
            step("merge")
        cursor.execute(_DROP_TEMP + ", stat_comm_new")
    step.log(rows)
    return stats, hasher.hexdigest()


def _create_target(cursor, target: str, edition, *, fresh: bool) -> None:
    pk = int(edition.pk)
    if fresh:
        cursor.execute(
            f"CREATE TABLE {target} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS, "
            f"CONSTRAINT {target}_edition CHECK (edition_id = {pk}))"
        )
    else:
        cursor.execute(
            f"CREATE TEMP TABLE {target} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS) "
            "ON COMMIT DROP"
        )
    cursor.execute(f"ALTER TABLE {target} ALTER edition_id SET DEFAULT {pk}")


def _copy_typed(cursor, target: str, info: HeaderInfo, path: Path, hasher) -> bool:
    """COPY the file into `target`. Returns True when every line was also found in the published form.

    While PostgreSQL parses a chunk, Python checks the next one against the published line (every cell
    quoted, canonical commune code, decimal comma, "NA"): on two cores the check costs no time, and a file
    that passes needs no checking scan afterwards. A file in another column order, or with one line in
    another form, is still loaded; it is then checked by the scan (`_fast_checks`).
    """
    import psycopg

    by_position = {p: c for c, p in zip(info.layout.columns, info.positions, strict=True)}
    names = [COLUMNS[by_position[i].role] for i in range(len(by_position))]
    forced = [name for name in names if name in NULLABLE]
    options = (
        f"FORMAT csv, DELIMITER '{info.delimiter}', HEADER true, ENCODING 'UTF8', NULL '{NA}', "
        f"FORCE_NULL ({', '.join(forced)}), FREEZE"
    )
    checked = names == PUBLISHED_ORDER and info.delimiter == ";"
    rest = b""
    try:
        with (
            cursor.cursor.copy(
                f"COPY {target} ({', '.join(names)}) FROM STDIN WITH ({options})"
            ) as copy,
            open(path, "rb") as handle,
        ):
            header = handle.readline()
            hasher.update(header)
            copy.write(header)
            while chunk := handle.read(1 << 20):
                hasher.update(chunk)
                if not checked:
                    copy.write(chunk)
                    continue
                chunk = rest + chunk
                cut = chunk.rfind(b"\n") + 1
                rest = chunk[cut:]
                checked = _send_lines(copy, chunk[:cut])
                if not checked:
                    copy.write(rest)
                    rest = b""
            if rest:  # the last line, without its line break
                checked = _send_lines(copy, rest + b"\n")
    except psycopg.errors.DataError as exc:
        if not _is_format_error(exc):
            raise _ExactCheckNeeded from exc
        raise ImportRefused([_copy_error(exc)]) from exc
    except psycopg.errors.IntegrityError as exc:  # NOT NULL: a "NA" year, code or wording
        raise _ExactCheckNeeded from exc
    except psycopg.Error as exc:
        raise ImportRefused([_copy_error(exc)]) from exc
    return checked


def _send_lines(copy, lines: bytes) -> bool:
    """Send whole lines; True when all are in the published form, which is then sent without its quotes.

    A published line has no separator, quote or line break inside a cell, so its quotes carry nothing:
    without them PostgreSQL reads 14 % fewer bytes and no quoted state. "NA" unquoted still becomes NULL.
    """
    if _PUBLISHED_LINE.sub(b"", lines):
        copy.write(lines)
        return False
    copy.write(lines.replace(b'"', b""))
    return True


def _wordings(cursor, target: str) -> tuple[list[_Label], int]:
    cursor.execute(f"SELECT indicator_label, unit_label, count(*) FROM {target} GROUP BY 1, 2")
    labels = [_Label(raw_indicator=ri, raw_unit=ru, rows=n) for ri, ru, n in cursor.fetchall()]
    return labels, sum(label.rows for label in labels)


def _fast_checks(cursor, target: str) -> tuple[list[_Label], int]:
    """One scan: what COPY did not check, and the distinct wordings. Any failure → exact path."""
    bad = " OR ".join(
        [
            "count < 0",
            "year NOT BETWEEN 1000 AND 9999",
            "population_vintage NOT BETWEEN 1000 AND 9999",
            "dwellings_vintage NOT BETWEEN 1000 AND 9999",
            "diffusion NOT IN ('diff', 'ndiff')",
            *(f"{column} !~ %s" for column in DECIMAL_COLUMNS),
        ]
    )
    cursor.execute(
        f"SELECT indicator_label, unit_label, count(*), bool_or({bad}) FROM {target} GROUP BY 1, 2",
        [_PLAIN_DECIMAL] * len(DECIMAL_COLUMNS),
    )
    result = cursor.fetchall()
    if any(row[3] for row in result):
        raise _ExactCheckNeeded
    labels = [_Label(raw_indicator=ri, raw_unit=ru, rows=n) for ri, ru, n, _bad in result]
    return labels, sum(label.rows for label in labels)


def _build_key_index(cursor, target: str, *, exact: bool) -> None:
    # A primary key, not a unique index: ATTACH PARTITION then takes it as the partition's share of the
    # parent's key instead of building another index (20 s on 5.4 million rows).
    cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
    try:
        with transaction.atomic():
            cursor.execute(
                f"ALTER TABLE {target} ADD CONSTRAINT {target}_pkey PRIMARY KEY ({', '.join(KEY)})"
            )
    except IntegrityError as exc:
        if not exact:
            raise _ExactCheckNeeded from exc
        raise


def _check_codes(cursor, target: str) -> None:
    """Distinct commune codes through the index (one probe per code); any code not canonical → exact."""
    cursor.execute(
        f"WITH RECURSIVE c(code) AS (SELECT min(code) FROM {target} UNION ALL "
        f"SELECT (SELECT min(t.code) FROM {target} t WHERE t.code > c.code) "
        "FROM c WHERE c.code IS NOT NULL) SELECT code FROM c WHERE code IS NOT NULL"
    )
    if any(normalise_commune(code) != code for (code,) in cursor.fetchall()):
        raise _ExactCheckNeeded


def _exact_write(cursor, staging: _Staging, target: str, edition, *, fresh: bool):
    """The exact path: categorical cells checked on their distinct values, rows written normalised."""
    maps = _exact_maps(cursor, staging)
    _copy_maps(cursor, maps)
    _create_target(cursor, target, edition, fresh=fresh)
    rows = _insert_normalised(cursor, staging, target)
    try:
        _build_key_index(cursor, target, exact=True)
    except IntegrityError:
        _raise_duplicates(cursor, staging)
    col = staging.col
    cursor.execute(
        f"SELECT mi.label, mu.label, count(*), min(t.line) FROM stat_stg t "
        f"JOIN stat_map_ind mi ON mi.raw = t.{col['indicator']} "
        f"JOIN stat_map_unit mu ON mu.raw = t.{col['unit']} GROUP BY 1, 2"
    )
    labels = [
        _Label(raw_indicator=ri, raw_unit=ru, rows=n, first_line=line + 1)
        for ri, ru, n, line in cursor.fetchall()
    ]
    return labels, rows


def _exact_maps(cursor, staging: _Staging) -> dict[str, dict]:
    """{role: {raw: (normalised, first line)}} for codes, indicators and units; refused when one is bad."""
    col = staging.col
    maps = {}
    for role in ("code", "indicator", "unit"):
        cursor.execute(f"SELECT {col[role]}, min(line) FROM stat_stg GROUP BY 1")
        maps[role] = {
            raw: (normalise_categorical(staging.kinds[role], raw or ""), line)
            for raw, line in cursor.fetchall()
        }
    bad = {
        role: [raw for raw, (value, _line) in mapping.items() if value is None]
        for role, mapping in maps.items()
    }
    if any(bad.values()):
        lines = set()
        for role, values in bad.items():
            if values:
                cursor.execute(
                    f"SELECT line FROM stat_stg WHERE coalesce({col[role]}, '') = ANY(%s) "
                    f"ORDER BY line LIMIT {MAX_ERRORS}",
                    [[v or "" for v in values]],
                )
                lines |= {row[0] for row in cursor.fetchall()}
        _raise_errors(cursor, staging, lines)
    return maps


def _copy_maps(cursor, maps: dict[str, dict]) -> None:
    """Map tables raw → stored value for codes, indicators and units (units keep their wording)."""
    cursor.execute(
        "CREATE TEMP TABLE stat_map_code (raw text PRIMARY KEY, code text) ON COMMIT DROP"
    )
    cursor.execute(
        "CREATE TEMP TABLE stat_map_ind (raw text PRIMARY KEY, label text) ON COMMIT DROP"
    )
    cursor.execute(
        "CREATE TEMP TABLE stat_map_unit (raw text PRIMARY KEY, label text) ON COMMIT DROP"
    )
    for role, table in (
        ("code", "stat_map_code"),
        ("indicator", "stat_map_ind"),
        ("unit", "stat_map_unit"),
    ):
        with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
            for raw, (value, _line) in maps[role].items():
                stored = value if role != "unit" else raw.strip()
                copy.write_row((raw, stored))


def _insert_normalised(cursor, staging: _Staging, target: str) -> int:
    """Every row into `target`, codes and wordings normalised, "NA" and blank cells as NULL."""
    col = staging.col

    def number(role: str, cast: str) -> str:
        return f"{missing_as_null(f't.{col[role]}')}::{cast}"

    def text(role: str) -> str:
        return missing_as_null(f"t.{col[role]}")

    cursor.execute(
        f"INSERT INTO {target} (code, year, indicator_label, unit_label, count, rate, diffusion, population, "
        "population_vintage, dwellings, dwellings_vintage, imputed, imputed_rate) "
        f"SELECT mc.code, t.{col['year']}::int, mi.label, mu.label, {number('count', 'bigint')}, "
        f"{text('rate')}, t.{col['diffusion']}, {text('pop')}, {number('pop_vintage', 'int')}, "
        f"{text('log')}, {number('log_vintage', 'int')}, {text('imputed')}, "
        f"{text('imputed_rate')} "
        f"FROM stat_stg t JOIN stat_map_code mc ON mc.raw = t.{col['code']} "
        f"JOIN stat_map_ind mi ON mi.raw = t.{col['indicator']} "
        f"JOIN stat_map_unit mu ON mu.raw = t.{col['unit']}"
    )
    return cursor.rowcount


def _raise_duplicates(cursor, staging: _Staging):
    """The primary key could not be built: locate the duplicate rows (called while handling the error)."""
    col = staging.col
    key = f"mc.code, t.{col['year']}, mi.label, mu.label"
    cursor.execute(
        f"SELECT line, first FROM (SELECT t.line, min(t.line) OVER (PARTITION BY {key}) AS first "
        f"FROM stat_stg t JOIN stat_map_code mc ON mc.raw = t.{col['code']} "
        f"JOIN stat_map_ind mi ON mi.raw = t.{col['indicator']} "
        f"JOIN stat_map_unit mu ON mu.raw = t.{col['unit']}) d "
        f"WHERE line <> first ORDER BY line LIMIT {MAX_ERRORS}"
    )
    raise ImportRefused(
        [
            f"Ligne {line + 1} : doublon de la ligne {first + 1} (même commune, indicateur, unité et année)."
            for line, first in cursor.fetchall()
        ]
        or ["Le fichier contient des lignes en double."]
    ) from None


def _merge(cursor, edition, rows: int) -> ImportStats:
    """Re-import: write only the rows that are new or changed (upsert into the edition's rows)."""
    on_key = " AND ".join(f"o.{c} = n.{c}" for c in KEY)
    differs = (
        f"ROW({', '.join(f'o.{c}' for c in VALUE_COLUMNS)}) IS DISTINCT FROM "
        f"ROW({', '.join(f'n.{c}' for c in VALUE_COLUMNS)})"
    )
    joined = f"FROM stat_comm_new n LEFT JOIN {TABLE} o ON o.edition_id = %s AND {on_key}"
    cursor.execute(
        f"SELECT count(*) FILTER (WHERE o.code IS NULL), "
        f"count(*) FILTER (WHERE o.code IS NOT NULL AND {differs}) {joined}",
        [edition.pk],
    )
    created, updated = cursor.fetchone()
    if created or updated:
        columns = ", ".join(KEY + VALUE_COLUMNS)
        cursor.execute(
            f"INSERT INTO {TABLE} ({columns}) SELECT {', '.join(f'n.{c}' for c in KEY + VALUE_COLUMNS)} "
            f"{joined} WHERE o.code IS NULL OR {differs} "
            f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET "
            + ", ".join(f"{c} = EXCLUDED.{c}" for c in VALUE_COLUMNS),
            [edition.pk],
        )
    return ImportStats(
        rows=rows, created=created, updated=updated, unchanged=rows - created - updated
    )


# ---------------------------------------------------------------------------------------------- ORM


def write_communal_with_orm(edition, parsed) -> ImportStats:
    """`parsed`: (line, values by column) of valid rows, codes and wordings normalised, no duplicates."""
    labels: dict[tuple[str, str], _Label] = {}
    for line, values in parsed:
        key = (values["indicator_label"], values["unit_label"])
        label = labels.get(key)
        if label is None:
            labels[key] = _Label(raw_indicator=key[0], raw_unit=key[1], rows=1, first_line=line)
        else:
            label.rows += 1
    store_labels(edition, list(labels.values()))
    existing = {
        (o["code"], o["year"], o["indicator_label"], o["unit_label"]): o
        for o in CommuneObservation.objects.filter(edition=edition).values(*KEY[:4], *VALUE_COLUMNS)
    }
    stats = ImportStats(rows=len(parsed))
    to_create, to_update = [], []
    for _line, values in parsed:
        key = tuple(values[c] for c in KEY[:4])
        current = existing.get(key)
        if current is None:
            to_create.append(CommuneObservation(edition=edition, **values))
        elif any(current[c] != values[c] for c in VALUE_COLUMNS):
            to_update.append(CommuneObservation(edition=edition, **values))
        else:
            stats.unchanged += 1
    CommuneObservation.objects.bulk_create(to_create, batch_size=1000)
    CommuneObservation.objects.bulk_update(to_update, VALUE_COLUMNS, batch_size=500)
    stats.created, stats.updated = len(to_create), len(to_update)
    return stats
