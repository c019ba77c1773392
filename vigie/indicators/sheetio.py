"""Fast, safe reading of XLSX and ODS sheets and fast writing of ODS files.

openpyxl and odfpy build an object per cell: fine for a few thousand rows, minutes for 100,000. Here the
sheet XML is streamed with lxml (no DTD, no entity resolution, no network) and ODS is written as text.
Rows keep their position: an empty row is an empty tuple, so row numbers in messages stay right.
"""

import io
import posixpath
import re
import zipfile
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

MAX_UNCOMPRESSED = 400 * 1024 * 1024
MAX_COLUMNS = 200
MAX_REPEAT = 1000

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_M = f"{{{_MAIN}}}"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_T, _O, _X = f"{{{_TABLE}}}", f"{{{_OFFICE}}}", f"{{{_TEXT}}}"


class UnreadableFile(Exception):
    """The file cannot be read at all (French message)."""


def _parser_options():
    return {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


def open_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(f"Le fichier n'est pas un classeur {kind} lisible.") from exc
    if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
        raise UnreadableFile("Le fichier décompressé est trop volumineux.")
    return archive


def _parse_small(archive, name):
    with archive.open(name) as handle:
        return etree.parse(handle, etree.XMLParser(**_parser_options()))


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + (ord(char) - 64)
    return index - 1


def _number(text):
    try:
        number = float(text)
    except (TypeError, ValueError):
        return text
    return int(number) if number.is_integer() and abs(number) < 1e15 else number


def read_xlsx(data: bytes, preferred: str) -> tuple[str, list[tuple]]:
    archive = open_zip(data, "XLSX")
    try:
        workbook = _parse_small(archive, "xl/workbook.xml")
        rels = _parse_small(archive, "xl/_rels/workbook.xml.rels")
        targets = {
            r.get("Id"): r.get("Target") for r in rels.getroot().iter(f"{{{_PKG_REL}}}Relationship")
        }
        sheets = [
            (s.get("name"), targets.get(s.get(f"{{{_REL}}}id")))
            for s in workbook.getroot().iter(f"{_M}sheet")
        ]
        if not sheets:
            raise UnreadableFile("Le classeur ne contient aucune feuille.")
        name, target = next((s for s in sheets if s[0] == preferred), sheets[0])
        target = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join("xl", target))
        )
        shared = []
        if "xl/sharedStrings.xml" in archive.namelist():
            with archive.open("xl/sharedStrings.xml") as handle:
                for _, si in etree.iterparse(
                    handle, events=("end",), tag=f"{_M}si", **_parser_options()
                ):
                    shared.append("".join(t.text or "" for t in si.iter(f"{_M}t")))
                    si.clear()
        rows: list[tuple] = []
        columns: dict[str, int] = {}
        c_tag, v_tag, is_tag, t_tag = f"{_M}c", f"{_M}v", f"{_M}is", f"{_M}t"
        with archive.open(target) as handle:
            for _, row in etree.iterparse(
                handle, events=("end",), tag=f"{_M}row", **_parser_options()
            ):
                number = int(row.get("r") or len(rows) + 1)
                while len(rows) < number - 1:
                    rows.append(())
                cells: dict[int, object] = {}
                position = 0
                for cell in row:
                    if cell.tag != c_tag:
                        continue
                    ref = cell.get("r")
                    if ref:
                        letters = ref.rstrip("0123456789")
                        position = columns.get(letters)
                        if position is None:
                            position = columns[letters] = _column_index(letters)
                    if position >= MAX_COLUMNS:
                        break
                    kind = cell.get("t")
                    value = None
                    for child in cell:
                        if child.tag == v_tag:
                            text = child.text
                            if kind == "s":
                                value = shared[int(text)]
                            elif kind in ("str", "e"):
                                value = text
                            elif kind == "b":
                                value = text == "1"
                            elif text is not None:
                                value = _number(text)
                        elif child.tag == is_tag:
                            value = "".join(t.text or "" for t in child.iter(t_tag))
                    if value is not None and value != "":
                        cells[position] = value
                    position += 1
                rows.append(tuple(cells.get(i) for i in range(max(cells) + 1)) if cells else ())
                row.clear()
                parent = row.getparent()
                while row.getprevious() is not None:
                    del parent[0]
        return name, rows
    except UnreadableFile:
        raise
    except (KeyError, ValueError, IndexError, etree.LxmlError) as exc:
        raise UnreadableFile("Le fichier n'est pas un classeur XLSX lisible.") from exc


_P = f"{_X}p"
_CELL_TAGS = (f"{_T}table-cell", f"{_T}covered-table-cell")
_NUMERIC = ("float", "percentage", "currency")


def _ods_value(cell):
    kind = cell.get(f"{_O}value-type")
    if kind is None:
        return None
    if kind in _NUMERIC:
        return _number(cell.get(f"{_O}value"))
    if kind == "boolean":
        return cell.get(f"{_O}boolean-value")
    if kind == "date":
        return cell.get(f"{_O}date-value")
    texts = []
    for p in cell:
        if p.tag == _P:
            texts.append(p.text or "" if len(p) == 0 else "".join(p.itertext()))
    text = "\n".join(texts)
    return text if text != "" else None


def read_ods(data: bytes, preferred: str) -> tuple[str, list[tuple]]:
    archive = open_zip(data, "ODS")
    tables: list[tuple[str, list[tuple]]] = []
    rows: list[tuple] = []
    try:
        with archive.open("content.xml") as handle:
            for _, element in etree.iterparse(
                handle, events=("end",), tag=(f"{_T}table-row", f"{_T}table"), **_parser_options()
            ):
                if element.tag == f"{_T}table":
                    tables.append((element.get(f"{_T}name") or "", rows))
                    rows = []
                    element.clear()
                    continue
                cells = []
                for cell in element:
                    if cell.tag not in _CELL_TAGS:
                        continue
                    repeat = cell.get(f"{_T}number-columns-repeated")
                    value = _ods_value(cell)
                    if repeat is None:
                        cells.append(value)
                    else:
                        cells.extend(
                            [value] * min(int(repeat), MAX_REPEAT, MAX_COLUMNS - len(cells))
                        )
                    if len(cells) >= MAX_COLUMNS:
                        break
                while cells and cells[-1] is None:
                    cells.pop()
                repeat = int(element.get(f"{_T}number-rows-repeated", "1"))
                rows.extend([tuple(cells)] * (min(repeat, MAX_REPEAT) if cells else 1))
                element.clear()
                parent = element.getparent()
                while element.getprevious() is not None:
                    del parent[0]
    except KeyError as exc:
        raise UnreadableFile("Le fichier n'est pas un classeur ODS lisible.") from exc
    except (ValueError, etree.LxmlError, zipfile.BadZipFile) as exc:
        raise UnreadableFile("Le fichier n'est pas un classeur ODS lisible.") from exc
    if not tables:
        raise UnreadableFile("Le classeur ne contient aucune feuille.")
    return next((t for t in tables if t[0] == preferred), tables[0])


# ---------------------------------------------------------------- ODS writing

_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'office:version="1.2"'
)
_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {_NAMESPACES}>'
    "<office:styles/></office:document-styles>"
)
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell(value, style: str) -> str:
    if value is None or value == "":
        return f'<table:table-cell table:style-name="{style}"/>'
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = escape(str(value).replace(".", ","))
        return (
            f'<table:table-cell table:style-name="{style}" office:value-type="float" office:value="{value!r}">'
            f"<text:p>{shown}</text:p></table:table-cell>"
        )
    text = escape(_INVALID_XML.sub("", str(value)))
    return (
        f'<table:table-cell table:style-name="{style}" office:value-type="string">'
        f"<text:p>{text}</text:p></table:table-cell>"
    )


def write_ods(sheets: list[dict]) -> bytes:
    """sheets: [{"name", "header", "rows", "widths" (cm), "editable" (column flags), "protected"}]."""
    parts = [
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_NAMESPACES}>',
        "<office:automatic-styles>",
        '<style:style style:name="ceHead" style:family="table-cell">'
        '<style:table-cell-properties style:cell-protect="protected"/>'
        '<style:text-properties fo:font-weight="bold"/></style:style>',
        '<style:style style:name="ceLocked" style:family="table-cell">'
        '<style:table-cell-properties style:cell-protect="protected"/></style:style>',
        '<style:style style:name="ceEdit" style:family="table-cell">'
        '<style:table-cell-properties style:cell-protect="none" fo:background-color="#fff5cc"/></style:style>',
    ]
    for s, sheet in enumerate(sheets):
        for c, width in enumerate(sheet.get("widths") or []):
            parts.append(
                f'<style:style style:name="co{s}_{c}" style:family="table-column">'
                f'<style:table-column-properties style:column-width="{width:.2f}cm"/></style:style>'
            )
    parts.append("</office:automatic-styles><office:body><office:spreadsheet>")
    for s, sheet in enumerate(sheets):
        protected = "true" if sheet.get("protected") else "false"
        parts.append(
            f'<table:table table:name={quoteattr(sheet["name"])} table:protected="{protected}">'
        )
        for c, _ in enumerate(sheet.get("widths") or []):
            parts.append(f'<table:table-column table:style-name="co{s}_{c}"/>')
        if sheet.get("header"):
            parts.append(
                "<table:table-row>"
                + "".join(_cell(h, "ceHead") for h in sheet["header"])
                + "</table:table-row>"
            )
        editable = sheet.get("editable")
        for row in sheet["rows"]:
            cells = [
                _cell(
                    value,
                    "ceEdit" if editable and i < len(editable) and editable[i] else "ceLocked",
                )
                for i, value in enumerate(row)
            ]
            parts.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
        parts.append("</table:table>")
    parts.append("</office:spreadsheet></office:body></office:document-content>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("META-INF/manifest.xml", _MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("styles.xml", _STYLES, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", "".join(parts), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
