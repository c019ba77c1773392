"""Each PDF's check stands alone: PDFium keeps the error of the last document it failed to open
in the process (a worker reads many files), so a 0-page PDF read right after an encrypted one
was called protected by a password. The messages must come from the file itself."""

import io
import re

import pytest

from tests.imports.test_bad_inputs import encrypted_pdf
from vigie.imports.errors import PlanImportError
from vigie.imports.reading.readers import read_document

ZERO_PAGES = "Le PDF ne contient aucune page."
PROTECTED = "Ce PDF est protégé par un mot de passe"
DAMAGED = "Le PDF est endommagé ou illisible"


def zero_page_pdf() -> bytes:
    from pypdf import PdfWriter

    out = io.BytesIO()
    PdfWriter().write(out)
    return out.getvalue()


def damaged_pdf() -> bytes:
    return b"%PDF-1.7\n" + b"n'importe quoi" * 50


FILES = {"encrypted": encrypted_pdf, "zero_pages": zero_page_pdf, "damaged": damaged_pdf}
MESSAGES = {"encrypted": PROTECTED, "zero_pages": ZERO_PAGES, "damaged": DAMAGED}


def refusal(kind: str) -> str:
    with pytest.raises(PlanImportError) as caught:
        read_document(f"{kind}.pdf", FILES[kind]())
    return str(caught.value)


def test_a_pdf_without_pages_is_refused_as_such():
    assert refusal("zero_pages") == ZERO_PAGES


@pytest.mark.parametrize(
    "order",
    [
        ("encrypted", "zero_pages"),
        ("zero_pages", "encrypted"),
        ("encrypted", "damaged", "zero_pages"),
        ("damaged", "encrypted", "zero_pages", "encrypted", "damaged"),
    ],
    ids="-then-".join,
)
def test_each_pdf_gets_its_own_message_in_the_same_process(order):
    for kind in order:
        assert re.match(re.escape(MESSAGES[kind]), refusal(kind)), (kind, order)


def test_a_readable_pdf_after_a_refused_one_is_read():
    from tests.imports.documents import blocks_of, to_pdf

    refusal("encrypted")
    text = "# Plan départemental 2021-2024\n\n" + "Un paragraphe du plan assez long. " * 5
    blocks = read_document("plan.pdf", to_pdf(blocks_of(text)))
    assert any("Un paragraphe du plan assez long." in block.text for block in blocks)
