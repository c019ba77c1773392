"""Reading an SSMSI base into series and observations of one edition.

Two engines write the same rows:
- "orm": Python reads and checks every cell, then bulk_create / bulk_update in batches (any database;
  used on SQLite and for tests);
- "copy": PostgreSQL only. The file is streamed with COPY into a temporary table, checked there with
  set-based queries (same rules as the ORM engine, see layouts.py), then series and observations are
  written with INSERT … SELECT. This is what makes the communal base (≈ 5 million rows) load in a time
  comparable to a bare COPY.

Both are all or nothing: they run inside the caller's transaction and raise ImportRefused before
anything is committed. Re-reading the same file changes nothing (observations are compared first).
"""

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import IntegrityError, ProgrammingError, connection, transaction

from vigie.statistics.catalogue import (
    canonical_indicator_name,
    ensure_ssmsi_indicators,
    indicator_slug,
    ssmsi_rate_base,
)
from vigie.statistics.enums import Measure
from vigie.statistics.importers.layouts import (
    CATEGORICAL,
    MAX_ERRORS,
    NA,
    PATTERNS,
    Column,
    HeaderInfo,
    ImportRefused,
    Layout,
    cell_error,
    check_cell,
    department_of_commune,
    full_year,
    normalise_categorical,
    normalise_region,
)
from vigie.statistics.models import Indicator, Observation, Series

VALUE_STEP = Decimal("0.0001")
IMPUTED_STEP = Decimal("0.0000001")
OBSERVATION_FIELDS = (
    "value",
    "is_withheld",
    "imputed_value",
    "population",
    "population_vintage",
    "dwellings",
    "dwellings_vintage",
)


@dataclass
class ImportStats:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def resolve_indicators(raw_names) -> dict[str, Indicator]:
    """{raw name: Indicator}; names unknown to the catalogue become new indicators of the base."""
    reference = ensure_ssmsi_indicators()
    by_slug = {i.slug: i for i in reference.values()}
    result = {}
    for raw in raw_names:
        name = canonical_indicator_name(raw)
        slug = indicator_slug(name)
        indicator = by_slug.get(slug)
        if indicator is None:
            indicator, _ = Indicator.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "rate_base": ssmsi_rate_base(name),
                    "is_ssmsi": True,
                    "definition": "Indicateur de la base SSMSI absent du catalogue de Vigie : voir la "
                    "documentation de l'édition qui l'a introduit.",
                },
            )
            by_slug[slug] = indicator
        result[raw] = indicator
    return result


def row_errors(line: int, row: list[str], layout: Layout, positions: list[int]) -> list[str]:
    """Every bad cell of one row, with the rules both engines share."""
    if len(row) != len(layout.columns):
        return [f"Ligne {line} : {len(row)} colonne(s) au lieu de {len(layout.columns)}."]
    errors = []
    for column, position in zip(layout.columns, positions, strict=True):
        raw = row[position] or ""
        if column.kind in CATEGORICAL:
            ok = normalise_categorical(column.kind, raw) is not None
        else:
            ok = check_cell(column.kind, raw)
        if not ok:
            errors.append(cell_error(line, column, raw))
    return errors


def _decimal(raw: str, step: Decimal) -> Decimal | None:
    if raw == NA:
        return None
    return Decimal(raw.replace(",", ".")).quantize(step)


def _int(raw: str) -> int | None:
    return None if raw == NA else int(raw)


def _vintage(raw: str) -> int | None:
    return None if raw == NA else full_year(raw)


# ---------------------------------------------------------------------------------------------- ORM


def import_with_orm(path: Path, info: HeaderInfo, edition) -> tuple[ImportStats, str]:
    data = Path(path).read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRefused(
            [f"Ligne {line} : caractère non valide, le fichier doit être encodé en UTF-8."]
        ) from exc
    layout, positions = info.layout, info.positions
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=info.delimiter)
    next(reader, None)
    roles = {
        column.role: position for column, position in zip(layout.columns, positions, strict=True)
    }
    caches = {kind: {} for kind in CATEGORICAL}
    categorical = [
        (column.kind, position)
        for column, position in zip(layout.columns, positions, strict=True)
        if column.kind in CATEGORICAL
    ]
    numeric = [
        (column.kind, position)
        for column, position in zip(layout.columns, positions, strict=True)
        if column.kind not in CATEGORICAL
    ]
    errors: list[str] = []
    parsed = []
    seen: dict[tuple, int] = {}
    canonical: dict[str, str] = {}
    ncols = len(layout.columns)
    for row in reader:
        line = reader.line_num
        ok = len(row) == ncols
        if ok:
            for kind, position in categorical:
                raw = row[position]
                cache = caches[kind]
                if raw not in cache:
                    cache[raw] = normalise_categorical(kind, raw)
                if cache[raw] is None:
                    ok = False
            if ok:
                ok = all(check_cell(kind, row[position]) for kind, position in numeric)
        if not ok:
            errors.extend(row_errors(line, row, layout, positions))
            if len(errors) >= MAX_ERRORS:
                break
            continue
        code = caches[layout.column("code").kind][row[roles["code"]]]
        unit = caches["unit"][row[roles["unit"]]]
        indicator_raw = row[roles["indicator"]]
        year = full_year(row[roles["year"]])
        if indicator_raw not in canonical:
            canonical[indicator_raw] = canonical_indicator_name(caches["indicator"][indicator_raw])
        key = (canonical[indicator_raw], unit, code, year)
        if key in seen:
            errors.append(
                f"Ligne {line} : doublon de la ligne {seen[key]} (même territoire, indicateur, unité et année)."
            )
            if len(errors) >= MAX_ERRORS:
                break
            continue
        seen[key] = line
        withheld = "diffusion" in roles and row[roles["diffusion"]] == "ndiff"
        parsed.append(
            (
                indicator_raw,
                unit,
                code,
                normalise_region(row[roles["region"]]) if "region" in roles else "",
                year,
                (
                    None if withheld else _decimal(row[roles["count"]], VALUE_STEP),
                    withheld,
                    _decimal(row[roles["imputed"]], IMPUTED_STEP) if "imputed" in roles else None,
                    _int(row[roles["pop"]]),
                    _vintage(row[roles["pop_vintage"]]),
                    _int(row[roles["log"]]),
                    _vintage(row[roles["log_vintage"]]),
                ),
            )
        )
    if errors:
        raise ImportRefused(errors[:MAX_ERRORS])
    return _write_orm(edition, layout, parsed), sha256


def _write_orm(edition, layout: Layout, parsed) -> ImportStats:
    stats = ImportStats(rows=len(parsed))
    indicators = resolve_indicators({p[0] for p in parsed})
    existing_series = {
        (s.indicator_id, s.unit, s.code): s.pk
        for s in Series.objects.filter(
            edition=edition, level=layout.level, measure=Measure.COUNT, zone="", breakdown=""
        ).only("pk", "indicator_id", "unit", "code")
    }
    new_series = {}
    for indicator_raw, unit, code, region, *_rest in parsed:
        key = (indicators[indicator_raw].pk, unit, code)
        if key not in existing_series and key not in new_series:
            new_series[key] = Series(
                edition=edition,
                indicator_id=key[0],
                unit=unit,
                measure=Measure.COUNT,
                level=layout.level,
                code=code,
                region_code=region,
                department_code=department_of_commune(code) if layout.level == "commune" else code,
            )
    if new_series:
        Series.objects.bulk_create(new_series.values(), batch_size=500)
        existing_series = {
            (s.indicator_id, s.unit, s.code): s.pk
            for s in Series.objects.filter(
                edition=edition, level=layout.level, measure=Measure.COUNT, zone="", breakdown=""
            ).only("pk", "indicator_id", "unit", "code")
        }
    existing_obs = {
        (o["series_id"], o["year"]): o
        for o in Observation.objects.filter(
            series__edition=edition, series__level=layout.level, month=0
        ).values("pk", "series_id", "year", *OBSERVATION_FIELDS)
    }
    to_create, to_update = [], []
    for indicator_raw, unit, code, _region, year, values in parsed:
        series_id = existing_series[(indicators[indicator_raw].pk, unit, code)]
        current = existing_obs.get((series_id, year))
        fields = dict(zip(OBSERVATION_FIELDS, values, strict=True))
        if current is None:
            to_create.append(Observation(series_id=series_id, year=year, month=0, **fields))
        elif any(current[name] != fields[name] for name in OBSERVATION_FIELDS):
            to_update.append(
                Observation(pk=current["pk"], series_id=series_id, year=year, month=0, **fields)
            )
        else:
            stats.unchanged += 1
    Observation.objects.bulk_create(to_create, batch_size=1000)
    Observation.objects.bulk_update(to_update, OBSERVATION_FIELDS, batch_size=500)
    stats.created, stats.updated = len(to_create), len(to_update)
    return stats


# --------------------------------------------------------------------------------------------- COPY

_COPY_LINE_RE = re.compile(r"line (\d+)")


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


_DROP_TEMP = "DROP TABLE IF EXISTS stat_stg, stat_map_ind, stat_map_unit, stat_map_code"


def _sql_cell_ok(column: Column, expr: str, params: list) -> str:
    pattern, accepts_na = PATTERNS[column.kind]
    params.append(pattern)
    return f"({expr} ~ %s" + (f" OR {expr} = 'NA')" if accepts_na else ")")


def import_with_copy(path: Path, info: HeaderInfo, edition) -> tuple[ImportStats, str]:
    import psycopg

    layout, positions = info.layout, info.positions
    n = len(layout.columns)
    col = {
        column.role: f"f{position}"
        for column, position in zip(layout.columns, positions, strict=True)
    }
    kinds = {column.role: column for column in layout.columns}
    hasher = hashlib.sha256()
    stats = ImportStats()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        # Temporary tables live until the end of the transaction, which may hold several imports.
        cursor.execute(_DROP_TEMP)
        cursor.execute(
            "CREATE TEMP TABLE stat_stg (line bigint GENERATED ALWAYS AS IDENTITY, "
            + ", ".join(f"f{i} text" for i in range(n))
            + ") ON COMMIT DROP"
        )
        copy_sql = (
            f"COPY stat_stg ({', '.join(f'f{i}' for i in range(n))}) FROM STDIN "
            f"WITH (FORMAT csv, DELIMITER '{info.delimiter}', HEADER true, ENCODING 'UTF8')"
        )
        try:
            with cursor.cursor.copy(copy_sql) as copy, open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    hasher.update(chunk)
                    copy.write(chunk)
        except psycopg.Error as exc:
            raise ImportRefused([_copy_error(exc)]) from exc

        # 1. Numeric cells: one scan with the shared patterns.
        params: list = []
        checks = [
            _sql_cell_ok(column, f"coalesce({col[column.role]}, '')", params)
            for column in layout.columns
            if column.kind not in CATEGORICAL
        ]
        cursor.execute(
            f"SELECT line FROM stat_stg WHERE NOT ({' AND '.join(checks)}) ORDER BY line LIMIT {MAX_ERRORS}",
            params,
        )
        bad_lines = {row[0] for row in cursor.fetchall()}

        # 2. Categorical cells: normalise the distinct values in Python.
        categorical = [column for column in layout.columns if column.kind in CATEGORICAL]
        sets = ", ".join(f"({col[c.role]})" for c in categorical)
        selected = ", ".join(f"coalesce({col[c.role]}, '')" for c in categorical)
        grouping = ", ".join(col[c.role] for c in categorical)
        cursor.execute(
            f"SELECT {selected}, GROUPING({grouping}) FROM stat_stg GROUP BY GROUPING SETS ({sets})"
        )
        distinct = {c.role: set() for c in categorical}
        width = len(categorical)
        for row in cursor.fetchall():
            mask = row[-1]
            for i, c in enumerate(categorical):
                if not (mask >> (width - 1 - i)) & 1:
                    distinct[c.role].add(row[i])
        mapped = {
            role: {raw: normalise_categorical(kinds[role].kind, raw) for raw in values}
            for role, values in distinct.items()
        }
        for role, mapping in mapped.items():
            invalid = [raw for raw, value in mapping.items() if value is None]
            if invalid:
                cursor.execute(
                    f"SELECT line FROM stat_stg WHERE coalesce({col[role]}, '') = ANY(%s) ORDER BY line LIMIT {MAX_ERRORS}",
                    [invalid],
                )
                bad_lines |= {row[0] for row in cursor.fetchall()}
        if bad_lines:
            lines = sorted(bad_lines)[:MAX_ERRORS]
            cursor.execute(
                f"SELECT line, {', '.join(f'coalesce(f{i}, {chr(39) * 2})' for i in range(n))} FROM stat_stg "
                "WHERE line = ANY(%s) ORDER BY line",
                [lines],
            )
            errors = []
            for row in cursor.fetchall():
                errors.extend(row_errors(row[0] + 1, list(row[1:]), layout, positions))
            raise ImportRefused(errors[:MAX_ERRORS])

        # 3. Map tables for the categorical values.
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
                dep = department_of_commune(code) if layout.level == "commune" else code
                copy.write_row((raw, code, dep))
        cursor.execute("ANALYZE stat_stg")

        # 4. Series (one per indicator × unit × territory), then observations.
        region = (
            "CASE WHEN length(g.region) = 1 THEN '0' || g.region ELSE coalesce(g.region, '') END"
            if "region" in col
            else "''"
        )
        region_agg = f"min({col['region']})" if "region" in col else "NULL"
        cursor.execute(
            "INSERT INTO statistics_series (edition_id, indicator_id, unit, measure, level, code, name, "
            "department_code, region_code, zone, breakdown, ref, original_producer, section, context, note, "
            "comparison_note, compare_with_id) "
            f"SELECT %s, mi.indicator_id, mu.unit, %s, %s, mc.code, '', mc.dep, {region}, '', '', '', '', '', '', '', '', NULL "
            f"FROM (SELECT {col['indicator']} AS ri, {col['unit']} AS ru, {col['code']} AS rc, {region_agg} AS region "
            "      FROM stat_stg GROUP BY 1, 2, 3) g "
            "JOIN stat_map_ind mi ON mi.raw = g.ri JOIN stat_map_unit mu ON mu.raw = g.ru "
            "JOIN stat_map_code mc ON mc.raw = g.rc "
            "ON CONFLICT (edition_id, indicator_id, unit, measure, level, code, zone, breakdown, ref) DO NOTHING",
            [edition.pk, Measure.COUNT.value, layout.level],
        )

        def year_expr(role):
            c = f"t.{col[role]}"
            if kinds[role].kind in ("year2", "vintage2"):
                return f"CASE WHEN {c} = 'NA' THEN NULL WHEN length({c}) = 2 THEN 2000 + {c}::int ELSE {c}::int END"
            return f"NULLIF({c}, 'NA')::int"

        withheld = f"(t.{col['diffusion']} = 'ndiff')" if "diffusion" in col else "false"
        value = f"CASE WHEN {withheld} THEN NULL ELSE NULLIF(t.{col['count']}, 'NA')::numeric END"
        imputed = (
            f"round(replace(NULLIF(t.{col['imputed']}, 'NA'), ',', '.')::numeric, 7)"
            if "imputed" in col
            else "NULL"
        )
        select = (
            f"SELECT s.id, {year_expr('year')}, 0, {value}, {withheld}, {imputed}, "
            f"NULLIF(t.{col['pop']}, 'NA')::bigint, {year_expr('pop_vintage')}, "
            f"NULLIF(t.{col['log']}, 'NA')::bigint, {year_expr('log_vintage')} "
            "FROM stat_stg t "
            f"JOIN stat_map_ind mi ON mi.raw = t.{col['indicator']} "
            f"JOIN stat_map_unit mu ON mu.raw = t.{col['unit']} "
            f"JOIN stat_map_code mc ON mc.raw = t.{col['code']} "
            "JOIN statistics_series s ON s.edition_id = %s AND s.level = %s AND s.indicator_id = mi.indicator_id "
            "  AND s.unit = mu.unit AND s.code = mc.code AND s.measure = %s AND s.zone = '' AND s.breakdown = ''"
        )
        insert = (
            "INSERT INTO statistics_observation (series_id, year, month, value, is_withheld, imputed_value, "
            "population, population_vintage, dwellings, dwellings_vintage) "
        )
        params = [edition.pk, layout.level, Measure.COUNT.value]
        fresh = not Observation.objects.filter(
            series__edition=edition, series__level=layout.level
        ).exists()
        cursor.execute("SELECT count(*) FROM stat_stg")
        stats.rows = cursor.fetchone()[0]
        try:
            with transaction.atomic():
                if fresh:
                    cursor.execute(insert + select, params)
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
                        "SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM up",
                        params,
                    )
                    stats.created, stats.updated = cursor.fetchone()
                    stats.unchanged = stats.rows - stats.created - stats.updated
        except (IntegrityError, ProgrammingError) as exc:
            duplicate = isinstance(exc, IntegrityError) or isinstance(
                exc.__cause__, psycopg.errors.CardinalityViolation
            )
            if not duplicate:
                raise
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
        cursor.execute(_DROP_TEMP)
    return stats, hasher.hexdigest()


def run_import(path: Path, info: HeaderInfo, edition, engine: str) -> tuple[ImportStats, str]:
    if engine == "copy":
        return import_with_copy(path, info, edition)
    return import_with_orm(path, info, edition)
