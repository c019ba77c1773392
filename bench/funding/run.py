"""Benchmark of the funding exports: 10,000 applications with budgets, payments and measures (target < 10 s).

A throwaway SQLite database gets a department, one adopted plan of 25 measures, a FIPD call and 10,000
applications (bulk inserts: one or two measures each, three budget lines, a payment for a third of them). Then
the department-year's applications and programming are exported `--rounds` times in CSV, XLSX and ODS the way
the export view does it (`vigie.funding.exports`: rows read with `.values()`, then the core spreadsheet writer).

Usage: .venv/bin/python bench/funding/run.py [--rounds 3] [--count 10000]
Prints a Markdown table (copy it to docs/benchmarks.md with the date and the machine's load).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def build(count: int):
    from vigie.funding import reference
    from vigie.funding.enums import ApplicationState
    from vigie.funding.models import (
        CallProgramme,
        Fund,
        FundingCall,
        GrantApplication,
        GrantBudgetLine,
        GrantPayment,
    )
    from vigie.organisations.models import Organisation
    from vigie.plans.models import Axis, Measure, Plan
    from vigie.territories.models import Department, Region

    region = Region.objects.create(code="76", name="Occitanie")
    department = Department.objects.create(code="32", name="Gers", region=region)
    plan = Plan.objects.create(
        department=department,
        title="Plan 2021-2024",
        period_start=2021,
        period_end=2024,
        status="adopted",
    )
    measures = []
    for axis_number in range(1, 6):
        axis = Axis.objects.create(plan=plan, number=str(axis_number), title=f"Axe {axis_number}")
        for m in range(1, 6):
            measures.append(
                Measure.objects.create(axis=axis, number=f"{axis_number}.{m}", title="Mesure")
            )
    fund = Fund.objects.get(code="FIPD")
    call = FundingCall.objects.create(
        fund=fund,
        department=department,
        year=2026,
        title="FIPD 2026",
        opens_on=date(2026, 1, 1),
        closes_on=date(2026, 3, 31),
        **reference.default_call_rules("FIPD"),
    )
    programme = CallProgramme.objects.create(
        call=call, programme=fund.programmes.get(code="D"), envelope=10**8
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Association {i}", department=department, kind="association")
        for i in range(500)
    )
    states = list(ApplicationState.values)
    applications = GrantApplication.objects.bulk_create(
        GrantApplication(
            call=call,
            call_programme=programme,
            organisation=organisations[i % 500],
            applicant_kind="association",
            title=f"Projet {i}",
            state=states[i % len(states)],
            total_cost=Decimal("20000"),
            requested_amount=Decimal("8000"),
            granted_amount=Decimal("6000") if i % 2 else None,
        )
        for i in range(count)
    )
    through = GrantApplication.measures.through
    through.objects.bulk_create(
        through(grantapplication_id=a.pk, measure_id=measures[i % 25].pk)
        for i, a in enumerate(applications)
    )
    lines = []
    for a in applications:
        lines += [
            GrantBudgetLine(application=a, account="60", amount=Decimal("20000")),
            GrantBudgetLine(
                application=a,
                account="74",
                funder_category="state",
                fund=fund,
                amount=Decimal("8000"),
            ),
            GrantBudgetLine(application=a, account="75", amount=Decimal("12000")),
        ]
    GrantBudgetLine.objects.bulk_create(lines, batch_size=5000)
    GrantPayment.objects.bulk_create(
        GrantPayment(
            application=a,
            kind="advance",
            amount=Decimal("3000"),
            paid_on=date(2026, 5, 1),
            commitment_number="EJ",
        )
        for a in applications[::3]
    )
    return department


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="vigie-bench-funding-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from vigie.funding import exports
    from vigie.funding.models import GrantApplication

    department = build(args.count)
    applications = GrantApplication.objects.filter(call__department=department, call__year=2026)
    print(f"| export ({args.count} demandes) | meilleur | médiane | taille |")
    print("| --- | --- | --- | --- |")
    for kind, header, rows_of in (
        ("demandes", exports.APPLICATION_HEADER, exports.application_rows),
        ("programmation", exports.PROGRAMMING_HEADER, exports.programming_rows),
    ):
        for fmt in exports.FORMATS:
            times, size = [], 0
            for _ in range(args.rounds):
                start = time.perf_counter()
                content = exports.render(fmt, kind, header, rows_of(applications))
                times.append(time.perf_counter() - start)
                size = len(content)
            print(
                f"| {kind} {fmt.upper()} | {min(times):.2f} s | {statistics.median(times):.2f} s | "
                f"{size // 1024} Kio |"
            )


if __name__ == "__main__":
    main()
