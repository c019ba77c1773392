"""Backup and restore (vigie/core/backup.py): `manage.py backup`, then `manage.py restore` into an empty instance.

The restore runs in another process with the production settings, as an operator runs it, against a new empty
database (a scratch PostgreSQL database when the suite runs on PostgreSQL, as in CI; a new SQLite file otherwise)
and new empty storages (folders on the local disk, or buckets of a moto S3 server on loopback). It must find the
same row count for every model, the same audit log row for row, and byte-identical files in both storages. A
truncated or altered archive, or a non-empty instance, is refused with a French message, and nothing is written.
"""

import io
import json
import os
import sqlite3
import stat
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage, storages
from django.core.management import CommandError, call_command
from django.db import connection

from config.env import s3_storages
from tests.core.test_s3_storage import REGION, _client, s3_endpoint  # noqa: F401 (fixture)
from tests.factories import (
    ActionFactory,
    CommuneFactory,
    DepartmentFactory,
    MeasureFactory,
    PlanFactory,
)
from tests.governance.factories import ClspdFactory, MeetingFactory
from vigie.audit.services import record_create, record_read, record_update, snapshot

MINUTES_NAME = "governance/minutes/5f0c2a9e41d84b7f9e3a6c1d2b8e7f40/cr-nominatif.pdf"
FILES = {
    ("default", "imports/2026/plan départemental.pdf"): b"%PDF-1.7\n" + bytes(range(256)) * 64,
    ("default", "logo.svg"): b'<svg xmlns="http://www.w3.org/2000/svg"/>',
    ("private", MINUTES_NAME): b"%PDF-1.4\nSituation de Mme X.\n" + bytes(range(255, -1, -1)) * 8,
    ("private", "vide.txt"): b"",
}
AUDIT_SQL = "SELECT * FROM audit_auditentry ORDER BY id"
MIGRATIONS_SQL = "SELECT app, name FROM django_migrations ORDER BY id"
PARTITION = "statistics_communeobservation_sauvegarde"
PG = connection.vendor == "postgresql"


def test_ci_runs_the_round_trip_on_postgresql():
    if os.environ.get("CI", "").lower() != "true":
        pytest.skip("hors CI : l'aller-retour tourne sur le moteur de la suite (SQLite par défaut)")
    assert PG, "En CI, la suite (et donc l'aller-retour de sauvegarde) doit tourner sur PostgreSQL."


# --- the empty instance to restore into -----------------------------------------------------------


def _pg_connect(dbname: str):
    import psycopg

    params = connection.settings_dict
    return psycopg.connect(
        dbname=dbname,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        autocommit=True,
    )


@dataclass
class Target:
    """An empty instance: its database (DATABASE_URL) and its two storages (environment variables)."""

    database_url: str
    name: str
    env: dict
    files: Callable[[], dict]

    def rows(self, sql: str) -> list[tuple]:
        if PG:
            with _pg_connect(self.name) as pg:
                return pg.execute(sql).fetchall()
        database = sqlite3.connect(
            self.name, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
        )
        try:
            return database.execute(sql).fetchall()
        finally:
            database.close()

    def tables(self) -> list[str]:
        if PG:
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        elif not Path(self.name).exists():
            return []
        else:
            sql = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1"
        return [row[0] for row in self.rows(sql)]


def _pg_url(name: str) -> str:
    """DATABASE_URL of the database `name` on the server of the test database."""
    params = connection.settings_dict
    credentials = quote(params["USER"] or "postgres") + (
        ":" + quote(params["PASSWORD"]) if params["PASSWORD"] else ""
    )
    return (
        f"postgres://{credentials}@{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}/{name}"
    )


@pytest.fixture
def empty_database(tmp_path):
    """A new database without any table: (DATABASE_URL, name or path). Dropped afterwards on PostgreSQL."""
    if not PG:
        path = tmp_path / "restauree.sqlite3"
        yield f"sqlite:///{path}", str(path)
        return
    params = connection.settings_dict
    name = f"{params['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with _pg_connect("postgres") as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _pg_url(name), name
    finally:
        with _pg_connect("postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _s3_env(endpoint: str, client) -> dict:
    suffix = uuid.uuid4().hex[:12]
    buckets = {"default": f"vigie-media-{suffix}", "private": f"vigie-prive-{suffix}"}
    for bucket in buckets.values():
        client.create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
    return {
        "VIGIE_S3_BUCKET": buckets["default"],
        "VIGIE_S3_PRIVATE_BUCKET": buckets["private"],
        "VIGIE_S3_ENDPOINT_URL": endpoint,
        "VIGIE_S3_ACCESS_KEY_ID": "vigie-test",
        "VIGIE_S3_SECRET_ACCESS_KEY": "vigie-test-secret",
        "VIGIE_S3_REGION": REGION,
    }


def _bucket_files(client, env: dict) -> dict:
    found = {}
    for alias, bucket, prefix in (
        ("default", env["VIGIE_S3_BUCKET"], "media/"),
        ("private", env["VIGIE_S3_PRIVATE_BUCKET"], "private/"),
    ):
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for item in page.get("Contents", []):
                body = client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
                found[(alias, item["Key"].removeprefix(prefix))] = body
    return found


def _folder_files(roots: dict) -> dict:
    return {
        (alias, path.relative_to(root).as_posix()): path.read_bytes()
        for alias, root in roots.items()
        if root.exists()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _target(kind: str, request, tmp_path, database) -> Target:
    roots = {"default": tmp_path / "cible-media", "private": tmp_path / "cible-prive"}
    env = {"VIGIE_MEDIA_ROOT": str(roots["default"]), "VIGIE_PRIVATE_ROOT": str(roots["private"])}
    if kind == "s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        client = _client(endpoint)
        s3_env = _s3_env(endpoint, client)
        env.update(s3_env)
        return Target(*database, env=env, files=lambda: _bucket_files(client, s3_env))
    return Target(*database, env=env, files=lambda: _folder_files(roots))


def _use_source_storages(kind: str, request, tmp_path, monkeypatch, settings) -> None:
    """The storages the backup reads: new folders on the local disk, or new S3 buckets."""
    if kind == "s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        for name, value in _s3_env(endpoint, _client(endpoint)).items():
            monkeypatch.setenv(name, value)
        settings.STORAGES = {**settings.STORAGES, **s3_storages()}
        return
    folder = "django.core.files.storage.FileSystemStorage"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": folder, "OPTIONS": {"location": str(tmp_path / "source-media")}},
        "private": {
            "BACKEND": folder,
            "OPTIONS": {"location": str(tmp_path / "source-prive"), "base_url": None},
        },
    }


def _restore(archive: Path, target: Target, *options) -> subprocess.CompletedProcess:
    """`manage.py restore` in another process, with the production settings and the target's environment."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("VIGIE_S3_", "VIGIE_MEDIA_ROOT", "VIGIE_PRIVATE_ROOT"))
        and name not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        DJANGO_SECRET_KEY="restauration-de-test-" + "k" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=target.database_url,
        **target.env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive), *options],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


# --- the instance that is backed up ---------------------------------------------------------------


def _populate(make_user) -> None:
    gers = DepartmentFactory(code="32", name="Gers")
    condom = CommuneFactory(department=gers, code="32107", name="Condom")
    prefect = make_user("prefecture", gers, first_name="Élise", last_name="Dupré")
    plan = PlanFactory(department=gers)
    measure = MeasureFactory(axis__plan=plan)
    ActionFactory.create_batch(3, measure=measure)
    record_create(acting_user=prefect, instance=plan, department=gers)
    before = snapshot(measure)
    measure.title = "Prévenir les violences intrafamiliales « VIF »"
    measure.save()
    record_update(
        acting_user=prefect,
        instance=measure,
        before=before,
        parent=plan,
        department=gers,
        reason="Relecture du comité",
    )
    meeting = MeetingFactory(
        body=ClspdFactory(department=gers, commune=condom),
        is_restricted=True,
        minutes_file=MINUTES_NAME,
    )
    record_read(acting_user=prefect, instance=meeting, department=gers)
    _store_files()


def _store_files() -> None:
    for (alias, name), content in FILES.items():
        assert storages[alias].save(name, ContentFile(content)) == name


def _add_partition() -> None:
    """A partition created by raw SQL, as the communal statistics importer does, and rows in two partitions."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {PARTITION} PARTITION OF statistics_communeobservation FOR VALUES IN (987654)"
        )
        cursor.execute(
            "INSERT INTO statistics_communeobservation "
            "(edition_id, code, year, indicator_label, unit_label, count, diffusion) VALUES "
            "(987654, '32107', 2024, 'Cambriolages', 'infractions', 12, '1'), "
            "(987654, '32013', 2024, 'Cambriolages', 'infractions', NULL, '0'), "
            "(1, '46042', 2023, 'Vols', 'victimes', 3, '1')"
        )


@pytest.fixture
def partition(transactional_db):
    if not PG:
        yield
        return
    _add_partition()
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {PARTITION}")


PG_SCHEMA_SQL = [
    # Partitions of the table created by raw SQL, with their bounds, and their row counts.
    "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
    "JOIN pg_class c ON c.oid = i.inhrelid "
    "WHERE i.inhparent = 'statistics_communeobservation'::regclass ORDER BY 1",
    f"SELECT count(*) FROM {PARTITION}",
    # Constraints (primary keys, foreign keys, checks, unique) of every table.
    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
    "WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2",
    # Sequences carry on where they were: the next row gets a new id.
    "SELECT last_value, is_called FROM audit_auditentry_id_seq",
]


def _source_rows(sql: str) -> list[tuple]:
    if PG:
        with _pg_connect(connection.settings_dict["NAME"]) as pg:
            return pg.execute(sql).fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall()]


def _models():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy and model._meta.managed
    ]


def _manifest(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return json.loads(tar.extractfile("manifest.json").read())


# --- round trip -----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("source_kind", "target_kind"), [("local", "local"), ("s3", "s3"), ("local", "s3")]
)
def test_round_trip_restores_the_same_rows_audit_log_and_files(
    source_kind,
    target_kind,
    request,
    tmp_path,
    monkeypatch,
    settings,
    make_user,
    partition,
    empty_database,
):
    _use_source_storages(source_kind, request, tmp_path, monkeypatch, settings)
    _populate(make_user)
    archive = tmp_path / "vigie.tar"
    out = io.StringIO()
    call_command("backup", output=str(archive), stdout=out)

    counts = {model._meta.label: model._base_manager.count() for model in _models()}
    audit, migrations = _source_rows(AUDIT_SQL), _source_rows(MIGRATIONS_SQL)
    assert len(audit) == 3 and counts["governance.Meeting"] == 1 and counts["plans.Action"] == 3
    assert f"SHA-256 de l'archive : {sha256(archive.read_bytes()).hexdigest()}" in out.getvalue()
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    manifest = _manifest(archive)
    assert manifest["database"]["engine"] == connection.vendor
    assert manifest["database"]["row_counts"] == counts
    assert manifest["vigie"]["migrations"]["audit"] == max(
        name for app, name in migrations if app == "audit"
    )
    assert {(f["storage"], f["name"]): (f["size"], f["sha256"]) for f in manifest["files"]} == {
        key: (len(content), sha256(content).hexdigest()) for key, content in FILES.items()
    }

    target = _target(target_kind, request, tmp_path, empty_database)
    assert target.tables() == [] and target.files() == {}
    result = _restore(archive, target)
    assert result.returncode == 0, result.stderr
    assert "Base restaurée" in result.stdout and "Fichiers restaurés : 4" in result.stdout

    assert {
        model._meta.label: target.rows(f'SELECT COUNT(*) FROM "{model._meta.db_table}"')[0][0]
        for model in _models()
    } == counts
    assert target.rows(AUDIT_SQL) == audit
    assert target.rows(MIGRATIONS_SQL) == migrations
    assert target.files() == FILES
    if PG:
        for sql in PG_SCHEMA_SQL:
            assert target.rows(sql) == _source_rows(sql), sql
        assert target.rows(f"SELECT count(*) FROM {PARTITION}") == [(2,)]


# --- refusals -------------------------------------------------------------------------------------


def _alter(archive: Path) -> None:
    with tarfile.open(archive) as tar:
        offset = tar.getmember(f"files/private/{MINUTES_NAME}").offset_data + 40
    data = bytearray(archive.read_bytes())
    data[offset] ^= 0xFF
    archive.write_bytes(bytes(data))


def _truncate(archive: Path) -> None:
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("altérée", "est altérée : le contenu de « files/private/governance/minutes/"),
        ("tronquée", "est incomplète ou abîmée ("),
        ("stockage non vide", "Le stockage « private » contient déjà des fichiers (« ancien.pdf »"),
    ],
)
def test_refused_restore_writes_nothing(
    damage, message, request, tmp_path, monkeypatch, settings, empty_database
):
    _use_source_storages("local", request, tmp_path, monkeypatch, settings)
    _store_files()
    archive = tmp_path / "vigie.tar"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    target = _target("local", request, tmp_path, empty_database)
    if damage == "altérée":
        _alter(archive)
    elif damage == "tronquée":
        _truncate(archive)
    else:
        (tmp_path / "cible-prive").mkdir()
        (tmp_path / "cible-prive" / "ancien.pdf").write_bytes(b"%PDF")

    result = _restore(archive, target)

    assert result.returncode == 1
    assert message in result.stderr
    assert "Rien n'a été écrit : ni la base, ni les fichiers." in result.stderr
    assert target.tables() == []
    expected = {("private", "ancien.pdf"): b"%PDF"} if damage == "stockage non vide" else {}
    assert target.files() == expected


@pytest.mark.django_db
def test_failed_file_copy_removes_the_copied_files_and_says_what_is_left(
    request, tmp_path, settings, empty_database
):
    # A name the object storage takes but a disk does not (a 300-character file name), restored to the disk.
    memory = {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    settings.STORAGES = {**settings.STORAGES, "default": memory, "private": memory}
    storages["default"].save("a-retirer.txt", ContentFile(b"copie"))
    storages["private"].save("n" * 300 + ".pdf", ContentFile(b"%PDF"))
    archive = tmp_path / "vigie.tar"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    target = _target("local", request, tmp_path, empty_database)

    result = _restore(archive, target)

    assert result.returncode == 1
    assert "La base a été restaurée, mais pas les fichiers" in result.stderr
    assert "Fichiers déjà copiés retirés : 1." in result.stderr
    assert "videz la base" in result.stderr
    assert target.files() == {}
    assert "audit_auditentry" in target.tables()


@pytest.mark.django_db
def test_restored_row_counts_are_checked_before_the_files(
    request, tmp_path, monkeypatch, settings, empty_database
):
    _use_source_storages("local", request, tmp_path, monkeypatch, settings)
    _store_files()
    archive = tmp_path / "vigie.tar"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    counts = _manifest(archive)["database"]["row_counts"]
    assert counts["contenttypes.ContentType"] > 0 and "audit.AuditEntry" in counts
    _rewrite_manifest(
        archive, lambda manifest: manifest["database"]["row_counts"].update({"audit.AuditEntry": 7})
    )
    target = _target("local", request, tmp_path, empty_database)

    result = _restore(archive, target)

    assert result.returncode == 1
    assert (
        "La base restaurée ne correspond pas à l'archive (audit.AuditEntry : "
        f"{counts['audit.AuditEntry']} au lieu de 7) : aucun fichier n'a été restauré."
        in result.stderr
    )
    assert "audit_auditentry" in target.tables() and target.files() == {}


def test_an_unreachable_database_gives_a_message_not_a_traceback(archive, tmp_path):
    if PG:
        url = _pg_url(f"{connection.settings_dict['NAME']}_absente")
    else:
        url = f"sqlite:///{tmp_path / 'dossier-absent' / 'base.sqlite3'}"
    folders = {"VIGIE_MEDIA_ROOT": str(tmp_path / "m"), "VIGIE_PRIVATE_ROOT": str(tmp_path / "p")}

    result = _restore(archive, Target(url, "", folders, dict))

    assert result.returncode == 1
    assert "La base de données est inaccessible" in result.stderr
    assert "Rien n'a été écrit" in result.stderr and "Traceback" not in result.stderr


@pytest.fixture
def archive(db, tmp_path, monkeypatch, settings, request):
    _use_source_storages("local", request, tmp_path, monkeypatch, settings)
    _store_files()
    path = tmp_path / "vigie.tar"
    call_command("backup", output=str(path), stdout=io.StringIO())
    return path


def test_restore_refuses_a_database_that_is_not_empty(archive):
    with pytest.raises(CommandError, match="La base de données n'est pas vide") as refused:
        call_command("restore", str(archive), stdout=io.StringIO())
    assert "Rien n'a été écrit" in str(refused.value)


def _rewrite_manifest(archive: Path, change) -> None:
    """The manifest changed by `change` (what someone could do by hand: it is not signed)."""
    with tarfile.open(archive) as tar:
        members = [(info, tar.extractfile(info).read()) for info in tar.getmembers()]
    with tarfile.open(archive, "w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in members:
            if info.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_restore_refuses_an_archive_from_a_newer_version(archive):
    _rewrite_manifest(
        archive, lambda manifest: manifest["vigie"]["migrations"].update(plans="0999_future")
    )
    with pytest.raises(
        CommandError,
        match=r"plus récente que celle-ci \(migrations inconnues ici : plans.0999_future",
    ):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_check_only_verifies_the_archive_without_writing(archive):
    out = io.StringIO()
    call_command("restore", str(archive), check=True, stdout=out)
    assert "fichiers : 4 ; tailles et empreintes SHA-256 conformes au manifeste" in out.getvalue()
    assert "Vérification seule : rien n'a été écrit." in out.getvalue()
    _alter(archive)
    with pytest.raises(CommandError, match="est altérée"):
        call_command("restore", str(archive), check=True, stdout=io.StringIO())


def test_backup_refuses_to_write_into_a_folder_it_backs_up(archive, tmp_path):
    output = tmp_path / "source-prive" / "vigie.tar"
    with pytest.raises(CommandError, match="est dans le dossier du stockage « private »"):
        call_command("backup", output=str(output), stdout=io.StringIO())
    assert not output.exists()


def test_backup_never_overwrites_an_archive(archive):
    before = archive.read_bytes()
    with pytest.raises(CommandError, match="existe déjà"):
        call_command("backup", output=str(archive), stdout=io.StringIO())
    assert archive.read_bytes() == before
    assert not archive.with_name("vigie.tar.partiel").exists()


class VanishingStorage(InMemoryStorage):
    """Lists one file more than it holds: a file deleted between the listing and the reading."""

    def listdir(self, path):
        directories, files = super().listdir(path)
        return directories, ([*files, "sonde-disparue.txt"] if not path else files)


@pytest.mark.django_db
def test_a_file_deleted_during_the_backup_is_left_out(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.VanishingStorage"},
        "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    storages["default"].save("garde.txt", ContentFile(b"garde"))
    archive = tmp_path / "vigie.tar"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    assert [(f["storage"], f["name"]) for f in _manifest(archive)["files"]] == [
        ("default", "garde.txt")
    ]
    call_command("restore", str(archive), check=True, stdout=io.StringIO())
