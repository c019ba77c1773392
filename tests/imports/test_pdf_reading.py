"""Reading justified PDF text: a line that happens to begin with "mesure n° 37 …" is not a
measure heading, and word gaps give no space before punctuation."""

import re

import pytest

from tests.imports.documents import to_pdf_with_css
from vigie.imports.parsing.structure import parse_plan
from vigie.imports.reading.readers import read_document
from vigie.imports.reading.text import parse_text

# Justified paragraphs with a first-line indent (as many plans are set); the words before
# "la mesure n° 37" are chosen so that a line of the PDF starts with it.
PHANTOM = """# Plan départemental de prévention de la délinquance de la Creuse 2023-2027

Le fonds interministériel de prévention de la délinquance sera mobilisé en direction des programmes que la nouvelle stratégie nationale préconise. En conformité avec la mesure n° 37 de la stratégie nationale de prévention de la délinquance, un comité des financeurs sera mis en place au niveau départemental.

# Axe 1 : Prévenir la délinquance des plus jeunes

## Mesure 1.1 : Repérer les jeunes exposés

Pilote : Préfecture

Les acteurs de terrain repèrent tôt les jeunes en difficulté et les orientent vers les dispositifs adaptés et suivis de près par les services de l'État, conformément à la mesure n° 37 de la stratégie nationale de prévention de la délinquance, qui prévoit un suivi renforcé par un comité des financeurs.

Indicateurs :

- Nombre de jeunes suivis

# Axe 2 : Protéger les victimes

## Mesure 2.1 : Accueillir les victimes

Pilote : Gendarmerie

Les victimes sont accueillies par des intervenants formés.
"""
INDENTED = "p { text-indent: 2em; }"


def pdf_lines(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return [
            line.strip()
            for index in range(len(document))
            for line in document[index].get_textpage().get_text_range().splitlines()
        ]
    finally:
        document.close()


@pytest.fixture(scope="module")
def phantom_pdf() -> bytes:
    data = to_pdf_with_css(parse_text(PHANTOM), INDENTED)
    starts = [line for line in pdf_lines(data) if line.startswith("mesure n° 37 de la stratégie")]
    assert len(starts) == 2, "the layout must put 'mesure n° 37' at the start of two lines"
    return data


def test_a_line_starting_with_mesure_is_not_a_measure_heading(phantom_pdf):
    plan = parse_plan(read_document("plan.pdf", phantom_pdf))
    assert [(axis.number, axis.title) for axis in plan.axes] == [
        ("1", "Prévenir la délinquance des plus jeunes"),
        ("2", "Protéger les victimes"),
    ]
    assert [(m.number, m.title) for m in plan.all_measures()] == [
        ("1.1", "Repérer les jeunes exposés"),
        ("2.1", "Accueillir les victimes"),
    ]
    measure = plan.all_measures()[0]
    assert [action.text for action in measure.actions] == [
        "Les acteurs de terrain repèrent tôt les jeunes en difficulté et les orientent vers les "
        "dispositifs adaptés et suivis de près par les services de l'État, conformément à la "
        "mesure n° 37 de la stratégie nationale de prévention de la délinquance, qui prévoit un "
        "suivi renforcé par un comité des financeurs."
    ]
    assert measure.indicators == ["Nombre de jeunes suivis"]
    assert "un comité des financeurs sera mis en place au niveau départemental." in (
        plan.introduction
    )


def test_paragraphs_with_a_first_line_indent_are_read_whole(phantom_pdf):
    paragraphs = [
        block.text for block in read_document("plan.pdf", phantom_pdf) if block.text[:1].islower()
    ]
    assert paragraphs == []  # no paragraph cut after its second line


# The parser on its own: a block that merely starts with the word is no heading.
CUT = """# Plan départemental de prévention de la délinquance de la Creuse 2023-2027

Le fonds interministériel de prévention de la délinquance sera mobilisé en direction des programmes préconisés. En conformité avec la

mesure n° 37 de la stratégie nationale de prévention de la délinquance, un comité des financeurs sera mis en place.

Mesure n° 38 de la stratégie nationale : un observatoire départemental sera créé.

# Axe 1 : Prévenir la délinquance des plus jeunes

## Mesure 1.1 : Repérer les jeunes exposés

Pilote : Préfecture

Les jeunes sont repérés tôt.

Mesure 37 : le comité des financeurs sera réuni chaque année.

mesure n° 12 de la stratégie nationale, le suivi est renforcé.

Indicateurs :

- Nombre de jeunes suivis

Mesure 1.2 Accueillir les familles

Pilote : CAF

Les familles sont accueillies.
"""


def test_a_paragraph_that_starts_with_the_word_is_not_a_heading():
    plan = parse_plan(parse_text(CUT))
    assert [(axis.number, axis.title) for axis in plan.axes] == [
        ("1", "Prévenir la délinquance des plus jeunes")
    ]
    assert [(m.number, m.title) for m in plan.all_measures()] == [
        ("1.1", "Repérer les jeunes exposés"),
        ("1.2", "Accueillir les familles"),  # a real heading set as a plain paragraph
    ]
    first = plan.all_measures()[0]
    assert [action.text for action in first.actions] == [
        "Les jeunes sont repérés tôt.",
        "Mesure 37 : le comité des financeurs sera réuni chaque année.",
        "mesure n° 12 de la stratégie nationale, le suivi est renforcé.",
    ]
    assert first.indicators == ["Nombre de jeunes suivis"]
    assert "mesure n° 37 de la stratégie nationale" in plan.introduction
    assert "Mesure n° 38 de la stratégie nationale" in plan.introduction


# Word processors place each run of a justified line themselves; a comma or a closing
# parenthesis may then sit a little apart from its word, with no space character between
# them, and PDFium reports a space for the gap. The punctuation is set here 0.2 em apart.
APART = "<span style='padding-left: 0.2em'></span>"
NBSP = "\u00a0"
JUSTIFIED = (
    "Priorité n° 2 : Lutter contre les violences{A}, notamment intrafamiliales{A}, et accompagner "
    "la protection des personnes les plus vulnérables{A}. Mieux prendre en charge les "
    "victimes{A}, en associant davantage les professionnels de la santé{A}; les moyens sont "
    "accrus{A}: les intervenants sont formés{N}; l'accueil se fait{N}: sans rendez-vous. Qui{N}? "
    "Tous{N}! Les dispositifs (accueil, écoute{A}) sont renforcés dans tout le département."
)


def justified_pdf(width: str) -> bytes:
    from weasyprint import HTML

    paragraph = JUSTIFIED.format(A=APART, N=NBSP)
    html = (
        "<!doctype html><html lang='fr'><head><meta charset='utf-8'><style>"
        f"body {{ font: 10.5pt/1.35 serif; }} p {{ width: {width}; text-align: justify; }}"
        f"</style></head><body><h1>Titre</h1><p>{paragraph}</p></body></html>"
    )
    return HTML(string=html).write_pdf()


@pytest.mark.parametrize("width", ["17cm", "12cm", "9cm"])
def test_no_space_before_punctuation_where_the_document_has_none(width):
    data = justified_pdf(width)
    assert any(" ," in line for line in pdf_lines(data)), "PDFium reports the gaps as spaces"
    paragraphs = [b.text for b in read_document("plan.pdf", data) if b.kind == "paragraph"]
    assert paragraphs == [
        "Priorité n° 2 : Lutter contre les violences, notamment intrafamiliales, et accompagner "
        "la protection des personnes les plus vulnérables. Mieux prendre en charge les "
        "victimes, en associant davantage les professionnels de la santé; les moyens sont "
        "accrus: les intervenants sont formés ; l'accueil se fait : sans rendez-vous. Qui ? "
        "Tous ! Les dispositifs (accueil, écoute) sont renforcés dans tout le département."
    ]
    assert not re.search(r"\w [,.;:)]", paragraphs[0].replace(" ;", "").replace(" :", ""))
