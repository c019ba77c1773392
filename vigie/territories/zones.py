"""Security zones (police / gendarmerie) of the communes, from ``data/security-zones.json``.

For each department the file lists: the zone of communes outside any police district
(``default_zone``) and the police districts and gendarmerie companies with their communes (by
name) and arrondissements (by code). The file is authoritative for the departments it lists.
``load_territories`` applies it after the territories; ``load_security_zones`` applies it alone.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from vigie.territories.bulk import BULK_BATCH_SIZE, update_rows
from vigie.territories.datafile import DATA_DIR
from vigie.territories.enums import SecurityAreaKind, SecurityZone
from vigie.territories.errors import DataErrors, Log, TerritoryDataError, silent
from vigie.territories.models import Commune, Department, SecurityArea

SECURITY_ZONES_FILE = DATA_DIR / "security-zones.json"


@dataclass
class SecurityZonesReport:
    departments: list[str] = field(default_factory=list)
    zones_changed: int = 0
    areas_created: int = 0
    areas_updated: int = 0
    areas_deleted: int = 0
    members_added: int = 0
    members_removed: int = 0

    @property
    def changed(self) -> bool:
        return any(
            (
                self.zones_changed,
                self.areas_created,
                self.areas_updated,
                self.areas_deleted,
                self.members_added,
                self.members_removed,
            )
        )


@dataclass
class AreaSpec:
    kind: str
    name: str
    source: str
    communes: list[str]
    arrondissements: list[str]


@dataclass
class DepartmentZonesSpec:
    department: str
    default_zone: str
    areas: list[AreaSpec]


def _string_list(value: Any) -> list[str] | None:
    if value is None:
        return []
    if isinstance(value, list) and all(isinstance(item, str) and item.strip() for item in value):
        return [item.strip() for item in value]
    return None


def read_security_zones(path: Path) -> list[DepartmentZonesSpec]:
    context = f"Fichier des zones de sécurité invalide ({path.name})"
    if not path.is_file():
        raise TerritoryDataError(f"Fichier des zones de sécurité introuvable : {path}")
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TerritoryDataError(f"{context} : JSON illisible ({exc}).") from exc
    departments = content.get("departments") if isinstance(content, dict) else None
    if not isinstance(departments, list):
        raise TerritoryDataError(f"{context} : la clé « departments » doit être une liste.")
    errors = DataErrors(context)
    source_max = SecurityArea._meta.get_field("source").max_length
    name_max = SecurityArea._meta.get_field("name").max_length
    specs: list[DepartmentZonesSpec] = []
    seen_departments: set[str] = set()
    for index, item in enumerate(departments, 1):
        if not isinstance(item, dict):
            errors.add(f"département n° {index} : objet attendu")
            continue
        code = item.get("department")
        where = f"département « {code} »"
        if not isinstance(code, str) or not code:
            errors.add(f"département n° {index} : code « department » manquant")
            continue
        if code in seen_departments:
            errors.add(f"{where} : présent deux fois")
        seen_departments.add(code)
        default_zone = item.get("default_zone")
        if default_zone not in SecurityZone.values:
            errors.add(f"{where} : « default_zone » doit valoir {' ou '.join(SecurityZone.values)}")
        areas_data = item.get("areas")
        if not isinstance(areas_data, list):
            errors.add(f"{where} : « areas » doit être une liste")
            continue
        errors_before_department = len(errors.messages)
        areas: list[AreaSpec] = []
        seen_areas: set[tuple[str, str]] = set()
        for area_index, area in enumerate(areas_data, 1):
            area_where = f"{where}, zone n° {area_index}"
            errors_before = len(errors.messages)
            if not isinstance(area, dict):
                errors.add(f"{area_where} : objet attendu")
                continue
            kind, name, source = area.get("kind"), area.get("name"), area.get("source", "")
            communes, arrondissements = (
                _string_list(area.get("communes")),
                _string_list(area.get("arrondissements")),
            )
            if kind not in SecurityAreaKind.values:
                errors.add(f"{area_where} : nature « {kind} » inconnue")
            if not isinstance(name, str) or not name.strip() or len(name) > name_max:
                errors.add(f"{area_where} : nom manquant ou trop long")
            if not isinstance(source, str) or len(source) > source_max:
                errors.add(
                    f"{area_where} : « source » doit être un texte de {source_max} caractères au plus"
                )
            if communes is None or arrondissements is None:
                errors.add(
                    f"{area_where} : « communes » et « arrondissements » doivent être des listes de textes"
                )
            elif not communes and not arrondissements:
                errors.add(f"{area_where} : aucune commune ni aucun arrondissement")
            if len(errors.messages) > errors_before:
                continue
            if (kind, name.strip()) in seen_areas:
                errors.add(f"{area_where} : zone « {name} » présente deux fois")
            seen_areas.add((kind, name.strip()))
            areas.append(AreaSpec(kind, name.strip(), source.strip(), communes, arrondissements))
        if len(errors.messages) == errors_before_department:
            specs.append(DepartmentZonesSpec(code, default_zone, areas))
    errors.raise_if_any()
    return specs


def normalize_name(name: str) -> str:
    """Accent-, case- and punctuation-insensitive form of a place name.

    "Bellefont-La-Rauze", "bellefont la rauze" and "Bellefont-La Rauze" compare equal.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    text = text.replace("œ", "oe").replace("æ", "ae")
    return re.sub(r"[\s\-'’‘`.]+", " ", text).strip()


def _of(name: str) -> str:
    """French "de" with elision: "de Cahors", "d'Auch"."""
    return f"d'{name}" if normalize_name(name)[:1] in set("aeiouy") else f"de {name}"


class _CommuneIndex:
    """The communes of one department, found by name (accent- and case-insensitive) or by
    arrondissement code."""

    def __init__(self, department: Department, errors: DataErrors):
        self.errors = errors
        self.rows = list(
            Commune.objects.filter(department=department).values_list(
                "pk", "name", "arrondissement__code", "security_zone"
            )
        )
        self.names = {pk: name for pk, name, _arrondissement, _zone in self.rows}
        self.by_name: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self.by_arrondissement: dict[str, set[int]] = defaultdict(set)
        for pk, name, arrondissement, _zone in self.rows:
            self.by_name[normalize_name(name)].append((pk, name))
            if arrondissement:
                self.by_arrondissement[arrondissement].add(pk)

    def members(self, area: AreaSpec) -> tuple[set[int], set[int]]:
        """The communes an area names, and those of the arrondissements it lists."""
        named: set[int] = set()
        for name in area.communes:
            matches = self.by_name.get(normalize_name(name), [])
            if not matches:
                self.errors.add(f"commune « {name} » introuvable dans le département ({area.name})")
            elif len(matches) > 1:
                found = ", ".join(match_name for _pk, match_name in matches)
                self.errors.add(f"commune « {name} » ambiguë ({area.name}) : {found}")
            else:
                named.add(matches[0][0])
        from_arrondissements: set[int] = set()
        for code in area.arrondissements:
            if code not in self.by_arrondissement:
                self.errors.add(
                    f"arrondissement « {code} » sans commune dans le département ({area.name})"
                )
            from_arrondissements |= self.by_arrondissement.get(code, set())
        return named, from_arrondissements


def _wanted_members(
    spec: DepartmentZonesSpec, index: _CommuneIndex
) -> tuple[dict[tuple[str, str], set[int]], set[int]]:
    """The communes of each area (by (kind, name)) and those in police zone.

    A police district takes all its communes; a gendarmerie company takes the communes it names and
    those of its arrondissements outside police districts. A commune named by a company and in a
    police district, or in two companies, is an error.
    """
    errors = index.errors
    wanted: dict[tuple[str, str], set[int]] = {}
    police: set[int] = set()
    for area in spec.areas:
        if area.kind == SecurityAreaKind.POLICE_DISTRICT:
            named, from_arrondissements = index.members(area)
            wanted[(area.kind, area.name)] = named | from_arrondissements
            police |= named | from_arrondissements
    company_of: dict[int, str] = {}
    for area in spec.areas:
        if area.kind == SecurityAreaKind.GENDARMERIE_COMPANY:
            named, from_arrondissements = index.members(area)
            for pk in named & police:
                errors.add(
                    f"{index.names[pk]} : à la fois en zone police et dans la compagnie {area.name}"
                )
            area_members = named | (from_arrondissements - police)
            for pk in area_members:
                if pk in company_of:
                    errors.add(
                        f"{index.names[pk]} : dans deux compagnies, {company_of[pk]} et {area.name}"
                    )
                company_of[pk] = area.name
            wanted[(area.kind, area.name)] = area_members
    return wanted, police


def _sync_areas(
    department: Department,
    spec: DepartmentZonesSpec,
    wanted: dict[tuple[str, str], set[int]],
    report: SecurityZonesReport,
) -> None:
    """Make the department's SecurityArea rows and their communes those of ``wanted``."""
    sources = {(area.kind, area.name): area.source for area in spec.areas}
    existing = {(area.kind, area.name): area for area in department.security_areas.all()}
    for key, area in existing.items():
        if key not in wanted:
            area.delete()
            report.areas_deleted += 1
    area_pks: dict[tuple[str, str], int] = {}
    for key in wanted:
        area = existing.get(key)
        if area is None:
            area = SecurityArea.objects.create(
                department=department, kind=key[0], name=key[1], source=sources[key]
            )
            report.areas_created += 1
        elif area.source != sources[key]:
            area.source = sources[key]
            area.save(update_fields=["source"])
            report.areas_updated += 1
        area_pks[key] = area.pk
    through = SecurityArea.communes.through
    current = set(
        through.objects.filter(securityarea_id__in=area_pks.values()).values_list(
            "securityarea_id", "commune_id"
        )
    )
    target = {(area_pks[key], pk) for key, pks in wanted.items() for pk in pks}
    through.objects.bulk_create(
        [
            through(securityarea_id=area, commune_id=commune)
            for area, commune in sorted(target - current)
        ],
        batch_size=BULK_BATCH_SIZE,
    )
    for area, commune in sorted(current - target):
        through.objects.filter(securityarea_id=area, commune_id=commune).delete()
    report.members_added += len(target - current)
    report.members_removed += len(current - target)


def _apply_department_zones(
    spec: DepartmentZonesSpec, report: SecurityZonesReport, log: Log
) -> None:
    department = Department.objects.filter(code=spec.department).first()
    if department is None:
        raise TerritoryDataError(
            f"Zones de sécurité : département {spec.department} absent de la base ; chargez "
            "d'abord les territoires (manage.py load_territories)."
        )
    index = _CommuneIndex(department, DataErrors(f"Zones de sécurité de {department}"))
    wanted, police = _wanted_members(spec, index)
    index.errors.raise_if_any()

    # Commune.security_zone: police inside a police district, the default zone elsewhere.
    changed = [
        (pk, (SecurityZone.POLICE if pk in police else spec.default_zone,))
        for pk, _name, _arrondissement, zone in index.rows
        if zone != (SecurityZone.POLICE if pk in police else spec.default_zone)
    ]
    update_rows(Commune, ["security_zone"], changed)
    report.zones_changed += len(changed)

    # SecurityArea rows: the file is authoritative for the departments it lists.
    _sync_areas(department, spec, wanted, report)
    report.departments.append(spec.department)

    summary = ", ".join(
        f"{SecurityAreaKind(kind).label.lower()} {_of(name)} : {len(pks)} commune(s)"
        for (kind, name), pks in wanted.items()
    )
    log(
        f"{department} : {len(police)} commune(s) en zone police, "
        f"{len(index.rows) - len(police)} en zone {spec.default_zone} ; {summary}"
    )


def apply_security_zones(specs: list[DepartmentZonesSpec], log: Log) -> SecurityZonesReport:
    """Apply specs read by ``read_security_zones``; the caller holds the transaction."""
    report = SecurityZonesReport()
    for spec in specs:
        _apply_department_zones(spec, report, log)
    log(
        f"zones de sécurité : {report.zones_changed} commune(s) modifiée(s), "
        f"{report.areas_created} zone(s) créée(s), {report.areas_updated} mise(s) à jour, "
        f"{report.areas_deleted} supprimée(s), {report.members_added} rattachement(s) ajouté(s), "
        f"{report.members_removed} retiré(s)"
    )
    return report


def load_security_zones(
    path: Path | str = SECURITY_ZONES_FILE, *, log: Log = silent
) -> SecurityZonesReport:
    """Load the security zones file alone (territories must already be loaded), atomically."""
    specs = read_security_zones(Path(path))
    with transaction.atomic():
        return apply_security_zones(specs, log)
