"""The one spreadsheet writer: XLSX, ODS and CSV for every export and template download.

Every cell is written as what it is, never as a formula:

- a number (``int``, ``float``, ``Decimal``; not ``bool``) is a number cell; in CSV it is written with a
  decimal comma and no thousands separator, and a negative number stays a number;
- anything else is text. XLSX and ODS have no formula cells at all (``t="inlineStr"`` / ``value-type="string"``),
  so ``=HYPERLINK(…)`` typed in a comment comes back as the same text. CSV has no cell types: a text that
  a spreadsheet would read as a formula (first character ``=``, ``+``, ``-``, ``@``, tab or carriage return)
  is prefixed with an apostrophe, as OWASP recommends against formula injection.

XLSX and ODS are written as text (XML fragments joined once, then zipped): openpyxl and odfpy build an object
per cell, which costs tens of seconds for a template of 100,000 rows.
"""

import csv
import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"
CSV_TYPE = "text/csv; charset=utf-8"
CONTENT_TYPES = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE, "ods": ODS_TYPE}

# First characters that make a spreadsheet read a CSV field as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot carry (a comment pasted from elsewhere may hold them).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_CELL_TEXT = 32_767  # Excel refuses (then "repairs") a longer cell
MAX_SHEET_NAME = 31
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
EDITABLE_COLOR = "FFF5CC"
ODS_CM_PER_CHARACTER = 0.21  # widths are given in characters (XLSX unit); ODS wants centimetres


@dataclass
class Sheet:
    """One sheet: ``preamble`` rows (a title…), a bold ``header`` row, then ``rows``.

    ``widths`` are column widths in characters; ``editable`` and ``wrapped`` are column flags (an editable
    column is unlocked and tinted, the others locked when the sheet is ``protected``); ``freeze_header``
    keeps the rows down to the header in view (XLSX; ODS keeps its view settings out of the file).
    """

    name: str
    rows: Iterable[Sequence]
    header: Sequence | None = None
    preamble: Sequence[Sequence] = ()
    widths: Sequence[float] = ()
    editable: Sequence[bool] = ()
    wrapped: Sequence[bool] = ()
    protected: bool = False
    freeze_header: bool = False

    def all_rows(self) -> Iterator[tuple[Sequence, bool]]:
        """(row, is the header) in sheet order."""
        for row in self.preamble:
            yield row, False
        if self.header is not None:
            yield self.header, True
        for row in self.rows:
            yield row, False

    @property
    def frozen_rows(self) -> int:
        return len(self.preamble) + (self.header is not None) if self.freeze_header else 0


# ---------------------------------------------------------------- cell values


def is_number(value) -> bool:
    """A value written as a number cell (a finite int, float or Decimal; a bool is not a number)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    return value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)


def number_text(value) -> str:
    """A number as XML spreadsheets store it: decimal point, no exponent for a Decimal."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return repr(value) if isinstance(value, float) else str(int(value))


def french_number(value) -> str:
    """A number for people and CSV: decimal comma, no thousands separator, no trailing zeros."""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    decimal = value if isinstance(value, Decimal) else Decimal(repr(value))
    decimal = decimal.normalize()
    if decimal == decimal.to_integral():
        decimal = decimal.quantize(Decimal(1))
    return format(decimal, "f").replace(".", ",")


def cell_text(value) -> str:
    """Any non-number value as the text of a cell (None is empty)."""
    return "" if value is None else str(value)


def neutralise(text: str) -> str:
    """A CSV field that a spreadsheet would run as a formula gets an apostrophe in front."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_field(value) -> str:
    return french_number(value) if is_number(value) else neutralise(cell_text(value))


def _xml_text(value) -> str:
    # A carriage return is written as a reference: XML parsers turn a raw one into a line feed.
    text = escape(_INVALID_XML.sub("", cell_text(value))[:MAX_CELL_TEXT])
    return text.replace("\r", "&#13;")


# ---------------------------------------------------------------- CSV


class _Echo:
    """A file-like object that returns what is written, for csv.writer and streaming."""

    def write(self, value):
        return value


def csv_lines(rows: Iterable[Sequence]) -> Iterator[str]:
    """French CSV, line by line (for streaming): a byte order mark first (spreadsheets then read UTF-8),
    ``;`` separator, CRLF line ends, decimal comma, formula triggers neutralised."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([csv_field(value) for value in row])


def csv_bytes(rows: Iterable[Sequence]) -> bytes:
    return "".join(csv_lines(rows)).encode("utf-8")


# ---------------------------------------------------------------- sheet names


def sheet_names(sheets: Sequence[Sheet]) -> list[str]:
    """Names every spreadsheet accepts: no ``[]:*?/\\``, at most 31 characters, unique, not empty."""
    names: list[str] = []
    used: set[str] = set()
    for index, sheet in enumerate(sheets, start=1):
        base = _SHEET_NAME_FORBIDDEN.sub("", sheet.name).strip("' ")[:MAX_SHEET_NAME]
        base = base or f"Feuille {index}"
        name, number = base, 2
        while name.lower() in used:
            suffix = f" {number}"
            name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
            number += 1
        used.add(name.lower())
        names.append(name)
    return names


# ---------------------------------------------------------------- XLSX

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Cell formats (cellXfs) of styles.xml, by index.
_PLAIN, _BOLD, _EDITABLE, _WRAPPED = 0, 1, 2, 3
_XLSX_STYLES = (
    f'{_XML_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    f'<fill><patternFill patternType="solid"><fgColor rgb="FF{EDITABLE_COLOR}"/>'
    '<bgColor indexed="64"/></patternFill></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="2" borderId="0" xfId="0" applyFill="1" applyProtection="1">'
    '<protection locked="0"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def column_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_styles(sheet: Sheet) -> list[int]:
    count = max(len(sheet.editable), len(sheet.wrapped))
    styles = []
    for index in range(count):
        if index < len(sheet.editable) and sheet.editable[index]:
            styles.append(_EDITABLE)
        elif index < len(sheet.wrapped) and sheet.wrapped[index]:
            styles.append(_WRAPPED)
        else:
            styles.append(_PLAIN)
    return styles


def _xlsx_cell(value, style: int) -> str:
    """A cell after its reference (``<c r="A1"`` + this), or "" for an empty cell without style."""
    styled = f' s="{style}"' if style else ""
    if value is None or value == "":
        return f"{styled}/>" if style else ""
    if is_number(value):
        return f"{styled}><v>{number_text(value)}</v></c>"
    return f'{styled} t="inlineStr"><is><t xml:space="preserve">{_xml_text(value)}</t></is></c>'


class _Memo(dict):
    """Cells written once per (value, style) and call: templates repeat labels, codes and periods."""

    def __init__(self, write):
        super().__init__()
        self.write = write

    def __call__(self, value, style):
        try:
            key = (value.__class__, value, style)  # the class: 1, 1.0 and True are equal keys
            return self[key]
        except KeyError:
            written = self[key] = self.write(value, style)
            return written
        except TypeError:  # an unhashable value
            return self.write(value, style)


def _xlsx_sheet(sheet: Sheet) -> str:
    styles = _column_styles(sheet)
    letters = [column_letters(i) for i in range(16)]
    write = _Memo(_xlsx_cell)
    parts = []
    width = 0
    number = 0
    for number, (row, is_header) in enumerate(sheet.all_rows(), start=1):
        width = max(width, len(row))
        while len(letters) < len(row):
            letters.append(column_letters(len(letters)))
        cells = []
        for index, value in enumerate(row):
            style = _BOLD if is_header else (styles[index] if index < len(styles) else _PLAIN)
            body = write(value, style)
            if body:
                cells.append(f'<c r="{letters[index]}{number}"{body}')
        parts.append(f'<row r="{number}">{"".join(cells)}</row>')
    dimension = f"A1:{column_letters(max(width, 1) - 1)}{max(number, 1)}"
    view = '<sheetView workbookViewId="0">'
    if sheet.frozen_rows:
        top = f"A{sheet.frozen_rows + 1}"
        view += (
            f'<pane ySplit="{sheet.frozen_rows}" topLeftCell="{top}" activePane="bottomLeft" '
            f'state="frozen"/><selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>'
        )
    view += "</sheetView>"
    columns = "".join(
        f'<col min="{i}" max="{i}" width="{w:.2f}" customWidth="1"/>'
        for i, w in enumerate(sheet.widths, start=1)
    )
    protection = (
        '<sheetProtection sheet="1" objects="1" scenarios="1" formatColumns="0" formatRows="0" '
        'sort="0" autoFilter="0"/>'
        if sheet.protected
        else ""
    )
    return (
        f'{_XML_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_OFFICE_REL}">'
        f'<dimension ref="{dimension}"/><sheetViews>{view}</sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{columns}</cols>" if columns else "")
        + f"<sheetData>{''.join(parts)}</sheetData>{protection}</worksheet>"
    )


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    names = sheet_names(sheets)
    count = len(sheets)
    content_types = (
        f'{_XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, count + 1)
        )
        + "</Types>"
    )
    package_rels = (
        f'{_XML_HEAD}<Relationships xmlns="{_PACKAGE_REL}">'
        f'<Relationship Id="rId1" Type="{_OFFICE_REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    workbook = (
        f'{_XML_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_OFFICE_REL}">'
        '<bookViews><workbookView activeTab="0"/></bookViews><sheets>'
        + "".join(
            f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(names, start=1)
        )
        + "</sheets></workbook>"
    )
    workbook_rels = (
        f'{_XML_HEAD}<Relationships xmlns="{_PACKAGE_REL}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{_OFFICE_REL}/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, count + 1)
        )
        + f'<Relationship Id="rId{count + 1}" Type="{_OFFICE_REL}/styles" Target="styles.xml"/>'
        "</Relationships>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", package_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        archive.writestr("xl/styles.xml", _XLSX_STYLES)
        for i, sheet in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", _xlsx_sheet(sheet))
    return buffer.getvalue()


# ---------------------------------------------------------------- ODS

_ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'office:version="1.2"'
)
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
    f'manifest:media-type="{ODS_TYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
_ODS_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {_ODS_NAMESPACES}>'
    "<office:styles/></office:document-styles>"
)
_ODS_CELL_STYLES = (
    '<style:style style:name="ceHead" style:family="table-cell">'
    '<style:table-cell-properties style:cell-protect="protected"/>'
    '<style:text-properties fo:font-weight="bold"/></style:style>'
    '<style:style style:name="ceLocked" style:family="table-cell">'
    '<style:table-cell-properties style:cell-protect="protected"/></style:style>'
    '<style:style style:name="ceEdit" style:family="table-cell">'
    '<style:table-cell-properties style:cell-protect="none" '
    f'fo:background-color="#{EDITABLE_COLOR.lower()}"/></style:style>'
    '<style:style style:name="ceWrap" style:family="table-cell">'
    '<style:table-cell-properties style:cell-protect="protected" fo:wrap-option="wrap" '
    'style:vertical-align="top"/></style:style>'
)
_ODS_STYLE_NAMES = {_PLAIN: "ceLocked", _BOLD: "ceHead", _EDITABLE: "ceEdit", _WRAPPED: "ceWrap"}


def _ods_cell(value, style: str) -> str:
    if value is None or value == "":
        return f'<table:table-cell table:style-name="{style}"/>'
    if is_number(value):
        return (
            f'<table:table-cell table:style-name="{style}" office:value-type="float" '
            f'office:value="{number_text(value)}"><text:p>{french_number(value)}</text:p>'
            "</table:table-cell>"
        )
    return (
        f'<table:table-cell table:style-name="{style}" office:value-type="string">'
        f"<text:p>{_xml_text(value)}</text:p></table:table-cell>"
    )


def _ods_table(number: int, sheet: Sheet, name: str) -> str:
    styles = [_ODS_STYLE_NAMES[s] for s in _column_styles(sheet)]
    write = _Memo(_ods_cell)
    protected = "true" if sheet.protected else "false"
    parts = [f'<table:table table:name={quoteattr(name)} table:protected="{protected}">']
    for column, _ in enumerate(sheet.widths):
        parts.append(f'<table:table-column table:style-name="co{number}_{column}"/>')
    for row, is_header in sheet.all_rows():
        cells = [
            write(value, "ceHead" if is_header else (styles[i] if i < len(styles) else "ceLocked"))
            for i, value in enumerate(row)
        ]
        parts.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    parts.append("</table:table>")
    return "".join(parts)


def ods_bytes(sheets: Sequence[Sheet]) -> bytes:
    names = sheet_names(sheets)
    parts = [
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_ODS_NAMESPACES}>',
        "<office:automatic-styles>",
        _ODS_CELL_STYLES,
    ]
    for number, sheet in enumerate(sheets):
        for column, width in enumerate(sheet.widths):
            parts.append(
                f'<style:style style:name="co{number}_{column}" style:family="table-column">'
                "<style:table-column-properties style:column-width="
                f'"{width * ODS_CM_PER_CHARACTER:.2f}cm"/></style:style>'
            )
    parts.append("</office:automatic-styles><office:body><office:spreadsheet>")
    for number, (sheet, name) in enumerate(zip(sheets, names, strict=True)):
        parts.append(_ods_table(number, sheet, name))
    parts.append("</office:spreadsheet></office:body></office:document-content>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # The mimetype comes first and uncompressed, so that the type can be read at a fixed offset.
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_TYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("styles.xml", _ODS_STYLES, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", "".join(parts), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
