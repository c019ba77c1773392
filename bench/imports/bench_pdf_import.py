"""Benchmark: import of a 100-page plan PDF (outside the test suite).

    .venv/bin/python bench/imports/bench_pdf_import.py [--pages 100] [--keep /tmp/plan.pdf]

Generates a plan (axes, measures with pilots, partners, findings, actions and indicators,
context pages) as HTML rendered by WeasyPrint with a running header and footer, until the
PDF has the requested number of pages; then times, like the upload does:

1. analysis: safety checks, PDF reading (PDFium) and structure detection;
2. writing: the loader in a fresh SQLite test database (plan, axes, measures, actions,
   indicators, actors, audit entries), one transaction.

The PDF generation itself is not timed. Targets: analysis + writing under 10 s on 2 cores.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from tests.imports.documents import to_pdf  # noqa: E402
from vigie.imports.parsing.structure import parse_plan  # noqa: E402
from vigie.imports.reading.readers import read_document  # noqa: E402
from vigie.imports.reading.text import parse_text  # noqa: E402

CONTEXT = (
    "Le diagnostic partagé avec les maires, les forces de sécurité et les services de l'État "
    "montre une évolution contrastée de la délinquance selon les territoires du département, "
    "avec une attention particulière portée aux mineurs, aux victimes de violences "
    "intrafamiliales et aux atteintes aux biens dans les communes rurales. "
)


def plan_text(axes: int, measures: int) -> str:
    parts = [
        "# Plan départemental de prévention de la délinquance de l'Exemple 2024-2028\n",
        CONTEXT * 4 + "\n",
    ]
    for a in range(1, axes + 1):
        parts.append(f"# Axe {a} : Priorité numéro {a} du plan départemental\n")
        parts.append("## État des lieux\n")
        parts += [CONTEXT * 3 + "\n"] * 3
        for m in range(1, measures + 1):
            parts.append(f"## Mesure {a}.{m} : Agir sur le thème {a}.{m} avec les partenaires\n")
            parts.append("Pilote(s) : Préfecture, DSDEN\n")
            parts.append(
                "Partenaires :\n\n- Conseil départemental\n- Gendarmerie nationale\n- Associations\n"
            )
            parts.append("Constat partagé :\n\n- " + CONTEXT + "\n- " + CONTEXT + "\n")
            parts.append("Actions à mener :\n")
            parts += [
                f"- **Action {k} de la mesure {a}.{m}**, " + CONTEXT[:220] + "\n"
                for k in range(1, 6)
            ]
            parts.append("Indicateurs de suivi :\n")
            parts += [f"- Nombre de réalisations {k} de la mesure {a}.{m}\n" for k in range(1, 4)]
            parts.append("Calendrier : 2024-2028\n\nFinancement : FIPD\n")
    return "\n".join(parts)


def build_pdf(pages: int) -> tuple[bytes, int, int]:
    import io

    from pypdf import PdfReader

    measures = 8
    axes = max(1, pages // 12)
    while True:
        data = to_pdf(
            parse_text(plan_text(axes, measures)), header="Préfecture de l'Exemple — PDPD 2024-2028"
        )
        count = len(PdfReader(io.BytesIO(data)).pages)
        if count >= pages:
            return data, count, axes * measures
        axes += max(1, (pages - count) // 10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--keep", default="")
    options = parser.parse_args()

    data, pages, expected_measures = build_pdf(options.pages)
    if options.keep:
        Path(options.keep).write_bytes(data)

    start = time.perf_counter()
    blocks = read_document("plan.pdf", data)
    read = time.perf_counter() - start
    parsed = parse_plan(blocks, proper_nouns=("Exemple",))
    analysis = time.perf_counter() - start
    assert len(parsed.all_measures()) == expected_measures, len(parsed.all_measures())

    from django.db import connection
    from django.test.utils import setup_test_environment

    from vigie.imports.writing.loader import load_plan
    from vigie.territories.models import Department, Region

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    region = Region.objects.create(code="99", name="Région")
    department = Department.objects.create(code="99", name="Exemple", region=region)
    start_write = time.perf_counter()
    load_plan(parsed, department)
    write = time.perf_counter() - start_write

    counts = parsed.counts()
    print(
        f"{pages} pages, {len(data) / 1024:.0f} Kio, {counts['measures']} mesures, "
        f"{counts['actions']} actions, {counts['indicators']} indicateurs"
    )
    print(f"lecture PDF : {read:.2f} s ; analyse (lecture + structure) : {analysis:.2f} s")
    print(f"écriture en base : {write:.2f} s ; total : {analysis + write:.2f} s")


if __name__ == "__main__":
    main()
