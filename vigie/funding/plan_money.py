"""The money of a plan's grants by axis, measure, territory (commune) and fund: requested, granted, paid.

A grant serving several measures (or communes) counts in full under each: the per-fund table, where each grant
counts once, gives the plan's total. Drafts are not counted. Two grouped queries per table.

`public_plan_money` is what anyone may read (the public progress pages): only grants decided (accepted and after),
only through the plan's public measures (a non-public measure, e.g. sensitive sites, is neither listed nor
counted), with the amounts granted and paid, not those requested.
"""

from decimal import Decimal

from django.db.models import Count, Q, Sum

from vigie.funding.enums import GRANTED_STATES, ApplicationState
from vigie.funding.models import GrantApplication, GrantPayment

ZERO = Decimal("0")


def _table(applications, keys: tuple[str, ...], label) -> list[dict]:
    """Rows grouped by `keys` (paths from an application), with `label(row)` naming each group."""
    grouped = (
        applications.order_by()
        .values(*keys)
        .annotate(
            count=Count("pk", distinct=True),
            requested=Sum("requested_amount"),
            granted=Sum("granted_amount", filter=Q(state__in=GRANTED_STATES)),
        )
    )
    payments = (
        GrantPayment.objects.filter(application__in=applications.values("pk"))
        .order_by()
        .values(*(f"application__{key}" for key in keys))
        .annotate(paid=Sum("amount"))
    )
    paid = {tuple(row[f"application__{key}"] for key in keys): row["paid"] for row in payments}
    rows = []
    for row in grouped:
        key = tuple(row[k] for k in keys)
        if None in key:
            continue
        rows.append(
            {
                "label": label(row),
                "count": row["count"],
                "requested": row["requested"] or ZERO,
                "granted": row["granted"] or ZERO,
                "paid": paid.get(key) or ZERO,
            }
        )
    return sorted(rows, key=lambda r: r["label"])


def public_plan_money(plan) -> dict[str, list[dict]]:
    """Granted and paid amounts of the decided grants serving the plan's public measures, by fund and by axis."""
    public = Q(measures__axis__plan=plan, measures__is_restricted=False)
    applications = GrantApplication.objects.filter(
        pk__in=GrantApplication.objects.filter(public).values("pk"), state__in=GRANTED_STATES
    )
    return {
        "fund": _table(
            applications,
            ("call__fund__code", "call__year"),
            lambda r: f"{r['call__fund__code']} {r['call__year']}",
        ),
        "axis": _table(
            applications.filter(public),
            ("measures__axis__number", "measures__axis__title"),
            lambda r: f"Axe {r['measures__axis__number']} — {r['measures__axis__title']}",
        ),
    }


def plan_money(plan, tables=("fund", "axis", "measure", "commune")) -> dict[str, list[dict]]:
    """The requested `tables` (two queries each) of the plan's grants, drafts excluded."""
    applications = GrantApplication.objects.filter(
        pk__in=GrantApplication.objects.filter(measures__axis__plan=plan).values("pk")
    ).exclude(state=ApplicationState.DRAFT)
    in_plan = applications.filter(measures__axis__plan=plan)
    specs = {
        "fund": (
            applications,
            ("call__fund__code", "call__year"),
            lambda r: f"{r['call__fund__code']} {r['call__year']}",
        ),
        "axis": (
            in_plan,
            ("measures__axis__number", "measures__axis__title"),
            lambda r: f"Axe {r['measures__axis__number']} — {r['measures__axis__title']}",
        ),
        "measure": (
            in_plan,
            ("measures__number", "measures__title"),
            lambda r: f"Mesure {r['measures__number']} — {r['measures__title']}",
        ),
        "commune": (
            applications,
            ("communes__name", "communes__code"),
            lambda r: r["communes__name"],
        ),
    }
    return {key: _table(*specs[key]) for key in tables}
