"""Test data of the spreadsheet import: a Gers call, its directory, and exports as XLSX, ODS or CSV."""

from datetime import timedelta

from django.utils import timezone

from tests.factories import (
    AxisFactory,
    CommuneFactory,
    DepartmentFactory,
    MeasureFactory,
    OrganisationFactory,
    PlanFactory,
)
from tests.funding.factories import make_call
from vigie.core.spreadsheets import Sheet, csv_bytes, ods_bytes, xlsx_bytes

HEADERS = [
    "Numéro de dossier",
    "Raison sociale",
    "Intitulé du projet",
    "Programme",
    "Date de début",
    "Date de fin",
    "Mesures du plan",
    "Code INSEE",
    "Coût total",
    "Montant demandé",
    "Autres subventions",
    "Déposé le",
]


def build_world():
    """The Gers, its adopted plan (measures 1.1 and 2.1), two communes, two organisations, an open FIPD call."""
    gers = DepartmentFactory(code="32", name="Gers")
    plan = PlanFactory(department=gers)
    measures = {
        "1.1": MeasureFactory(axis=AxisFactory(plan=plan, number="1"), number="1.1"),
        "2.1": MeasureFactory(axis=AxisFactory(plan=plan, number="2"), number="2.1"),
    }
    auch = CommuneFactory(department=gers, code="32013", name="Auch")
    condom = CommuneFactory(department=gers, code="32107", name="Condom")
    association = OrganisationFactory(
        department=gers, name="Association Trait d'Union", acronym="ATU", kind="association"
    )
    town = OrganisationFactory(
        department=gers, name="Mairie d'Auch", acronym="", kind="collectivite"
    )
    call = make_call(gers)
    return {
        "gers": gers,
        "measures": measures,
        "auch": auch,
        "condom": condom,
        "association": association,
        "town": town,
        "call": call,
    }


def deposit_day(call) -> str:
    return (call.opens_on + timedelta(days=1)).strftime("%d/%m/%Y")


def good_rows(call) -> list[list]:
    day = deposit_day(call)
    year = timezone.localdate().year
    return [
        [
            "DS-1001",
            "Association Trait d'Union",
            "Médiation de soirée à Auch",
            "D",
            f"01/09/{year}",
            f"30/06/{year + 1}",
            "1.1",
            "32013",
            20000,
            8000,
            2000,
            day,
        ],
        [
            "DS-1002",
            "mairie d auch",
            "Vidéoprotection du centre-ville",
            "FIPD S",
            "",
            "",
            "1.1 ; 2.1",
            "32013;32107",
            "50 000,00 €",
            "25000",
            "",
            day,
        ],
    ]


def export(rows, fmt: str = "xlsx", headers=HEADERS) -> tuple[str, bytes]:
    """(file name, content) of an export holding `rows` under `headers`."""
    if fmt == "csv":
        return "dossiers.csv", csv_bytes([headers, *rows])
    builder = xlsx_bytes if fmt == "xlsx" else ods_bytes
    return f"dossiers.{fmt}", builder([Sheet("Dossiers", rows, header=headers)])
