"""Panels the funding app adds to other pages: an application's letters and final report, a measure's grants.

`{% measure_grants measure %}` is loaded by the measure page of vigie.plans (a lower layer): the tag checks
itself who may see the money (the department's members; nothing for the public).

`{% plan_grants_panel plan %}` is loaded by the plan's progress pages (vigie.indicators' « Suivi du plan », and the
public page of vigie.progress): the department's members see what was requested, granted and paid by fund and by
axis with a link to every table; anyone else sees the public part (vigie.funding.plan_money.public_plan_money).
"""

from decimal import Decimal

from django import template
from django.db.models import Count, Q, Sum

from vigie.funding import final_reports, letters, perms
from vigie.funding.enums import GRANTED_STATES, ApplicationState, LetterKind
from vigie.funding.models import GrantApplication, GrantPayment
from vigie.funding.plan_money import plan_money, public_plan_money
from vigie.plans import perms as plan_perms

register = template.Library()

# Applications counted as "requested": every one that reached the prefecture.
NOT_REQUESTED = (ApplicationState.DRAFT,)


@register.inclusion_tag("funding/partials/application_documents.html", takes_context=True)
def application_documents(context, application):
    user = context["request"].user
    instructor = perms.can_instruct(user, application)
    all_letters = list(application.letters.all())
    # The reverse one-to-one raises an AttributeError subclass when there is no report.
    report = getattr(application, "final_report", None)
    return {
        "application": application,
        "instructor": instructor,
        "letters": all_letters if instructor else [x for x in all_letters if x.signed_file],
        "kinds": [
            (kind, LetterKind(kind).label)
            for kind in LetterKind.values
            if letters.can_generate(user, application, kind)
        ],
        "templates_code": application.call.department.code if instructor else "",
        "report": report,
        "can_file": final_reports.can_file(user, application),
        "due_on": final_reports.due_on(application)
        if application.state in GRANTED_STATES
        else None,
        "csrf_token": context.get("csrf_token"),
    }


def measure_money(measure) -> list[dict]:
    """Requested, granted and paid amounts of the grants serving `measure`, per fund and year."""
    applications = GrantApplication.objects.filter(measures=measure).exclude(
        state__in=NOT_REQUESTED
    )
    rows = {
        (row["call__fund__code"], row["call__year"]): {
            "fund": row["call__fund__code"],
            "year": row["call__year"],
            "count": row["count"],
            "requested": row["requested"] or Decimal("0"),
            "granted": row["granted"] or Decimal("0"),
            "paid": Decimal("0"),
        }
        for row in applications.values("call__fund__code", "call__year").annotate(
            count=Count("pk"),
            requested=Sum("requested_amount"),
            granted=Sum("granted_amount", filter=Q(state__in=GRANTED_STATES)),
        )
    }
    payments = (
        GrantPayment.objects.filter(application__measures=measure)
        .values("application__call__fund__code", "application__call__year")
        .annotate(paid=Sum("amount"))
    )
    for row in payments:
        key = (row["application__call__fund__code"], row["application__call__year"])
        if key in rows:
            rows[key]["paid"] = row["paid"] or Decimal("0")
    return sorted(rows.values(), key=lambda r: (-r["year"], r["fund"]))


@register.inclusion_tag("funding/partials/measure_grants.html", takes_context=True)
def measure_grants(context, measure):
    user = context["request"].user
    department_id = measure.axis.plan.department_id
    if not plan_perms.can_view_private(user, department_id):
        return {"visible": False}
    rows = measure_money(measure)
    return {
        "visible": True,
        "measure": measure,
        "rows": rows,
        "totals": {
            name: sum((row[name] for row in rows), Decimal("0"))
            for name in ("requested", "granted", "paid")
        },
    }


@register.inclusion_tag("funding/partials/plan_grants_panel.html", takes_context=True)
def plan_grants_panel(context, plan):
    member = plan_perms.can_view_private(context["request"].user, plan.department_id)
    money = plan_money(plan, ("fund", "axis")) if member else public_plan_money(plan)
    return {
        "plan": plan,
        "member": member,
        "tables": [
            ("fund", "Par fonds et par année", "Fonds et année", money["fund"]),
            ("axis", "Par axe", "Axe", money["axis"]),
        ],
        "any": bool(money["fund"]),
        # Demo applications are those of demo calls (vigie/funding/demo.py): one query, only when there is money.
        "demo": bool(money["fund"])
        and GrantApplication.objects.filter(measures__axis__plan=plan, call__is_demo=True).exists(),
    }
