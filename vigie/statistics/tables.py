"""Tables as pages show them, and their export (CSV, XLSX, ODS) with the same cells.

A page builds its tables once; the template renders them and the export view writes them, so an export
holds exactly what is shown, with the source and edition of every figure.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain

from vigie.core.spreadsheets import CONTENT_TYPES, Sheet, csv_bytes, ods_bytes, xlsx_bytes

__all__ = ["CONTENT_TYPES", "WRITERS", "Cell", "Table"]


@dataclass
class Cell:
    text: str
    # Raw value for the export (number when the cell is a figure); None for text-only cells.
    value: Decimal | int | None = None
    note: str = ""
    css: str = ""
    # Longer text (where the figure comes from, a remark), folded in the page, exported in full.
    details: str = ""
    details_label: str = "Emplacement dans le document"

    @property
    def export_value(self):
        return self.value if self.value is not None else self.text


@dataclass
class Table:
    key: str
    caption: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    # "Source : …, édition du …" — shown under the table and repeated on every exported row.
    source: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def has_details(self) -> bool:
        return any(row and (row[0].note or row[0].details) for row in self.rows)

    @property
    def export_columns(self) -> list[str]:
        details = ["Précisions"] if self.has_details else []
        return [*self.columns, *details, "Source et édition"]

    def export_rows(self):
        details = self.has_details
        for row in self.rows:
            extra = [" ".join(t for t in (row[0].details, row[0].note) if t)] if details else []
            yield [cell.export_value for cell in row] + extra + [self.source]


def _rows(title: str, tables: list[Table]):
    """The CSV: the title, then each table after an empty line (caption, columns, rows, notes)."""
    yield [title]
    for table in tables:
        yield []
        yield [table.caption]
        yield table.export_columns
        yield from table.export_rows()
        for note in table.notes:
            yield [f"Note : {note}"]


def write_csv(title: str, tables: list[Table]) -> bytes:
    """French CSV: `;` separator, decimal comma, UTF-8 with BOM (opens as is in a French spreadsheet)."""
    return csv_bytes(_rows(title, tables))


def _sheet_name(table: Table, used: set[str]) -> str:
    base = "".join(c for c in table.caption if c not in "[]:*?/\\")[:28] or table.key[:28]
    name, i = base, 2
    while name in used:
        name = f"{base[:25]} {i}"
        i += 1
    used.add(name)
    return name


def _sheets(title: str, tables: list[Table]) -> list[Sheet]:
    """One sheet per table: title and caption, columns in bold, rows, notes."""
    used: set[str] = set()
    return [
        Sheet(
            _sheet_name(table, used),
            chain(table.export_rows(), ([f"Note : {note}"] for note in table.notes)),
            header=table.export_columns,
            preamble=[[title], [table.caption]],
            widths=[48],
        )
        for table in tables
    ]


def write_xlsx(title: str, tables: list[Table]) -> bytes:
    return xlsx_bytes(_sheets(title, tables))


def write_ods(title: str, tables: list[Table]) -> bytes:
    return ods_bytes(_sheets(title, tables))


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "ods": write_ods}
