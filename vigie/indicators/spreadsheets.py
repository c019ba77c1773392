"""Spreadsheet round trip of a campaign: pre-filled template (XLSX, ODS), upload check, exports.

The template has one row per indicator × territory × period of the campaign that the user may fill,
key columns locked (sheet protection without password: it guards against slips, not people).
An upload is checked whole: every error is located (sheet, row, column) and nothing is written unless
the file has none.
"""

import csv
import io
from dataclasses import dataclass, field

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter

from vigie.indicators import periods, sheetio
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
    """Streamed (write-only) workbook: editable cells unlocked and tinted, the rest locked."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.autoFilter = False
    sheet.protection.sort = False
    bold = Font(bold=True)
    unlocked = Protection(locked=False)
    editable_fill = PatternFill("solid", fgColor="FFF5CC")
    wrap = Alignment(wrap_text=True, vertical="top")
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, column.title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    editable = [c.editable for c in COLUMNS]
    for row in rows:
        out = []
        for index, value in enumerate(row):
            if editable[index]:
                cell = WriteOnlyCell(sheet, value)
                cell.protection = unlocked
                cell.fill = editable_fill
                out.append(cell)
            elif index == 2:
                cell = WriteOnlyCell(sheet, value)
                cell.alignment = wrap
                out.append(cell)
            else:
                out.append(value)
        sheet.append(out)
    help_sheet = workbook.create_sheet(HELP_SHEET)
    help_sheet.column_dimensions["A"].width = 120
    for line in _instructions(campaign):
        help_sheet.append([line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build_ods(
    campaign, rows: list[list], *, protect: bool = True, headers=None, sheet_name=SHEET
) -> bytes:
    sheets = [
        {
            "name": sheet_name,
            "header": headers or [c.title for c in COLUMNS],
            "rows": rows,
            "widths": [c.width * 0.21 for c in COLUMNS] if protect else None,
            "editable": [c.editable for c in COLUMNS]
            if protect
            else [True] * len(headers or COLUMNS),
            "protected": protect,
        }
    ]
    if campaign is not None:
        sheets.append(
            {
                "name": HELP_SHEET,
                "rows": [[line] for line in _instructions(campaign)],
                "widths": [25],
            }
        )
    return sheetio.write_ods(sheets)


# ---------------------------------------------------------------- reading


UnreadableFile = sheetio.UnreadableFile


def read_xlsx(data: bytes) -> tuple[str, list[tuple]]:
    return sheetio.read_xlsx(data, SHEET)


def read_ods(data: bytes) -> tuple[str, list[tuple]]:
    return sheetio.read_ods(data, SHEET)


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
