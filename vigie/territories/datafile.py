"""The compact territory data files shipped in ``vigie/territories/data/``: their format, validation,
writing (``write_compact_data``, called by ``vigie.territories.etalab``) and reading
(``read_compact_data``, called by ``vigie.territories.loading``).

One gzipped CSV file per level and a ``manifest.json`` giving the source, the row counts and the
SHA-256 of each file. Nothing here reads outside the directory it is given.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import models

from vigie.territories.enums import EpciKind
from vigie.territories.errors import DataErrors, Log, TerritoryDataError, silent
from vigie.territories.models import Arrondissement, Commune, Department, Epci, Region

DATA_DIR = Path(__file__).resolve().parent / "data"
MANIFEST_FILE = "manifest.json"
FORMAT_VERSION = 1

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


def _max_length(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length


def _validate_compact(levels: dict[str, list[dict]], errors: DataErrors) -> None:
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


def write_compact_data(
    levels: dict[str, list[dict]],
    *,
    output_dir: Path,
    source: dict[str, str],
    scope: str,
    log: Log = silent,
) -> dict:
    """Validate ``levels``, then write one file per level and the manifest. Returns the manifest.

    On an error nothing is written; the files are replaced all together.
    """
    errors = DataErrors("Données dérivées invalides")
    _validate_compact(levels, errors)
    errors.raise_if_any()
    files: dict[str, bytes] = {}
    manifest: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "source": source,
        "scope": scope,
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
    return manifest


@dataclass
class CompactData:
    manifest: dict
    levels: dict[str, list[dict]]


def _parse_level(level: str, content: bytes, expected_rows: Any, errors: DataErrors) -> list[dict]:
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

    errors = DataErrors(context)
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
