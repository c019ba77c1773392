"""Benchmark of the plan export: the Gers plan as PDF, ODT and DOCX, generated, then served from storage.

A throwaway SQLite database gets the Gers region and department and the Gers seed plan (`manage.py import_plan`).
For each format: the generation (`vigie.imports.exporting.stored.store_export`: data, fingerprint, rendering,
writing to private storage — what the background task does on a first download), then a download of the stored
document through the view (`imports:plan_export`, anonymous visitor, public plan: data queries, fingerprint, file
served), `--rounds` times each. WeasyPrint is imported before timing, as the task worker and the gunicorn master
have it loaded.

Usage: .venv/bin/python bench/exports/run.py [--rounds 3]
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


def timed(fn):
    """Wall-clock and CPU seconds: on a shared machine the CPU time is what a quiet machine would take."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - start, time.process_time() - cpu, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="vigie-bench-exports-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    import django

    django.setup()
    import weasyprint  # noqa: F401
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    import vigie.plans
    from vigie.core.storage import private_storage
    from vigie.imports.exporting.stored import store_export, stored_export
    from vigie.plans.models import Plan
    from vigie.territories.models import Department, Region

    setup_test_environment()  # the test client's host name is allowed
    call_command("migrate", verbosity=0)
    region = Region.objects.create(code="76", name="Occitanie")
    Department.objects.create(code="32", name="Gers", region=region)
    seed = Path(vigie.plans.__file__).resolve().parent / "seeds" / "gers-2021-2024.txt"
    call_command("import_plan", str(seed), department="32", stdout=StringIO())
    plan = Plan.objects.select_related("department").get(department__code="32")
    client = Client()
    rows = []
    for fmt in ("pdf", "odt", "docx"):
        url = reverse("imports:plan_export", args=[plan.pk, "current", fmt])
        generated, served, size = [], [], 0
        for _ in range(args.rounds):
            stored = stored_export(plan, fmt=fmt, edition="current")
            private_storage().delete(stored.name)
            generated.append(timed(lambda stored=stored: store_export(stored))[:2])
            seconds, cpu, response = timed(lambda url=url: client.get(url))
            assert response.status_code == 200, response.status_code
            size = len(b"".join(response.streaming_content))
            served.append((seconds, cpu))
        rows.append((f"Plan du Gers, {fmt.upper()} : génération", generated, size))
        rows.append((f"Plan du Gers, {fmt.upper()} : téléchargement déjà généré", served, size))
    print(f"load average: {os.getloadavg()}")
    print("| mesure | premier passage | meilleur | médiane | CPU médian | taille |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, times, size in rows:
        walls, cpus = [t[0] for t in times], [t[1] for t in times]
        print(
            f"| {label} | {walls[0]:.2f} s | {min(walls):.2f} s | {statistics.median(walls):.2f} s "
            f"| {statistics.median(cpus):.2f} s | {size // 1024} Kio |"
        )


if __name__ == "__main__":
    main()
