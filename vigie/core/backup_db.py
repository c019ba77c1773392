"""The database part of a backup (vigie/core/backup.py): a consistent copy of the whole database, and its restore.

PostgreSQL: `pg_dump --format=custom`, which keeps everything the migrations made, tables created by raw SQL and
their partitions included (statistics), with sequences, constraints and indexes. It runs in a snapshot exported by
a read-only transaction in which the row counts and the applied migrations written in the manifest are read, so
they describe exactly the dumped data. Restored by `pg_restore` in one transaction: all or nothing. The connection
comes from DATABASES; the password reaches the client programs through PGPASSWORD, never their command line.

SQLite: the sqlite3 backup API, both ways (a consistent copy of a live database; a restore that replaces the
target database at once).
"""

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import DatabaseError, connections

ENGINES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
MIGRATIONS_TABLE = "django_migrations"
# Connection OPTIONS that libpq also reads from the environment (as `manage.py dbshell` passes them).
_PG_OPTION_VARIABLES = {
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
}


class BackupError(Exception):
    """A backup or a restore refused or failed; the message is in French, for the operator."""


@dataclass(frozen=True)
class DatabaseState:
    """What the manifest says about a database: its engine, migrations and the row count of every model."""

    engine: str
    server_version: str
    migrations: dict[str, str]
    row_counts: dict[str, int]
    tables: dict[str, str]


def engine_of(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in ENGINES:
        raise BackupError(
            f"Base de données « {vendor} » non prise en charge : la sauvegarde connaît PostgreSQL et SQLite."
        )
    return vendor


def model_tables() -> dict[str, str]:
    """Label → table of every model with a table of its own (many-to-many tables included), by label."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.proxy and meta.managed:
            tables[meta.label] = meta.db_table
    return dict(sorted(tables.items()))


def _quote(table: str) -> str:
    return '"' + table.replace('"', '""') + '"'


def count_rows(cursor, tables: dict[str, str]) -> dict[str, int]:
    """Label → row count of each table (a partitioned table counts the rows of its partitions)."""
    counts = {}
    for label, table in tables.items():
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[label] = cursor.fetchone()[0]
    return counts


def _state(engine: str, version: str, cursor, existing: set[str]) -> DatabaseState:
    tables = {label: table for label, table in model_tables().items() if table in existing}
    return DatabaseState(
        engine=engine,
        server_version=version,
        migrations=latest_migrations(cursor, existing),
        row_counts=count_rows(cursor, tables),
        tables=tables,
    )


def latest_migrations(cursor, existing: set[str]) -> dict[str, str]:
    """The latest applied migration of each app: the version of Vigie (and of its libraries) the data is at."""
    if MIGRATIONS_TABLE not in existing:
        raise BackupError(
            "La base ne contient aucune migration appliquée : ce n'est pas une base Vigie "
            "(manage.py migrate n'y a jamais été lancé)."
        )
    cursor.execute(f"SELECT app, MAX(name) FROM {MIGRATIONS_TABLE} GROUP BY app ORDER BY app")
    return dict(cursor.fetchall())


def existing_tables(using: str) -> list[str]:
    """Tables and views of the database (for a restore: an empty database has none)."""
    connection = connections[using]
    try:
        with connection.cursor() as cursor:
            return sorted(connection.introspection.table_names(cursor, include_views=True))
    except DatabaseError as exc:
        raise BackupError(f"La base de données est inaccessible : {exc}") from exc


def current_row_counts(using: str, tables: dict[str, str]) -> dict[str, int | None]:
    """Label → row count of each table of `tables` (the manifest's), None for a missing table."""
    existing = set(existing_tables(using))
    with connections[using].cursor() as cursor:
        counts = count_rows(cursor, {k: v for k, v in tables.items() if v in existing})
    return {label: counts.get(label) for label in tables}


# --- dump -----------------------------------------------------------------------------------------


def dump_database(using: str, path: Path) -> DatabaseState:
    """Write a copy of the whole database to `path`; what the manifest says about it."""
    engine = engine_of(using)
    try:
        if engine == "postgresql":
            return _dump_postgresql(using, path)
        return _dump_sqlite(using, path)
    except (DatabaseError, connections[using].Database.Error) as exc:
        raise BackupError(f"La base de données est inaccessible : {exc}") from exc


def _dump_postgresql(using: str, path: Path) -> DatabaseState:
    wrapper = connections[using]
    program = _program("pg_dump")
    raw = wrapper.Database.connect(**wrapper.get_connection_params())
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, version = cursor.fetchone()
            cursor.execute(
                "SELECT c.relname FROM pg_class c WHERE c.relkind IN ('r', 'p', 'v', 'm') "
                "AND pg_table_is_visible(c.oid)"
            )
            existing = {row[0] for row in cursor.fetchall()}
            state = _state("postgresql", version, cursor, existing)
            # The snapshot stays valid while this transaction is open: pg_dump sees exactly what was counted.
            _run_pg(
                [
                    program,
                    "--format=custom",
                    "--no-password",
                    f"--snapshot={snapshot}",
                    f"--file={path}",
                ],
                wrapper.settings_dict,
            )
            cursor.execute("ROLLBACK")
    finally:
        raw.close()
    return state


def _dump_sqlite(using: str, path: Path) -> DatabaseState:
    wrapper = connections[using]
    wrapper.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        wrapper.connection.backup(copy)
        cursor = copy.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
        existing = {row[0] for row in cursor.fetchall()}
        return _state("sqlite", sqlite3.sqlite_version, cursor, existing)
    except sqlite3.Error as exc:
        raise BackupError(f"La copie de la base SQLite a échoué : {exc}.") from exc
    finally:
        copy.close()


# --- restore --------------------------------------------------------------------------------------


def restore_database(using: str, engine: str, path: Path) -> None:
    """Load the copy at `path` into the (empty) database `using`: all of it, or nothing."""
    if engine == "postgresql":
        settings_dict = connections[using].settings_dict
        _run_pg(
            [
                _program("pg_restore"),
                "--format=custom",
                "--single-transaction",
                "--exit-on-error",
                # Objects belong to the account that restores; the rights are those of this instance.
                "--no-owner",
                "--no-privileges",
                "--no-password",
                f"--dbname={settings_dict['NAME']}",
                str(path),
            ],
            settings_dict,
        )
        return
    wrapper = connections[using]
    wrapper.ensure_connection()
    source = sqlite3.connect(path)
    try:
        source.backup(wrapper.connection)
    except sqlite3.Error as exc:
        raise BackupError(f"La restauration de la base SQLite a échoué : {exc}.") from exc
    finally:
        source.close()


# --- PostgreSQL client programs -------------------------------------------------------------------


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} est introuvable : installez le client PostgreSQL (paquet postgresql-client) de la même "
            "version majeure que le serveur."
        )
    return found


def pg_environment(settings_dict: dict) -> dict[str, str]:
    """The environment of pg_dump / pg_restore: the connection of DATABASES, the password included."""
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for option, variable in _PG_OPTION_VARIABLES.items():
        if options.get(option):
            env[variable] = str(options[option])
    return env


def _run_pg(args: list[str], settings_dict: dict) -> None:
    name = Path(args[0]).name
    try:
        result = subprocess.run(
            args, env=pg_environment(settings_dict), capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise BackupError(f"{name} n'a pas pu être lancé : {exc}.") from exc
    if result.returncode != 0:
        detail = " / ".join(result.stderr.strip().splitlines()[-5:]) or "aucun détail"
        raise BackupError(f"{name} a échoué (code {result.returncode}) : {detail}")
