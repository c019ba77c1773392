"""Measured accuracy: the seed plans written as DOCX (python-docx), ODT (odfpy) and PDF
(WeasyPrint, with a running header and footer on every page) give the same structure as
their text: every axis and measure (number and title), every indicator, pilots and partners,
actions and good practices. ``docs/import.md`` reports these figures."""

import pytest

from tests.imports.conftest import DEPARTMENTS, HEADERS
from vigie.imports.parsing.structure import parse_plan
from vigie.imports.reading.readers import read_document
from vigie.imports.reading.text import parse_text

FORMATS = ["docx", "odt", "pdf"]
PLANS = ["gers", "lot"]


def parsed(path, plan):
    _, name = DEPARTMENTS[plan]
    if path.suffix == ".txt":
        blocks = parse_text(path.read_text(encoding="utf-8"))
    else:
        blocks = read_document(path.name, path.read_bytes())
    return parse_plan(blocks, proper_nouns=(name,)), blocks


def facts(plan) -> dict[str, set]:
    """What the accuracy is measured on, as sets of comparable facts."""
    measures = [
        (kind, m)
        for kind in ("axes", "annexes")
        for axis in getattr(plan, kind)
        for m in axis.measures
    ]
    return {
        "axes": {(a.number, a.title) for a in plan.axes},
        "measures": {(m.number, m.title) for _, m in measures},
        "indicators": {
            (m.number, i, text) for _, m in measures for i, text in enumerate(m.indicators)
        },
        "actors": {
            (m.number, role, wording)
            for _, m in measures
            for role, items in (
                ("pilot", m.pilots),
                ("partner", m.partners),
                ("both", m.pilot_partners),
            )
            for wording in items
        },
        "actions": {(m.number, a.text) for _, m in measures for a in m.actions},
        "fields": {
            (m.number, name, text)
            for _, m in measures
            for name in ("findings", "objectives", "national_objectives", "situation")
            for text in getattr(m, name)
        },
    }


def score(expected: dict[str, set], found: dict[str, set]) -> dict[str, tuple[int, int]]:
    """{fact: (found, expected)}: expected facts that the format also gives."""
    return {key: (len(expected[key] & found[key]), len(expected[key])) for key in expected}


@pytest.mark.parametrize("extension", FORMATS)
@pytest.mark.parametrize("plan", PLANS)
def test_same_structure_as_the_text(seed_documents, plan, extension):
    reference, _ = parsed(seed_documents[(plan, "txt")], plan)
    document, blocks = parsed(seed_documents[(plan, extension)], plan)
    assert [(a.number, a.title) for a in document.axes] == [
        (a.number, a.title) for a in reference.axes
    ]
    assert [(m.number, m.title) for m in document.all_measures()] == [
        (m.number, m.title) for m in reference.all_measures()
    ]
    for expected, found in zip(reference.all_measures(), document.all_measures(), strict=True):
        assert found.indicators == expected.indicators, found.number
        assert found.pilots == expected.pilots, found.number
        assert found.partners == expected.partners, found.number
        assert found.pilot_partners == expected.pilot_partners, found.number
        assert [a.text for a in found.actions] == [a.text for a in expected.actions], found.number
    assert document.title == reference.title
    assert (document.period_start, document.period_end) == (
        reference.period_start,
        reference.period_end,
    )
    assert [(s.name, s.office) for s in document.signatories] == [
        (s.name, s.office) for s in reference.signatories
    ]
    measured = score(facts(reference), facts(document))
    assert all(found == expected for found, expected in measured.values()), measured


@pytest.mark.parametrize("plan", PLANS)
def test_pdf_running_header_and_footer_do_not_leak(seed_documents, plan):
    _, blocks = parsed(seed_documents[(plan, "pdf")], plan)
    texts = " ".join(block.text for block in blocks)
    assert HEADERS[plan] not in texts
    assert "Préfecture — document publié" not in texts
    assert "Page 3 /" not in texts


def test_seed_counts_are_those_of_the_acceptance(seed_documents):
    for extension in ["txt", *FORMATS]:
        gers, _ = parsed(seed_documents[("gers", extension)], "gers")
        measures = [m for axis in gers.axes for m in axis.measures]
        assert len(measures) == 12 and sum(len(m.indicators) for m in measures) == 23, extension
        lot, _ = parsed(seed_documents[("lot", extension)], "lot")
        assert len(lot.all_measures()) == 15, extension
        assert sum(len(m.indicators) for m in lot.all_measures()) == 25, extension
