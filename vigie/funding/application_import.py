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

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vigie.audit import services as audit
from vigie.core.formatting import euros, french_date
from vigie.funding import budget, perms, rules, services
from vigie.funding.enums import ApplicantKind, ApplicationState, FunderCategory
from vigie.funding.import_reading import (
    FIELDS,
    FIELDS_BY_KEY,
    KIND_FROM_ORGANISATION,
    KIND_WORDS,
    Invalid,
    Table,
    cell_text,
    normalize,
    parse_date,
    parse_money,
    read_table,
)
from vigie.funding.models import ApplicationImportMapping, FundingCall, GrantApplication
from vigie.organisations.models import Organisation
from vigie.plans.enums import PlanStatus
from vigie.plans.models import Measure
from vigie.territories.models import Commune

MAX_SHOWN_ERRORS = 200
__all__ = ["FIELDS", "import_applications", "read_table", "save_import_mapping"]


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


@dataclass
class Mapping:
    """Where each field is: the header of its column; and the programme of every file, if the file has none."""

    columns: dict[str, str]
    default_programme: object = None  # a CallProgramme of the call
    saved: bool = False


def mapping_for(call: FundingCall, headers: list[str]) -> Mapping:
    """The call's saved mapping or, when none is saved, the guesses from these headers."""
    saved = (
        ApplicationImportMapping.objects.filter(call=call)
        .select_related("default_programme")
        .first()
    )
    if saved is not None:
        return Mapping(dict(saved.columns), saved.default_programme, saved=True)
    return Mapping(guess_mapping(headers))


def check_mapping(call: FundingCall, mapping: Mapping, headers: list[str]) -> list[str]:
    """French messages for a mapping that cannot be used with these headers (empty when it can)."""
    messages = []
    present = set(headers)
    columns = mapping.columns
    programme_needed = len(call.programmes.all()) > 1 and mapping.default_programme is None
    for import_field in FIELDS:
        header = columns.get(import_field.key, "")
        required = import_field.required or (import_field.key == "programme" and programme_needed)
        if not header:
            if required and import_field.key == "programme":
                messages.append(
                    "Choisissez la colonne du champ « Programme », ou le programme de tous les dossiers."
                )
            elif required:
                messages.append(f"Choisissez la colonne du champ « {import_field.label} ».")
        elif header not in present:
            messages.append(
                f"Le fichier n'a pas de colonne « {header} » pour le champ « {import_field.label} » : "
                "choisissez-en une autre."
            )
    return messages


@transaction.atomic
def save_import_mapping(
    *, acting_user, call: FundingCall, columns: dict[str, str], default_programme=None
) -> ApplicationImportMapping:
    """Save the column of each field for the call's imports (an empty header: the field is not imported) and
    the programme of every file when the export has no programme column."""
    if not perms.can_manage_calls(acting_user, call.department_id):
        raise PermissionDenied
    unknown = set(columns) - set(FIELDS_BY_KEY)
    if unknown:
        raise ValueError(f"Unknown import fields: {sorted(unknown)}")
    if default_programme is not None and default_programme.call_id != call.pk:
        raise ValidationError({"default_programme": "Choisissez un programme de cet appel."})
    cleaned = {key: header.strip()[:300] for key, header in columns.items() if header.strip()}
    mapping = ApplicationImportMapping.objects.select_for_update().filter(call=call).first()
    if mapping is None:
        mapping = ApplicationImportMapping.objects.create(
            call=call, columns=cleaned, default_programme=default_programme, updated_by=acting_user
        )
        audit.record_create(
            acting_user=acting_user, instance=mapping, parent=call, department=call.department
        )
        return mapping
    before = audit.snapshot(mapping, ["columns", "default_programme"])
    mapping.columns, mapping.updated_by = cleaned, acting_user
    mapping.default_programme = default_programme
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
    def measure_numbers(self) -> str:
        return ", ".join(measure.number for measure in self.measures)

    @property
    def requested(self) -> Decimal:
        return budget.requested_from(self.lines, self.call_programme.call.fund_id)


@dataclass
class ImportCheck:
    sheet: str = ""
    rows: list[ImportRow] = field(default_factory=list)
    # (row, file number) of the files already imported, left as they are
    skipped: list[tuple[int, str]] = field(default_factory=list)
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

    def __init__(self, call, table: Table, mapping: Mapping, check: ImportCheck):
        self.call = call
        self.default_programme = mapping.default_programme
        columns = mapping.columns
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
        except Invalid as invalid:
            self.error(key, str(invalid))
            return None

    def text(self, row: tuple, key: str, *, max_length: int, required: bool = False) -> str:
        value = (
            cell_text(self.cell(row, key)) if key != "summary" else str(self.cell(row, key) or "")
        )
        if required and not value:
            self.error(key, "cellule vide : ce champ est obligatoire.")
        elif len(value) > max_length:
            self.error(key, f"texte trop long ({len(value)} caractères, {max_length} au plus).")
        return value

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
        if not raw and self.default_programme is not None:
            return next(p for p in programmes if p.pk == self.default_programme.pk)
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
        for item in re.split(r"[;,\n]+", cell_text(raw) if raw is not None else ""):
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
        for code in re.split(r"[;,\s]+", cell_text(raw) if raw is not None else ""):
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


def check_table(call: FundingCall, table: Table, mapping: Mapping) -> ImportCheck:
    """Every row of the table read through the mapping: the applications to create, or located errors."""
    check = ImportCheck(sheet=table.sheet)
    for message in check_mapping(call, mapping, table.headers):
        check.errors.append(RowError(0, "", message))
    if check.errors:
        return check
    reader = _RowReader(call, table, mapping, check)
    for index in range(table.header_index + 1, len(table.rows)):
        row = table.rows[index]
        if not any(cell_text(v) for v in row):
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
    mapping: Mapping | None = None,
    dry_run: bool,
) -> ImportOutcome:
    """Check every row of an export through `mapping` (default: the call's saved one, else the guesses from the
    headers) and, unless `dry_run`
    (the preview) or some row has an error, create each application « déposé » with its balanced budget.

    PermissionDenied outside the call's prefecture; ValidationError (French) when the call has not opened or
    the file is refused or unreadable. All or nothing: with one error, nothing is written.
    """
    _require_importable(acting_user, call)
    if not dry_run:
        # Two confirmations of the same file run one after the other: the second one skips what the first wrote.
        FundingCall.objects.select_for_update().filter(pk=call.pk).first()
    table = read_table(filename, data)
    if mapping is None:
        mapping = mapping_for(call, table.headers)
    check = check_table(call, table, mapping)
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
