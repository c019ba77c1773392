"""What both import engines share: counts, indicators of the base, the check of one row."""

from dataclasses import dataclass

from vigie.statistics.catalogue import (
    canonical_indicator_name,
    ensure_ssmsi_indicators,
    indicator_slug,
    ssmsi_rate_base,
)
from vigie.statistics.importers.layouts import (
    CATEGORICAL,
    Layout,
    cell_error,
    check_cell,
    normalise_categorical,
)
from vigie.statistics.models import StatisticalIndicator

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


def resolve_indicators(raw_names) -> dict[str, StatisticalIndicator]:
    """{raw name: StatisticalIndicator}; names unknown to the catalogue become new indicators of the base."""
    reference = ensure_ssmsi_indicators()
    by_slug = {i.slug: i for i in reference.values()}
    result = {}
    for raw in raw_names:
        name = canonical_indicator_name(raw)
        slug = indicator_slug(name)
        indicator = by_slug.get(slug)
        if indicator is None:
            indicator, _ = StatisticalIndicator.objects.get_or_create(
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
