"""Spreadsheet round trip of a campaign: pre-filled template (XLSX, ODS), upload check, exports.

The template has one row per indicator × territory × period of the campaign that the user may fill,
key columns locked (sheet protection without password: it guards against slips, not people).
An upload is checked whole: every error is located (sheet, row, column) and nothing is written unless
the file has none.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

import defusedxml.ElementTree as SafeET
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter

from vigie.indicators import periods
from vigie.indicators.enums import TerritorialLevel, ValueStatus
from vigie.indicators.models import Indicator, IndicatorValue
from vigie.indicators.numbers import NotANumber, parse_number
from vigie.indicators.perms import EntryScope
from vigie.indicators.services import ImportLine
from vigie.indicators.territory import Directory, normalize_code

SHEET = "Valeurs"
HELP_SHEET = "Consignes"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"
MAX_UNCOMPRESSED = 400 * 1024 * 1024
MAX_SHOWN_ERRORS = 200


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    editable: bool = False
    width: int = 14


COLUMNS = [
    Column("indicator", "Identifiant indicateur", width=12),
    Column("measure", "Mesure", width=10),
    Column("label", "Indicateur", width=60),
    Column("unit", "Unité", width=12),
    Column("territory", "Code territoire", width=12),
    Column("territory_name", "Territoire", width=30),
    Column("period", "Période", width=10),
    Column("value", "Valeur", editable=True, width=14),
    Column("comment", "Commentaire", editable=True, width=40),
    Column("status", "Statut actuel", width=20),
]
REQUIRED = ("indicator", "territory", "period", "value")
_TITLES = {c.title.lower(): c.key for c in COLUMNS}


def _instructions(campaign) -> list[str]:
    return [
        f"Campagne : {campaign.title} — {campaign.plan}",
        f"Date limite de saisie : {campaign.deadline:%d/%m/%Y}",
        "Renseignez uniquement les colonnes « Valeur » et « Commentaire » de la feuille « Valeurs ».",
        "Les colonnes identifiant, code territoire et période sont verrouillées : ne les modifiez pas.",
        "Valeur : un nombre (virgule ou point décimal). Laissez vide une valeur inconnue.",
        "Les valeurs déjà validées ne peuvent être corrigées que dans Vigie, avec un motif.",
        "Déposez ensuite le fichier sur la page de la campagne : rien n'est enregistré si une seule "
        "cellule est en erreur ; chaque erreur est indiquée avec sa feuille, sa ligne et sa colonne.",
    ]


# ---------------------------------------------------------------- template rows


def template_rows(campaign, user) -> list[list]:
    plan = campaign.plan
    scope = EntryScope(user, plan)
    indicators = [
        i
        for i in Indicator.objects.filter(measure__axis__plan=plan, is_computed=False)
        .select_related("measure__axis__plan")
        .order_by("measure__axis__order", "measure__order", "order", "pk")
        if scope.allows_indicator(i)
    ]
    directory = Directory.load(plan.department)
    existing = {
        (v[0], v[1], v[2]): v
        for v in IndicatorValue.objects.filter(indicator__in=indicators).values_list(
            "indicator_id", "period", "territory_key", "value", "comment", "status"
        )
    }
    rows = []
    for indicator in indicators:
        territories = [
            t
            for t in directory.at_level(indicator.territorial_level)
            if scope.allows_territory(indicator, t)
        ]
        for territory in territories:
            for period in campaign.periods_for(indicator.periodicity):
                current = existing.get((indicator.pk, period, territory.key))
                rows.append(
                    [
                        indicator.pk,
                        indicator.measure.number,
                        indicator.label,
                        indicator.get_unit_display(),
                        territory.code,
                        territory.name,
                        period,
                        float(current[3]) if current else None,
                        current[4] if current else "",
                        ValueStatus(current[5]).label if current else "À saisir",
                    ]
                )
    return rows


def build_xlsx(campaign, rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append([c.title for c in COLUMNS])
    bold = Font(bold=True)
    editable_fill = PatternFill("solid", fgColor="FFF5CC")
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.cell(row=1, column=index).font = bold
    for row in rows:
        sheet.append(row)
    unlocked = Protection(locked=False)
    for index, column in enumerate(COLUMNS, start=1):
        if not column.editable:
            continue
        for (cell,) in sheet.iter_rows(
            min_row=2, max_row=len(rows) + 1, min_col=index, max_col=index
        ):
            cell.protection = unlocked
            cell.fill = editable_fill
    for (cell,) in sheet.iter_rows(min_row=2, max_row=len(rows) + 1, min_col=3, max_col=3):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.autoFilter = False
    sheet.protection.sort = False
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    help_sheet = workbook.create_sheet(HELP_SHEET)
    help_sheet.column_dimensions["A"].width = 120
    for line in _instructions(campaign):
        help_sheet.append([line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _ods_document():
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import (
        ParagraphProperties,
        Style,
        TableCellProperties,
        TableColumnProperties,
        TextProperties,
    )

    doc = OpenDocumentSpreadsheet()
    styles = {
        "header": Style(name="vigieHeader", family="table-cell"),
        "locked": Style(name="vigieLocked", family="table-cell"),
        "editable": Style(name="vigieEditable", family="table-cell"),
    }
    styles["header"].addElement(TextProperties(fontweight="bold"))
    styles["header"].addElement(TableCellProperties(cellprotect="protected"))
    styles["locked"].addElement(TableCellProperties(cellprotect="protected"))
    styles["editable"].addElement(
        TableCellProperties(cellprotect="none", backgroundcolor="#fff5cc")
    )
    styles["editable"].addElement(ParagraphProperties())
    for style in styles.values():
        doc.automaticstyles.addElement(style)
    widths = {}
    for column in COLUMNS:
        style = Style(name=f"vigieCol{column.key}", family="table-column")
        style.addElement(TableColumnProperties(columnwidth=f"{column.width * 0.21:.2f}cm"))
        doc.automaticstyles.addElement(style)
        widths[column.key] = style
    return doc, styles, widths


def _ods_cell(value, style):
    from odf.table import TableCell
    from odf.text import P

    if value is None or value == "":
        return TableCell(stylename=style)
    if isinstance(value, int | float) and not isinstance(value, bool):
        cell = TableCell(valuetype="float", value=value, stylename=style)
    else:
        cell = TableCell(valuetype="string", stylename=style)
    cell.addElement(P(text=str(value)))
    return cell


def build_ods(
    campaign, rows: list[list], *, protect: bool = True, headers=None, sheet_name=SHEET
) -> bytes:
    from odf.table import Table, TableColumn, TableRow

    doc, styles, widths = _ods_document()
    headers = headers or [c.title for c in COLUMNS]
    table = Table(name=sheet_name, protected="true" if protect else "false")
    editable = [c.editable for c in COLUMNS] if protect else [True] * len(headers)
    if protect:
        for column in COLUMNS:
            table.addElement(TableColumn(stylename=widths[column.key]))
    header = TableRow()
    for title in headers:
        header.addElement(_ods_cell(title, styles["header"]))
    table.addElement(header)
    for row in rows:
        tr = TableRow()
        for index, value in enumerate(row):
            tr.addElement(
                _ods_cell(value, styles["editable"] if editable[index] else styles["locked"])
            )
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    if campaign is not None:
        help_table = Table(name=HELP_SHEET)
        for line in _instructions(campaign):
            tr = TableRow()
            tr.addElement(_ods_cell(line, styles["locked"]))
            help_table.addElement(tr)
        doc.spreadsheet.addElement(help_table)
    buffer = io.BytesIO()
    doc.write(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- reading


class UnreadableFile(Exception):
    """The file cannot be read at all (French message)."""


def _check_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(f"Le fichier n'est pas un classeur {kind} lisible.") from exc
    if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
        raise UnreadableFile("Le fichier décompressé est trop volumineux.")
    return archive


def read_xlsx(data: bytes) -> tuple[str, list[tuple]]:
    _check_zip(data, "XLSX")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on damaged files
        raise UnreadableFile("Le fichier n'est pas un classeur XLSX lisible.") from exc
    try:
        sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
        rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
        return sheet.title, rows
    finally:
        workbook.close()


_NS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_NS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_NS_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_T = f"{{{_NS_TABLE}}}"
_O = f"{{{_NS_OFFICE}}}"
MAX_REPEAT = 1000


def _ods_cell_value(cell):
    kind = cell.get(_O + "value-type")
    if kind in ("float", "percentage", "currency"):
        raw = cell.get(_O + "value")
        try:
            number = float(raw)
        except (TypeError, ValueError):
            return raw
        return int(number) if number.is_integer() and abs(number) < 1e15 else number
    if kind == "boolean":
        return cell.get(_O + "boolean-value")
    if kind == "date":
        return cell.get(_O + "date-value")
    paragraphs = []
    for p in cell.iter(f"{{{_NS_TEXT}}}p"):
        paragraphs.append("".join(p.itertext()))
    text = "\n".join(paragraphs)
    return text if text != "" else None


def read_ods(data: bytes) -> tuple[str, list[tuple]]:
    """Read the values sheet of an ODS file, streaming content.xml (fast on large files)."""
    archive = _check_zip(data, "ODS")
    try:
        content = archive.open("content.xml")
    except KeyError as exc:
        raise UnreadableFile("Le fichier n'est pas un classeur ODS lisible.") from exc
    tables: list[tuple[str, list[tuple]]] = []
    current_name, current_rows = None, None
    try:
        for event, element in SafeET.iterparse(content, events=("start", "end"), forbid_dtd=True):
            tag = element.tag
            if event == "start" and tag == _T + "table":
                current_name, current_rows = element.get(_T + "name") or "", []
            elif event == "end" and tag == _T + "table-row" and current_rows is not None:
                cells = []
                for cell in element:
                    if cell.tag not in (_T + "table-cell", _T + "covered-table-cell"):
                        continue
                    repeat = min(int(cell.get(_T + "number-columns-repeated", "1")), MAX_REPEAT)
                    value = _ods_cell_value(cell)
                    cells.extend([value] * repeat)
                while cells and cells[-1] is None:
                    cells.pop()
                repeat = int(element.get(_T + "number-rows-repeated", "1"))
                if cells:
                    current_rows.extend([tuple(cells)] * min(repeat, MAX_REPEAT))
                else:
                    current_rows.extend([()] * min(repeat, 1))
                element.clear()
            elif event == "end" and tag == _T + "table" and current_rows is not None:
                tables.append((current_name, current_rows))
                current_name, current_rows = None, None
                element.clear()
    except SafeET.ParseError as exc:
        raise UnreadableFile("Le fichier n'est pas un classeur ODS lisible.") from exc
    except Exception as exc:  # defusedxml refusals and other damage
        raise UnreadableFile("Le fichier n'est pas un classeur ODS lisible.") from exc
    if not tables:
        raise UnreadableFile("Le classeur ne contient aucune feuille.")
    for name, rows in tables:
        if name == SHEET:
            return name, rows
    return tables[0]


# ---------------------------------------------------------------- checking


@dataclass
class CellError:
    sheet: str
    row: int
    column: str
    column_title: str
    message: str

    def __str__(self):
        if self.row == 0:
            return f"Feuille « {self.sheet} » : {self.message}"
        where = f"colonne {self.column} ({self.column_title})" if self.column else ""
        return f"Feuille « {self.sheet} », ligne {self.row}, {where} : {self.message}"


@dataclass
class CheckResult:
    sheet: str = SHEET
    lines: list[ImportLine] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    skipped: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def shown_errors(self):
        return self.errors[:MAX_SHOWN_ERRORS]

    @property
    def hidden_error_count(self) -> int:
        return max(0, len(self.errors) - MAX_SHOWN_ERRORS)


def _normalize_title(value) -> str:
    return " ".join(str(value or "").split()).lower()


def check_rows(campaign, user, sheet: str, rows: list[tuple]) -> CheckResult:
    result = CheckResult(sheet=sheet)
    if not campaign.is_open:
        result.errors.append(
            CellError(sheet, 0, "", "", "la campagne est close : aucun import n'est possible.")
        )
        return result
    header_index = next(
        (i for i, row in enumerate(rows) if any(v not in (None, "") for v in row)), None
    )
    if header_index is None:
        result.errors.append(CellError(sheet, 0, "", "", "la feuille est vide."))
        return result
    header = rows[header_index]
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        key = _TITLES.get(_normalize_title(title))
        if key and key not in positions:
            positions[key] = index
    missing = [c.title for c in COLUMNS if c.key in REQUIRED and c.key not in positions]
    if missing:
        result.errors.append(
            CellError(
                sheet,
                header_index + 1,
                "",
                "",
                "colonne(s) manquante(s) dans la ligne d'en-tête : "
                + ", ".join(f"« {m} »" for m in missing)
                + ". Partez du modèle téléchargé depuis la campagne.",
            )
        )
        return result

    plan = campaign.plan
    scope = EntryScope(user, plan)
    indicators = {
        i.pk: i
        for i in Indicator.objects.filter(measure__axis__plan=plan).select_related("measure__axis")
    }
    directory = Directory.load(plan.department)
    campaign_periods: dict[str, set[str]] = {}
    validated = {
        (v[0], v[1], v[2]): v[3]
        for v in IndicatorValue.objects.filter(
            indicator__measure__axis__plan=plan, status=ValueStatus.VALIDATED
        ).values_list("indicator_id", "period", "territory_key", "value")
    }
    titles = {c.key: c.title for c in COLUMNS}
    letters = {key: get_column_letter(index + 1) for key, index in positions.items()}
    seen: dict[tuple, int] = {}

    def cell(row, key):
        index = positions.get(key)
        return row[index] if index is not None and index < len(row) else None

    def error(row_number, key, message):
        result.errors.append(CellError(sheet, row_number, letters[key], titles[key], message))

    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        raw_value = cell(row, "value")
        raw_comment = cell(row, "comment")
        value_empty = raw_value in (None, "") or (
            isinstance(raw_value, str) and not raw_value.strip()
        )
        if value_empty and (raw_comment in (None, "") or not any(v not in (None, "") for v in row)):
            result.skipped += 1
            continue
        raw_indicator = cell(row, "indicator")
        indicator = None
        try:
            indicator_id = (
                int(str(raw_indicator).strip().split(".")[0]) if raw_indicator is not None else None
            )
        except ValueError:
            indicator_id = None
        if indicator_id is None:
            error(
                offset,
                "indicator",
                f"identifiant d'indicateur « {raw_indicator or ''} » illisible.",
            )
        else:
            indicator = indicators.get(indicator_id)
            if indicator is None:
                error(
                    offset,
                    "indicator",
                    f"indicateur inconnu (identifiant {indicator_id}) dans ce plan.",
                )
            elif indicator.is_computed:
                error(
                    offset,
                    "indicator",
                    f"l'indicateur {indicator_id} est calculé : il ne se saisit pas.",
                )
                indicator = None
            elif not scope.allows_indicator(indicator):
                error(
                    offset, "indicator", f"vous ne pouvez pas saisir l'indicateur {indicator_id}."
                )
                indicator = None

        code = normalize_code(cell(row, "territory"))
        territory = directory.by_code(code) if code else None
        if territory is None:
            error(
                offset,
                "territory",
                f"territoire inconnu « {code} » dans le département {plan.department}.",
            )
        elif indicator is not None and territory.level != indicator.territorial_level:
            error(
                offset,
                "territory",
                f"l'indicateur {indicator.pk} se saisit au niveau « {TerritorialLevel(indicator.territorial_level).label} »,"
                f" pas « {territory.level_label} ».",
            )
            territory = None
        elif indicator is not None and not scope.allows_territory(indicator, territory):
            error(
                offset,
                "territory",
                f"le territoire {territory.display} est hors de votre périmètre.",
            )
            territory = None

        period = periods.normalize(cell(row, "period"))
        if indicator is not None:
            allowed = campaign_periods.get(indicator.periodicity)
            if allowed is None:
                allowed = campaign_periods[indicator.periodicity] = set(
                    campaign.periods_for(indicator.periodicity)
                )
            if period not in allowed:
                error(
                    offset,
                    "period",
                    f"période « {period} » hors de la campagne (attendu : {', '.join(sorted(allowed)) or 'aucune'}).",
                )
                period = None

        value = None
        try:
            value = parse_number(raw_value)
            if value is None:
                error(offset, "value", "valeur manquante alors qu'un commentaire est saisi.")
        except NotANumber:
            error(offset, "value", f"« {raw_value} » n'est pas un nombre.")

        if indicator is None or territory is None or not period or value is None:
            continue
        key = (indicator.pk, period, territory.key)
        if key in seen:
            error(
                offset,
                "period",
                f"ligne en double : même indicateur, territoire et période qu'à la ligne {seen[key]}.",
            )
            continue
        seen[key] = offset
        comment = "" if raw_comment is None else str(raw_comment).strip()[:2000]
        if key in validated:
            if validated[key] != value:
                error(
                    offset,
                    "value",
                    "cette valeur est déjà validée : corrigez-la dans Vigie en indiquant un motif.",
                )
            else:
                result.unchanged += 1
            continue
        result.lines.append(ImportLine(indicator, territory, period, value, comment))
    return result


def read_upload(name: str, data: bytes) -> tuple[str, list[tuple]]:
    lower = name.lower()
    if lower.endswith(".xlsx"):
        return read_xlsx(data)
    if lower.endswith(".ods"):
        return read_ods(data)
    raise UnreadableFile("Format non pris en charge : déposez un fichier .xlsx ou .ods.")


# ---------------------------------------------------------------- exports

EXPORT_HEADERS = [
    "Plan",
    "Axe",
    "Mesure",
    "Identifiant indicateur",
    "Indicateur",
    "Unité",
    "Niveau",
    "Code territoire",
    "Territoire",
    "Période",
    "Valeur",
    "Statut",
    "Commentaire",
    "Campagne",
    "Donnée de démonstration",
    "Mise à jour",
]


def export_rows(values) -> list[list]:
    rows = []
    for v in values.iterator(chunk_size=2000):
        indicator = v.indicator
        if v.commune_id:
            code, name = v.commune.code, v.commune.name
        elif v.epci_id:
            code, name = v.epci.code, v.epci.name
        else:
            code, name = v.department.code, v.department.name
        rows.append(
            [
                str(indicator.measure.axis.plan),
                indicator.measure.axis.number,
                indicator.measure.number,
                indicator.pk,
                indicator.label,
                indicator.get_unit_display(),
                indicator.get_territorial_level_display(),
                code,
                name,
                v.period,
                float(v.value),
                v.get_status_display(),
                v.comment,
                v.campaign.title,
                "oui" if v.is_demo else "non",
                v.updated_at.date().isoformat(),
            ]
        )
    return rows


def export_csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(EXPORT_HEADERS)
    for row in rows:
        writer.writerow([str(c).replace(".", ",") if isinstance(c, float) else c for c in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Valeurs")
    sheet.append(EXPORT_HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_ods(rows) -> bytes:
    return build_ods(None, rows, protect=False, headers=EXPORT_HEADERS, sheet_name="Valeurs")


def filename(prefix: str, extension: str) -> str:
    return f"{prefix}-{timezone.localdate():%Y%m%d}.{extension}"
