"""Building the shipped territory data from Etalab's npm package ``@etalab/decoupage-administratif``.

``build_territories_data`` reads its ``data/*.json`` files, validates them, keeps what Vigie covers
(``SCOPE``) and writes the compact files of ``vigie.territories.datafile``. Nothing is written on
an error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vigie.territories.datafile import DATA_DIR, write_compact_data
from vigie.territories.enums import EpciKind
from vigie.territories.errors import DataErrors, Log, TerritoryDataError, silent

SOURCE_PACKAGE = "@etalab/decoupage-administratif"
SOURCE_URL = "https://github.com/etalab/decoupage-administratif"
SOURCE_LICENCE = "Données : Licence Ouverte (Etalab) ; code du paquet : licence MIT"
SCOPE = (
    "Régions, départements, arrondissements, EPCI à fiscalité propre et communes actuelles de "
    "France métropolitaine et des départements et régions d'outre-mer. Les collectivités "
    "d'outre-mer (zone « com » : 975, 977, 978, 984, 986, 987, 988, 989), les communes déléguées "
    "et associées et les arrondissements municipaux sont exclus."
)

ETALAB_FILES = ("regions", "departements", "arrondissements", "epci", "communes")
OUT_OF_SCOPE_ZONE = "com"
CURRENT_COMMUNE = "commune-actuelle"


def _where(file: str, index: int, item: Any) -> str:
    code = item.get("code") if isinstance(item, dict) else None
    return f"{file}, élément n° {index}" + (f" (code {code})" if isinstance(code, str) else "")


def _text(
    item: dict, key: str, where: str, errors: DataErrors, *, required: bool = True
) -> str | None:
    value = item.get(key)
    if not required and (value is None or (isinstance(value, str) and not value.strip())):
        return None  # e.g. Mayotte's communes have an empty "arrondissement"
    if not isinstance(value, str) or not value.strip():
        errors.add(f"{where} : champ « {key} » manquant ou invalide")
        return None
    return value.strip()


def _count(item: dict, key: str, where: str, errors: DataErrors) -> int | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        errors.add(f"{where} : « {key} » doit être un entier positif ou nul (reçu : {value!r})")
        return None
    return value


def _read_etalab(source_dir: Path) -> dict[str, list[dict]]:
    if not source_dir.is_dir():
        raise TerritoryDataError(f"Dossier des données Etalab introuvable : {source_dir}")
    errors = DataErrors(f"Données Etalab invalides dans {source_dir}")
    raw: dict[str, list[dict]] = {}
    for name in ETALAB_FILES:
        path = source_dir / f"{name}.json"
        if not path.is_file():
            errors.add(f"fichier manquant : {name}.json")
            continue
        try:
            content = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            errors.add(f"{name}.json n'est pas un fichier JSON valide ({exc})")
            continue
        if not isinstance(content, list) or not all(isinstance(item, dict) for item in content):
            errors.add(f"{name}.json doit contenir une liste d'objets JSON")
            continue
        if not content:
            errors.add(f"{name}.json est vide")
            continue
        raw[name] = content
    errors.raise_if_any()
    return raw


def _regions(raw: dict[str, list[dict]], errors: DataErrors) -> tuple[set[str], dict[str, dict]]:
    """Every region code of the file, and the in-scope regions by code."""
    all_codes: set[str] = set()
    regions: dict[str, dict] = {}
    for index, item in enumerate(raw["regions"], 1):
        where = _where("regions.json", index, item)
        code, name = _text(item, "code", where, errors), _text(item, "nom", where, errors)
        zone = _text(item, "zone", where, errors)
        if code is None or name is None or zone is None:
            continue
        if code in all_codes:
            errors.add(f"{where} : code de région en double")
            continue
        all_codes.add(code)
        if zone != OUT_OF_SCOPE_ZONE:
            regions[code] = {"code": code, "name": name}
    return all_codes, regions


def _departments(
    raw: dict[str, list[dict]], regions: dict[str, dict], errors: DataErrors
) -> tuple[set[str], dict[str, dict]]:
    """Every department code of the file, and the in-scope departments by code."""
    all_codes: set[str] = set()
    departments: dict[str, dict] = {}
    for index, item in enumerate(raw["departements"], 1):
        where = _where("departements.json", index, item)
        code, name = _text(item, "code", where, errors), _text(item, "nom", where, errors)
        region, zone = _text(item, "region", where, errors), _text(item, "zone", where, errors)
        chef_lieu = _text(item, "chefLieu", where, errors, required=False) or ""
        if None in (code, name, region, zone):
            continue
        if not _first_time(code, all_codes, where, errors, what="de département"):
            continue
        if zone == OUT_OF_SCOPE_ZONE:
            continue
        if region not in regions:
            errors.add(f"{where} : région « {region} » inconnue ou hors périmètre")
            continue
        departments[code] = {
            "code": code,
            "name": name,
            "region": region,
            "chef_lieu_code": chef_lieu,
        }
    return all_codes, departments


def _first_time(code: str, seen: set[str], where: str, errors: DataErrors, *, what: str) -> bool:
    """Whether the code is new in its file (it is now seen); an error when it was already there."""
    if code in seen:
        errors.add(f"{where} : code {what} en double")
        return False
    seen.add(code)
    return True


def _in_scope(
    department: str, departments: dict, all_departments: set[str], where: str, errors: DataErrors
) -> bool:
    """Whether the department is in scope; an error when the file does not know it at all."""
    if department in departments:
        return True
    if department not in all_departments:
        errors.add(f"{where} : département « {department} » inconnu")
    return False


def _arrondissements(
    raw: dict[str, list[dict]],
    departments: dict[str, dict],
    all_departments: set[str],
    errors: DataErrors,
) -> dict[str, dict]:
    """The arrondissements of the in-scope departments, by code."""
    all_codes: set[str] = set()
    arrondissements: dict[str, dict] = {}
    for index, item in enumerate(raw["arrondissements"], 1):
        where = _where("arrondissements.json", index, item)
        code, name = _text(item, "code", where, errors), _text(item, "nom", where, errors)
        department = _text(item, "departement", where, errors)
        if None in (code, name, department):
            continue
        if not _first_time(code, all_codes, where, errors, what="d'arrondissement"):
            continue
        if not _in_scope(department, departments, all_departments, where, errors):
            continue
        arrondissements[code] = {"code": code, "name": name, "department": department}
    return arrondissements


def _postal_codes(item: dict, where: str, errors: DataErrors) -> str:
    postal_codes = item.get("codesPostaux") or []
    if not isinstance(postal_codes, list) or not all(
        isinstance(value, str) and value.strip() for value in postal_codes
    ):
        errors.add(f"{where} : « codesPostaux » doit être une liste de codes")
        return ""
    return " ".join(sorted({value.strip() for value in postal_codes}))


def _communes(
    raw: dict[str, list[dict]],
    departments: dict[str, dict],
    all_departments: set[str],
    arrondissements: dict[str, dict],
    errors: DataErrors,
) -> tuple[set[str], dict[str, dict]]:
    """Every current commune code of the file, and the in-scope communes by code (no EPCI yet)."""
    all_codes: set[str] = set()
    communes: dict[str, dict] = {}
    for index, item in enumerate(raw["communes"], 1):
        where = _where("communes.json", index, item)
        kind = _text(item, "type", where, errors)
        if kind != CURRENT_COMMUNE:
            continue  # communes déléguées / associées, arrondissements municipaux
        code, name = _text(item, "code", where, errors), _text(item, "nom", where, errors)
        department = _text(item, "departement", where, errors)
        arrondissement = _text(item, "arrondissement", where, errors, required=False) or ""
        population = _count(item, "population", where, errors)
        postal_codes = _postal_codes(item, where, errors)
        if None in (code, name, department):
            continue
        if not _first_time(code, all_codes, where, errors, what="de commune"):
            continue
        if not _in_scope(department, departments, all_departments, where, errors):
            continue
        if (
            arrondissement
            and arrondissements.get(arrondissement, {}).get("department") != department
        ):
            errors.add(
                f"{where} : arrondissement « {arrondissement} » inconnu dans le département "
                f"{department}"
            )
            continue
        communes[code] = {
            "code": code,
            "name": name,
            "department": department,
            "arrondissement": arrondissement,
            "epci": "",
            "population": population,
            "postal_codes": postal_codes,
        }
    return all_codes, communes


def _epcis(
    raw: dict[str, list[dict]],
    communes: dict[str, dict],
    all_communes: set[str],
    errors: DataErrors,
) -> dict[str, dict]:
    """The EPCI with at least one in-scope member, by code; sets each member commune's "epci"."""
    epcis: dict[str, dict] = {}
    member_of: dict[str, str] = {}
    for index, item in enumerate(raw["epci"], 1):
        where = _where("epci.json", index, item)
        code, name = _text(item, "code", where, errors), _text(item, "nom", where, errors)
        kind = _text(item, "type", where, errors)
        population = _count(item, "populationTotale", where, errors)
        members = item.get("membres")
        if not isinstance(members, list) or not all(isinstance(m, dict) for m in members):
            errors.add(f"{where} : « membres » doit être une liste d'objets")
            continue
        if None in (code, name, kind):
            continue
        if kind not in EpciKind.values:
            errors.add(f"{where} : nature d'EPCI « {kind} » inconnue")
            continue
        if code in epcis:
            errors.add(f"{where} : code d'EPCI en double")
            continue
        kept_members = []
        for member in members:
            member_code = member.get("code")
            if not isinstance(member_code, str) or member_code not in all_communes:
                errors.add(f"{where} : commune membre « {member_code} » inconnue")
            elif member_code in communes:
                if member_code in member_of and member_of[member_code] != code:
                    errors.add(
                        f"{where} : la commune {member_code} est déjà membre de l'EPCI "
                        f"{member_of[member_code]}"
                    )
                member_of[member_code] = code
                kept_members.append(member_code)
        if kept_members:  # an EPCI made only of out-of-scope communes is out of scope
            epcis[code] = {"code": code, "name": name, "kind": kind, "population": population}
    for commune_code, epci_code in member_of.items():
        communes[commune_code]["epci"] = epci_code
    return epcis


def _transform_etalab(raw: dict[str, list[dict]], context: str) -> dict[str, list[dict]]:
    """Validate the Etalab lists and derive the compact rows of each level (sorted by code)."""
    errors = DataErrors(context)
    _all_regions, regions = _regions(raw, errors)
    all_departments, departments = _departments(raw, regions, errors)
    arrondissements = _arrondissements(raw, departments, all_departments, errors)
    all_communes, communes = _communes(raw, departments, all_departments, arrondissements, errors)
    epcis = _epcis(raw, communes, all_communes, errors)
    for label, level in (
        ("régions", regions),
        ("départements", departments),
        ("communes", communes),
    ):
        if not level:
            errors.add(f"aucun élément retenu pour les {label}")
    errors.raise_if_any()
    return {
        "regions": sorted(regions.values(), key=lambda row: row["code"]),
        "departments": sorted(departments.values(), key=lambda row: row["code"]),
        "arrondissements": sorted(arrondissements.values(), key=lambda row: row["code"]),
        "epci": sorted(epcis.values(), key=lambda row: row["code"]),
        "communes": sorted(communes.values(), key=lambda row: row["code"]),
    }


def _detect_source_version(source_dir: Path) -> str | None:
    """The version in the package.json next to the data directory, when it is Etalab's."""
    package_file = source_dir.parent / "package.json"
    if not package_file.is_file():
        return None
    try:
        meta = json.loads(package_file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if isinstance(meta, dict) and meta.get("name") == SOURCE_PACKAGE:
        version = meta.get("version")
        return version if isinstance(version, str) and version else None
    return None


def build_territories_data(
    source_dir: Path | str,
    *,
    output_dir: Path | str = DATA_DIR,
    source_version: str | None = None,
    log: Log = silent,
) -> dict:
    """Regenerate the compact data files from Etalab's ``data/*.json``. Returns the manifest.

    Everything is validated before anything is written; on error nothing is written.
    """
    source_dir, output_dir = Path(source_dir), Path(output_dir)
    version = source_version or _detect_source_version(source_dir)
    if not version:
        raise TerritoryDataError(
            f"Version des données introuvable : pas de package.json du paquet {SOURCE_PACKAGE} à "
            f"côté de {source_dir}. Précisez-la avec --source-version."
        )
    raw = _read_etalab(source_dir)
    levels = _transform_etalab(raw, f"Données Etalab invalides dans {source_dir}")
    source = {
        "package": SOURCE_PACKAGE,
        "version": version,
        "url": SOURCE_URL,
        "licence": SOURCE_LICENCE,
    }
    manifest = write_compact_data(
        levels, output_dir=output_dir, source=source, scope=SCOPE, log=log
    )
    log(f"Fichiers écrits dans {output_dir} ({SOURCE_PACKAGE} {version}).")
    return manifest
