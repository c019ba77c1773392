"""Exports of a call's applications and of a department-year's programming, in CSV, XLSX or ODS.

Rows are read with `.values()` (no model instances) and written by `vigie.core.spreadsheets`: 10,000
applications are exported in well under the 10 s target (bench/funding_exports.py, docs/benchmarks.md).
Amounts are number cells in euros; a measure list is one text cell.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from vigie.core.spreadsheets import Sheet, csv_bytes, ods_bytes, xlsx_bytes
from vigie.funding.enums import GRANTED_STATES, ApplicantKind, ApplicationState
from vigie.funding.models import GrantApplication, GrantPayment

FORMATS = ("csv", "xlsx", "ods")

APPLICATION_HEADER = (
    "Numéro",
    "Appel à projets",
    "Année",
    "Fonds",
    "Programme",
    "Porteur",
    "Nature du porteur",
    "Intitulé du projet",
    "État",
    "Mesures du plan",
    "Coût total (€)",
    "Montant demandé (€)",
    "Montant accordé (€)",
    "Montant versé (€)",
    "Déposée le",
)
PROGRAMMING_HEADER = (
    "Fonds",
    "Programme",
    "Année",
    "Enveloppe (€)",
    "Demandes déposées",
    "Demandé (€)",
    "Accordé (€)",
    "Reste de l'enveloppe (€)",
    "Versé (€)",
)
STATE_LABELS = dict(ApplicationState.choices)
KIND_LABELS = dict(ApplicantKind.choices)


def _measures_by_application(ids) -> dict[int, str]:
    through = GrantApplication.measures.through
    found = defaultdict(list)
    rows = (
        through.objects.filter(grantapplication_id__in=ids)
        .order_by("measure__axis__order", "measure__order", "measure__number")
        .values_list("grantapplication_id", "measure__number")
    )
    for application_id, number in rows:
        found[application_id].append(number)
    return {pk: ", ".join(numbers) for pk, numbers in found.items()}


def _paid_by_application(ids) -> dict[int, Decimal]:
    rows = (
        GrantPayment.objects.filter(application_id__in=ids)
        .order_by()
        .values("application_id")
        .annotate(total=Sum("amount"))
    )
    return {row["application_id"]: row["total"] for row in rows}


def application_rows(applications: QuerySet) -> list[tuple]:
    """One row per application, in three queries whatever their number."""
    records = list(
        applications.order_by("call__year", "pk").values(
            "pk",
            "call__title",
            "call__year",
            "call__fund__code",
            "call_programme__programme__code",
            "organisation__name",
            "applicant_kind",
            "title",
            "state",
            "total_cost",
            "requested_amount",
            "granted_amount",
            "submitted_at",
        )
    )
    ids = [record["pk"] for record in records]
    measures, paid = _measures_by_application(ids), _paid_by_application(ids)
    return [
        (
            r["pk"],
            r["call__title"],
            r["call__year"],
            r["call__fund__code"],
            f"{r['call__fund__code']} {r['call_programme__programme__code']}".strip(),
            r["organisation__name"],
            KIND_LABELS.get(r["applicant_kind"], r["applicant_kind"]),
            r["title"],
            STATE_LABELS.get(r["state"], r["state"]),
            measures.get(r["pk"], ""),
            r["total_cost"],
            r["requested_amount"],
            r["granted_amount"] if r["state"] in GRANTED_STATES else None,
            paid.get(r["pk"], Decimal("0")),
            r["submitted_at"].strftime("%d/%m/%Y") if r["submitted_at"] else "",
        )
        for r in records
    ]


def programming_rows(applications: QuerySet) -> list[tuple]:
    """One row per call programme: envelope, requested, granted, what remains, paid."""
    submitted = applications.exclude(state=ApplicationState.DRAFT)
    grouped = (
        submitted.order_by()
        .values(
            "call_programme_id",
            "call__fund__code",
            "call_programme__programme__code",
            "call__year",
            "call_programme__envelope",
        )
        .annotate(
            requested=Sum("requested_amount"),
            granted=Sum("granted_amount", filter=Q(state__in=GRANTED_STATES)),
        )
    )
    paid = dict(
        GrantPayment.objects.filter(application__in=submitted)
        .order_by()
        .values_list("application__call_programme_id")
        .annotate(total=Sum("amount"))
    )
    counts = dict(submitted.order_by().values_list("call_programme_id").annotate(n=Count("pk")))
    rows = []
    for g in grouped.order_by("call__year", "call__fund__code", "call_programme__programme__code"):
        envelope, granted = g["call_programme__envelope"], g["granted"] or Decimal("0")
        rows.append(
            (
                g["call__fund__code"],
                f"{g['call__fund__code']} {g['call_programme__programme__code']}".strip(),
                g["call__year"],
                envelope,
                counts.get(g["call_programme_id"], 0),
                g["requested"] or Decimal("0"),
                granted,
                envelope - granted if envelope is not None else None,
                paid.get(g["call_programme_id"], Decimal("0")),
            )
        )
    return rows


def render(fmt: str, name: str, header: tuple, rows: list[tuple]) -> bytes:
    if fmt == "csv":
        return csv_bytes([header, *rows])
    sheet = Sheet(name=name, header=header, rows=rows, freeze_header=True)
    return xlsx_bytes([sheet]) if fmt == "xlsx" else ods_bytes([sheet])
