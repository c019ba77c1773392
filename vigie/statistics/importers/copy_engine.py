"""PostgreSQL engine for the departmental bases (the communal base has its own: communal.py): the file goes
through COPY into a temporary table, and everything else is set-based.

Fast path (a valid file, the usual case): COPY into a *typed* staging table, so that PostgreSQL's own
parsers check the integer cells while reading; `NA` becomes NULL (FORCE_NULL). One scan then checks
what COPY cannot (ranges, signs, decimal-comma cells, diffusion flags); categorical cells are normalised
in Python on their distinct values only; series are created from the distinct keys, and observations are
written by one INSERT … SELECT.

Exact path (anything wrong on the fast path): the transaction goes back to a savepoint and the file is
read again into a *text* staging table, where every cell is checked with the same rules as the ORM engine
(layouts.PATTERNS, in SQL) so the messages are the same, with line and column.

Differences with the ORM engine on a file that is otherwise valid: integer cells go through PostgreSQL's
integer parser, which also accepts surrounding spaces and a "+" sign; decimal cells through the numeric
parser (".5", "NaN"). The ORM engine refuses these.
"""

import hashlib
import re
from pathlib import Path

from django.db import DataError, IntegrityError, ProgrammingError, connection, transaction

from vigie.statistics.enums import Measure
from vigie.statistics.importers.common import (
    OBSERVATION_FIELDS,
    ImportStats,
    resolve_indicators,
    row_errors,
)
from vigie.statistics.importers.layouts import (
    CATEGORICAL,
    MAX_ERRORS,
    PATTERNS,
    HeaderInfo,
    ImportRefused,
    normalise_categorical,
)

TEMP_TABLES = (
    "stat_stg",
    "stat_keys",
    "stat_key_ids",
    "stat_map_ind",
    "stat_map_unit",
    "stat_map_code",
)
_DROP_TEMP = f"DROP TABLE IF EXISTS {', '.join(TEMP_TABLES)}"
_COPY_LINE_RE = re.compile(r"line (\d+)")
_TYPED = {
    "int": "bigint",
    "year": "integer",
    "year2": "integer",
    "vintage": "integer",
    "vintage2": "integer",
}
_NULLABLE = {"int", "decimal", "measure", "vintage", "vintage2"}


def missing_as_null(expr: str) -> str:
    """A text cell with "NA" or a blank cell as NULL (exact path)."""
    return f"NULLIF(NULLIF({expr}, 'NA'), '')"


class _ExactCheckNeeded(Exception):
    pass


def _copy_error(exc) -> str:
    context = getattr(getattr(exc, "diag", None), "context", "") or ""
    match = _COPY_LINE_RE.search(context)
    where = f"Ligne {match.group(1)}" if match else "Fichier"
    detail = str(getattr(getattr(exc, "diag", None), "message_primary", "") or exc)
    if "encoding" in detail or "byte sequence" in detail:
        return f"{where} : caractère non valide, le fichier doit être encodé en UTF-8."
    if "missing data" in detail or "extra data" in detail:
        return f"{where} : nombre de colonnes incorrect."
    if "quote" in detail:
        return f"{where} : guillemet non fermé."
    return f"{where} : ligne illisible ({detail})."


class _Staging:
    """Column names and SQL expressions of one staging table (typed or text)."""

    def __init__(self, info: HeaderInfo, typed: bool):
        self.info, self.typed = info, typed
        self.layout = info.layout
        self.col = {
            c.role: f"f{p}" for c, p in zip(self.layout.columns, info.positions, strict=True)
        }
        self.kinds = {c.role: c.kind for c in self.layout.columns}

    def create_and_copy(self, cursor, path: Path, hasher) -> None:
        import psycopg

        n = len(self.layout.columns)
        by_position = {p: c for c, p in zip(self.layout.columns, self.info.positions, strict=True)}
        types = [
            (_TYPED.get(by_position[i].kind, "text") if self.typed else "text") for i in range(n)
        ]
        cursor.execute(
            "CREATE TEMP TABLE stat_stg (line bigint GENERATED ALWAYS AS IDENTITY, "
            + ", ".join(f"f{i} {t}" for i, t in enumerate(types))
            + ") ON COMMIT DROP"
        )
        options = f"FORMAT csv, DELIMITER '{self.info.delimiter}', HEADER true, ENCODING 'UTF8'"
        if self.typed:
            forced = [f"f{i}" for i in range(n) if by_position[i].kind in _NULLABLE]
            options += ", NULL 'NA'" + (f", FORCE_NULL ({', '.join(forced)})" if forced else "")
        try:
            with (
                cursor.cursor.copy(
                    f"COPY stat_stg ({', '.join(f'f{i}' for i in range(n))}) FROM STDIN WITH ({options})"
                ) as copy,
                open(path, "rb") as handle,
            ):
                while chunk := handle.read(1 << 20):
                    if hasher is not None:
                        hasher.update(chunk)
                    copy.write(chunk)
        except psycopg.errors.DataError as exc:
            if self.typed and not _is_format_error(exc):
                raise _ExactCheckNeeded from exc
            raise ImportRefused([_copy_error(exc)]) from exc
        except psycopg.Error as exc:
            raise ImportRefused([_copy_error(exc)]) from exc

    # SQL expressions of the stored values, from staging row `t`.
    def year(self, role: str) -> str:
        c = f"t.{self.col[role]}"
        two_digits = self.kinds[role] in ("year2", "vintage2")
        if self.typed:
            return f"CASE WHEN {c} < 100 THEN 2000 + {c} ELSE {c} END" if two_digits else c
        if two_digits:
            return (
                f"CASE WHEN {c} IN ('NA', '') THEN NULL WHEN length({c}) = 2 THEN 2000 + {c}::int "
                f"ELSE {c}::int END"
            )
        return f"{missing_as_null(c)}::int"

    def integer(self, role: str) -> str:
        c = f"t.{self.col[role]}"
        return c if self.typed else f"{missing_as_null(c)}::bigint"

    def decimal(self, role: str) -> str:
        """Decimal and measure cells (text in both staging tables: decimal comma)."""
        c = f"t.{self.col[role]}"
        inner = c if self.typed else missing_as_null(c)
        return f"replace({inner}, ',', '.')::numeric"

    def withheld(self) -> str:
        return f"(t.{self.col['diffusion']} = 'ndiff')" if "diffusion" in self.col else "false"


def _is_format_error(exc) -> bool:
    detail = str(getattr(getattr(exc, "diag", None), "message_primary", "") or exc)
    return any(
        word in detail
        for word in ("missing data", "extra data", "quote", "encoding", "byte sequence")
    )


def _fast_checks(cursor, staging: _Staging) -> None:
    """What the typed COPY did not check; any failure sends the file to the exact path."""
    conditions = []
    for column in staging.layout.columns:
        c = staging.col[column.role]
        if column.kind == "int":
            conditions.append(f"{c} < 0")
        elif column.kind == "year":
            conditions.append(f"{c} IS NULL OR {c} NOT BETWEEN 1000 AND 9999")
        elif column.kind == "year2":
            conditions.append(
                f"{c} IS NULL OR NOT ({c} BETWEEN 0 AND 99 OR {c} BETWEEN 1000 AND 9999)"
            )
        elif column.kind == "vintage":
            conditions.append(f"{c} NOT BETWEEN 1000 AND 9999")
        elif column.kind == "vintage2":
            conditions.append(f"NOT ({c} BETWEEN 0 AND 99 OR {c} BETWEEN 1000 AND 9999)")
        elif column.kind == "diffusion":
            conditions.append(f"{c} IS NULL OR {c} NOT IN ('diff', 'ndiff')")
        elif column.kind == "region":
            conditions.append(f"{c} IS NULL OR {c} !~ '{PATTERNS['region'][0]}'")
        elif column.kind == "measure":
            conditions.append(f"{c} !~ '{PATTERNS['measure'][0]}'")
        elif column.kind == "decimal":
            # The cast raises on a malformed cell (caught below); it is never NULL for a non-NULL cell.
            conditions.append(f"({c} IS NOT NULL AND replace({c}, ',', '.')::numeric IS NULL)")
    try:
        cursor.execute(
            f"SELECT 1 FROM stat_stg WHERE {' OR '.join(f'({x})' for x in conditions)} LIMIT 1"
        )
    except DataError as exc:  # a decimal cell the numeric parser refuses
        raise _ExactCheckNeeded from exc
    if cursor.fetchone():
        raise _ExactCheckNeeded


def _exact_checks(cursor, staging: _Staging) -> set[int]:
    """Lines with a bad numeric cell, with the shared patterns (text staging)."""
    params: list = []
    checks = []
    for column in staging.layout.columns:
        if column.kind in CATEGORICAL:
            continue
        pattern, accepts_na = PATTERNS[column.kind]
        expr = f"coalesce({staging.col[column.role]}, '')"
        params.append(pattern)
        checks.append(f"({expr} ~ %s" + (f" OR {expr} IN ('NA', ''))" if accepts_na else ")"))
    cursor.execute(
        f"SELECT line FROM stat_stg WHERE NOT ({' AND '.join(checks)}) ORDER BY line LIMIT {MAX_ERRORS}",
        params,
    )
    return {row[0] for row in cursor.fetchall()}


def _raise_errors(cursor, staging: _Staging, lines):
    n = len(staging.layout.columns)
    lines = sorted(lines)[:MAX_ERRORS]
    cursor.execute(
        f"SELECT line, {', '.join(f'coalesce(f{i}::text, {chr(39) * 2})' for i in range(n))} FROM stat_stg "
        "WHERE line = ANY(%s) ORDER BY line",
        [lines],
    )
    errors = []
    for row in cursor.fetchall():
        errors.extend(row_errors(row[0] + 1, list(row[1:]), staging.layout, staging.info.positions))
    raise ImportRefused(errors[:MAX_ERRORS])


def import_with_copy(path: Path, info: HeaderInfo, edition) -> tuple[ImportStats, str]:
    """Returns (stats, sha256). Raises ImportRefused with located messages when the file is wrong."""
    hasher = hashlib.sha256()
    with connection.cursor() as cursor:
        cursor.execute(_DROP_TEMP)
        try:
            with transaction.atomic():
                staging = _Staging(info, typed=True)
                staging.create_and_copy(cursor, path, hasher)
                _fast_checks(cursor, staging)
                stats = _write(cursor, staging, edition, exact=False)
        except _ExactCheckNeeded:
            cursor.execute(_DROP_TEMP)
            staging = _Staging(info, typed=False)
            staging.create_and_copy(cursor, path, None)
            bad_lines = _exact_checks(cursor, staging)
            if bad_lines:
                _raise_errors(cursor, staging, bad_lines)
            stats = _write(cursor, staging, edition, exact=True)
        cursor.execute(_DROP_TEMP)
    return stats, hasher.hexdigest()


def _write(cursor, staging: _Staging, edition, *, exact: bool) -> ImportStats:
    """Series from the distinct keys, then the observations (staging table `stat_stg` loaded)."""
    stats = ImportStats()
    mapped = _distinct_keys(cursor, staging, exact=exact)
    cursor.execute("SELECT sum(n) FROM stat_keys")
    stats.rows = int(cursor.fetchone()[0] or 0)
    _write_series(cursor, staging, edition, mapped)
    _write_observations(cursor, staging, edition, stats, exact=exact)
    cursor.execute("ANALYZE statistics_series, statistics_observation")
    return stats


def _distinct_keys(cursor, staging: _Staging, *, exact: bool) -> dict[str, dict]:
    """1. Distinct keys (indicator × unit × territory), the only aggregation over the whole file, into
    `stat_keys`; their categorical values normalised in Python: {role: {raw: normalised}}."""
    col = staging.col
    region = f"min({col['region']})" if "region" in col else "NULL"
    cursor.execute(
        f"CREATE TEMP TABLE stat_keys ON COMMIT DROP AS SELECT coalesce({col['indicator']}, '') AS ri, "
        f"coalesce({col['unit']}, '') AS ru, coalesce({col['code']}, '') AS rc, {region} AS region, "
        "count(*) AS n FROM stat_stg GROUP BY 1, 2, 3"
    )
    distinct = {}
    for role, key in (("indicator", "ri"), ("unit", "ru"), ("code", "rc")):
        cursor.execute(f"SELECT DISTINCT {key} FROM stat_keys")
        distinct[role] = {row[0] for row in cursor.fetchall()}
    kinds = staging.kinds
    mapped = {
        role: {raw: normalise_categorical(kinds[role], raw) for raw in values}
        for role, values in distinct.items()
    }
    invalid = {
        role: [raw for raw, value in mapping.items() if value is None]
        for role, mapping in mapped.items()
    }
    if any(invalid.values()):
        if not exact:
            raise _ExactCheckNeeded
        lines = set()
        for role, values in invalid.items():
            if values:
                cursor.execute(
                    f"SELECT line FROM stat_stg WHERE coalesce({col[role]}, '') = ANY(%s) ORDER BY line LIMIT {MAX_ERRORS}",
                    [values],
                )
                lines |= {row[0] for row in cursor.fetchall()}
        _raise_errors(cursor, staging, lines)
    return mapped


def _write_series(cursor, staging: _Staging, edition, mapped: dict[str, dict]) -> None:
    """2. Map tables for the categorical values, then the series of the distinct keys (`stat_key_ids`)."""
    layout, col = staging.layout, staging.col
    indicators = resolve_indicators(mapped["indicator"].keys())
    cursor.execute(
        "CREATE TEMP TABLE stat_map_ind (raw text PRIMARY KEY, indicator_id bigint) ON COMMIT DROP"
    )
    cursor.execute(
        "CREATE TEMP TABLE stat_map_unit (raw text PRIMARY KEY, unit text) ON COMMIT DROP"
    )
    cursor.execute(
        "CREATE TEMP TABLE stat_map_code (raw text PRIMARY KEY, code text, dep text) ON COMMIT DROP"
    )
    with cursor.cursor.copy("COPY stat_map_ind (raw, indicator_id) FROM STDIN") as copy:
        for raw, indicator in indicators.items():
            copy.write_row((raw, indicator.pk))
    with cursor.cursor.copy("COPY stat_map_unit (raw, unit) FROM STDIN") as copy:
        for raw, unit in mapped["unit"].items():
            copy.write_row((raw, str(unit)))
    with cursor.cursor.copy("COPY stat_map_code (raw, code, dep) FROM STDIN") as copy:
        for raw, code in mapped["code"].items():
            copy.write_row((raw, code, code))
    cursor.execute("ANALYZE stat_keys, stat_map_ind, stat_map_unit, stat_map_code")
    region_expr = (
        "CASE WHEN length(k.region) = 1 THEN '0' || k.region ELSE coalesce(k.region, '') END"
        if "region" in col
        else "''"
    )
    cursor.execute(
        "INSERT INTO statistics_series (edition_id, indicator_id, unit, measure, level, code, name, "
        "department_code, region_code, zone, breakdown, ref, original_producer, section, context, note, "
        "comparison_note, compare_with_id) "
        f"SELECT %s, mi.indicator_id, mu.unit, %s, %s, mc.code, '', mc.dep, {region_expr}, "
        "'', '', '', '', '', '', '', '', NULL "
        "FROM stat_keys k JOIN stat_map_ind mi ON mi.raw = k.ri JOIN stat_map_unit mu ON mu.raw = k.ru "
        "JOIN stat_map_code mc ON mc.raw = k.rc "
        # In the order of the unique index, which then grows at its right edge.
        "ORDER BY mi.indicator_id, mu.unit, mc.code "
        "ON CONFLICT (edition_id, indicator_id, unit, measure, level, code, zone, breakdown, ref) DO NOTHING",
        [edition.pk, Measure.COUNT.value, layout.level],
    )
    cursor.execute("ANALYZE statistics_series")
    cursor.execute(
        "CREATE TEMP TABLE stat_key_ids ON COMMIT DROP AS "
        "SELECT k.ri, k.ru, k.rc, s.id AS series_id FROM stat_keys k "
        "JOIN stat_map_ind mi ON mi.raw = k.ri JOIN stat_map_unit mu ON mu.raw = k.ru "
        "JOIN stat_map_code mc ON mc.raw = k.rc "
        "JOIN statistics_series s ON s.edition_id = %s AND s.indicator_id = mi.indicator_id AND s.unit = mu.unit "
        "  AND s.measure = %s AND s.level = %s AND s.code = mc.code AND s.zone = '' AND s.breakdown = '' "
        "  AND s.ref = ''",
        [edition.pk, Measure.COUNT.value, layout.level],
    )
    cursor.execute("ANALYZE stat_key_ids")


def _write_observations(cursor, staging: _Staging, edition, stats: ImportStats, *, exact: bool):
    """3. Observations: one INSERT … SELECT (plain on a new edition, upsert on a re-import)."""
    import psycopg

    layout, col = staging.layout, staging.col
    imputed = f"round({staging.decimal('imputed')}, 7)" if "imputed" in col else "NULL"
    withheld = staging.withheld()
    select = (
        f"SELECT k.series_id, {staging.year('year')}, 0, "
        f"CASE WHEN {withheld} THEN NULL ELSE {staging.integer('count')} END, {withheld}, {imputed}, "
        f"{staging.decimal('pop')}, {staging.year('pop_vintage')}, {staging.decimal('log')}, "
        f"{staging.year('log_vintage')} "
        "FROM stat_stg t JOIN stat_key_ids k "
        f"ON k.ri = coalesce(t.{col['indicator']}, '') AND k.ru = coalesce(t.{col['unit']}, '') "
        f"AND k.rc = coalesce(t.{col['code']}, '')"
    )
    insert = (
        "INSERT INTO statistics_observation (series_id, year, month, value, is_withheld, imputed_value, "
        "population, population_vintage, dwellings, dwellings_vintage) "
    )
    cursor.execute(
        "SELECT EXISTS (SELECT 1 FROM statistics_observation o JOIN statistics_series s ON s.id = o.series_id "
        "WHERE s.edition_id = %s AND s.level = %s)",
        [edition.pk, layout.level],
    )
    fresh = not cursor.fetchone()[0]
    try:
        with transaction.atomic():
            if fresh:
                # In primary-key order: the index grows at its right edge instead of being written all over.
                cursor.execute("SET LOCAL work_mem = '256MB'")
                cursor.execute(f"{insert}{select} ORDER BY 1, 2")
                stats.created = cursor.rowcount
            else:
                changed = " OR ".join(
                    f"statistics_observation.{f} IS DISTINCT FROM EXCLUDED.{f}"
                    for f in OBSERVATION_FIELDS
                )
                cursor.execute(
                    f"WITH up AS ({insert}{select} ON CONFLICT (series_id, year, month) DO UPDATE SET "
                    + ", ".join(f"{f} = EXCLUDED.{f}" for f in OBSERVATION_FIELDS)
                    + f" WHERE {changed} RETURNING (xmax = 0) AS created) "
                    "SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM up"
                )
                stats.created, stats.updated = cursor.fetchone()
            stats.unchanged = stats.rows - stats.created - stats.updated
    except (IntegrityError, ProgrammingError) as exc:
        duplicate = isinstance(exc, IntegrityError) or isinstance(
            exc.__cause__, psycopg.errors.CardinalityViolation
        )
        if not duplicate:
            raise
        if not exact:
            raise _ExactCheckNeeded from exc
        key = f"{col['indicator']}, {col['unit']}, {col['code']}, {col['year']}"
        cursor.execute(
            f"SELECT line, first FROM (SELECT line, min(line) OVER (PARTITION BY {key}) AS first "
            f"FROM stat_stg) d WHERE line <> first ORDER BY line LIMIT {MAX_ERRORS}"
        )
        raise ImportRefused(
            [
                f"Ligne {line + 1} : doublon de la ligne {first + 1} (même territoire, indicateur, unité et année)."
                for line, first in cursor.fetchall()
            ]
            or ["Le fichier contient des lignes en double."]
        ) from None
