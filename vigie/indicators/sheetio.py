"""Fast, safe reading of XLSX and ODS sheets (writing is ``vigie.core.spreadsheets``).

openpyxl and odfpy build an object per cell: fine for a few thousand rows, minutes for 100,000. Here the
sheet XML is streamed with lxml (no DTD, no entity resolution, no network). Rows keep their position: an
empty row is an empty tuple, so row numbers in messages stay right. Row and column numbers, declared ranges
and repetitions are bounded (``MAX_ROWS``, ``MAX_SHEET_COLUMNS``, ``MAX_REPEAT``) and checked before the
rows they imply are built; a file past them is refused with a located message.
"""

import io
import posixpath
import re
import zipfile

from lxml import etree

from vigie.core.spreadsheets import column_letters

MAX_UNCOMPRESSED = 400 * 1024 * 1024
# Columns read (the template has ten); cells further right are ignored.
MAX_COLUMNS = 200
# Bounds of a sheet in Excel and LibreOffice: a row or column beyond them (or a declared range, or
# repetitions, that reach past them) is refused before anything is read, so a small file cannot make the
# reader build millions of empty rows.
MAX_ROWS = 1_048_576
MAX_SHEET_COLUMNS = 16_384
# Times an ODS row with content may be repeated (identical rows are duplicates in a template anyway).
MAX_REPEAT = 1000

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_M = f"{{{_MAIN}}}"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_T, _O, _X = f"{{{_TABLE}}}", f"{{{_OFFICE}}}", f"{{{_TEXT}}}"
_REFERENCE = re.compile(r"\$?([A-Z]+)\$?([0-9]+)$")
_LETTERS = re.compile("[A-Z]{1,3}")


class UnreadableFile(Exception):
    """The file cannot be read at all (French message)."""


def _count(number: int) -> str:
    """1048576 → "1 048 576"."""
    return f"{number:,}".replace(",", "\u00a0")


def out_of_bounds_row(sheet: str, number: int) -> UnreadableFile:
    return UnreadableFile(
        f"Feuille « {sheet} », ligne {_count(number)} : ligne au-delà de la dernière ligne d'une "
        f"feuille ({_count(MAX_ROWS)})."
    )


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
        name, target = _xlsx_sheet(archive, preferred)
        shared = _shared_strings(archive)
        with archive.open(target) as handle:
            return name, _xlsx_rows(handle, name, shared)
    except UnreadableFile:
        raise
    except (KeyError, ValueError, IndexError, etree.LxmlError) as exc:
        raise UnreadableFile("Le fichier n'est pas un classeur XLSX lisible.") from exc


def _xlsx_sheet(archive, preferred: str) -> tuple[str, str]:
    """The name and the archive path of the preferred sheet (else the first one)."""
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
    if target.startswith("/"):
        return name, target.lstrip("/")
    return name, posixpath.normpath(posixpath.join("xl", target))


def _shared_strings(archive) -> list[str]:
    shared = []
    if "xl/sharedStrings.xml" in archive.namelist():
        with archive.open("xl/sharedStrings.xml") as handle:
            for _, si in etree.iterparse(
                handle, events=("end",), tag=f"{_M}si", **_parser_options()
            ):
                shared.append("".join(t.text or "" for t in si.iter(f"{_M}t")))
                si.clear()
    return shared


def _check_dimension(element, sheet: str) -> None:
    """Refuses a sheet whose declared used range (``<dimension ref="A1:J100">``) is out of bounds."""
    ref = element.get("ref") or ""
    match = _REFERENCE.match(ref.rsplit(":", 1)[-1])
    if match and (
        len(match[1]) > 3
        or _column_index(match[1]) >= MAX_SHEET_COLUMNS
        or int(match[2]) > MAX_ROWS
    ):
        raise UnreadableFile(
            f"Feuille « {sheet} » : la zone déclarée ({ref[:40]}) dépasse la taille maximale "
            f"d'une feuille ({_count(MAX_ROWS)} lignes, {_count(MAX_SHEET_COLUMNS)} colonnes)."
        )


def _row_number(element, sheet: str, next_number: int) -> int:
    number = int(element.get("r") or next_number)
    if number < 1:
        raise ValueError(number)  # not a spreadsheet: "illisible"
    if number > MAX_ROWS:
        raise out_of_bounds_row(sheet, number)
    return number


def _xlsx_rows(handle, sheet: str, shared: list[str]) -> list[tuple]:
    rows: list[tuple] = []
    columns: dict[str, int] = {}
    row_tag, dimension_tag = f"{_M}row", f"{_M}dimension"
    for _, element in etree.iterparse(
        handle, events=("end",), tag=(row_tag, dimension_tag), **_parser_options()
    ):
        if element.tag == dimension_tag:
            _check_dimension(element, sheet)
            continue
        number = _row_number(element, sheet, len(rows) + 1)
        # Empty rows keep their place (row numbers in messages), bounded by MAX_ROWS.
        rows.extend([()] * (number - 1 - len(rows)))
        rows.append(_xlsx_cells(element, sheet, columns, shared))
        element.clear()
        parent = element.getparent()
        while element.getprevious() is not None:
            del parent[0]
    return rows


def _column_position(ref: str, sheet: str, columns: dict[str, int]) -> int:
    letters = ref.rstrip("0123456789")
    position = columns.get(letters)
    if position is None:
        if not _LETTERS.fullmatch(letters):
            raise UnreadableFile(
                f"Feuille « {sheet} » : référence de cellule « {ref[:20]} » illisible."
            )
        position = _column_index(letters)
        if position >= MAX_SHEET_COLUMNS:
            raise UnreadableFile(
                f"Feuille « {sheet} », cellule {ref[:20]} : colonne au-delà de la dernière colonne "
                f"d'une feuille ({column_letters(MAX_SHEET_COLUMNS - 1)})."
            )
        columns[letters] = position
    return position


def _xlsx_cells(row, sheet: str, columns: dict[str, int], shared: list[str]) -> tuple:
    c_tag, v_tag, is_tag, t_tag = f"{_M}c", f"{_M}v", f"{_M}is", f"{_M}t"
    cells: dict[int, object] = {}
    position = 0
    for cell in row:
        if cell.tag != c_tag:
            continue
        ref = cell.get("r")
        if ref:
            position = _column_position(ref, sheet, columns)
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
    return tuple(cells.get(i) for i in range(max(cells) + 1)) if cells else ()


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


def _repeat(element, attribute: str) -> int:
    repeat = int(element.get(f"{_T}{attribute}", "1"))
    if repeat < 1:
        raise ValueError(attribute)
    return repeat


def _ods_cells(row, sheet: str, number: int) -> tuple:
    """The values of a row, up to MAX_COLUMNS columns; empty cells are not materialised past the last value."""
    cells: list = []
    column = 0
    for cell in row:
        if cell.tag not in _CELL_TAGS:
            continue
        repeat = _repeat(cell, "number-columns-repeated")
        value = _ods_value(cell)
        if value is not None:
            if column + repeat > MAX_SHEET_COLUMNS:
                raise UnreadableFile(
                    f"Feuille « {sheet} », ligne {number}, colonne {column_letters(column)} : "
                    f"cellule répétée {_count(repeat)} fois, au-delà de la dernière colonne "
                    f"d'une feuille ({column_letters(MAX_SHEET_COLUMNS - 1)})."
                )
            cells.extend([None] * (column - len(cells)))
            cells.extend([value] * min(repeat, MAX_COLUMNS - column))
        column += repeat
        if column >= MAX_COLUMNS:
            break
    return tuple(cells)


class _OdsTable:
    """Rows of one table as they are read. Repeated empty rows are only counted, and placed when a
    row with content follows them (a sheet ends with up to a million empty rows); a row with content
    is placed as many times as it is repeated, within the bounds."""

    def __init__(self, name: str):
        self.name = name
        self.rows: list[tuple] = []
        self.pending_empty = 0

    def add(self, element) -> None:
        repeat = _repeat(element, "number-rows-repeated")
        number = len(self.rows) + self.pending_empty + 1
        cells = _ods_cells(element, self.name, number)
        if not cells:
            self.pending_empty += repeat
            return
        if number + repeat - 1 > MAX_ROWS:
            raise out_of_bounds_row(self.name, number)
        if repeat > MAX_REPEAT:
            raise UnreadableFile(
                f"Feuille « {self.name} », ligne {number} : ligne répétée {_count(repeat)} fois "
                f"(au plus {_count(MAX_REPEAT)} répétitions d'une ligne non vide)."
            )
        self.rows.extend([()] * self.pending_empty)
        self.pending_empty = 0
        self.rows.extend([cells] * repeat)


def read_ods(data: bytes, preferred: str) -> tuple[str, list[tuple]]:
    archive = open_zip(data, "ODS")
    tables: list[tuple[str, list[tuple]]] = []
    table_tag, row_tag = f"{_T}table", f"{_T}table-row"
    current = _OdsTable("")
    try:
        with archive.open("content.xml") as handle:
            for event, element in etree.iterparse(
                handle, events=("start", "end"), tag=(row_tag, table_tag), **_parser_options()
            ):
                if element.tag == table_tag:
                    if event == "start":
                        current = _OdsTable(element.get(f"{_T}name") or "")
                    else:
                        tables.append((current.name, current.rows))
                        element.clear()
                    continue
                if event == "end":
                    current.add(element)
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
