"""Tables as pages show them, and their export (CSV, XLSX, ODS) with the same cells.

A page builds its tables once; the template renders them and the export view writes them, so an export
holds exactly what is shown, with the source and edition of every figure.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from vigie.statistics.formatting import plain_decimal


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


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def _csv_value(value) -> str:
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return plain_decimal(value)
    return str(value)


def write_csv(title: str, tables: list[Table]) -> bytes:
    """French CSV: `;` separator, decimal comma, UTF-8 with BOM (opens as is in a French spreadsheet)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([title])
    for table in tables:
        writer.writerow([])
        writer.writerow([table.caption])
        writer.writerow(table.export_columns)
        for row in table.export_rows():
            writer.writerow([_csv_value(v) for v in row])
        for note in table.notes:
            writer.writerow([f"Note : {note}"])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_name(table: Table, used: set[str]) -> str:
    base = "".join(c for c in table.caption if c not in "[]:*?/\\")[:28] or table.key[:28]
    name, i = base, 2
    while name in used:
        name = f"{base[:25]} {i}"
        i += 1
    used.add(name)
    return name


def write_xlsx(title: str, tables: list[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table, used))
        sheet.append([title])
        sheet.append([table.caption])
        sheet.append(table.export_columns)
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for row in table.export_rows():
            sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
        for note in table.notes:
            sheet.append([f"Note : {note}"])
        sheet.column_dimensions["A"].width = 48
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_ods(title: str, tables: list[Table]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table as OdsTable
    from odf.table import TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    used: set[str] = set()

    def add_row(sheet, values):
        row = TableRow()
        for value in values:
            if isinstance(value, Decimal | int) and not isinstance(value, bool):
                cell = TableCell(valuetype="float", value=str(value))
                cell.addElement(P(text=plain_decimal(value)))
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
            row.addElement(cell)
        sheet.addElement(row)

    for table in tables:
        sheet = OdsTable(name=_sheet_name(table, used))
        add_row(sheet, [title])
        add_row(sheet, [table.caption])
        add_row(sheet, table.export_columns)
        for row in table.export_rows():
            add_row(sheet, row)
        for note in table.notes:
            add_row(sheet, [f"Note : {note}"])
        document.spreadsheet.addElement(sheet)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "ods": write_ods}
