"""Loading the shipped territory data into the database: ``load_territories``.

Reference data, not user changes: loads are reported through ``log`` (the command's stdout),
never in the audit log. Rows are matched by code; nothing is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction

from vigie.territories.bulk import BULK_BATCH_SIZE, update_rows
from vigie.territories.datafile import DATA_DIR, LEVEL_LABELS, read_compact_data
from vigie.territories.errors import Log, silent
from vigie.territories.models import Arrondissement, Commune, Department, Epci, Region
from vigie.territories.zones import (
    SECURITY_ZONES_FILE,
    SecurityZonesReport,
    apply_security_zones,
    read_security_zones,
)


@dataclass
class LevelReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    obsolete: list[str] = field(default_factory=list)


@dataclass
class LoadReport:
    levels: dict[str, LevelReport] = field(default_factory=dict)
    epci_departments_added: int = 0
    epci_departments_removed: int = 0
    security: SecurityZonesReport | None = None

    @property
    def changed(self) -> bool:
        return bool(
            any(report.created or report.updated for report in self.levels.values())
            or self.epci_departments_added
            or self.epci_departments_removed
            or (self.security is not None and self.security.changed)
        )


def _sync(
    model: type[models.Model], rows: list[dict], fields: list[str]
) -> tuple[LevelReport, dict]:
    """Create missing rows and update changed ones (by code). Returns the report and code -> pk.

    ``rows`` hold ``code`` and the model attributes listed in ``fields`` (``*_id`` for foreign
    keys). Rows in the database but not in the data are kept (other tables may point to them) and
    reported as obsolete.
    """
    report = LevelReport()
    existing = {
        code: (pk, tuple(values))
        for pk, code, *values in model.objects.values_list("pk", "code", *fields).iterator()
    }
    to_create, to_update = [], []
    for row in rows:
        values = tuple(row[name] for name in fields)
        current = existing.get(row["code"])
        if current is None:
            to_create.append(model(code=row["code"], **dict(zip(fields, values, strict=True))))
        elif current[1] != values:
            to_update.append((current[0], values))
        else:
            report.unchanged += 1
    if to_create:
        model.objects.bulk_create(to_create, batch_size=BULK_BATCH_SIZE)
    update_rows(model, fields, to_update)
    report.created, report.updated = len(to_create), len(to_update)
    report.obsolete = sorted(set(existing) - {row["code"] for row in rows})
    pks = (
        dict(model.objects.values_list("code", "pk"))
        if to_create
        else {code: pk for code, (pk, _values) in existing.items()}
    )
    return report, pks


def _sync_epci_departments(
    commune_rows: list[dict], epci_pks: dict, department_pks: dict
) -> tuple[int, int]:
    """Make each EPCI's departments those of its member communes in the data."""
    through = Epci.departments.through
    wanted = {
        (epci_pks[row["epci"]], department_pks[row["department"]])
        for row in commune_rows
        if row["epci"]
    }
    managed = {epci_pks[code] for code in {row["epci"] for row in commune_rows if row["epci"]}}
    existing = {
        pair
        for pair in through.objects.values_list("epci_id", "department_id").iterator()
        if pair[0] in managed
    }
    missing, extra = wanted - existing, existing - wanted
    through.objects.bulk_create(
        [through(epci_id=epci, department_id=department) for epci, department in sorted(missing)],
        batch_size=BULK_BATCH_SIZE,
    )
    for epci, department in sorted(extra):
        through.objects.filter(epci_id=epci, department_id=department).delete()
    return len(missing), len(extra)


def load_territories(
    data_dir: Path | str = DATA_DIR,
    *,
    security_zones_path: Path | str | None = SECURITY_ZONES_FILE,
    log: Log = silent,
) -> LoadReport:
    """Load (or refresh) every territory from the compact data files, in one transaction.

    Idempotent: with unchanged data, nothing is written. Rows absent from the data are kept and
    reported. Security zones are loaded afterwards (unless ``security_zones_path`` is None) in
    the same transaction, so any error leaves the database as it was.
    """
    data = read_compact_data(data_dir)
    zones_spec = read_security_zones(Path(security_zones_path)) if security_zones_path else None
    source = data.manifest.get("source", {})
    log(f"Source : {source.get('package', '?')} {source.get('version', '?')}")
    levels = data.levels
    report = LoadReport()
    with transaction.atomic():
        report.levels["regions"], region_pks = _sync(Region, levels["regions"], ["name"])
        report.levels["departments"], department_pks = _sync(
            Department,
            [{**row, "region_id": region_pks[row["region"]]} for row in levels["departments"]],
            ["name", "region_id", "chef_lieu_code"],
        )
        report.levels["arrondissements"], arrondissement_pks = _sync(
            Arrondissement,
            [
                {**row, "department_id": department_pks[row["department"]]}
                for row in levels["arrondissements"]
            ],
            ["name", "department_id"],
        )
        report.levels["epci"], epci_pks = _sync(
            Epci, levels["epci"], ["name", "kind", "population"]
        )
        report.levels["communes"], _commune_pks = _sync(
            Commune,
            [
                {
                    **row,
                    "department_id": department_pks[row["department"]],
                    "arrondissement_id": arrondissement_pks.get(row["arrondissement"]),
                    "epci_id": epci_pks.get(row["epci"]),
                }
                for row in levels["communes"]
            ],
            ["name", "department_id", "arrondissement_id", "epci_id", "population", "postal_codes"],
        )
        added, removed = _sync_epci_departments(levels["communes"], epci_pks, department_pks)
        report.epci_departments_added, report.epci_departments_removed = added, removed
        for level, level_report in report.levels.items():
            log(
                f"{LEVEL_LABELS[level]} : {level_report.created} créé(s), {level_report.updated} mis "
                f"à jour, {level_report.unchanged} inchangé(s)"
            )
            if level_report.obsolete:
                shown = ", ".join(level_report.obsolete[:10])
                log(
                    f"  {len(level_report.obsolete)} absent(s) des données, conservé(s) en base : "
                    f"{shown}{' …' if len(level_report.obsolete) > 10 else ''}"
                )
        log(f"départements des EPCI : {added} lien(s) ajouté(s), {removed} retiré(s)")
        if zones_spec is not None:
            report.security = apply_security_zones(zones_spec, log)
    return report


# --- Security zones -----------------------------------------------------------------------------
