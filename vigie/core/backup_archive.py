"""The backup archive (vigie/core/backup.py): an uncompressed tar holding the database, the files and a manifest.

    database/vigie.pgdump | database/vigie.sqlite3   the database (pg_dump custom format, or an SQLite file)
    files/<storage>/<name>                           every file of the "default" and "private" storages
    manifest.json                                    last: what the archive holds, each member's size and SHA-256

The manifest comes last, so that a truncated archive has none. Reading checks everything before anything is used:
no member missing, none unexpected, every size and SHA-256 as the manifest says; and each member is hashed again as
it is copied out, so the bytes that are restored are the bytes that were checked.
"""

import hashlib
import json
import tarfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.utils import validate_file_name

from vigie.core.backup_db import ENGINES, BackupError

FORMAT = "vigie-sauvegarde"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"postgresql": "database/vigie.pgdump", "sqlite": "database/vigie.sqlite3"}
STORAGE_ALIASES = ("default", "private")
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Member:
    """One member of the archive: a stored file (storage and name) or the database (both empty)."""

    member: str
    size: int
    sha256: str
    storage: str = ""
    name: str = ""


@dataclass(frozen=True)
class Manifest:
    created_at: str
    engine: str
    server_version: str
    migrations: dict[str, str]
    row_counts: dict[str, int]
    tables: dict[str, str]
    database: Member
    files: tuple[Member, ...]

    def to_json(self) -> bytes:
        data = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": self.created_at,
            "vigie": {"migrations": self.migrations},
            "database": {
                "engine": self.engine,
                "server_version": self.server_version,
                "member": self.database.member,
                "size": self.database.size,
                "sha256": self.database.sha256,
                "row_counts": self.row_counts,
                "tables": self.tables,
            },
            "files": [asdict(entry) for entry in self.files],
        }
        return json.dumps(data, ensure_ascii=False, indent=2).encode()


def file_member(storage: str, name: str) -> str:
    return f"files/{storage}/{name}"


# --- writing --------------------------------------------------------------------------------------


class HashingWriter:
    """The archive's output stream, hashed as it is written (the SHA-256 of the whole archive)."""

    def __init__(self, raw):
        self.raw = raw
        self.position = 0
        self.hash = hashlib.sha256()

    def write(self, data) -> int:
        self.hash.update(data)
        self.position += len(data)
        return self.raw.write(data)

    def tell(self) -> int:
        return self.position


class _HashingReader:
    def __init__(self, raw):
        self.raw = raw
        self.hash = hashlib.sha256()

    def read(self, size=-1):
        data = self.raw.read(size)
        self.hash.update(data)
        return data


def add_member(tar: tarfile.TarFile, member: str, size: int, stream) -> str:
    """Copy `size` bytes of `stream` into the archive as `member`; their SHA-256."""
    info = tarfile.TarInfo(member)
    info.size = size
    info.mtime = int(time.time())
    info.mode = 0o600
    reader = _HashingReader(stream)
    try:
        tar.addfile(info, reader)
    except OSError as exc:  # fewer bytes than announced: the file shrank while it was being copied
        raise BackupError(
            f"« {member} » a changé pendant la sauvegarde ({exc}) : relancez la sauvegarde."
        ) from exc
    return reader.hash.hexdigest()


# --- reading --------------------------------------------------------------------------------------


def _incomplete(path: Path, detail: str) -> BackupError:
    return BackupError(f"L'archive « {path} » est incomplète ou abîmée ({detail}).")


def open_archive(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, mode="r:")
    except FileNotFoundError as exc:
        raise BackupError(f"L'archive « {path} » n'existe pas.") from exc
    except (tarfile.TarError, OSError) as exc:
        raise _incomplete(path, f"ce n'est pas une archive tar lisible : {exc}") from exc


def read_manifest(path: Path) -> Manifest:
    """The manifest of the archive, once every member has been checked against it. Writes nothing."""
    with open_archive(path) as tar:
        members = _members(tar, path)
        if MANIFEST not in members:
            raise _incomplete(path, f"{MANIFEST} manque, l'archive est sans doute tronquée")
        manifest = _parse_manifest(_read_json(tar, members[MANIFEST]))
        expected = {entry.member: entry for entry in (manifest.database, *manifest.files)}
        missing = sorted(set(expected) - set(members))
        if missing:
            raise _incomplete(path, f"il manque « {missing[0]} »")
        unexpected = sorted(set(members) - set(expected) - {MANIFEST})
        if unexpected:
            raise BackupError(
                f"L'archive « {path} » est altérée : « {unexpected[0]} » n'est pas dans son manifeste."
            )
        for name, entry in expected.items():
            check_member(tar, members[name], entry, path, sink=None)
    return manifest


def _members(tar: tarfile.TarFile, path: Path) -> dict[str, tarfile.TarInfo]:
    members = {}
    try:
        for info in tar:
            if not info.isfile() or info.name in members:
                raise BackupError(
                    f"L'archive « {path} » est altérée : élément « {info.name} » inattendu "
                    "(ni fichier simple, ou en double)."
                )
            members[info.name] = info
    except (tarfile.TarError, OSError) as exc:
        raise _incomplete(path, f"elle s'arrête avant la fin, sans doute tronquée : {exc}") from exc
    return members


def check_member(tar, info: tarfile.TarInfo, entry: Member, path: Path, *, sink) -> None:
    """Read a member (copying it to `sink` when given); refuse it unless its size and SHA-256 are the manifest's."""
    if info.size != entry.size:
        raise BackupError(
            f"L'archive « {path} » est altérée : « {entry.member} » fait {info.size} octets au lieu de "
            f"{entry.size}."
        )
    digest = hashlib.sha256()
    try:
        stream = tar.extractfile(info)
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            if sink is not None:
                sink.write(chunk)
    except (tarfile.TarError, OSError) as exc:
        raise _incomplete(path, f"« {entry.member} » illisible : {exc}") from exc
    if digest.hexdigest() != entry.sha256:
        raise BackupError(
            f"L'archive « {path} » est altérée : le contenu de « {entry.member} » ne correspond pas à son "
            "empreinte SHA-256."
        )


def _read_json(tar: tarfile.TarFile, info: tarfile.TarInfo):
    try:
        return json.loads(tar.extractfile(info).read().decode())
    except (tarfile.TarError, OSError, UnicodeDecodeError, ValueError) as exc:
        raise BackupError(f"Le manifeste de l'archive est illisible : {exc}.") from exc


def _parse_manifest(data) -> Manifest:
    try:
        if data["format"] != FORMAT:
            raise ValueError("ce n'est pas une sauvegarde Vigie")
        if data["format_version"] != FORMAT_VERSION:
            raise ValueError(f"format {data['format_version']!r} inconnu de cette version de Vigie")
        database = data["database"]
        engine = database["engine"]
        if engine not in ENGINES:
            raise ValueError(f"moteur de base « {engine} » inconnu")
        if database["member"] != DATABASE_MEMBERS[engine]:
            raise ValueError("emplacement de la base inattendu")
        files = tuple(_parse_file(entry) for entry in data["files"])
        row_counts = {str(label): int(n) for label, n in database["row_counts"].items()}
        tables = {str(label): str(table) for label, table in database["tables"].items()}
        if set(tables) != set(row_counts):
            raise ValueError("tables et nombres de lignes ne correspondent pas")
        return Manifest(
            created_at=str(data["created_at"]),
            engine=engine,
            server_version=str(database["server_version"]),
            migrations={str(app): str(name) for app, name in data["vigie"]["migrations"].items()},
            row_counts=row_counts,
            tables=tables,
            database=Member(
                member=database["member"],
                size=_size(database["size"]),
                sha256=_sha256(database["sha256"]),
            ),
            files=files,
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise BackupError(f"Le manifeste de l'archive est illisible : {exc}.") from exc


def _parse_file(entry: dict) -> Member:
    storage, name = entry["storage"], entry["name"]
    if storage not in STORAGE_ALIASES:
        raise ValueError(f"stockage « {storage} » inconnu")
    try:
        validate_file_name(name, allow_relative_path=True)
    except SuspiciousFileOperation as exc:
        raise ValueError(f"nom de fichier refusé « {name} »") from exc
    if entry["member"] != file_member(storage, name):
        raise ValueError(f"nom de fichier refusé « {name} »")
    return Member(
        member=entry["member"],
        size=_size(entry["size"]),
        sha256=_sha256(entry["sha256"]),
        storage=storage,
        name=name,
    )


def _size(value) -> int:
    if type(value) is not int or value < 0:
        raise ValueError(f"taille {value!r} invalide")
    return value


def _sha256(value) -> str:
    if not isinstance(value, str) or len(value) != 64 or set(value) - set("0123456789abcdef"):
        raise ValueError(f"empreinte {value!r} invalide")
    return value
