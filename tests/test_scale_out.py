"""Scale-out: two gunicorn nodes and two task workers on loopback, one PostgreSQL database, one S3 server (moto).

A prefecture agent signs in on node A and uploads the Gers plan (DOCX) there; one of the two `db_worker` processes
analyses it, exactly once; node B serves the review to the session cookie that node A set. The document is an
object in the S3 bucket of private files and nothing is written to the local disk. The nodes run the production
settings (config.settings.scale_out: every upload analysed in the background, static files without collectstatic)
behind a simulated TLS-terminating proxy (`X-Forwarded-Proto: https`, secure cookies), as in production.

Needs PostgreSQL (DATABASE_URL=postgres://…): skipped on SQLite, which cannot serve several nodes, except with
CI=true, where it fails instead. The test creates and drops its own database (vigie_scaleout_…). Every process is
stopped at the end, whatever happened; each wait is bounded.
"""

import json
import os
import re
import secrets
import subprocess
import sys
import uuid
from html import escape

import pytest
import requests
from django.conf import settings
from django_otp.oath import totp

from tests.imports.documents import blocks_of, to_docx
from tests.scale_out.cluster import Process, ScratchDatabase, free_port, stop_all, wait_until
from vigie.imports.parsing.structure import parse_plan

REQUIRED = os.environ.get("CI", "").strip().lower() == "true"
SEED = settings.BASE_DIR / "vigie" / "plans" / "seeds" / "gers-2021-2024.txt"
REGION = "eu-west-3"
USERNAME = "claire.dupuy"
PASSWORD = "Vigie-Gers-32-Noeuds!"
# The agent's TOTP application (production settings: prefecture agents give a second factor after their password).
TOTP_KEY = secrets.token_hex(20)
WORKERS = ("worker-a", "worker-b")
TASK_PATH = "vigie.imports.tasks.analyse_import"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PREPARE_TIMEOUT = 120
START_TIMEOUT = 60
ANALYSIS_TIMEOUT = 60


def _require_postgresql() -> None:
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    need = (
        "il faut PostgreSQL (DATABASE_URL=postgres://…), SQLite ne peut pas servir plusieurs nœuds"
    )
    if REQUIRED:
        pytest.fail(f"Test à deux nœuds impossible : {need} ; or CI=true, ce test doit tourner.")
    pytest.skip(f"Test à deux nœuds ignoré : {need}.")


@pytest.fixture
def scratch_db():
    _require_postgresql()
    database = ScratchDatabase()
    try:
        database.create()
    except Exception as exc:
        pytest.fail(f"Impossible de créer la base de test {database.name} : {exc}")
    yield database
    database.drop()


@pytest.fixture
def s3_server():
    """A moto S3 server on a free loopback port, with a bucket for files and one for private files."""
    try:
        import boto3
        from moto.server import ThreadedMotoServer

        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id="vigie-noeuds",
            aws_secret_access_key="vigie-noeuds-secret",
        )
        suffix = uuid.uuid4().hex[:12]
        buckets = {"default": f"vigie-media-{suffix}", "private": f"vigie-prive-{suffix}"}
        for bucket in buckets.values():
            client.create_bucket(
                Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
            )
    except Exception as exc:
        pytest.fail(f"Serveur S3 (moto) impossible à démarrer : {exc!r}")
    yield {"endpoint": endpoint, "client": client, "buckets": buckets}
    server.stop()


def _node_env(database: ScratchDatabase, s3: dict, tmp_path) -> dict:
    """The environment of every process: the same secret key, database, buckets, and local folders that must
    stay empty."""
    inherited = ("DJANGO_", "GUNICORN_", "VIGIE_", "DATABASE_URL")
    env = {key: value for key, value in os.environ.items() if not key.startswith(inherited)}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.scale_out",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "DJANGO_LOG_LEVEL": "INFO",
            "DATABASE_URL": database.url,
            "VIGIE_MEDIA_ROOT": str(tmp_path / "media"),
            "VIGIE_PRIVATE_ROOT": str(tmp_path / "private"),
            "VIGIE_S3_BUCKET": s3["buckets"]["default"],
            "VIGIE_S3_PRIVATE_BUCKET": s3["buckets"]["private"],
            "VIGIE_S3_ENDPOINT_URL": s3["endpoint"],
            "VIGIE_S3_ACCESS_KEY_ID": "vigie-noeuds",
            "VIGIE_S3_SECRET_ACCESS_KEY": "vigie-noeuds-secret",
            "VIGIE_S3_REGION": REGION,
            "GUNICORN_WORKERS": "1",
            "GUNICORN_GRACEFUL_TIMEOUT": "5",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


class Cluster:
    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.processes: dict[str, Process] = {}
        self.nodes: dict[str, str] = {}

    def start(self, name: str, args: list[str], env: dict) -> Process:
        process = Process(name, [sys.executable, *args], env=env, log_dir=self.tmp_path)
        self.processes[name] = process
        return process

    def logs(self) -> str:
        return "\n".join(f"--- {p.name} ---\n{p.tail()}" for p in self.processes.values())

    def node_ready(self, process: Process, url: str) -> bool:
        if not process.running:
            pytest.fail(f"{process.name} (gunicorn) s'est arrêté au démarrage :\n{process.tail()}")
        try:
            response = requests.get(f"{url}/sante/", timeout=5)
        except requests.RequestException:  # not listening yet, or its worker still loading
            return False
        return response.status_code == 200 and response.json() == {
            "database": "ok",
            "storage": "ok",
        }

    def worker_ready(self, process: Process) -> bool:
        if not process.running:
            pytest.fail(f"{process.name} (db_worker) s'est arrêté au démarrage :\n{process.tail()}")
        return "Starting worker" in process.output()


@pytest.fixture
def cluster(scratch_db, s3_server, tmp_path):
    """Two gunicorn nodes (A and B, one worker each) and two task workers on the scratch database and the
    buckets, all ready (/sante/ answers ok on both nodes); stopped at the end, even on failure."""
    env = _node_env(scratch_db, s3_server, tmp_path)
    cluster = Cluster(tmp_path)
    try:
        # The nodes boot while the database is migrated (their health check needs no table); the task
        # workers only once it is, since they poll the task table from the start.
        prepare = cluster.start(
            "préparation", ["-m", "tests.scale_out.prepare", USERNAME, PASSWORD, TOTP_KEY], env
        )
        nodes = []
        for name in ("A", "B"):
            port = free_port()
            cluster.nodes[name] = f"http://127.0.0.1:{port}"
            node_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
            args = ["-m", "gunicorn", "--config", "config/gunicorn.conf.py"]
            nodes.append((cluster.start(f"nœud {name}", args, node_env), cluster.nodes[name]))
        try:
            prepare.popen.wait(PREPARE_TIMEOUT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"migrate n'a pas fini en {PREPARE_TIMEOUT} s :\n{prepare.tail()}")
        if prepare.popen.returncode != 0:
            pytest.fail(f"migrate ou la création des comptes a échoué :\n{prepare.tail()}")
        workers = [
            cluster.start(
                worker, ["manage.py", "db_worker", "--worker-id", worker, "--interval", "0.5"], env
            )
            for worker in WORKERS
        ]
        for process, url in nodes:
            if not wait_until(
                lambda p=process, u=url: cluster.node_ready(p, u), timeout=START_TIMEOUT
            ):
                pytest.fail(f"{process.name} ne répond pas sur {url}/sante/ :\n{cluster.logs()}")
        for process in workers:
            if not wait_until(lambda p=process: cluster.worker_ready(p), timeout=START_TIMEOUT):
                pytest.fail(f"{process.name} n'a pas démarré :\n{cluster.logs()}")
        yield cluster
    finally:
        stop_all(cluster.processes.values())


class BehindProxy(requests.Session):
    """A browser reaching the nodes through the TLS-terminating proxy: the nodes see HTTPS and set secure cookies
    (as in production), which are sent back although the proxy's hop to the node is plain HTTP on loopback."""

    def __init__(self):
        super().__init__()
        self.headers["X-Forwarded-Proto"] = "https"

    def request(self, *args, **kwargs):
        response = super().request(*args, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response


def _csrf_token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, "jeton CSRF absent du formulaire"
    return found.group(1)


def _post(browser, base: str, path: str, data: dict, **kwargs):
    form = browser.get(f"{base}{path}", timeout=10)
    assert form.status_code == 200, form.status_code
    return browser.post(
        f"{base}{path}",
        data={"csrfmiddlewaretoken": _csrf_token(form.text), **data},
        headers={"Origin": base.replace("http://", "https://")},
        allow_redirects=False,
        timeout=30,
        **kwargs,
    )


def _analysis_done(browser, base: str, pk: int) -> bool:
    response = browser.get(f"{base}/imports/{pk}/", allow_redirects=False, timeout=10)
    if response.status_code == 302:
        return response.headers["Location"] == f"/imports/{pk}/verification/"
    assert response.status_code == 200, response.status_code
    assert "n'a pas pu être importé" not in response.text, "l'analyse du document a échoué"
    return False


def _access_log(process: Process) -> list[tuple[str, int]]:
    """(path, status) of every request in a node's access log (JSON lines)."""
    entries = []
    for line in process.output().splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and "path" in entry:
            entries.append((entry["path"], entry.get("status")))
    return entries


def _expected_measures(text: str) -> list[str]:
    plan = parse_plan(blocks_of(text), proper_nouns=("Gers",))
    return [f"Mesure {m.number} — {escape(m.title)}" for m in plan.all_measures()]


def test_upload_on_node_a_is_analysed_once_and_reviewed_on_node_b(
    cluster, scratch_db, s3_server, tmp_path
):
    text = SEED.read_text(encoding="utf-8")
    document = to_docx(blocks_of(text))
    node_a, node_b = cluster.nodes["A"], cluster.nodes["B"]

    # Node A: sign in and upload the plan (config.settings.scale_out: analysed in the background only).
    browser = BehindProxy()
    signed_in = _post(
        browser, node_a, "/comptes/connexion/", {"username": USERNAME, "password": PASSWORD}
    )
    assert signed_in.status_code == 302, cluster.logs()
    assert "; Secure" in signed_in.headers["Set-Cookie"]
    # The second factor, as the agent's phone computes it.
    assert (
        browser.get(f"{node_a}/imports/departement/32/", allow_redirects=False)
        .headers["Location"]
        .startswith("/comptes/securite/verification/")
    )
    verified = _post(
        browser,
        node_a,
        "/comptes/securite/verification/",
        {"code": f"{totp(bytes.fromhex(TOTP_KEY)):06d}"},
    )
    assert verified.status_code == 302, verified.text[-2000:]
    uploaded = _post(
        browser,
        node_a,
        "/imports/departement/32/",
        {"plan": "", "version_label": "", "adopted_on": ""},
        files={"file": ("pdpd-gers-2021-2024.docx", document, DOCX)},
    )
    assert uploaded.status_code == 302, uploaded.text[-2000:]
    pk = int(re.fullmatch(r"/imports/(\d+)/", uploaded.headers["Location"]).group(1))
    assert wait_until(lambda: _analysis_done(browser, node_a, pk), timeout=ANALYSIS_TIMEOUT), (
        f"analyse non terminée en {ANALYSIS_TIMEOUT} s :\n{cluster.logs()}"
    )

    # Node B serves the review to the session cookie of node A (sessions in the shared database).
    review = requests.get(
        f"{node_b}/imports/{pk}/verification/",
        headers={
            "X-Forwarded-Proto": "https",
            "Cookie": f"sessionid={browser.cookies['sessionid']}",
        },
        allow_redirects=False,
        timeout=30,
    )
    assert review.status_code == 200, (review.status_code, cluster.logs())
    assert "Vérifier la structure détectée" in review.text
    expected = _expected_measures(text)
    assert len(expected) >= 10
    assert [m for m in expected if m not in review.text] == []
    assert (f"/imports/{pk}/verification/", 200) in _access_log(cluster.processes["nœud B"])

    # Analysed exactly once, by one of the two workers.
    tasks = scratch_db.rows(
        "SELECT id, status, worker_ids, args_kwargs FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = %s",
        (TASK_PATH,),
    )
    assert len(tasks) == 1, f"{len(tasks)} tâches d'analyse au lieu d'une : {tasks}"
    [(task_id, status, worker_ids, args_kwargs)] = tasks
    assert status == "SUCCESSFUL" and args_kwargs["args"] == [pk]
    assert len(worker_ids) == 1 and worker_ids[0] in WORKERS
    runs = {
        worker: cluster.processes[worker]
        .output()
        .count(f"id={task_id} path={TASK_PATH} state=RUNNING")
        for worker in WORKERS
    }
    assert runs == {w: int(w == worker_ids[0]) for w in WORKERS}, runs
    [(session_status, progress, file_name)] = scratch_db.rows(
        "SELECT status, progress, file FROM imports_importsession WHERE id = %s", (pk,)
    )
    assert (session_status, progress) == ("review", 100)

    # The document is an object of the private bucket, byte for byte; nothing on the local disk.
    s3 = s3_server["client"]
    private = s3.list_objects_v2(Bucket=s3_server["buckets"]["private"])
    assert [o["Key"] for o in private.get("Contents", [])] == [f"private/{file_name}"]
    stored = s3.get_object(Bucket=s3_server["buckets"]["private"], Key=f"private/{file_name}")
    assert stored["Body"].read() == document
    assert s3.list_objects_v2(Bucket=s3_server["buckets"]["default"]).get("KeyCount", 0) == 0
    on_disk = [p for folder in ("media", "private") for p in (tmp_path / folder).rglob("*")]
    assert on_disk == []
    assert all(cluster.processes[name].running for name in ("nœud A", "nœud B", *WORKERS)), (
        cluster.logs()
    )
