"""Reading an SSMSI base into one edition: series and observations for the departmental bases,
`CommuneObservation` rows for the communal base.

Two engines write the same rows:
- "orm": Python reads and checks every cell, then bulk_create / bulk_update in batches (any database;
  used on SQLite and for tests);
- "copy": PostgreSQL only. Departmental bases (copy_engine.py): the file is streamed with COPY into a
  temporary table, checked there with set-based queries, then series and observations are written with
  INSERT … SELECT. Communal base (communal.py, ≈ 5 million rows): COPY straight into the edition's new
  partition, checked, indexed and attached, which keeps the import within twice a bare COPY.

Both are all or nothing: they run inside the caller's transaction and raise ImportRefused before
anything is committed. Re-reading the same file changes nothing (observations are compared first).
"""

import csv
import hashlib
import io
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from vigie.statistics.catalogue import canonical_indicator_name
from vigie.statistics.enums import Measure, TerritoryLevel
from vigie.statistics.importers.common import (
    OBSERVATION_FIELDS,
    ImportStats,
    resolve_indicators,
    row_errors,
)
from vigie.statistics.importers.communal import (
    import_communal_with_copy,
    write_communal_with_orm,
)
from vigie.statistics.importers.copy_engine import import_with_copy
from vigie.statistics.importers.layouts import (
    CATEGORICAL,
    MAX_ERRORS,
    MISSING,
    HeaderInfo,
    ImportRefused,
    Layout,
    check_cell,
    full_year,
    normalise_categorical,
    normalise_region,
)
from vigie.statistics.models import Observation, Series

VALUE_STEP = Decimal("0.0001")
IMPUTED_STEP = Decimal("0.0000001")
# Populations and dwellings as published (fractional INSEE estimates in some editions).
MEASURE_STEP = Decimal("0.0000000001")


def _decimal(raw: str, step: Decimal) -> Decimal | None:
    if raw in MISSING:
        return None
    # Half up, as PostgreSQL rounds numeric values (COPY engine).
    return Decimal(raw.replace(",", ".")).quantize(step, rounding=ROUND_HALF_UP)


def _int(raw: str) -> int | None:
    return None if raw in MISSING else int(raw)


def _vintage(raw: str) -> int | None:
    return None if raw in MISSING else full_year(raw)


# ---------------------------------------------------------------------------------------------- ORM


def _read_text(path: Path) -> tuple[str, str]:
    """(text, sha256) of the file; refused when it is not UTF-8."""
    data = Path(path).read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        return data.decode("utf-8-sig"), sha256
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRefused(
            [f"Ligne {line} : caractère non valide, le fichier doit être encodé en UTF-8."]
        ) from exc


class _RowChecker:
    """Checks a row with the shared rules; categorical cells are normalised once per distinct value."""

    def __init__(self, layout: Layout, positions: list[int]):
        pairs = list(zip(layout.columns, positions, strict=True))
        self.ncols = len(layout.columns)
        self.caches = {kind: {} for kind in CATEGORICAL}
        self.categorical = [(c.kind, p) for c, p in pairs if c.kind in CATEGORICAL]
        self.numeric = [(c.kind, p) for c, p in pairs if c.kind not in CATEGORICAL]

    def valid(self, row: list[str]) -> bool:
        if len(row) != self.ncols:
            return False
        ok = True
        for kind, position in self.categorical:
            raw = row[position]
            cache = self.caches[kind]
            if raw not in cache:
                cache[raw] = normalise_categorical(kind, raw)
            ok = ok and cache[raw] is not None
        return ok and all(check_cell(kind, row[position]) for kind, position in self.numeric)

    def value(self, kind: str, raw: str):
        return self.caches[kind][raw]


def import_with_orm(path: Path, info: HeaderInfo, edition) -> tuple[ImportStats, str]:
    text, sha256 = _read_text(path)
    layout, positions = info.layout, info.positions
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=info.delimiter)
    next(reader, None)
    roles = {c.role: p for c, p in zip(layout.columns, positions, strict=True)}
    checker = _RowChecker(layout, positions)
    errors: list[str] = []
    parsed = []
    seen: dict[tuple, int] = {}
    canonical: dict[str, str] = {}
    communal = layout.level == TerritoryLevel.COMMUNE
    for row in reader:
        line = reader.line_num
        if not checker.valid(row):
            errors.extend(row_errors(line, row, layout, positions))
            if len(errors) >= MAX_ERRORS:
                break
            continue
        code = checker.value(layout.column("code").kind, row[roles["code"]])
        unit = checker.value("unit", row[roles["unit"]])
        indicator_raw = row[roles["indicator"]]
        year = full_year(row[roles["year"]])
        if indicator_raw not in canonical:
            canonical[indicator_raw] = canonical_indicator_name(
                checker.value("indicator", indicator_raw)
            )
        key = (canonical[indicator_raw], unit, code, year)
        if key in seen:
            errors.append(
                f"Ligne {line} : doublon de la ligne {seen[key]} (même territoire, indicateur, unité et année)."
            )
            if len(errors) >= MAX_ERRORS:
                break
            continue
        seen[key] = line
        if communal:
            parsed.append((line, _communal_values(row, roles, code, year, checker.caches)))
        else:
            parsed.append((indicator_raw, unit, code, *_departmental_values(row, roles, year)))
    if errors:
        raise ImportRefused(errors[:MAX_ERRORS])
    if communal:
        return write_communal_with_orm(edition, parsed), sha256
    return _write_orm(edition, layout, parsed), sha256


def _departmental_values(row, roles, year) -> tuple:
    """(region, year, observation values in OBSERVATION_FIELDS order) of a departmental row."""
    return (
        normalise_region(row[roles["region"]]) if "region" in roles else "",
        year,
        (
            _decimal(row[roles["count"]], VALUE_STEP),
            False,
            None,
            _decimal(row[roles["pop"]], MEASURE_STEP),
            _vintage(row[roles["pop_vintage"]]),
            _decimal(row[roles["log"]], MEASURE_STEP),
            _vintage(row[roles["log_vintage"]]),
        ),
    )


def _text(raw: str) -> str | None:
    return None if raw in MISSING else raw


def _communal_values(row, roles, code, year, caches) -> dict:
    """A communal row as stored: as published, code and wordings normalised."""
    return {
        "code": code,
        "year": year,
        "indicator_label": caches["indicator"][row[roles["indicator"]]],
        "unit_label": row[roles["unit"]].strip(),
        "count": _int(row[roles["count"]]),
        "rate": _text(row[roles["rate"]]),
        "diffusion": row[roles["diffusion"]],
        "population": _text(row[roles["pop"]]),
        "population_vintage": _vintage(row[roles["pop_vintage"]]),
        "dwellings": _text(row[roles["log"]]),
        "dwellings_vintage": _vintage(row[roles["log_vintage"]]),
        "imputed": _text(row[roles["imputed"]]),
        "imputed_rate": _text(row[roles["imputed_rate"]]),
    }


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
                department_code=code,
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
        ).values("series_id", "year", *OBSERVATION_FIELDS)
    }
    to_create, to_update = [], []
    for indicator_raw, unit, code, _region, year, values in parsed:
        series_id = existing_series[(indicators[indicator_raw].pk, unit, code)]
        current = existing_obs.get((series_id, year))
        fields = dict(zip(OBSERVATION_FIELDS, values, strict=True))
        if current is None:
            to_create.append(Observation(series_id=series_id, year=year, month=0, **fields))
        elif any(current[name] != fields[name] for name in OBSERVATION_FIELDS):
            to_update.append(Observation(series_id=series_id, year=year, month=0, **fields))
        else:
            stats.unchanged += 1
    Observation.objects.bulk_create(to_create, batch_size=1000)
    Observation.objects.bulk_update(to_update, OBSERVATION_FIELDS, batch_size=500)
    stats.created, stats.updated = len(to_create), len(to_update)
    return stats


def run_import(path: Path, info: HeaderInfo, edition, engine: str) -> tuple[ImportStats, str]:
    if engine == "copy" and info.layout.level == TerritoryLevel.COMMUNE:
        return import_communal_with_copy(path, info, edition)
    if engine == "copy":
        return import_with_copy(path, info, edition)
    return import_with_orm(path, info, edition)
