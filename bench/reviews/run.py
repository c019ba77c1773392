"""Benchmark of the plan reviews: the Gers 2024 review as PDF (target < 10 s) and as ODT (target < 3 s).

A throwaway SQLite database gets the demo data (`manage.py load_demo`: territories, both seed plans, SSMSI
statistics, indicators, governance); then each format is generated `--rounds` times the way the review page
does it (`vigie.reviews.services.render`: data assembly, charts, rendering), nothing stored. The first round is
"cold": the statistics page's France and region totals are not cached yet (they are once anyone has opened a
statistics page of that edition); later rounds are warm. Also timed: the end-of-plan review as PDF.

Usage: .venv/bin/python bench/reviews/run.py [--rounds 3]
Prints a Markdown table (copy it to docs/benchmarks.md with the date and the machine's load).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def timed(fn) -> tuple[float, float, bytes]:
    """Wall-clock and CPU seconds: on a shared machine the CPU time is what a quiet machine would take."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - start, time.process_time() - cpu, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="vigie-bench-reviews-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    from vigie.plans.models import Plan
    from vigie.reviews.params import ReviewParams
    from vigie.reviews.services import render

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=StringIO())
    # As the gunicorn master does before forking its workers (config/gunicorn.conf.py, on_starting).
    import_seconds, import_cpu, _ = timed(lambda: __import__("weasyprint"))
    plan = Plan.objects.select_related("department").get(department__code="32")
    year = ReviewParams.for_year(plan, 2024)
    rows = []
    for label, params, fmt in (
        ("Bilan annuel 2024 du Gers, PDF", year, "pdf"),
        ("Bilan annuel 2024 du Gers, ODT", year, "odt"),
        ("Bilan annuel 2024 du Gers, HTML", year, "html"),
        ("Bilan de fin de plan 2021-2024 du Gers, PDF", ReviewParams.for_whole_plan(plan), "pdf"),
    ):
        times, cpus, size = [], [], 0
        for _ in range(args.rounds):
            seconds, cpu, content = timed(lambda params=params, fmt=fmt: render(params, fmt))
            times.append(seconds)
            cpus.append(cpu)
            size = len(content)
        rows.append((label, times, cpus, size))
    print(f"load average: {os.getloadavg()}")
    print(
        f"WeasyPrint import (done at server start): {import_seconds:.2f} s, CPU {import_cpu:.2f} s"
    )
    print("| mesure | premier passage | meilleur | médiane | CPU médian | taille |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, times, cpus, size in rows:
        print(
            f"| {label} | {times[0]:.2f} s | {min(times):.2f} s | {statistics.median(times):.2f} s "
            f"| {statistics.median(cpus):.2f} s | {size // 1024} Kio |"
        )


if __name__ == "__main__":
    main()
