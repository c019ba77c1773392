"""Load benchmark: 20 concurrent signed-in clients (locust, headless) on Vigie's main pages under gunicorn
(config/gunicorn.conf.py, production settings) and PostgreSQL, beside a bare Django view in the same run.

Pages (the Gers in the demo data, seen by its prefecture agent): department home, a measure, the plan's
indicator progress, the department's statistics, its governance dashboard; and a view that does nothing, added
by the benchmark's own URLconf (bench/load/urls.py, never in production URLs). Target: each page's p95 ≤ 3 × the
bare view's p95, both measured in the same run (both suffer the same load).

Usage (loopback only; the database is the benchmark's own, never a real one):
    .venv/bin/python bench/load/run.py --load-demo   # first run: drops, recreates and fills vigie_bench
    .venv/bin/python bench/load/run.py               # next runs on the same data
Options: --database-url (postgres://postgres@127.0.0.1:5432/vigie_bench) --users N (20) --duration S (60)
--workers N (gunicorn's default: 2 × cores + 1) --port N (8765) --sequential-rounds N (30: after the
load, each page N times one request at a time, the cost of a page with no queue in front of it).
Results: bench/results/load/<date>-<time>.json (not versioned) and a Markdown table on stdout.
"""

import argparse
import json
import math
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "load"
VENV_BIN = Path(sys.executable).parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/vigie_bench"
TARGET_RATIO = 3.0


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True)


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.hostname not in {"127.0.0.1", "localhost", "::1"} or not name.startswith(
        "vigie_bench"
    ):
        raise SystemExit("--load-demo ne recrée qu'une base vigie_bench* sur la boucle locale.")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def prepare(args) -> dict:
    """Database, static files, pages, signed-in session, query counts and data size (in process)."""
    if args.load_demo:
        recreate_database(args.database_url)
        manage("migrate", "--noinput", "-v", "0")
        manage("load_demo")
    else:
        manage("migrate", "--noinput", "-v", "0")  # also creates the database cache's table
    if not (RESULTS / "static" / "staticfiles.json").exists():
        manage("collectstatic", "--noinput", "-v", "0")

    import django

    django.setup()
    from bench.load.pages import demo_size, page_urls, queries_of, session_cookie, signed_in_client

    pages = page_urls()
    client = signed_in_client()
    queries = {}
    for name, url in pages.items():
        client.get(url)  # first request fills the caches; the count is that of the next ones
        status, sql = queries_of(client, url)
        if status != 200:
            raise SystemExit(f"{name} ({url}) : HTTP {status}")
        queries[name] = len(sql)
    cookie_name, cookie_value = session_cookie()
    return {
        "pages": pages,
        "queries": queries,
        "size": demo_size(),
        "cookie": f"{cookie_name}={cookie_value}",
    }


def wait_for(url: str, timeout: float = 300) -> None:
    """Until gunicorn answers (each worker loads the application itself: slow on a busy machine)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=120) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn ne répond pas sur {url}")


def warm_up(host: str, prepared: dict, workers: int) -> None:
    """Each page several times per gunicorn worker, concurrently: templates compiled, caches filled, before the
    measured run."""
    from concurrent.futures import ThreadPoolExecutor

    def fetch(url: str) -> None:
        request = urllib.request.Request(host + url, headers={"Cookie": prepared["cookie"]})
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()

    urls = [url for url in prepared["pages"].values() for _ in range(3 * workers)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(fetch, urls))


def sequential(host: str, prepared: dict, rounds: int) -> dict[str, list[float]]:
    """Each page `rounds` times, one request at a time, pages interleaved: the cost of each page with no queue
    in front of it (the 20-client run measures it under load)."""
    times: dict[str, list[float]] = {name: [] for name in prepared["pages"]}
    for _ in range(rounds):
        for name, url in prepared["pages"].items():
            request = urllib.request.Request(host + url, headers={"Cookie": prepared["cookie"]})
            start = time.perf_counter()
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
            times[name].append((time.perf_counter() - start) * 1000)
    return times


def run_load(args, prepared: dict, host: str, stamp: str) -> dict[str, list[float]]:
    times_file = RESULTS / f"{stamp}-times.json"
    env = {
        **os.environ,
        "BENCH_LOAD_PAGES": json.dumps(prepared["pages"]),
        "BENCH_LOAD_SESSION": prepared["cookie"],
        "BENCH_LOAD_TIMES": str(times_file),
    }
    command = [
        str(VENV_BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "load" / "locustfile.py"),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.users),
        "--run-time",
        f"{args.duration}s",
        "--stop-timeout",
        "5",
        "--host",
        host,
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    subprocess.run(command, cwd=ROOT, env=env, check=False)
    return json.loads(times_file.read_text(encoding="utf-8"))


def report(prepared: dict, times: dict[str, list[float]], meta: dict) -> dict:
    bare_name = next(iter(prepared["pages"]))
    bare_p95 = percentile(times[bare_name], 0.95)
    rows = []
    for name, url in prepared["pages"].items():
        values = times[name]
        p95 = percentile(values, 0.95)
        rows.append(
            {
                "page": name,
                "url": url,
                "requests": len(values),
                "p50_ms": round(percentile(values, 0.50), 1),
                "p95_ms": round(p95, 1),
                "ratio": round(p95 / bare_p95, 2),
                "queries": prepared["queries"][name],
                "ok": p95 <= TARGET_RATIO * bare_p95,
            }
        )
    print(
        "\n| page | requêtes HTTP | p50 (ms) | p95 (ms) | p95 / vue vide | requêtes SQL | objectif ≤ 3 |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for row in rows:
        print(
            f"| {row['page']} (`{row['url']}`) | {row['requests']} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} "
            f"| {row['ratio']:.2f} | {row['queries']} | {'oui' if row['ok'] else 'non'} |"
        )
    if meta:
        print(f"\nDonnées : {prepared['size']}\nMachine : {meta}")
    return {"rows": rows, "size": prepared["size"], **meta}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--load-demo", action="store_true")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--sequential-rounds", type=int, default=30)
    args = parser.parse_args()

    os.environ.update(
        DATABASE_URL=args.database_url,
        DJANGO_SETTINGS_MODULE="bench.load.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver",
        DJANGO_LOG_LEVEL="WARNING",
        GUNICORN_BIND=f"127.0.0.1:{args.port}",
    )
    workers = args.workers or 2 * (os.cpu_count() or 1) + 1  # gunicorn.conf.py's default
    os.environ["GUNICORN_WORKERS"] = str(workers)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d-%H%M%S")
    prepared = prepare(args)
    host = f"http://127.0.0.1:{args.port}"
    log = (RESULTS / f"{stamp}-gunicorn.log").open("w", encoding="utf-8")
    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "--config", "config/gunicorn.conf.py"],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(host + prepared["pages"]["vue vide"])
        warm_up(host, prepared, workers)
        load_before = os.getloadavg()
        started = time.monotonic()
        times = run_load(args, prepared, host, stamp)
        elapsed = time.monotonic() - started
        load_after = os.getloadavg()
        alone = sequential(host, prepared, args.sequential_rounds)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    meta = {
        "date_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "gunicorn_workers": workers,
        "users": args.users,
        "duration_s": args.duration,
        "load_average_before": [round(v, 2) for v in load_before],
        "load_average_after": [round(v, 2) for v in load_after],
        "throughput_rps": round(sum(len(v) for v in times.values()) / elapsed, 1),
    }
    print(f"\n{args.users} clients simultanés, {args.duration} s :")
    result = report(prepared, times, meta)
    print(f"\nUne requête à la fois ({args.sequential_rounds} par page, pages en alternance) :")
    result["sequential"] = report(prepared, alone, {})["rows"]
    (RESULTS / f"{stamp}.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
