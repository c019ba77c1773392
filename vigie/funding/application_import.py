"""Bringing this year's files in: grant applications read from a spreadsheet export of the online form service
(démarches simplifiées) or of the national FIPD platform.

The columns of such an export differ from call to call, so each call keeps a mapping (`ApplicationImportMapping`):
for each field below, the header of its column, guessed from the headers the first time, then saved and reused.
An import is all or nothing: every row is checked first and each error is located (« Ligne 7, colonne « Montant
demandé » : … », the column named by the file's own header); nothing is written unless no row has an error.

Choices:
- the applicant organisation must already be in the directory (matched on its name, acronym or another spelling,
  ignoring case and accents): the directory has no creation service (it is loaded from reference data), so an
  unknown organisation is an error located on its row, to fix in the directory or in the file;
- the file number of the platform is kept (`external_reference`, unique in a call): re-importing the same export,
  or a later export that holds the same files plus new ones, skips the files already imported (listed in the
  preview) instead of duplicating them; the same number twice in one file is an error;
- imported applications are « déposé » (they were deposited on the platform), dated by the file's deposit date
  when the column is mapped (a date after the call's closing is an error), else by the import;
- the call's other rules (share of the fund, minimum amount) are not checked here: they are shown to the
  instructors on each application's page, as for any deposited application.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vigie.audit import services as audit
from vigie.core import uploads
from vigie.core.formatting import euros, french_date
from vigie.funding import budget, perms, rules, services
from vigie.funding.enums import ApplicantKind, ApplicationState, FunderCategory
from vigie.funding.models import ApplicationImportMapping, FundingCall, GrantApplication
from vigie.indicators import sheetio
from vigie.indicators.numbers import NotANumber, parse_number
from vigie.organisations.enums import OrganisationKind
from vigie.organisations.models import Organisation
from vigie.plans.enums import PlanStatus
from vigie.plans.models import Measure
from vigie.territories.models import Commune

FORMATS = (uploads.XLSX, uploads.ODS, uploads.CSV)
MAX_SHOWN_ERRORS = 200
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ImportField:
    key: str
    label: str
    required: bool = False
    # Header wordings that suggest the column (lower case, without accents), most specific first.
    guesses: tuple[str, ...] = ()
    help: str = ""


FIELDS = (
    ImportField(
        "external_reference",
        "Numéro de dossier",
        True,
        ("numero de dossier", "n dossier", "dossier id", "numero", "dossier", "id"),
        "Le numéro du dossier sur la plateforme : un dossier déjà importé n'est pas importé deux fois.",
    ),
    ImportField(
        "organisation",
        "Porteur du projet",
        True,
        ("raison sociale", "denomination", "nom de la structure", "nom de l organisme", "porteur"),
        "Le nom, le sigle ou une autre appellation d'une organisation de l'annuaire du département.",
    ),
    ImportField(
        "applicant_kind",
        "Nature du porteur",
        False,
        ("nature du porteur", "statut juridique", "forme juridique", "type de structure"),
        "Association, commune, EPCI… À défaut, déduite de la nature de l'organisation dans l'annuaire.",
    ),
    ImportField(
        "programme",
        "Programme",
        False,
        ("programme", "volet"),
        "Le code du programme (D, R, S, K) ou son intitulé ; inutile si l'appel n'a qu'un programme.",
    ),
    ImportField(
        "title",
        "Intitulé du projet",
        True,
        ("intitule du projet", "nom du projet", "titre du projet", "intitule", "titre"),
    ),
    ImportField("summary", "Description du projet", False, ("description", "objectifs", "resume")),
    ImportField("starts_on", "Début de l'action", False, ("date de debut", "debut")),
    ImportField("ends_on", "Fin de l'action", False, ("date de fin", "fin")),
    ImportField(
        "measures",
        "Mesures du plan",
        False,
        ("mesures du plan", "mesure", "fiche action"),
        "Les numéros des mesures du plan adopté (« 1.1 ; 2.3 »).",
    ),
    ImportField(
        "communes",
        "Communes (codes INSEE)",
        False,
        ("code insee", "insee", "communes"),
        "Les codes INSEE des communes du département, séparés par des points-virgules.",
    ),
    ImportField(
        "total_cost", "Coût total (€)", True, ("cout total", "budget total", "montant total")
    ),
    ImportField(
        "requested",
        "Montant demandé (€)",
        True,
        ("montant demande", "subvention demandee", "montant sollicite", "demande"),
    ),
    ImportField(
        "co_funding",
        "Autres subventions (€)",
        False,
        ("cofinancement", "autres financements", "autres subventions"),
        "Les subventions demandées à d'autres financeurs (région, département, communes…).",
    ),
    ImportField(
        "submitted_on",
        "Date de dépôt",
        False,
        ("date de depot", "depose le", "date de passage en construction"),
    ),
)
FIELDS_BY_KEY = {f.key: f for f in FIELDS}

# An organisation's nature in the directory → the applicant's nature, when the file does not say it.
KIND_FROM_ORGANISATION = {
    OrganisationKind.ASSOCIATION: ApplicantKind.ASSOCIATION,
    OrganisationKind.STATE: ApplicantKind.STATE_SERVICE,
    OrganisationKind.JUSTICE: ApplicantKind.STATE_SERVICE,
    OrganisationKind.SECURITY: ApplicantKind.STATE_SERVICE,
    OrganisationKind.EDUCATION: ApplicantKind.EPLE,
    OrganisationKind.LOCAL_AUTHORITY: ApplicantKind.OTHER_PUBLIC,
    OrganisationKind.HEALTH: ApplicantKind.OTHER_PUBLIC,
    OrganisationKind.SOCIAL: ApplicantKind.OTHER_PUBLIC,
}
# Words of a « nature du porteur » cell → the applicant's nature.
KIND_WORDS = (
    ("association", ApplicantKind.ASSOCIATION),
    ("commune", ApplicantKind.COMMUNE),
    ("mairie", ApplicantKind.COMMUNE),
    ("intercommunal", ApplicantKind.EPCI),
    ("epci", ApplicantKind.EPCI),
    ("communaute", ApplicantKind.EPCI),
    ("eple", ApplicantKind.EPLE),
    ("college", ApplicantKind.EPLE),
    ("lycee", ApplicantKind.EPLE),
    ("bailleur", ApplicantKind.SOCIAL_LANDLORD),
    ("service de l etat", ApplicantKind.STATE_SERVICE),
    ("etat", ApplicantKind.STATE_SERVICE),
    ("public", ApplicantKind.OTHER_PUBLIC),
    ("autre", ApplicantKind.OTHER),
)


def normalize(text) -> str:
    """ " Coût total (€) " → " cout total " (padded, so that whole words can be searched)."""
    decomposed = unicodedata.normalize("NFD", "" if text is None else str(text))
    folded = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return " " + " ".join(re.findall(r"[a-z0-9]+", folded)) + " "


# ---------------------------------------------------------------- reading


@dataclass
class Table:
    sheet: str
    rows: list[tuple]
    header_index: int  # position of the header row in `rows`
    headers: list[str]


def _read_csv(data: bytes) -> list[tuple]:
    """A CSV export: UTF-8 (with or without BOM), else Windows-1252; « ; », « , » or tab separated."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    return [tuple(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def read_table(filename: str, data: bytes) -> Table:
    """The first sheet of the file and its header row (the first row with something in it).

    ValidationError (French) when the file is refused or unreadable."""
    try:
        file_format = uploads.check_file(filename, len(data), data[: uploads.HEAD_BYTES], FORMATS)
        if file_format is uploads.CSV:
            sheet, rows = "", _read_csv(data)
        elif file_format is uploads.XLSX:
            sheet, rows = sheetio.read_xlsx(data, "")
        else:
            sheet, rows = sheetio.read_ods(data, "")
    except uploads.UploadRefused as error:
        raise ValidationError(error.message) from None
    except sheetio.UnreadableFile as error:
        raise ValidationError(str(error)) from None
    header_index = next(
        (i for i, row in enumerate(rows) if any(_text(v) for v in row)),
        None,
    )
    if header_index is None:
        raise ValidationError("Le fichier est vide : aucune ligne d'en-tête n'a été trouvée.")
    headers = [_text(v) for v in rows[header_index]]
    return Table(sheet, rows, header_index, headers)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


# ---------------------------------------------------------------- mapping


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """For each field, the first header that contains one of its wordings (each header used once)."""
    normalized = [(normalize(h), h) for h in headers if h]
    used: set[str] = set()
    mapping: dict[str, str] = {}
    for import_field in FIELDS:
        for guess in import_field.guesses:
            found = next(
                (h for n, h in normalized if f" {guess} " in n and h not in used),
                None,
            )
            if found:
                mapping[import_field.key] = found
                used.add(found)
                break
    return mapping


def mapping_for(call: FundingCall, headers: list[str]) -> tuple[dict[str, str], bool]:
    """The call's saved mapping (True) or, when none is saved, the guesses from these headers (False)."""
    saved = ApplicationImportMapping.objects.filter(call=call).first()
    if saved is not None:
        return dict(saved.columns), True
    return guess_mapping(headers), False


def check_mapping(call: FundingCall, columns: dict[str, str], headers: list[str]) -> list[str]:
    """French messages for a mapping that cannot be used with these headers (empty when it can)."""
    messages = []
    present = set(headers)
    programme_needed = len(call.programmes.all()) > 1
    for import_field in FIELDS:
        header = columns.get(import_field.key, "")
        required = import_field.required or (import_field.key == "programme" and programme_needed)
        if not header:
            if required:
                messages.append(f"Choisissez la colonne du champ « {import_field.label} ».")
        elif header not in present:
            messages.append(
                f"Le fichier n'a pas de colonne « {header} » pour le champ « {import_field.label} » : "
                "choisissez-en une autre."
            )
    return messages


@transaction.atomic
def save_import_mapping(
    *, acting_user, call: FundingCall, columns: dict[str, str]
) -> ApplicationImportMapping:
    """Save the column of each field for the call's imports (an empty header: the field is not imported)."""
    if not perms.can_manage_calls(acting_user, call.department_id):
        raise PermissionDenied
    unknown = set(columns) - set(FIELDS_BY_KEY)
    if unknown:
        raise ValueError(f"Unknown import fields: {sorted(unknown)}")
    cleaned = {key: header.strip()[:300] for key, header in columns.items() if header.strip()}
    mapping = ApplicationImportMapping.objects.select_for_update().filter(call=call).first()
    if mapping is None:
        mapping = ApplicationImportMapping.objects.create(
            call=call, columns=cleaned, updated_by=acting_user
        )
        audit.record_create(
            acting_user=acting_user, instance=mapping, parent=call, department=call.department
        )
        return mapping
    before = audit.snapshot(mapping, ["columns"])
    mapping.columns, mapping.updated_by = cleaned, acting_user
    mapping.save()
    audit.record_update(
        acting_user=acting_user,
        instance=mapping,
        before=before,
        parent=call,
        department=call.department,
    )
    return mapping


# ---------------------------------------------------------------- checking rows


@dataclass
class RowError:
    row: int
    column: str  # the file's header, empty for an error about the whole row or file
    message: str

    def __str__(self):
        if not self.row:
            return self.message
        if not self.column:
            return f"Ligne {self.row} : {self.message}"
        return f"Ligne {self.row}, colonne « {self.column} » : {self.message}"


@dataclass
class ImportRow:
    """One application ready to be written."""

    row: int
    external_reference: str
    organisation: Organisation
    call_programme: object
    data: dict
    measures: list
    communes: list
    lines: list[budget.Line]
    submitted_at: datetime

    @property
    def total_cost(self) -> Decimal:
        return budget.totals(self.lines).total_costs

    @property
    def requested(self) -> Decimal:
        return budget.requested_from(self.lines, self.call_programme.call.fund_id)


@dataclass
class ImportCheck:
    sheet: str = ""
    rows: list[ImportRow] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(
        default_factory=list
    )  # (row, file number) already imported
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def shown_errors(self) -> list[RowError]:
        return self.errors[:MAX_SHOWN_ERRORS]

    @property
    def hidden_error_count(self) -> int:
        return max(0, len(self.errors) - MAX_SHOWN_ERRORS)


class _Invalid(Exception):
    """A cell that cannot be read; the message is French."""


def parse_money(raw) -> Decimal | None:
    if isinstance(raw, str):
        raw = raw.replace("€", "").replace("EUR", "")
    try:
        value = parse_number(raw)
    except NotANumber:
        raise _Invalid(f"« {raw} » n'est pas un montant en euros.") from None
    if value is None:
        return None
    if value < 0:
        raise _Invalid("un montant ne peut pas être négatif.")
    return value.quantize(CENT)


# Spreadsheets count days from 30 December 1899 (the 1900 leap-year bug included).
SPREADSHEET_EPOCH = date(1899, 12, 30)


def parse_date(raw) -> date | None:
    """A date cell: a spreadsheet serial number, ISO (« 2026-03-01 », ODS) or French (« 01/03/2026 »)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if 1 <= raw < 2958466:
            return SPREADSHEET_EPOCH + timedelta(days=int(raw))
        raise _Invalid(f"« {raw} » n'est pas une date.")
    text = str(raw).strip()
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+)?", text) or re.fullmatch(
        r"(\d{1,2})/(\d{1,2})/(\d{4})(?: [\d:]+)?", text
    )
    try:
        if match and len(match.group(1)) == 4:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        pass
    raise _Invalid(f"« {text} » n'est pas une date (attendu : JJ/MM/AAAA).")


class _Directory:
    """What the rows are matched against, loaded once: organisations, programmes, measures, communes, files."""

    def __init__(self, call: FundingCall):
        department = call.department
        self.by_name: dict[str, list[Organisation]] = {}
        organisations = Organisation.objects.filter(department=department) | (
            Organisation.objects.filter(department__isnull=True)
        )
        for organisation in organisations:
            spellings = {organisation.name, organisation.acronym, *organisation.alias_list}
            for spelling in {normalize(s) for s in spellings if s and s.strip()}:
                self.by_name.setdefault(spelling, []).append(organisation)
        self.programmes = list(call.programmes.all())
        self.measures: dict[str, list[Measure]] = {}
        for measure in Measure.objects.filter(
            axis__plan__department=department, axis__plan__status=PlanStatus.ADOPTED
        ).select_related("axis__plan"):
            self.measures.setdefault(measure.number, []).append(measure)
        self.communes = {
            c.code: c for c in Commune.objects.filter(department=department).only("pk", "code")
        }
        self.imported = set(
            GrantApplication.objects.filter(call=call)
            .exclude(external_reference="")
            .values_list("external_reference", flat=True)
        )


class _RowReader:
    """Reads the rows of a table through a mapping, collecting located errors."""

    def __init__(self, call, table: Table, columns: dict[str, str], check: ImportCheck):
        self.call = call
        self.check = check
        self.directory = _Directory(call)
        positions = {h: i for i, h in reversed(list(enumerate(table.headers))) if h}
        self.positions = {k: positions[h] for k, h in columns.items() if h in positions}
        self.headers = {k: h for k, h in columns.items() if k in self.positions}
        self.seen: dict[str, int] = {}
        self.number = 0

    def cell(self, row: tuple, key: str):
        index = self.positions.get(key)
        value = row[index] if index is not None and index < len(row) else None
        return value.strip() if isinstance(value, str) else value

    def error(self, key: str, message: str) -> None:
        self.check.errors.append(RowError(self.number, self.headers.get(key, ""), message))

    def read(self, key: str, parser, row: tuple):
        """The parsed cell, or None after recording its error."""
        try:
            return parser(self.cell(row, key))
        except _Invalid as invalid:
            self.error(key, str(invalid))
            return None

    def text(self, row: tuple, key: str, *, max_length: int, required: bool = False) -> str:
        value = _text(self.cell(row, key)) if key != "summary" else str(self.cell(row, key) or "")
        if required and not value:
            self.error(key, "cellule vide : ce champ est obligatoire.")
        elif len(value) > max_length:
            self.error(key, f"texte trop long ({len(value)} caractères, {max_length} au plus).")
        return value

    # long-function: one check per field, in the order of the columns the person mapped.
    def row(self, number: int, row: tuple) -> ImportRow | None:
        self.number = number
        errors_before = len(self.check.errors)
        reference = self.text(row, "external_reference", max_length=60, required=True)
        if reference and reference in self.seen:
            self.error(
                "external_reference",
                f"numéro de dossier en double : déjà à la ligne {self.seen[reference]}.",
            )
        elif reference:
            self.seen[reference] = number
            if reference in self.directory.imported:
                self.check.skipped.append((number, reference))
                return None
        organisation = self.organisation(row)
        kind = self.applicant_kind(row, organisation)
        call_programme = self.programme(row)
        title = self.text(row, "title", max_length=300, required=True)
        summary = self.text(row, "summary", max_length=20000)
        starts_on = self.read("starts_on", parse_date, row)
        ends_on = self.read("ends_on", parse_date, row)
        if starts_on and ends_on and ends_on < starts_on:
            self.error("ends_on", "la fin de l'action précède son début.")
        submitted_on = self.submitted_on(row)
        measures = self.measures(row)
        communes = self.communes(row)
        lines = self.budget(row)
        if len(self.check.errors) > errors_before:
            return None
        data = {
            "title": title,
            "summary": summary,
            "applicant_kind": kind,
            "starts_on": starts_on,
            "ends_on": ends_on,
        }
        submitted_at = (
            timezone.make_aware(datetime.combine(submitted_on, time(12)))
            if submitted_on
            else timezone.now()
        )
        return ImportRow(
            number,
            reference,
            organisation,
            call_programme,
            data,
            measures,
            communes,
            lines,
            submitted_at,
        )

    def organisation(self, row: tuple) -> Organisation | None:
        raw = self.text(row, "organisation", max_length=300, required=True)
        if not raw:
            return None
        found = self.directory.by_name.get(normalize(raw), [])
        if len(found) > 1:
            self.error(
                "organisation",
                f"« {raw} » désigne plusieurs organisations de l'annuaire : écrivez son nom complet.",
            )
            return None
        if not found:
            self.error(
                "organisation",
                f"organisation « {raw} » inconnue de l'annuaire du département {self.call.department} : "
                "ajoutez-la à l'annuaire ou corrigez son nom dans le fichier.",
            )
            return None
        return found[0]

    def applicant_kind(self, row: tuple, organisation) -> str:
        raw = self.text(row, "applicant_kind", max_length=200)
        if raw:
            normalized = normalize(raw)
            for value, label in ApplicantKind.choices:
                if normalized in (normalize(value), normalize(label)):
                    return value
            for word, kind in KIND_WORDS:
                if f" {word}" in normalized:
                    return kind
            self.error("applicant_kind", f"nature du porteur « {raw} » inconnue.")
            return ""
        if organisation is None:
            return ""
        return KIND_FROM_ORGANISATION.get(organisation.kind, ApplicantKind.OTHER)

    def programme(self, row: tuple):
        programmes = self.directory.programmes
        raw = self.text(row, "programme", max_length=300)
        if not raw and len(programmes) == 1:
            return programmes[0]
        if not raw:
            self.error("programme", "indiquez le programme de l'appel.")
            return None
        wanted = normalize(raw)
        for line in programmes:
            names = (line.programme.code, str(line.programme), line.programme.name)
            if any(name and normalize(name) == wanted for name in names):
                return line
        choices = ", ".join(str(line.programme) for line in programmes)
        self.error("programme", f"programme « {raw} » absent de l'appel (programmes : {choices}).")
        return None

    def submitted_on(self, row: tuple) -> date | None:
        submitted_on = self.read("submitted_on", parse_date, row)
        if submitted_on and submitted_on > self.call.closes_on:
            self.error(
                "submitted_on",
                f"dossier déposé le {french_date(submitted_on)}, après la clôture de l'appel "
                f"({french_date(self.call.closes_on)}).",
            )
        elif submitted_on and submitted_on < self.call.opens_on:
            self.error(
                "submitted_on",
                f"dossier déposé le {french_date(submitted_on)}, avant l'ouverture de l'appel "
                f"({french_date(self.call.opens_on)}).",
            )
        return submitted_on

    def measures(self, row: tuple) -> list[Measure]:
        raw = self.cell(row, "measures")
        if isinstance(raw, float):
            raw = repr(raw)
        found = []
        for item in re.split(r"[;,\n]+", _text(raw) if raw is not None else ""):
            if not item.strip():
                continue
            number = re.search(r"\d+(?:\.\d+)*", item)
            candidates = self.directory.measures.get(number.group(0)) if number else None
            if not candidates:
                self.error("measures", f"mesure « {item.strip()} » absente du plan adopté.")
            elif len(candidates) > 1:
                self.error("measures", f"plusieurs plans adoptés ont une mesure {number.group(0)}.")
            elif candidates[0] not in found:
                found.append(candidates[0])
        return found

    def communes(self, row: tuple) -> list[Commune]:
        raw = self.cell(row, "communes")
        found = []
        for code in re.split(r"[;,\s]+", _text(raw) if raw is not None else ""):
            if not code:
                continue
            code = code.upper().zfill(5)
            commune = self.directory.communes.get(code)
            if commune is None:
                self.error(
                    "communes",
                    f"code INSEE « {code} » : pas une commune du département {self.call.department}.",
                )
            elif commune not in found:
                found.append(commune)
        return found

    def budget(self, row: tuple) -> list[budget.Line]:
        """The Cerfa budget the platform's figures allow.

        The exports give the project's total cost and the amount asked from the fund (sometimes the other
        subsidies), not the Cerfa's detail. So the budget is: the total cost as one cost line (account 60,
        labelled as imported: its detail stays in the file on the platform); the amount asked as the fund's
        subsidy line (74, State, the call's fund), which is what the instruction and the rules read; the
        other subsidies as one 74 line « autres » ; and what remains of the cost as self-financing and other
        income (75). Income then equals costs by construction, as every saved budget must.
        """
        total = self.read("total_cost", parse_money, row)
        requested = self.read("requested", parse_money, row)
        co_funding = self.read("co_funding", parse_money, row) or Decimal("0")
        if total is None and "total_cost" in self.positions and not self.cell(row, "total_cost"):
            self.error("total_cost", "cellule vide : indiquez le coût total du projet.")
        if requested is not None and requested <= 0:
            self.error("requested", "le montant demandé doit être positif.")
        if total is None or requested is None or requested <= 0:
            if requested is None and not self.cell(row, "requested"):
                self.error("requested", "cellule vide : indiquez le montant demandé.")
            return []
        if requested + co_funding > total:
            self.error(
                "requested",
                f"le montant demandé ({euros(requested)}) et les autres subventions "
                f"({euros(co_funding)}) dépassent le coût total ({euros(total)}).",
            )
            return []
        fund = self.call.fund
        lines = [
            budget.Line(
                "60", total, label="Coût total du projet (importé, détail dans le dossier)"
            ),
            budget.Line("74", requested, FunderCategory.STATE, fund.pk, f"Demandé au {fund.code}"),
        ]
        if co_funding:
            lines.append(
                budget.Line("74", co_funding, FunderCategory.OTHER, None, "Autres subventions")
            )
        rest = total - requested - co_funding
        if rest:
            lines.append(budget.Line("75", rest, label="Autofinancement et autres produits"))
        return lines


def check_table(call: FundingCall, table: Table, columns: dict[str, str]) -> ImportCheck:
    """Every row of the table read through the mapping: the applications to create, or located errors."""
    check = ImportCheck(sheet=table.sheet)
    for message in check_mapping(call, columns, table.headers):
        check.errors.append(RowError(0, "", message))
    if check.errors:
        return check
    reader = _RowReader(call, table, columns, check)
    for index in range(table.header_index + 1, len(table.rows)):
        row = table.rows[index]
        if not any(_text(v) for v in row):
            continue  # empty rows are kept by the readers so that row numbers stay right
        imported = reader.row(index + 1, row)
        if imported is not None:
            check.rows.append(imported)
    if not check.rows and not check.skipped and not check.errors:
        check.errors.append(
            RowError(0, "", "Le fichier ne contient aucun dossier sous son en-tête.")
        )
    return check


# ---------------------------------------------------------------- the service


@dataclass
class ImportOutcome:
    check: ImportCheck
    created: list[GrantApplication] = field(default_factory=list)


def _require_importable(acting_user, call: FundingCall) -> None:
    if not perms.can_manage_calls(acting_user, call.department_id):
        raise PermissionDenied
    today = timezone.localdate()
    if today < call.opens_on:
        proposal = rules.Proposal(call, None)
        raise ValidationError(
            f"{rules.check_call_open(proposal, today)[0].text} Aucun dossier n'a pu y être déposé."
        )


@transaction.atomic
def import_applications(
    *,
    acting_user,
    call: FundingCall,
    filename: str,
    data: bytes,
    columns: dict[str, str] | None = None,
    dry_run: bool,
) -> ImportOutcome:
    """Check every row of an export through `columns` (default: the call's saved mapping) and, unless `dry_run`
    (the preview) or some row has an error, create each application « déposé » with its balanced budget.

    PermissionDenied outside the call's prefecture; ValidationError (French) when the call has not opened or
    the file is refused or unreadable. All or nothing: with one error, nothing is written.
    """
    _require_importable(acting_user, call)
    table = read_table(filename, data)
    if columns is None:
        columns = mapping_for(call, table.headers)[0]
    check = check_table(call, table, columns)
    if dry_run or not check.ok:
        return ImportOutcome(check)
    reason = f"Import du fichier « {filename[:200]} »"
    created = [_create(acting_user, item, reason) for item in check.rows]
    return ImportOutcome(check, created)


def _create(acting_user, item: ImportRow, reason: str) -> GrantApplication:
    application = services.new_application(
        acting_user=acting_user,
        call_programme=item.call_programme,
        organisation=item.organisation,
        data=item.data,
        measures=item.measures,
        communes=item.communes,
        state=ApplicationState.SUBMITTED,
        submitted_at=item.submitted_at,
        external_reference=item.external_reference,
        reason=f"{reason}, dossier n° {item.external_reference}",
    )
    proposal = rules.Proposal(application.call, item.call_programme, lines=item.lines)
    services.write_budget(
        acting_user=acting_user,
        application=application,
        lines=item.lines,
        proposal=proposal,
        reason=f"Budget importé (dossier n° {item.external_reference})",
    )
    return application
