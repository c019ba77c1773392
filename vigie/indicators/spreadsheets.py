"""Spreadsheet round trip of a campaign: pre-filled template (XLSX, ODS), upload check, exports.

The template has one row per indicator × territory × period of the campaign that the user may fill,
key columns locked (sheet protection without password: it guards against slips, not people).
An upload is checked whole: every error is located (sheet, row, column) and nothing is written unless
the file has none.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from vigie.core.formatting import BELOW_THRESHOLD_TEXT
from vigie.core.spreadsheets import Sheet, column_letters, csv_bytes, ods_bytes, xlsx_bytes
from vigie.indicators import periods, sheetio
from vigie.indicators.enums import TerritorialLevel, ValueStatus
from vigie.indicators.models import Indicator, IndicatorValue
from vigie.indicators.numbers import NotANumber, parse_number
from vigie.indicators.perms import EntryScope
from vigie.indicators.services import ImportLine
from vigie.indicators.territory import Directory, normalize_code

SHEET = "Valeurs"
HELP_SHEET = "Consignes"
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
            "indicator_id",
            "period",
            "territory_key",
            "value",
            "comment",
            "status",
            "is_below_threshold",
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
                        # A « < 5 » count is left blank: it is computed, never typed (nor disclosed).
                        float(current[3]) if current and not current[6] else None,
                        current[4] if current else "",
                        ValueStatus(current[5]).label if current else "À saisir",
                    ]
                )
    return rows


def _template_sheets(campaign, rows: list[list]) -> list[Sheet]:
    """The values sheet (editable cells unlocked and tinted, the rest locked) and the instructions."""
    return [
        Sheet(
            SHEET,
            rows,
            header=[c.title for c in COLUMNS],
            widths=[c.width for c in COLUMNS],
            editable=[c.editable for c in COLUMNS],
            wrapped=[c.key == "label" for c in COLUMNS],
            protected=True,
            freeze_header=True,
        ),
        _help_sheet(campaign),
    ]


def _help_sheet(campaign) -> Sheet:
    return Sheet(HELP_SHEET, [[line] for line in _instructions(campaign)], widths=[120])


def build_xlsx(campaign, rows: list[list]) -> bytes:
    return xlsx_bytes(_template_sheets(campaign, rows))


def build_ods(
    campaign, rows: list[list], *, protect: bool = True, headers=None, sheet_name=SHEET
) -> bytes:
    """The template; ``protect=False`` with other ``headers`` gives a plain sheet (exports, tests)."""
    if protect and headers is None and sheet_name == SHEET:
        sheets = _template_sheets(campaign, rows)
    else:
        sheets = [Sheet(sheet_name, rows, header=headers or [c.title for c in COLUMNS])]
        if campaign is not None:
            sheets.append(_help_sheet(campaign))
    return ods_bytes(sheets)


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


def _header_index(rows: list[tuple]) -> int | None:
    """The first row with something in it."""
    return next((i for i, row in enumerate(rows) if any(v not in (None, "") for v in row)), None)


def _header_positions(header: tuple) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        key = _TITLES.get(_normalize_title(title))
        if key and key not in positions:
            positions[key] = index
    return positions


def check_rows(campaign, user, sheet: str, rows: list[tuple]) -> CheckResult:
    result = CheckResult(sheet=sheet)
    if not campaign.is_open:
        result.errors.append(
            CellError(sheet, 0, "", "", "la campagne est close : aucun import n'est possible.")
        )
        return result
    header_index = _header_index(rows)
    if header_index is None:
        result.errors.append(CellError(sheet, 0, "", "", "la feuille est vide."))
        return result
    positions = _header_positions(rows[header_index])
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
    checker = _RowChecker(campaign, user, result, positions)
    for number in range(header_index + 1, len(rows)):
        row = rows[number]
        if row:
            checker.check(number + 1, row)
        else:  # an empty row (the readers keep them so that row numbers stay right)
            result.skipped += 1
    return result


class _RowChecker:
    """Checks the rows of a sheet one by one against the plan, the campaign and the user's scope."""

    def __init__(self, campaign, user, result: CheckResult, positions: dict[str, int]):
        plan = campaign.plan
        self.campaign = campaign
        self.department = plan.department
        self.result = result
        self.positions = positions
        self.scope = EntryScope(user, plan)
        self.indicators = {
            i.pk: i
            for i in Indicator.objects.filter(measure__axis__plan=plan).select_related(
                "measure__axis"
            )
        }
        self.directory = Directory.load(plan.department)
        self.campaign_periods: dict[str, set[str]] = {}
        self.validated = {
            (v[0], v[1], v[2]): v[3]
            for v in IndicatorValue.objects.filter(
                indicator__measure__axis__plan=plan, status=ValueStatus.VALIDATED
            ).values_list("indicator_id", "period", "territory_key", "value")
        }
        self.titles = {c.key: c.title for c in COLUMNS}
        self.letters = {key: column_letters(index) for key, index in positions.items()}
        self.seen: dict[tuple, int] = {}

    def cell(self, row, key):
        index = self.positions.get(key)
        return row[index] if index is not None and index < len(row) else None

    def error(self, row_number, key, message):
        self.result.errors.append(
            CellError(self.result.sheet, row_number, self.letters[key], self.titles[key], message)
        )

    def check(self, number: int, row: tuple) -> None:
        raw_value = self.cell(row, "value")
        raw_comment = self.cell(row, "comment")
        value_empty = raw_value in (None, "") or (
            isinstance(raw_value, str) and not raw_value.strip()
        )
        if value_empty and (raw_comment in (None, "") or not any(v not in (None, "") for v in row)):
            self.result.skipped += 1
            return
        indicator = self.indicator(number, row)
        territory = self.territory(number, row, indicator)
        period = self.period(number, row, indicator)
        value = self.value(number, raw_value)
        if indicator is None or territory is None or not period or value is None:
            return
        key = (indicator.pk, period, territory.key)
        if key in self.seen:
            self.error(
                number,
                "period",
                f"ligne en double : même indicateur, territoire et période qu'à la ligne {self.seen[key]}.",
            )
            return
        self.seen[key] = number
        if key in self.validated:
            if self.validated[key] != value:
                self.error(
                    number,
                    "value",
                    "cette valeur est déjà validée : corrigez-la dans Vigie en indiquant un motif.",
                )
            else:
                self.result.unchanged += 1
            return
        comment = "" if raw_comment is None else str(raw_comment).strip()[:2000]
        self.result.lines.append(ImportLine(indicator, territory, period, value, comment))

    def indicator(self, number: int, row: tuple):
        """The row's indicator if it exists in the plan, is collected and is in the user's scope."""
        raw = self.cell(row, "indicator")
        try:
            indicator_id = int(str(raw).strip().split(".")[0]) if raw is not None else None
        except ValueError:
            indicator_id = None
        if indicator_id is None:
            self.error(number, "indicator", f"identifiant d'indicateur « {raw or ''} » illisible.")
            return None
        indicator = self.indicators.get(indicator_id)
        if indicator is None:
            self.error(
                number,
                "indicator",
                f"indicateur inconnu (identifiant {indicator_id}) dans ce plan.",
            )
        elif indicator.is_computed:
            self.error(
                number,
                "indicator",
                f"l'indicateur {indicator_id} est calculé : il ne se saisit pas.",
            )
            return None
        elif not self.scope.allows_indicator(indicator):
            self.error(
                number, "indicator", f"vous ne pouvez pas saisir l'indicateur {indicator_id}."
            )
            return None
        return indicator

    def territory(self, number: int, row: tuple, indicator):
        """The row's territory if it is in the department, at the indicator's level and in scope."""
        code = normalize_code(self.cell(row, "territory"))
        territory = self.directory.by_code(code) if code else None
        if territory is None:
            self.error(
                number,
                "territory",
                f"territoire inconnu « {code} » dans le département {self.department}.",
            )
        elif indicator is not None and territory.level != indicator.territorial_level:
            self.error(
                number,
                "territory",
                f"l'indicateur {indicator.pk} se saisit au niveau « {TerritorialLevel(indicator.territorial_level).label} »,"
                f" pas « {territory.level_label} ».",
            )
            return None
        elif indicator is not None and not self.scope.allows_territory(indicator, territory):
            self.error(
                number,
                "territory",
                f"le territoire {territory.display} est hors de votre périmètre.",
            )
            return None
        return territory

    def period(self, number: int, row: tuple, indicator):
        """The row's period, if the campaign collects it for the indicator's periodicity."""
        period = periods.normalize(self.cell(row, "period"))
        if indicator is None:
            return period
        allowed = self.campaign_periods.get(indicator.periodicity)
        if allowed is None:
            allowed = self.campaign_periods[indicator.periodicity] = set(
                self.campaign.periods_for(indicator.periodicity)
            )
        if period not in allowed:
            self.error(
                number,
                "period",
                f"période « {period} » hors de la campagne (attendu : {', '.join(sorted(allowed)) or 'aucune'}).",
            )
            return None
        return period

    def value(self, number: int, raw_value):
        try:
            value = parse_number(raw_value)
        except NotANumber:
            self.error(number, "value", f"« {raw_value} » n'est pas un nombre.")
            return None
        if value is None:
            self.error(number, "value", "valeur manquante alors qu'un commentaire est saisi.")
        return value


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
                BELOW_THRESHOLD_TEXT if v.is_below_threshold else float(v.value),
                v.get_status_display(),
                v.comment,
                v.campaign.title,
                "oui" if v.is_demo else "non",
                v.updated_at.date().isoformat(),
            ]
        )
    return rows


def export_csv(rows) -> bytes:
    return csv_bytes([EXPORT_HEADERS, *rows])


def export_xlsx(rows) -> bytes:
    return xlsx_bytes([Sheet(SHEET, rows, header=EXPORT_HEADERS)])


def export_ods(rows) -> bytes:
    return ods_bytes([Sheet(SHEET, rows, header=EXPORT_HEADERS)])


def filename(prefix: str, extension: str) -> str:
    return f"{prefix}-{timezone.localdate():%Y%m%d}.{extension}"
