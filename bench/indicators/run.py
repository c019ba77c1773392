"""Benchmark of indicator monitoring at department scale (outside the test suite).

    .venv/bin/python bench/indicators/run.py [--communes 460] [--indicators 25] [--periods 10] [--upload 100000]

Builds, in a throw-away SQLite database, a department of N communes (in 20 EPCIs), a plan of 5 axes with
25 indicators collected by commune, and validated values for 10 annual periods (460 × 25 × 10 = 115,000),
then times:
- the roll-up of an axis page and of the department progress page (service and full HTTP page);
- the measure and indicator pages;
- the upload of a spreadsheet of 100,000 values (read, check, write) in XLSX and in ODS, each into its own empty plan.
Targets (issue "Indicator monitoring"): roll-ups under 200 ms, upload of 100,000 values under 30 s.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def timed(label, fn, repeat=5):
    best, result = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    print(f"{label:<62} {best * 1000:9.1f} ms (meilleur de {repeat})")
    return result, best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=460)
    parser.add_argument("--indicators", type=int, default=25)
    parser.add_argument("--periods", type=int, default=10)
    parser.add_argument("--upload", type=int, default=100_000)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="vigie-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    run(args)


def run(args):
    from datetime import date
    from decimal import Decimal

    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from vigie.accounts.models import User
    from vigie.indicators import progress, spreadsheets
    from vigie.indicators.enums import TerritorialLevel
    from vigie.indicators.models import Campaign, Indicator, IndicatorValue
    from vigie.indicators.services import import_values
    from vigie.plans.models import Axis, Measure, Plan
    from vigie.territories.models import Commune, Department, Epci, Region

    first_year = 2024 - args.periods + 1
    print(f"Python {sys.version.split()[0]}, base {connection.vendor}, {os.cpu_count()} cœur(s)")
    region = Region.objects.create(code="76", name="Occitanie")
    department = Department.objects.create(code="32", name="Gers", region=region)
    epcis = Epci.objects.bulk_create(
        Epci(code=f"2000000{i:02d}", name=f"EPCI {i}", kind="CC", population=10000)
        for i in range(20)
    )
    for epci in epcis:
        epci.departments.add(department)
    communes = Commune.objects.bulk_create(
        Commune(
            code=f"32{i:03d}",
            name=f"Commune {i}",
            department=department,
            epci=epcis[i % 20],
            population=200 + (i * 37) % 5000,
        )
        for i in range(args.communes)
    )
    prefecture = User.objects.create_user(
        "prefecture", password="x" * 12, role="prefecture", department=department
    )

    def make_plan(title, end=2024):
        plan = Plan.objects.create(
            department=department,
            title=title,
            period_start=first_year,
            period_end=end,
            status="adopted",
        )
        indicators = []
        for a in range(5):
            axis = Axis.objects.create(plan=plan, number=str(a + 1), title=f"Axe {a + 1}", order=a)
            for m in range(args.indicators // 5):
                measure = Measure.objects.create(
                    axis=axis, number=f"{a + 1}.{m + 1}", title=f"Mesure {a}.{m}", order=m
                )
                indicators.append(
                    Indicator.objects.create(
                        measure=measure,
                        label=f"Indicateur {a}.{m}",
                        territorial_level=TerritorialLevel.COMMUNE,
                        baseline_period=str(first_year - 1),
                        baseline_value=Decimal(100 * args.communes),
                        target_period="2024",
                        target_value=Decimal(200 * args.communes),
                    )
                )
        campaign = Campaign.objects.create(
            plan=plan,
            title=f"Bilan {first_year}-2024",
            period_start=date(first_year, 1, 1),
            period_end=date(2024, 12, 31),
            deadline=date(2025, 3, 31),
        )
        return plan, indicators, campaign

    plan, indicators, campaign = make_plan("Plan de référence")
    start = time.perf_counter()
    values = []
    for indicator in indicators:
        for year in range(first_year, 2025):
            for commune in communes:
                values.append(
                    IndicatorValue(
                        indicator=indicator,
                        campaign=campaign,
                        period=str(year),
                        department=department,
                        commune=commune,
                        territory_key=f"C{commune.code}",
                        value=Decimal(100 + year - first_year),
                        status="validated",
                    )
                )
    IndicatorValue.objects.bulk_create(values, batch_size=5000)
    print(
        f"Jeu de données : {args.communes} communes × {len(indicators)} indicateurs × {args.periods} périodes = "
        f"{len(values):,} valeurs validées ({time.perf_counter() - start:.1f} s)".replace(",", " ")
    )

    axis = plan.axes.first()
    timed("Roll-up d'un axe (progress.axis_progress)", lambda: progress.axis_progress(axis))
    timed("Roll-up du département (progress.plan_progress)", lambda: progress.plan_progress(plan))
    client = Client()
    client.force_login(prefecture)
    for label, name, pk in (
        ("Page d'un axe (HTTP, rendu compris)", "indicators:axis_progress", axis.pk),
        ("Page de suivi du département (HTTP, rendu compris)", "indicators:plan_progress", plan.pk),
        (
            "Page d'une mesure (HTTP, historique compris)",
            "indicators:measure_progress",
            indicators[0].measure_id,
        ),
        (
            "Page d'un indicateur (460 communes × 10 périodes)",
            "indicators:indicator",
            indicators[0].pk,
        ),
    ):
        url = reverse(name, args=[pk])
        timed(label, lambda url=url: client.get(url))

    # Upload: for each format, a fresh empty plan and a file of N values to write.
    for end, (fmt, build, read) in enumerate(
        (
            ("xlsx", spreadsheets.build_xlsx, spreadsheets.read_xlsx),
            ("ods", spreadsheets.build_ods, spreadsheets.read_ods),
        ),
        start=2025,
    ):
        plan2, indicators2, campaign2 = make_plan(f"Plan importé ({fmt})", end=end)
        rows = spreadsheets.template_rows(campaign2, prefecture)[: args.upload]
        for i, row in enumerate(rows):
            row[7] = 10 + i % 90
            row[8] = ""
        start = time.perf_counter()
        data = build(campaign2, rows)
        print(
            f"Fichier {fmt.upper()} de {len(rows):,} lignes : {len(data) / 1e6:.1f} Mo "
            f"(généré en {time.perf_counter() - start:.1f} s)".replace(",", " ")
        )
        start = time.perf_counter()
        sheet, table = read(data)
        read_s = time.perf_counter() - start
        start = time.perf_counter()
        result = spreadsheets.check_rows(campaign2, prefecture, sheet, table)
        check_s = time.perf_counter() - start
        assert result.ok, result.errors[:3]
        start = time.perf_counter()
        summary = import_values(
            acting_user=prefecture,
            campaign=campaign2,
            lines=result.lines,
            submit=True,
            filename=f"bench.{fmt}",
        )
        write_s = time.perf_counter() - start
        assert summary.created == len(result.lines)
        line = (
            f"Import {fmt.upper()} {len(result.lines):,} valeurs : lecture {read_s:.1f} s, "
            f"vérification {check_s:.1f} s, écriture {write_s:.1f} s — total {read_s + check_s + write_s:.1f} s"
        )
        print(line.replace(",", " "))


if __name__ == "__main__":
    main()
