"""Benchmark of the statistics app on the scale of the SSMSI communal base (PostgreSQL only).

1. Generates a communal file in the published layout: 35,000 communes × 9 years × 17 indicators
   (≈ 5.4 million rows, about a fifth of the cells withheld by statistical secrecy).
2. Times, in the same run, a bare COPY of that file into an unindexed table of text columns (before and
   after Vigie's import) and Vigie's import of it (`import_ssmsi`, COPY engine: every cell checked, rows
   stored, primary key built, partition attached). Target: Vigie ≤ 2 × bare COPY. Then a re-import of the
   same file (nothing changes) and the next edition imported beside the first.
3. Times the department statistics pages' work (all their queries and tables, charts included) on that
   data: department page, indicator page, communes page, for 40 departments × 3 rounds. Target: p95 < 100 ms.

Usage (the database is dropped and recreated):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vigie_bench .venv/bin/python bench/statistics/run.py
Options: --communes N (35000) --years N (9) --rounds N (3) --keep-file.
Results: bench/results/statistics/<date>.json (not versioned) and a Markdown table on stdout.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

INDICATORS = [
    ("Homicides", "Victime", 0.00002),
    ("Tentatives d'homicides", "Victime", 0.00005),
    ("Coups et blessures volontaires", "Victime", 0.004),
    ("Coups et blessures volontaires intrafamiliaux", "Victime", 0.002),
    ("Autres coups et blessures volontaires", "Victime", 0.002),
    ("Violences sexuelles", "Victime", 0.0015),
    ("Vols avec armes", "Infraction", 0.0001),
    ("Vols violents sans arme", "Infraction", 0.0005),
    ("Vols sans violence contre des personnes", "Victime entendue", 0.008),
    ("Cambriolages de logement", "Infraction", 0.005),
    ("Vols de véhicules", "Véhicule", 0.002),
    ("Vols dans les véhicules", "Véhicule", 0.004),
    ("Vols d'accessoires sur véhicules", "Véhicule", 0.0015),
    ("Destructions et dégradations volontaires", "Infraction", 0.007),
    ("Escroqueries", "Victime", 0.006),
    ("Trafic de stupéfiants", "Mis en cause", 0.0004),
    ("Usage de stupéfiants", "Mis en cause", 0.002),
]
HEADER = (
    '"CODGEO_2024";"annee";"indicateur";"unite_de_compte";"nombre";"taux_pour_mille";"est_diffuse";"insee_pop";'
    '"insee_pop_millesime";"insee_log";"insee_log_millesime";"complement_info_nombre";"complement_info_taux"\n'
)


def departments() -> list[str]:
    metro = [f"{i:02d}" for i in range(1, 96) if i != 20] + ["2A", "2B"]
    return metro + ["971", "972", "973", "974", "976"]


def communes(total: int) -> list[tuple[str, str, int]]:
    """(code, department, population): 30 communes per overseas department, the rest spread over the others."""
    deps = departments()
    overseas = [d for d in deps if len(d) == 3]
    metro = [d for d in deps if len(d) == 2]
    counts = {d: min(30, total // len(deps)) for d in overseas}
    rest = total - sum(counts.values())
    for n, dep in enumerate(metro):
        counts[dep] = rest // len(metro) + (1 if n < rest % len(metro) else 0)
    rng = random.Random(46)
    result = []
    for dep in deps:
        for i in range(1, counts[dep] + 1):
            code = f"{dep}{i:02d}" if len(dep) == 3 else f"{dep}{i:03d}"
            population = int(rng.lognormvariate(6.3, 1.3)) + 20
            result.append((code, dep, population))
    return result


def fr(value: float, digits: int = 7) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def generate(path: Path, places: list, years: int) -> int:
    rng = random.Random(2025)
    rows = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("\ufeff" + HEADER)
        buffer = []
        for year in range(2025 - years, 2025):
            for indicator, unit, base_rate in INDICATORS:
                for code, _dep, population in places:
                    dwellings = int(population * 0.55) + 1
                    expected = base_rate * population
                    count = max(0, int(rng.gauss(expected, expected**0.5 + 0.5)))
                    vintage = min(year, 2021)
                    if count and count < 5 and rng.random() < 0.6:
                        imputed = rng.uniform(1, 4)
                        buffer.append(
                            f'"{code}";"{year}";"{indicator}";"{unit}";"NA";"NA";"ndiff";"{population}";"{vintage}";'
                            f'"{dwellings}";"{vintage}";"{fr(imputed)}";"{fr(imputed / population * 1000)}"\n'
                        )
                    else:
                        base = dwellings if indicator == "Cambriolages de logement" else population
                        buffer.append(
                            f'"{code}";"{year}";"{indicator}";"{unit}";"{count}";"{fr(count / base * 1000)}";"diff";'
                            f'"{population}";"{vintage}";"{dwellings}";"{vintage}";"NA";"NA"\n'
                        )
                    rows += 1
                    if len(buffer) >= 100_000:
                        out.write("".join(buffer))
                        buffer.clear()
        out.write("".join(buffer))
    return rows


def recreate_database(url: str):
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def bare_copy(url: str, path: Path) -> float:
    """COPY of the file, as is, into an unindexed table of 13 text columns (same client, same streaming)."""
    import psycopg

    with psycopg.connect(url) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_bare_copy")
        conn.execute(
            "CREATE TABLE bench_bare_copy (" + ", ".join(f"c{i} text" for i in range(13)) + ")"
        )
        conn.commit()
        started = time.perf_counter()
        with (
            conn.cursor() as cursor,
            cursor.copy(
                "COPY bench_bare_copy FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true, ENCODING 'UTF8')"
            ) as copy,
            open(path, "rb") as handle,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        conn.commit()
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE bench_bare_copy")
        conn.commit()
    return elapsed


def load_territories(places: list):
    from vigie.territories.models import Commune, Department, Epci, Region

    region = Region.objects.create(code="00", name="Région de banc d'essai")
    deps = {
        code: Department(code=code, name=f"Département {code}", region=region)
        for code in departments()
    }
    Department.objects.bulk_create(deps.values())
    deps = {d.code: d for d in Department.objects.all()}
    epcis, members = [], []
    for i, (code, dep, population) in enumerate(places):
        if i % 28 == 0:
            epcis.append(
                Epci(code=f"2{len(epcis):08d}", name=f"Intercommunalité {len(epcis)}", kind="CC")
            )
        members.append((code, dep, population, len(epcis) - 1))
    Epci.objects.bulk_create(epcis, batch_size=2000)
    epci_ids = dict(Epci.objects.values_list("code", "pk"))
    Commune.objects.bulk_create(
        [
            Commune(
                code=code,
                name=f"Commune {code}",
                department=deps[dep],
                population=population,
                epci_id=epci_ids[epcis[e].code],
            )
            for code, dep, population, e in members
        ],
        batch_size=5000,
    )


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def time_pages(rounds: int) -> dict:
    from django.db import connection, reset_queries
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    from vigie.statistics import pages

    rng = random.Random(7)
    codes = rng.sample(departments(), 40)
    params = QueryDict("")
    results = {}
    builders = {
        "département": lambda code: pages.build_department(code, params),
        "indicateur": lambda code: pages.build_indicator(code, "cambriolages-de-logement", params),
        "communes": lambda code: pages.build_communes(
            code, QueryDict("indicateur=cambriolages-de-logement")
        ),
    }
    for name, build in builders.items():
        durations, sql, queries = [], [], 0
        build(codes[0])  # warm-up (imports, first plans)
        for _ in range(rounds):
            for code in codes:
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    build(code)
                    durations.append((time.perf_counter() - started) * 1000)
                sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
                queries = max(queries, len(captured))
                reset_queries()
        results[name] = {
            "n": len(durations),
            "sql_p50_ms": round(statistics.median(sql), 1),
            "sql_p95_ms": round(percentile(sql, 95), 1),
            "p50_ms": round(statistics.median(durations), 1),
            "p95_ms": round(percentile(durations, 95), 1),
            "max_ms": round(max(durations), 1),
            "queries": queries,
        }
    return results


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--communes", type=int, default=35_000)
    parser.add_argument("--years", type=int, default=9)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep-file", action="store_true")
    parser.add_argument(
        "--file", help="reuse a communal file generated earlier (with the same --communes)"
    )
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="only time the pages, on the database of a previous run",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(
            "DATABASE_URL must point to a PostgreSQL database (it is dropped and recreated)."
        )

    if args.pages_only:
        import django

        django.setup()
        print(json.dumps(time_pages(args.rounds), ensure_ascii=False, indent=2))
        return
    results_dir = ROOT / "bench" / "results" / "statistics"
    results_dir.mkdir(parents=True, exist_ok=True)
    places = communes(args.communes)
    if args.file:
        path = Path(args.file)
        with open(path, "rb") as handle:
            rows = sum(1 for _ in handle) - 1
        args.keep_file = True
    else:
        path = (
            results_dir
            / f"donnee-comm-bench-geographie2024-produit-le2025-01-26-{args.communes}.csv"
        )
        started = time.perf_counter()
        rows = generate(path, places, args.years)
        print(
            f"Generated {rows:,} rows ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.0f} s"
        )

    recreate_database(url)
    import logging

    import django

    # The importer logs the duration of each of its steps.
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("vigie.statistics.importers.communal").setLevel(logging.INFO)

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from vigie.statistics.services import DEMO_SSMSI_FILE, import_ssmsi_file, load_plan_figures

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
    load_territories(places)
    import_ssmsi_file(acting_user=None, path=DEMO_SSMSI_FILE, engine="copy")
    load_plan_figures(acting_user=None)

    bare_before = bare_copy(url, path)
    print(f"Bare COPY: {bare_before:.1f} s")
    started = time.perf_counter()
    batch = import_ssmsi_file(acting_user=None, path=path, engine="copy")
    vigie = time.perf_counter() - started
    print(f"Vigie import: {vigie:.1f} s ({batch.created_count:,} observations)")
    bare_after = bare_copy(url, path)
    print(f"Bare COPY (after): {bare_after:.1f} s")
    bare = (bare_before + bare_after) / 2
    started = time.perf_counter()
    again = import_ssmsi_file(acting_user=None, path=path, engine="copy")
    reimport = time.perf_counter() - started
    assert again.created_count == 0 and again.updated_count == 0, "re-import changed data"
    print(f"Re-import (nothing changes): {reimport:.1f} s")
    # The next edition arrives while this one is stored: it gets a partition of its own.
    started = time.perf_counter()
    second = import_ssmsi_file(
        acting_user=None, path=path, engine="copy", published_on=date(2026, 1, 26)
    )
    next_edition = time.perf_counter() - started
    assert second.created_count == rows
    print(f"Next edition beside it: {next_edition:.1f} s")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('statistics_communeobservation')"
        )
        communal_size = int(cursor.fetchone()[0] or 0)
    timings = time_pages(args.rounds)
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "server": server,
        "shared_buffers": shared_buffers,
        "cpus": os.cpu_count(),
        "rows": rows,
        "file_mb": round(path.stat().st_size / 1e6),
        "bare_copy_s": [round(bare_before, 2), round(bare_after, 2)],
        "vigie_import_s": round(vigie, 2),
        "ratio": round(vigie / bare, 2),
        "reimport_s": round(reimport, 2),
        "next_edition_s": round(next_edition, 2),
        "next_edition_ratio": round(next_edition / bare, 2),
        "communal_tables_mb_two_editions": round(communal_size / 1e6),
        "pages": timings,
    }
    out = results_dir / f"{datetime.now(UTC):%Y-%m-%d-%H%M}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    if not args.keep_file:
        path.unlink()
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print()
    print("| Mesure | Valeur |\n|---|---|")
    print(f"| Lignes du fichier communal | {rows:,} ({result['file_mb']} Mo) |".replace(",", " "))
    print(
        f"| COPY brut (table sans index), avant / après | {bare_before:.1f} s / {bare_after:.1f} s |"
    )
    print(
        f"| Import Vigie (`import_ssmsi`, moteur COPY) | {vigie:.1f} s, soit {vigie / bare:.2f} × le COPY brut |"
    )
    print(f"| Réimport identique (rien ne change) | {reimport:.1f} s |")
    print(
        f"| Édition suivante, à côté de la première | {next_edition:.1f} s, soit {next_edition / bare:.2f} × |"
    )
    for name, t in timings.items():
        print(
            f"| Page {name} (n = {t['n']}, {t['queries']} requêtes) | requêtes SQL : p50 {t['sql_p50_ms']} ms, "
            f"p95 {t['sql_p95_ms']} ms ; page construite : p50 {t['p50_ms']} ms, p95 {t['p95_ms']} ms |"
        )


if __name__ == "__main__":
    main()
