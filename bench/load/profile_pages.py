"""Profile of the load benchmark's pages, in process (no server): SQL queries and time of each page, and
optionally the functions it spends its time in (cProfile).

Usage (the database must hold the demo data, see run.py):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vigie_bench .venv/bin/python bench/load/profile_pages.py
Options: --rounds N (20) --cprofile NAME (the page to profile: its 25 costliest functions) --sql (print each
page's queries).
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.load.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-load-profile-only-not-a-secret-" + "x" * 20)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vigie_bench")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--cprofile", default="")
    parser.add_argument("--sql", action="store_true")
    parser.add_argument("--sort", default="cumulative")
    args = parser.parse_args()

    import django

    django.setup()

    from bench.load.pages import page_urls, queries_of, signed_in_client

    client = signed_in_client()
    print(
        "| page | requêtes SQL | médiane (ms) | min (ms) | octets |\n| --- | ---: | ---: | ---: | ---: |"
    )
    for name, url in page_urls().items():
        response = client.get(url)  # warm-up: caches, templates
        assert response.status_code == 200, (name, url, response.status_code)
        status, queries = queries_of(client, url)
        times = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        print(
            f"| {name} ({url}) | {len(queries)} | {statistics.median(times):.1f} | {min(times):.1f} "
            f"| {len(response.content)} |"
        )
        if args.sql:
            for sql in queries:
                print("    ", sql[:300])
        if args.cprofile == name:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.rounds):
                client.get(url)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(
                int(os.environ.get("BENCH_PROFILE_LINES", "40"))
            )


if __name__ == "__main__":
    main()
