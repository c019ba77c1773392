"""Reference territories: the shipped compact data file and its loader.

- ``build_territories_data`` turns the ``data/*.json`` files of Etalab's npm package
  ``@etalab/decoupage-administratif`` into the compact files shipped in ``vigie/territories/data/``.
- ``load_territories`` loads those shipped files into the database, idempotently, in one
  transaction, then the security zones (``load_security_zones``).

These are reference data, not user changes: loads are reported through ``log`` (the command's
stdout), never in the audit log. Nothing here reads outside the directories it is given; by default
only ``vigie/territories/data/``.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, models, transaction

from vigie.territories.enums import EpciKind, SecurityAreaKind, SecurityZone
from vigie.territories.models import (
    Arrondissement,
    Commune,
    Department,
    Epci,
    Region,
    SecurityArea,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
SECURITY_ZONES_FILE = DATA_DIR / "security-zones.json"
MANIFEST_FILE = "manifest.json"
FORMAT_VERSION = 1

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

# Level -> (file name, columns), in load order.
LEVELS: dict[str, tuple[str, tuple[str, ...]]] = {
    "regions": ("regions.csv.gz", ("code", "name")),
    "departments": ("departments.csv.gz", ("code", "name", "region", "chef_lieu_code")),
    "arrondissements": ("arrondissements.csv.gz", ("code", "name", "department")),
    "epci": ("epci.csv.gz", ("code", "name", "kind", "population")),
    "communes": (
        "communes.csv.gz",
        ("code", "name", "department", "arrondissement", "epci", "population", "postal_codes"),
    ),
}
LEVEL_MODELS: dict[str, type[models.Model]] = {
    "regions": Region,
    "departments": Department,
    "arrondissements": Arrondissement,
    "epci": Epci,
    "communes": Commune,
}
LEVEL_LABELS = {
    "regions": "régions",
    "departments": "départements",
    "arrondissements": "arrondissements",
    "epci": "EPCI",
    "communes": "communes",
}
INTEGER_COLUMNS = {"population"}

BULK_BATCH_SIZE = 1000
MAX_ERRORS_SHOWN = 20

Log = Callable[[str], Any]


def _silent(message: str) -> None:
    pass


class TerritoryDataError(Exception):
    """Invalid input, data file or security-zone file. The message is in French."""


class _Errors:
    """Collects validation errors so that one run reports them all (up to a limit)."""

    def __init__(self, context: str):
        self.context = context
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        self.messages.append(message)

    def raise_if_any(self) -> None:
        if not self.messages:
            return
        shown = self.messages[:MAX_ERRORS_SHOWN]
        text = f"{self.context} : {len(self.messages)} erreur(s).\n" + "\n".join(
            f"- {message}" for message in shown
        )
        if len(self.messages) > len(shown):
            text += f"\n… et {len(self.messages) - len(shown)} autre(s) erreur(s)."
        raise TerritoryDataError(text)


def normalize_name(name: str) -> str:
    """Accent-, case- and punctuation-insensitive form of a place name.

    "Bellefont-La-Rauze", "bellefont la rauze" and "Bellefont-La Rauze" compare equal.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    text = text.replace("œ", "oe").replace("æ", "ae")
    return re.sub(r"[\s\-'’‘`.]+", " ", text).strip()


# --- Etalab source: reading and validation ------------------------------------------------------


def _where(file: str, index: int, item: Any) -> str:
    code = item.get("code") if isinstance(item, dict) else None
    return f"{file}, élément n° {index}" + (f" (code {code})" if isinstance(code, str) else "")


def _text(
    item: dict, key: str, where: str, errors: _Errors, *, required: bool = True
) -> str | None:
    value = item.get(key)
    if not required and (value is None or (isinstance(value, str) and not value.strip())):
        return None  # e.g. Mayotte's communes have an empty "arrondissement"
    if not isinstance(value, str) or not value.strip():
        errors.add(f"{where} : champ « {key} » manquant ou invalide")
        return None
    return value.strip()


def _count(item: dict, key: str, where: str, errors: _Errors) -> int | None:
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
    errors = _Errors(f"Données Etalab invalides dans {source_dir}")
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


def _transform_etalab(raw: dict[str, list[dict]], context: str) -> dict[str, list[dict]]:
    """Validate the Etalab lists and derive the compact rows of each level (sorted by code)."""
    errors = _Errors(context)

    all_regions: set[str] = set()
    regions: dict[str, dict] = {}
    for index, item in enumerate(raw["regions"], 1):
        where = _where("regions.json", index, item)
        code, name = _text(item, "code", where, errors), _text(item, "nom", where, errors)
        zone = _text(item, "zone", where, errors)
        if code is None or name is None or zone is None:
            continue
        if code in all_regions:
            errors.add(f"{where} : code de région en double")
            continue
        all_regions.add(code)
        if zone != OUT_OF_SCOPE_ZONE:
            regions[code] = {"code": code, "name": name}

    all_departments: set[str] = set()
    departments: dict[str, dict] = {}
    for index, item in enumerate(raw["departements"], 1):
        where = _where("departements.json", index, item)
        code, name = _text(item, "code", where, errors), _text(item, "nom", where, errors)
        region, zone = _text(item, "region", where, errors), _text(item, "zone", where, errors)
        chef_lieu = _text(item, "chefLieu", where, errors, required=False) or ""
        if None in (code, name, region, zone):
            continue
        if code in all_departments:
            errors.add(f"{where} : code de département en double")
            continue
        all_departments.add(code)
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

    all_arrondissements: set[str] = set()
    arrondissements: dict[str, dict] = {}
    for index, item in enumerate(raw["arrondissements"], 1):
        where = _where("arrondissements.json", index, item)
        code, name = _text(item, "code", where, errors), _text(item, "nom", where, errors)
        department = _text(item, "departement", where, errors)
        if None in (code, name, department):
            continue
        if code in all_arrondissements:
            errors.add(f"{where} : code d'arrondissement en double")
            continue
        all_arrondissements.add(code)
        if department not in departments:
            if department not in all_departments:
                errors.add(f"{where} : département « {department} » inconnu")
            continue
        arrondissements[code] = {"code": code, "name": name, "department": department}

    all_communes: set[str] = set()
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
        postal_codes = item.get("codesPostaux") or []
        if not isinstance(postal_codes, list) or not all(
            isinstance(value, str) and value.strip() for value in postal_codes
        ):
            errors.add(f"{where} : « codesPostaux » doit être une liste de codes")
            postal_codes = []
        if None in (code, name, department):
            continue
        if code in all_communes:
            errors.add(f"{where} : code de commune en double")
            continue
        all_communes.add(code)
        if department not in departments:
            if department not in all_departments:
                errors.add(f"{where} : département « {department} » inconnu")
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
            "postal_codes": " ".join(sorted({value.strip() for value in postal_codes})),
        }

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


# --- Compact data file: format, validation, writing and reading --------------------------------


def _max_length(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length


def _validate_compact(levels: dict[str, list[dict]], errors: _Errors) -> None:
    """Check the rows of every level: codes, lengths, kinds and cross-level references."""
    codes: dict[str, set[str]] = {}
    for level, rows in levels.items():
        model = LEVEL_MODELS[level]
        file = LEVELS[level][0]
        code_max, name_max = _max_length(model, "code"), _max_length(model, "name")
        seen: set[str] = set()
        for line, row in enumerate(rows, 2):
            where = f"{file}, ligne {line}"
            code, name = row["code"], row["name"]
            if not code or len(code) > code_max:
                errors.add(f"{where} : code « {code} » vide ou trop long")
            elif code in seen:
                errors.add(f"{where} : code « {code} » en double")
            seen.add(code)
            if not name or len(name) > name_max:
                errors.add(f"{where} : nom vide ou trop long (code {code})")
            population = row.get("population")
            if population is not None and (not isinstance(population, int) or population < 0):
                errors.add(f"{where} : population invalide (code {code})")
        codes[level] = seen

    def check(level: str, column: str, target: str, *, optional: bool = False) -> None:
        file = LEVELS[level][0]
        for line, row in enumerate(levels[level], 2):
            value = row[column]
            if (value or not optional) and value not in codes[target]:
                errors.add(
                    f"{file}, ligne {line} : {column} « {value} » inconnu (code {row['code']})"
                )

    check("departments", "region", "regions")
    check("arrondissements", "department", "departments")
    check("communes", "department", "departments")
    check("communes", "arrondissement", "arrondissements", optional=True)
    check("communes", "epci", "epci", optional=True)

    arrondissement_department = {
        row["code"]: row["department"] for row in levels["arrondissements"]
    }
    chef_lieu_max = _max_length(Department, "chef_lieu_code")
    postal_max = _max_length(Commune, "postal_codes")
    for line, row in enumerate(levels["departments"], 2):
        if len(row["chef_lieu_code"]) > chef_lieu_max:
            errors.add(f"departments.csv.gz, ligne {line} : code du chef-lieu trop long")
    for line, row in enumerate(levels["epci"], 2):
        if row["kind"] not in EpciKind.values:
            errors.add(f"epci.csv.gz, ligne {line} : nature d'EPCI « {row['kind']} » inconnue")
    for line, row in enumerate(levels["communes"], 2):
        where = f"communes.csv.gz, ligne {line}"
        if len(row["postal_codes"]) > postal_max:
            errors.add(f"{where} : liste de codes postaux trop longue (code {row['code']})")
        arrondissement = row["arrondissement"]
        if (
            arrondissement
            and arrondissement_department.get(arrondissement, row["department"])
            != (row["department"])
        ):
            errors.add(f"{where} : l'arrondissement {arrondissement} n'est pas dans le département")


def _encode_level(level: str, rows: list[dict]) -> bytes:
    columns = LEVELS[level][1]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row[column] is None else row[column] for column in columns])
    # mtime=0: the same data always gives the same bytes (no spurious diffs in git).
    return gzip.compress(buffer.getvalue().encode("utf-8"), compresslevel=9, mtime=0)


def _write_files_atomically(output_dir: Path, files: dict[str, bytes]) -> None:
    """Write every file under a temporary name first, then rename them all into place."""
    output_dir.mkdir(parents=True, exist_ok=True)
    pending: list[tuple[Path, Path]] = []
    try:
        for name, content in files.items():
            temporary = output_dir / f".{name}.tmp"
            temporary.write_bytes(content)
            pending.append((temporary, output_dir / name))
        for temporary, final in pending:
            os.replace(temporary, final)
    finally:
        for temporary, _final in pending:
            temporary.unlink(missing_ok=True)


def build_territories_data(
    source_dir: Path | str,
    *,
    output_dir: Path | str = DATA_DIR,
    source_version: str | None = None,
    log: Log = _silent,
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
    errors = _Errors("Données dérivées invalides")
    _validate_compact(levels, errors)
    errors.raise_if_any()

    files: dict[str, bytes] = {}
    manifest: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "source": {
            "package": SOURCE_PACKAGE,
            "version": version,
            "url": SOURCE_URL,
            "licence": SOURCE_LICENCE,
        },
        "scope": SCOPE,
        "files": {},
    }
    for level, rows in levels.items():
        file_name, columns = LEVELS[level]
        content = _encode_level(level, rows)
        files[file_name] = content
        manifest["files"][level] = {
            "file": file_name,
            "columns": list(columns),
            "rows": len(rows),
            "sha256": hashlib.sha256(content).hexdigest(),
        }
        log(f"{LEVEL_LABELS[level]} : {len(rows)} ({len(content) / 1024:.0f} Kio compressés)")
    files[MANIFEST_FILE] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
    _write_files_atomically(output_dir, files)
    log(f"Fichiers écrits dans {output_dir} ({SOURCE_PACKAGE} {version}).")
    return manifest


@dataclass
class CompactData:
    manifest: dict
    levels: dict[str, list[dict]]


def _parse_level(level: str, content: bytes, expected_rows: Any, errors: _Errors) -> list[dict]:
    file_name, columns = LEVELS[level]
    try:
        text = gzip.decompress(content).decode("utf-8")
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        errors.add(f"{file_name} : fichier gzip UTF-8 illisible ({exc})")
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or tuple(header) != columns:
        errors.add(f"{file_name} : en-tête inattendu {header!r}, attendu {list(columns)!r}")
        return []
    rows: list[dict] = []
    for line, values in enumerate(reader, 2):
        if len(values) != len(columns):
            errors.add(
                f"{file_name}, ligne {line} : {len(values)} colonnes au lieu de {len(columns)}"
            )
            continue
        row: dict[str, Any] = dict(zip(columns, (value.strip() for value in values), strict=True))
        for column in INTEGER_COLUMNS & set(columns):
            value = row[column]
            if value == "":
                row[column] = None
            elif re.fullmatch(r"[0-9]+", value):
                row[column] = int(value)
            else:
                errors.add(f"{file_name}, ligne {line} : {column} « {value} » n'est pas un entier")
        rows.append(row)
    if expected_rows != len(rows):
        errors.add(
            f"{file_name} : {len(rows)} lignes de données, {expected_rows} annoncées par {MANIFEST_FILE}"
        )
    return rows


def read_compact_data(data_dir: Path | str = DATA_DIR) -> CompactData:
    """Read and fully validate the compact data files of ``data_dir``."""
    data_dir = Path(data_dir)
    context = f"Fichier de données des territoires invalide ({data_dir})"
    manifest_path = data_dir / MANIFEST_FILE
    if not manifest_path.is_file():
        raise TerritoryDataError(f"{context} : {MANIFEST_FILE} introuvable.")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TerritoryDataError(f"{context} : {MANIFEST_FILE} illisible ({exc}).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        raise TerritoryDataError(
            f"{context} : format de {MANIFEST_FILE} non pris en charge (attendu : {FORMAT_VERSION})."
        )
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise TerritoryDataError(f"{context} : {MANIFEST_FILE} sans liste de fichiers.")

    errors = _Errors(context)
    levels: dict[str, list[dict]] = {}
    for level, (file_name, _columns) in LEVELS.items():
        entry = files.get(level)
        path = data_dir / file_name
        if not isinstance(entry, dict):
            errors.add(f"{MANIFEST_FILE} : entrée « {level} » manquante")
            continue
        if not path.is_file():
            errors.add(f"fichier manquant : {file_name}")
            continue
        content = path.read_bytes()
        if hashlib.sha256(content).hexdigest() != entry.get("sha256"):
            errors.add(f"{file_name} : empreinte SHA-256 différente de celle de {MANIFEST_FILE}")
            continue
        levels[level] = _parse_level(level, content, entry.get("rows"), errors)
    errors.raise_if_any()
    _validate_compact(levels, errors)
    errors.raise_if_any()
    return CompactData(manifest=manifest, levels=levels)


# --- Loading into the database -----------------------------------------------------------------


@dataclass
class LevelReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    obsolete: list[str] = field(default_factory=list)


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


def _update_rows(
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
    _update_rows(model, fields, to_update)
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
    log: Log = _silent,
) -> LoadReport:
    """Load (or refresh) every territory from the compact data files, in one transaction.

    Idempotent: with unchanged data, nothing is written. Rows absent from the data are kept and
    reported. Security zones are loaded afterwards (unless ``security_zones_path`` is None) in
    the same transaction, so any error leaves the database as it was.
    """
    data = read_compact_data(data_dir)
    zones_spec = _read_security_zones(Path(security_zones_path)) if security_zones_path else None
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
            report.security = _apply_security_zones(zones_spec, log)
    return report


# --- Security zones -----------------------------------------------------------------------------


@dataclass
class _AreaSpec:
    kind: str
    name: str
    source: str
    communes: list[str]
    arrondissements: list[str]


@dataclass
class _DepartmentZonesSpec:
    department: str
    default_zone: str
    areas: list[_AreaSpec]


def _string_list(value: Any) -> list[str] | None:
    if value is None:
        return []
    if isinstance(value, list) and all(isinstance(item, str) and item.strip() for item in value):
        return [item.strip() for item in value]
    return None


def _read_security_zones(path: Path) -> list[_DepartmentZonesSpec]:
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
    errors = _Errors(context)
    source_max = _max_length(SecurityArea, "source")
    name_max = _max_length(SecurityArea, "name")
    specs: list[_DepartmentZonesSpec] = []
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
        areas: list[_AreaSpec] = []
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
            areas.append(_AreaSpec(kind, name.strip(), source.strip(), communes, arrondissements))
        if len(errors.messages) == errors_before_department:
            specs.append(_DepartmentZonesSpec(code, default_zone, areas))
    errors.raise_if_any()
    return specs


def _of(name: str) -> str:
    """French "de" with elision: "de Cahors", "d'Auch"."""
    return f"d'{name}" if normalize_name(name)[:1] in set("aeiouy") else f"de {name}"


def _apply_department_zones(
    spec: _DepartmentZonesSpec, report: SecurityZonesReport, log: Log
) -> None:
    department = Department.objects.filter(code=spec.department).first()
    if department is None:
        raise TerritoryDataError(
            f"Zones de sécurité : département {spec.department} absent de la base ; chargez "
            "d'abord les territoires (manage.py load_territories)."
        )
    errors = _Errors(f"Zones de sécurité de {department}")
    communes = list(
        Commune.objects.filter(department=department).values_list(
            "pk", "name", "arrondissement__code", "security_zone"
        )
    )
    names = {pk: name for pk, name, _arrondissement, _zone in communes}
    by_name: dict[str, list[tuple[int, str]]] = defaultdict(list)
    by_arrondissement: dict[str, set[int]] = defaultdict(set)
    for pk, name, arrondissement, _zone in communes:
        by_name[normalize_name(name)].append((pk, name))
        if arrondissement:
            by_arrondissement[arrondissement].add(pk)

    def members(area: _AreaSpec) -> tuple[set[int], set[int]]:
        named: set[int] = set()
        for name in area.communes:
            matches = by_name.get(normalize_name(name), [])
            if not matches:
                errors.add(f"commune « {name} » introuvable dans le département ({area.name})")
            elif len(matches) > 1:
                found = ", ".join(match_name for _pk, match_name in matches)
                errors.add(f"commune « {name} » ambiguë ({area.name}) : {found}")
            else:
                named.add(matches[0][0])
        from_arrondissements: set[int] = set()
        for code in area.arrondissements:
            if code not in by_arrondissement:
                errors.add(
                    f"arrondissement « {code} » sans commune dans le département ({area.name})"
                )
            from_arrondissements |= by_arrondissement.get(code, set())
        return named, from_arrondissements

    wanted: dict[tuple[str, str], set[int]] = {}
    police: set[int] = set()
    for area in spec.areas:
        if area.kind == SecurityAreaKind.POLICE_DISTRICT:
            named, from_arrondissements = members(area)
            wanted[(area.kind, area.name)] = named | from_arrondissements
            police |= named | from_arrondissements
    company_of: dict[int, str] = {}
    for area in spec.areas:
        if area.kind == SecurityAreaKind.GENDARMERIE_COMPANY:
            named, from_arrondissements = members(area)
            for pk in named & police:
                errors.add(
                    f"{names[pk]} : à la fois en zone police et dans la compagnie {area.name}"
                )
            area_members = named | (from_arrondissements - police)
            for pk in area_members:
                if pk in company_of:
                    errors.add(
                        f"{names[pk]} : dans deux compagnies, {company_of[pk]} et {area.name}"
                    )
                company_of[pk] = area.name
            wanted[(area.kind, area.name)] = area_members
    errors.raise_if_any()

    # Commune.security_zone: police inside a police district, the default zone elsewhere.
    changed = [
        (pk, (SecurityZone.POLICE if pk in police else spec.default_zone,))
        for pk, _name, _arrondissement, zone in communes
        if zone != (SecurityZone.POLICE if pk in police else spec.default_zone)
    ]
    _update_rows(Commune, ["security_zone"], changed)
    report.zones_changed += len(changed)

    # SecurityArea rows: the file is authoritative for the departments it lists.
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
    report.departments.append(spec.department)

    summary = ", ".join(
        f"{SecurityAreaKind(kind).label.lower()} {_of(name)} : {len(pks)} commune(s)"
        for (kind, name), pks in wanted.items()
    )
    log(
        f"{department} : {len(police)} commune(s) en zone police, {len(communes) - len(police)} en "
        f"zone {spec.default_zone} ; {summary}"
    )


def _apply_security_zones(specs: list[_DepartmentZonesSpec], log: Log) -> SecurityZonesReport:
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
    path: Path | str = SECURITY_ZONES_FILE, *, log: Log = _silent
) -> SecurityZonesReport:
    """Load the security zones file alone (territories must already be loaded), atomically."""
    specs = _read_security_zones(Path(path))
    with transaction.atomic():
        return _apply_security_zones(specs, log)
