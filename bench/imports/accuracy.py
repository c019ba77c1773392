"""Measured accuracy of the readers, for docs/import.md (outside the test suite).

    .venv/bin/python bench/imports/accuracy.py

Writes both seed plans as DOCX, ODT and PDF (as the tests do), reads them back and counts,
per format, the facts of the text import that are found again: axes, measures (number and
title), indicators, pilots and partners, actions, and the other fields of the measures.
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from tests.imports.conftest import HEADERS, SEED_FILES, WRITERS  # noqa: E402
from tests.imports.documents import blocks_of  # noqa: E402
from tests.imports.test_accuracy import facts, parsed, score  # noqa: E402

LABELS = {
    "axes": "axes",
    "measures": "mesures",
    "indicators": "indicateurs",
    "actors": "pilotes et partenaires",
    "actions": "actions",
    "fields": "autres rubriques",
}


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    print("| Plan | Format | " + " | ".join(LABELS.values()) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in LABELS) + " |")
    for name, seed in SEED_FILES.items():
        reference, _ = parsed(seed, name)
        expected = facts(reference)
        blocks = blocks_of(seed.read_text(encoding="utf-8"))
        for extension, writer in WRITERS.items():
            path = folder / f"{seed.stem}.{extension}"
            data = writer(blocks, header=HEADERS[name]) if extension == "pdf" else writer(blocks)
            path.write_bytes(data)
            document, _ = parsed(path, name)
            measured = score(expected, facts(document))
            cells = " | ".join(f"{found}/{total}" for found, total in measured.values())
            print(f"| {name.capitalize()} | {extension.upper()} | {cells} |")


if __name__ == "__main__":
    main()
