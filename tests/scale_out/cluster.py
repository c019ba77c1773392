"""The pieces of the two-node test: a scratch PostgreSQL database, and processes started on loopback, each in its
own process group so that stopping it also stops its children (gunicorn's workers)."""

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings

STOP_TIMEOUT = 10


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ScratchDatabase:
    """A PostgreSQL database of its own (vigie_scaleout_<random>) on the server of the test settings: not the
    test database of pytest-django, which the nodes could not see (it lives in the test's transaction)."""

    def __init__(self):
        db = settings.DATABASES["default"]
        self.params = {
            "host": db.get("HOST") or "127.0.0.1",
            "port": int(db.get("PORT") or 5432),
            "user": db.get("USER") or "postgres",
            "password": db.get("PASSWORD") or None,
        }
        self.name = f"vigie_scaleout_{secrets.token_hex(6)}"

    def _admin(self):
        import psycopg

        return psycopg.connect(dbname="postgres", autocommit=True, **self.params)

    def create(self) -> None:
        from psycopg import sql

        with self._admin() as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))

    def drop(self) -> None:
        from psycopg import sql

        with self._admin() as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
            )

    @property
    def url(self) -> str:
        user = quote(self.params["user"], safe="")
        if self.params["password"]:
            user += ":" + quote(self.params["password"], safe="")
        return f"postgres://{user}@{self.params['host']}:{self.params['port']}/{self.name}"

    def rows(self, query: str, params: tuple = ()) -> list[tuple]:
        import psycopg

        with psycopg.connect(dbname=self.name, **self.params) as connection:
            return connection.execute(query, params).fetchall()


class Process:
    """A command started in its own session (process group), its output in a log file."""

    def __init__(self, name: str, args: list[str], *, env: dict, log_dir: Path):
        self.name = name
        self.log_path = log_dir / f"{name.replace(' ', '-')}.log"
        self._log = self.log_path.open("wb")
        self.popen = subprocess.Popen(
            args,
            cwd=settings.BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def running(self) -> bool:
        return self.popen.poll() is None

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def tail(self, lines: int = 25) -> str:
        return "\n".join(self.output().splitlines()[-lines:])

    def terminate(self) -> None:
        """SIGTERM to the process group. The group is only signalled while its leader has not been reaped (so
        its id cannot have been given to another process)."""
        if self.popen.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)

    def finish(self) -> None:
        """Waits for the end after terminate(); SIGKILL to the group after STOP_TIMEOUT seconds."""
        try:
            self.popen.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(STOP_TIMEOUT)
        self._log.close()


def stop_all(processes) -> None:
    """Stops every process at once (SIGTERM to all, then the waits)."""
    processes = list(processes)
    for process in processes:
        process.terminate()
    for process in processes:
        process.finish()


def wait_until(condition, *, timeout: float, interval: float = 0.25):
    """condition() until it returns something true (returned), or None after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval)
