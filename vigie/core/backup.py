"""Backup and restore of a whole Vigie instance: the database and the stored files together, in one archive.

`manage.py backup --output FILE` and `manage.py restore FILE` (README, "Sauvegarde et restauration") call
`create_backup` and `restore_backup`. The archive format is in backup_archive.py, the database part in backup_db.py.

Backup: the database first (a consistent copy), then every file of the "default" and "private" storages, read
through the storages API (local disk or S3 alike), then the manifest. The archive is written under a temporary name
and renamed when complete: a failed backup leaves no archive behind, and an existing archive is never overwritten.

Restore, only into an empty instance (a database without tables, storages without files), possibly on another
storage backend than the one backed up (local disk → S3…), never over existing data: there is no --force, since
restoring over data would mix two instances or destroy one. In order, stopping at the first refusal:
1. the whole archive is checked against its manifest (sizes, SHA-256): a truncated or altered archive is refused
   before anything is written;
2. the archive must come from this version of Vigie or an older one (its migrations known here), same engine;
3. the database and the storages must be empty;
4. the database is restored, all or nothing, then its row counts are compared with the manifest's;
5. only then the files, each hashed again as it is copied; if one fails, those already copied are removed and the
   message says what is left (the restored database) and how to start again.
No audit entry: the restored audit log must stay the one that was backed up; the operations are logged.
"""

import logging
import os
import posixpath
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from vigie.core.backup_archive import (
    CHUNK,
    DATABASE_MEMBERS,
    MANIFEST,
    STORAGE_ALIASES,
    HashingWriter,
    Manifest,
    Member,
    add_member,
    check_member,
    file_member,
    open_archive,
    read_manifest,
)
from vigie.core.backup_db import (
    ENGINES,
    BackupError,
    current_row_counts,
    dump_database,
    engine_of,
    existing_tables,
    restore_database,
)

__all__ = ["BackupError", "create_backup", "restore_backup"]

logger = logging.getLogger(__name__)
PARTIAL_SUFFIX = ".partiel"


@dataclass
class BackupReport:
    path: Path
    sha256: str
    size: int
    manifest: Manifest

    def lines(self) -> list[str]:
        files = self.manifest.files
        return [
            f"Sauvegarde écrite : {self.path} ({self.size} octets).",
            f"SHA-256 de l'archive : {self.sha256}",
            f"Base {ENGINES[self.manifest.engine]} : {sum(self.manifest.row_counts.values())} lignes "
            f"dans {len(self.manifest.row_counts)} tables.",
            f"Fichiers : {len(files)} ({sum(entry.size for entry in files)} octets) ; "
            + _per_storage(files),
        ]


@dataclass
class RestoreReport:
    path: Path
    manifest: Manifest
    checked_only: bool = False
    pending_migrations: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        manifest, files = self.manifest, self.manifest.files
        lines = [
            f"Archive du {manifest.created_at} vérifiée : base {ENGINES[manifest.engine]} "
            f"({sum(manifest.row_counts.values())} lignes), fichiers : {len(files)} ; "
            "tailles et empreintes SHA-256 conformes au manifeste."
        ]
        if self.checked_only:
            lines.append("Vérification seule : rien n'a été écrit.")
            return lines
        lines.append(
            f"Base restaurée : le nombre de lignes de chacune des {len(manifest.row_counts)} tables "
            "est celui de l'archive."
        )
        lines.append(f"Fichiers restaurés : {len(files)} ; " + _per_storage(files))
        if self.pending_migrations:
            lines.append(
                f"La base vient d'une version antérieure de Vigie ({len(self.pending_migrations)} "
                "migrations à appliquer) : lancez maintenant « manage.py migrate »."
            )
        return lines


def _per_storage(files) -> str:
    counts = {alias: 0 for alias in STORAGE_ALIASES}
    for entry in files:
        counts[entry.storage] += 1
    return ", ".join(f"{alias} : {count}" for alias, count in counts.items())


def walk_storage(storage, directory: str = ""):
    """Names of every file of a storage, folder by folder (a local folder not created yet holds none)."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(directory, name) if directory else name
    for sub in sorted(directories):
        yield from walk_storage(storage, posixpath.join(directory, sub) if directory else sub)


# --- backup ---------------------------------------------------------------------------------------


def create_backup(output: Path, *, using: str = DEFAULT_DB_ALIAS) -> BackupReport:
    """Write the archive of the database `using` and of the stored files to `output` (a new file)."""
    output = Path(output)
    if output.exists():
        raise BackupError(
            f"« {output} » existe déjà : une sauvegarde n'écrase jamais une archive, donnez un autre nom."
        )
    if not output.parent.is_dir():
        raise BackupError(f"Le dossier « {output.parent} » n'existe pas.")
    _refuse_inside_storages(output)
    engine = engine_of(using)
    partial = output.with_name(output.name + PARTIAL_SUFFIX)
    # The database copy is staged beside the archive (the temporary folder may be too small for it).
    with tempfile.TemporaryDirectory(prefix=".vigie-sauvegarde-", dir=output.parent) as work:
        dump = Path(work) / "base"
        state = dump_database(using, dump)
        try:
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as exc:
            raise BackupError(
                f"« {partial} » existe : une autre sauvegarde est en cours, ou a été interrompue "
                "(supprimez ce fichier)."
            ) from exc
        try:
            with os.fdopen(descriptor, "wb") as raw:
                stream = HashingWriter(raw)
                with tarfile.open(fileobj=stream, mode="w", format=tarfile.PAX_FORMAT) as tar:
                    size, member = dump.stat().st_size, DATABASE_MEMBERS[engine]
                    with open(dump, "rb") as source:
                        digest = add_member(tar, member, size, source)
                    database = Member(member=member, size=size, sha256=digest)
                    files = tuple(_add_stored_files(tar))
                    manifest = Manifest(
                        created_at=timezone.now().isoformat(timespec="seconds"),
                        engine=engine,
                        server_version=state.server_version,
                        migrations=state.migrations,
                        row_counts=state.row_counts,
                        tables=state.tables,
                        database=database,
                        files=files,
                    )
                    content = manifest.to_json()
                    add_member(tar, MANIFEST, len(content), _BytesReader(content))
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, output)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    report = BackupReport(
        path=output, sha256=stream.hash.hexdigest(), size=stream.position, manifest=manifest
    )
    logger.info("Sauvegarde écrite : %s (%s octets, %s fichiers).", output, report.size, len(files))
    return report


def _refuse_inside_storages(output: Path) -> None:
    """An archive written into a folder it backs up would be read into itself."""
    for alias in STORAGE_ALIASES:
        storage = storages[alias] if alias in settings.STORAGES else None
        if isinstance(storage, FileSystemStorage) and output.resolve().is_relative_to(
            Path(storage.location).resolve()
        ):
            raise BackupError(
                f"« {output} » est dans le dossier du stockage « {alias} » : écrivez l'archive ailleurs "
                "(elle s'y sauvegarderait elle-même)."
            )


class _BytesReader:
    def __init__(self, content: bytes):
        self.content, self.offset = content, 0

    def read(self, size=-1) -> bytes:
        end = len(self.content) if size is None or size < 0 else self.offset + size
        chunk = self.content[self.offset : end]
        self.offset += len(chunk)
        return chunk


def _add_stored_files(tar: tarfile.TarFile):
    for alias in STORAGE_ALIASES:
        if alias not in settings.STORAGES:
            continue
        storage = storages[alias]
        try:
            for name in walk_storage(storage):
                # Read whole before anything goes into the archive: a file deleted since it was listed (a
                # health probe, a replaced document) is left out without leaving half a member behind.
                with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as copy:
                    if not _copy_stored_file(storage, name, copy):
                        continue
                    size = copy.tell()
                    copy.seek(0)
                    member = file_member(alias, name)
                    digest = add_member(tar, member, size, copy)
                yield Member(member=member, size=size, sha256=digest, storage=alias, name=name)
        except BackupError:
            raise
        # The disk's or the object storage's errors (boto3's have no common base class).
        except Exception as exc:
            raise BackupError(f"Lecture du stockage « {alias} » impossible : {exc}") from exc


def _copy_stored_file(storage, name: str, sink) -> bool:
    """Copy a stored file to `sink`; False when it no longer exists."""
    try:
        with storage.open(name, "rb") as source:
            while chunk := source.read(CHUNK):
                sink.write(chunk)
    except Exception:
        if storage.exists(name):
            raise
        return False
    return True


# --- restore --------------------------------------------------------------------------------------


def restore_backup(
    archive: Path, *, using: str = DEFAULT_DB_ALIAS, check_only: bool = False
) -> RestoreReport:
    """Restore the archive into this empty instance (or, with check_only, only check it: nothing is written)."""
    archive = Path(archive)
    try:
        manifest = read_manifest(archive)
        _check_compatible(manifest, using)
        report = RestoreReport(path=archive, manifest=manifest, checked_only=check_only)
        if check_only:
            return report
        _check_empty(using)
        with tempfile.TemporaryDirectory(prefix="vigie-restauration-") as work:
            dump = Path(work) / "base"
            with open_archive(archive) as tar, open(dump, "wb") as sink:
                member = tar.getmember(manifest.database.member)
                check_member(tar, member, manifest.database, archive, sink=sink)
            restore_database(using, manifest.engine, dump)
    except BackupError as exc:
        raise BackupError(f"{exc}\nRien n'a été écrit : ni la base, ni les fichiers.") from exc
    _check_row_counts(manifest, using)
    _restore_files(archive, manifest)
    executor = MigrationExecutor(connections[using])
    report.pending_migrations = [
        f"{migration.app_label}.{migration.name}"
        for migration, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())
    ]
    logger.info("Restauration terminée : %s (%s fichiers).", archive, len(manifest.files))
    return report


def _check_compatible(manifest: Manifest, using: str) -> None:
    engine = engine_of(using)
    if manifest.engine != engine:
        raise BackupError(
            f"L'archive contient une base {ENGINES[manifest.engine]} et cette instance utilise "
            f"{ENGINES[engine]} : la restauration se fait vers le même moteur de base de données."
        )
    absent = sorted({entry.storage for entry in manifest.files} - set(settings.STORAGES))
    if absent:
        raise BackupError(
            f"L'archive contient des fichiers du stockage « {absent[0]} », que cette instance n'a pas "
            "(réglage STORAGES)."
        )
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = [
        f"{app}.{name}" for app, name in manifest.migrations.items() if (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            "L'archive vient d'une version de Vigie plus récente que celle-ci (migrations inconnues ici : "
            + ", ".join(unknown[:5])
            + ") : installez la version qui a fait la sauvegarde, ou une plus récente, avant de restaurer."
        )


def _check_empty(using: str) -> None:
    tables = existing_tables(using)
    if tables:
        raise BackupError(
            f"La base de données n'est pas vide ({len(tables)} tables, dont « {tables[0]} ») : une "
            "restauration ne se fait que dans une base neuve, sans aucune table, pour ne jamais mêler deux "
            "instances ni en écraser une. Créez une base vide (createdb, ou un nouveau fichier SQLite), "
            "désignez-la par DATABASE_URL, sans lancer migrate, puis relancez la restauration."
        )
    for alias in STORAGE_ALIASES:
        if alias not in settings.STORAGES:
            continue
        try:
            first = next(walk_storage(storages[alias]), None)
        # The disk's or the object storage's errors (boto3's have no common base class).
        except Exception as exc:
            raise BackupError(f"Le stockage « {alias} » est inaccessible : {exc}") from exc
        if first is not None:
            raise BackupError(
                f"Le stockage « {alias} » contient déjà des fichiers (« {first} »…) : une restauration ne se "
                "fait que dans des stockages vides (dossier ou bucket neuf)."
            )


def _check_row_counts(manifest: Manifest, using: str) -> None:
    restored = current_row_counts(using, manifest.tables)
    different = [
        f"{label} : {'table absente' if restored[label] is None else restored[label]} au lieu de {count}"
        for label, count in manifest.row_counts.items()
        if restored.get(label) != count
    ]
    if different:
        raise BackupError(
            "La base restaurée ne correspond pas à l'archive ("
            + " ; ".join(different[:5])
            + ") : aucun fichier n'a été restauré. Videz la base avant de recommencer."
        )


def _restore_files(archive: Path, manifest: Manifest) -> None:
    written = []
    try:
        with open_archive(archive) as tar:
            members = {info.name: info for info in tar.getmembers()}
            for entry in manifest.files:
                storage = storages[entry.storage]
                with tempfile.TemporaryFile() as copy:
                    check_member(tar, members[entry.member], entry, archive, sink=copy)
                    copy.seek(0)
                    content = File(copy, name=entry.name)
                    content.size = entry.size
                    saved = storage.save(entry.name, content)
                written.append((storage, saved))
                if saved != entry.name:
                    raise BackupError(
                        f"« {entry.name} » a été enregistré sous le nom « {saved} » : le stockage "
                        f"« {entry.storage} » n'est plus vide."
                    )
    except Exception as exc:
        left = _remove(written)
        raise BackupError(
            f"La base a été restaurée, mais pas les fichiers : {exc}\n"
            + (
                f"Fichiers déjà copiés retirés : {len(written)}. "
                if not left
                else f"Fichiers copiés qui n'ont pas pu être retirés : {', '.join(left[:5])}. "
            )
            + "Pour recommencer : videz la base (dropdb puis createdb, ou un nouveau fichier SQLite) et les "
            "stockages, puis relancez la restauration."
        ) from exc


def _remove(written) -> list[str]:
    left = []
    for storage, name in written:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("Restauration : fichier %s non retiré.", name)
            left.append(name)
    return left
