"""Fixtures of the import tests: the Gers and the Lot, their seed plans as text, DOCX, ODT and
PDF (generated once per test session under a temporary directory), and row counters."""

from pathlib import Path

import pytest

import vigie.plans
from tests.imports.documents import blocks_of, to_docx, to_odt, to_pdf
from vigie.audit.models import AuditEntry
from vigie.imports.models import ImportSession, PlanVersion
from vigie.indicators.models import Indicator, IndicatorValue
from vigie.organisations.models import GlossaryEntry, Organisation
from vigie.plans.models import (
    Action,
    Axis,
    AxisSection,
    GoodPractice,
    Measure,
    MeasureActor,
    Plan,
    Signatory,
)
from vigie.territories.models import Department, Region

SEEDS = Path(vigie.plans.__file__).resolve().parent / "seeds"
SEED_FILES = {"gers": SEEDS / "gers-2021-2024.txt", "lot": SEEDS / "lot-2020-2024.txt"}
DEPARTMENTS = {"gers": ("32", "Gers"), "lot": ("46", "Lot")}
HEADERS = {
    "gers": "Préfecture du Gers — Plan départemental de prévention de la délinquance 2021-2024",
    "lot": "Préfecture du Lot — PDPD 2020-2024",
}
WRITERS = {"docx": to_docx, "odt": to_odt, "pdf": to_pdf}
PLAN_MODELS = (
    Plan, Axis, AxisSection, Measure, MeasureActor, Action, GoodPractice, Indicator, Signatory,
    Organisation, GlossaryEntry, AuditEntry, PlanVersion, IndicatorValue,
)  # fmt: skip


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in PLAN_MODELS}


def plan_row_counts() -> dict[str, int]:
    """Rows of the plans and the directory (the import session itself is not counted)."""
    counts = row_counts()
    counts.pop("AuditEntry")
    return counts


@pytest.fixture
def occitanie(db):
    return Region.objects.get_or_create(code="76", defaults={"name": "Occitanie"})[0]


@pytest.fixture
def gers(occitanie):
    return Department.objects.get_or_create(
        code="32", defaults={"name": "Gers", "region": occitanie}
    )[0]


@pytest.fixture
def lot(occitanie):
    return Department.objects.get_or_create(
        code="46", defaults={"name": "Lot", "region": occitanie}
    )[0]


@pytest.fixture(scope="session")
def seed_documents(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """{(plan, extension): path} for both seeds in txt, docx, odt and pdf."""
    folder = tmp_path_factory.mktemp("plans")
    documents = {}
    for name, seed in SEED_FILES.items():
        text = seed.read_text(encoding="utf-8")
        documents[(name, "txt")] = seed
        blocks = blocks_of(text)
        for extension, writer in WRITERS.items():
            path = folder / f"{seed.stem}.{extension}"
            if extension == "pdf":
                path.write_bytes(writer(blocks, header=HEADERS[name]))
            else:
                path.write_bytes(writer(blocks))
            documents[(name, extension)] = path
    return documents


__all__ = ["ImportSession"]
