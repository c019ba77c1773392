"""Benchmark of the national overview: 101 departments of generated plans (target: p95 under 300 ms).

A throwaway SQLite database gets 101 departments over 13 regions (tests/overview/factories.py), each with a plan of
`--axes` axes × `--measures` measures × `--actions` actions, one indicator per measure with two years of validated
values, and three councils. Then the national page (all departments), the same page filtered by a region, and a
regional prefecture's page are requested `--rounds` times through the full Django stack (test client: middleware,
session, template), after one warm-up request each.

Usage: .venv/bin/python bench/overview/run.py [--rounds 50] [--axes 5] [--measures 4] [--actions 6]
Prints a Markdown table (copy it to docs/benchmarks.md with the date and the machine's load).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(client, url, rounds) -> tuple[list[float], list[float], int]:
    """Wall-clock and CPU times of `rounds` requests (the CPU time of this process is what the page costs;
    the wall-clock time also holds the waiting for a core on a loaded machine), and the query count."""
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)  # warm-up, and the query count
    assert response.status_code == 200, (url, response.status_code)
    wall, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        assert response.status_code == 200
    return wall, cpu, len(executed)


def profile(user, url) -> None:
    import cProfile
    import pstats

    from django.test import Client

    client = Client()
    client.force_login(user)
    client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        client.get(url)
    profiler.disable()
    pstats.Stats(profiler).sort_stats(
        os.environ.get("BENCH_PROFILE_SORT", "cumulative")
    ).print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--axes", type=int, default=5)
    parser.add_argument("--measures", type=int, default=4)
    parser.add_argument("--actions", type=int, default=6)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="vigie-bench-overview-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost"
    import django

    django.setup()
    from django.core.management import call_command

    # One connection for the whole run (as with CONN_MAX_AGE), so that the queries of each request are counted.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.urls import reverse

    from tests.overview.factories import generate_departments
    from vigie.accounts.enums import Role
    from vigie.accounts.models import User

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    departments = generate_departments(
        101, axes=args.axes, measures=args.measures, actions=args.actions
    )
    built = time.perf_counter() - start
    region = departments[0].region
    admin = User.objects.create(username="admin", role=Role.ADMIN, is_superuser=True)
    regional = User.objects.create(username="region", role=Role.REGIONAL, region=region)
    per_plan = args.axes * args.measures
    print(
        f"Python {sys.version.split()[0]}, base {connection.vendor}, {os.cpu_count()} cœur(s), "
        f"charge {os.getloadavg()[0]:.1f} ; 101 départements, {per_plan * args.actions} actions et "
        f"{per_plan} indicateurs par plan, construits en {built:.1f} s\n"
    )
    url = reverse("overview:index")
    cases = [
        ("Vue nationale, 101 départements", admin, url),
        (
            f"Vue nationale filtrée sur une région ({region.name})",
            admin,
            f"{url}?region={region.code}",
        ),
        ("Vue régionale (préfecture de région)", regional, url),
        (
            "Page d'un département",
            regional,
            reverse("overview:department", args=[departments[0].code]),
        ),
    ]
    if os.environ.get("BENCH_PROFILE"):
        profile(admin, url)
        return
    print("| page | requêtes SQL | médiane | p95 | max | p95 en temps CPU | objectif |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, user, address in cases:
        client = Client()
        client.force_login(user)
        samples, cpu, queries = measure(client, address, args.rounds)
        median, p95, worst, p95_cpu = (
            statistics.median(samples) * 1000,
            percentile(samples, 0.95) * 1000,
            max(samples) * 1000,
            percentile(cpu, 0.95) * 1000,
        )
        print(
            f"| {label} | {queries} | {median:.0f} ms | {p95:.0f} ms | {worst:.0f} ms | {p95_cpu:.0f} ms "
            "| p95 < 300 ms |"
        )


if __name__ == "__main__":
    main()
