"""Reading a platform's export for the import of applications (`vigie.funding.application_import`): the fields
that can be imported and the wordings of their headers, the table of the file, and its cells (amounts, dates).
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError

from vigie.core import uploads
from vigie.funding.enums import ApplicantKind
from vigie.indicators import sheetio
from vigie.indicators.numbers import NotANumber, parse_number
from vigie.organisations.enums import OrganisationKind

FORMATS = (uploads.XLSX, uploads.ODS, uploads.CSV)
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
    ("intercommunal", ApplicantKind.EPCI),
    ("epci", ApplicantKind.EPCI),
    ("communaute", ApplicantKind.EPCI),
    ("metropole", ApplicantKind.EPCI),
    ("commune", ApplicantKind.COMMUNE),
    ("mairie", ApplicantKind.COMMUNE),
    ("eple", ApplicantKind.EPLE),
    ("college", ApplicantKind.EPLE),
    ("lycee", ApplicantKind.EPLE),
    ("bailleur", ApplicantKind.SOCIAL_LANDLORD),
    ("office public de l habitat", ApplicantKind.SOCIAL_LANDLORD),
    ("service de l etat", ApplicantKind.STATE_SERVICE),
    ("etat", ApplicantKind.STATE_SERVICE),
    ("collectivite", ApplicantKind.OTHER_PUBLIC),
    ("public", ApplicantKind.OTHER_PUBLIC),
    ("autre", ApplicantKind.OTHER),
    ("societe", ApplicantKind.OTHER),
    ("entreprise", ApplicantKind.OTHER),
)


def normalize(text) -> str:
    """ " Coût total (€) " → " cout total " (padded, so that whole words can be searched)."""
    decomposed = unicodedata.normalize("NFD", "" if text is None else str(text))
    folded = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return " " + " ".join(re.findall(r"[a-z0-9]+", folded)) + " "


# ---------------------------------------------------------------- the table


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
        (i for i, row in enumerate(rows) if any(cell_text(v) for v in row)),
        None,
    )
    if header_index is None:
        raise ValidationError("Le fichier est vide : aucune ligne d'en-tête n'a été trouvée.")
    headers = [cell_text(v) for v in rows[header_index]]
    return Table(sheet, rows, header_index, headers)


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


# ---------------------------------------------------------------- cells


class Invalid(Exception):
    """A cell that cannot be read; the message is French."""


def parse_money(raw) -> Decimal | None:
    if isinstance(raw, str):
        raw = raw.replace("€", "").replace("EUR", "")
    try:
        value = parse_number(raw)
    except NotANumber:
        raise Invalid(f"« {raw} » n'est pas un montant en euros.") from None
    if value is None:
        return None
    if value < 0:
        raise Invalid("un montant ne peut pas être négatif.")
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
        raise Invalid(f"« {raw} » n'est pas une date.")
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
    raise Invalid(f"« {text} » n'est pas une date (attendu : JJ/MM/AAAA).")
