"""Progress pages: department (plan), axis, measure, indicator."""

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from vigie.audit import services as audit
from vigie.audit.conflicts import STALE_EDIT_STATUS, refuse_stale_form
from vigie.core.concurrency import StaleEdit
from vigie.core.context_processors import share_department_with_menu
from vigie.core.formatting import BELOW_THRESHOLD, BelowThreshold
from vigie.indicators import periods, perms, progress, services
from vigie.indicators.access import get_indicator_for_user
from vigie.indicators.charts import indicator_chart
from vigie.indicators.enums import (
    Aggregation,
    CampaignStatus,
    DenominatorKind,
    TerritorialLevel,
    TrackStatus,
    ValueStatus,
)
from vigie.indicators.forms import IndicatorDefinitionForm
from vigie.indicators.models import ActionReport, IndicatorValue
from vigie.indicators.territory import Directory
from vigie.indicators.views.common import plan_crumbs, plan_has_demo
from vigie.plans import perms as plan_perms
from vigie.plans.access import get_measure_for_user, get_plan_for_user
from vigie.plans.models import Axis

HISTORY_LIMIT = 100


def _public_only(user, plan) -> bool:
    """Non-public measures, actions and indicators are left out for people outside the department."""
    return not plan_perms.sees_restricted(user, plan.department_id)


def _totals(axes):
    actions = progress.ActionCounts()
    for axis in axes:
        actions.merge(axis.actions)
    items = [i for axis in axes for i in axis.indicators]
    return actions, progress._track_counts(items), len(items)


def plan_progress(request, pk):
    plan = get_plan_for_user(request.user, pk)
    share_department_with_menu(request, plan.department)
    axes = progress.plan_progress(plan, public_only=_public_only(request.user, plan))
    actions, track_counts, indicator_count = _totals(axes)
    member = perms.can_view_unvalidated(request.user, plan)
    context = {
        "page_title": f"Suivi du plan — {plan.department.name} {plan.period_label}",
        "breadcrumb": [
            {
                "url": plan.get_absolute_url(),
                "title": f"Plan {plan.department.name} {plan.period_label}",
            }
        ],
        "plan": plan,
        "axes": axes,
        "actions": actions,
        "track_counts": track_counts,
        "indicator_count": indicator_count,
        "member": member,
        "open_campaigns": list(plan.indicator_campaigns.filter(status=CampaignStatus.OPEN))
        if member
        else [],
        "has_demo": plan_has_demo(
            plan, [item.indicator for axis in axes for item in axis.indicators]
        ),
    }
    return render(request, "indicators/plan_progress.html", context)


def axis_progress(request, pk):
    axis = get_object_or_404(Axis.objects.select_related("plan__department"), pk=pk)
    plan = axis.plan
    if not perms.can_view_monitoring(request.user, plan):
        raise Http404
    data = progress.axis_progress(axis, public_only=_public_only(request.user, plan))
    context = {
        "page_title": f"Suivi — {axis}",
        "breadcrumb": plan_crumbs(plan),
        "plan": plan,
        "axis_progress": data,
        "has_demo": plan_has_demo(plan),
    }
    return render(request, "indicators/axis_progress.html", context)


def measure_progress(request, pk):
    measure = get_measure_for_user(request.user, pk)
    plan = measure.axis.plan
    public_only = _public_only(request.user, plan)
    data = progress.measure_progress(measure, public_only=public_only)
    member = perms.can_view_unvalidated(request.user, plan)
    actions = measure.actions.select_related("owner")
    actions = list(actions.filter(is_restricted=False) if public_only else actions)
    reports = {}
    if member:
        for report in (
            ActionReport.objects.filter(action__measure=measure)
            .select_related("campaign")
            .order_by("campaign__period_start", "reported_at")
        ):
            reports[report.action_id] = report
    for action in actions:
        action.last_report = reports.get(action.pk)
        action.badge = progress.ACTION_BADGE.get(action.status, "info")
        action.can_report = perms.can_report_action(request.user, action) if member else False
    history = list(audit.history_for(measure)[:HISTORY_LIMIT]) if member else []
    open_campaigns = (
        list(plan.indicator_campaigns.filter(status=CampaignStatus.OPEN)) if member else []
    )
    context = {
        "page_title": f"Suivi de la mesure {measure.number}",
        "breadcrumb": plan_crumbs(plan)
        + [
            {
                "url": reverse("indicators:axis_progress", args=[measure.axis_id]),
                "title": f"Axe {measure.axis.number}",
            }
        ],
        "plan": plan,
        "measure": measure,
        "data": data,
        "actions": actions,
        "member": member,
        "history": history,
        "open_campaigns": open_campaigns,
        "can_collect": perms.can_collect(request.user, plan),
        "has_demo": any(i.indicator.is_demo for i in data.indicators)
        or IndicatorValue.objects.filter(indicator__measure=measure, is_demo=True).exists(),
    }
    return render(request, "indicators/measure_progress.html", context)


def _cells(indicator, member: bool, directory: Directory) -> dict[tuple[str, str], dict]:
    """{(territory key, period): cell}: the values entered, or for a computed indicator, the ratio of its
    sources' validated values. Members also see values not yet validated."""
    source_ids = [indicator.pk]
    if indicator.is_computed:
        source_ids = [pk for pk in (indicator.numerator_id, indicator.denominator_id) if pk]
    statuses = list(ValueStatus) if member else [ValueStatus.VALIDATED]
    rows = IndicatorValue.objects.filter(
        indicator_id__in=source_ids, status__in=statuses
    ).values_list(
        "pk", "indicator_id", "territory_key", "period", "value", "status", "is_below_threshold"
    )
    cells: dict[tuple[str, str], dict] = {}
    raw: dict[tuple[int, str, str], Decimal] = {}
    for pk, indicator_id, key, period, value, status, below_threshold in rows:
        if below_threshold:
            value = BELOW_THRESHOLD  # « < 5 »: never the count, never a ratio of it
        if status == ValueStatus.VALIDATED:
            raw[(indicator_id, key, period)] = value
        if not indicator.is_computed:
            cells[(key, period)] = {"pk": pk, "value": value, "status": status}
    if not indicator.is_computed:
        return cells
    for (indicator_id, key, period), value in raw.items():
        if indicator_id != indicator.numerator_id or isinstance(value, BelowThreshold):
            continue
        territory = directory.get(key)
        if indicator.denominator_kind == DenominatorKind.POPULATION:
            below = territory.population if territory else None
        elif indicator.denominator_kind == DenominatorKind.INDICATOR:
            below = raw.get((indicator.denominator_id, key, period))
        else:
            below = 1
        if below:
            cells[(key, period)] = {
                "pk": None,
                "status": ValueStatus.VALIDATED,
                "value": (Decimal(value) / Decimal(below) * indicator.factor).quantize(
                    Decimal("0.01")
                ),
            }
    return cells


def _territory_table(indicator, plan, member: bool, directory: Directory):
    """Rows: territories with values; columns: the last twelve periods; then subtotals by EPCI."""
    cells = _cells(indicator, member, directory)
    period_codes = sorted({p for _, p in cells}, key=periods.sort_key)[-12:]
    keys = {k for k, _ in cells}
    table = []
    for key in keys:
        territory = directory.get(key)
        if territory is None:
            continue
        table.append(
            {
                "territory": territory,
                "cells": [cells.get((key, p)) for p in period_codes],
                "subtotal": False,
            }
        )
    table.sort(key=lambda r: r["territory"].name)
    subtotals = []
    if (
        not indicator.is_computed
        and indicator.territorial_level == TerritorialLevel.COMMUNE
        and indicator.aggregation != Aggregation.NONE
    ):
        subtotals = _epci_subtotals(indicator, table, period_codes, directory)
    return period_codes, table, subtotals


def _epci_subtotals(indicator, table, period_codes, directory: Directory) -> list[dict]:
    """Per EPCI and period, the sum (or mean) of its communes' validated values."""
    by_epci: dict[int, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for row in table:
        epci_id = row["territory"].parent_epci_id
        if epci_id is None:
            continue
        for period, cell in zip(period_codes, row["cells"], strict=True):
            if cell and cell["status"] == ValueStatus.VALIDATED:
                by_epci[epci_id][period].append(cell["value"])
    subtotals = []
    for epci_id, series in by_epci.items():
        epci = directory.epci_by_pk.get(epci_id)
        if epci is None:
            continue
        line = []
        for period in period_codes:
            values = series.get(period)
            if not values or any(isinstance(v, BelowThreshold) for v in values):
                line.append(None)
                continue
            total = (
                sum(values) / len(values)
                if indicator.aggregation == Aggregation.MEAN
                else sum(values)
            )
            line.append({"pk": None, "value": total, "status": ValueStatus.VALIDATED})
        subtotals.append({"territory": epci, "cells": line, "subtotal": True})
    subtotals.sort(key=lambda r: r["territory"].name)
    return subtotals


def indicator_detail(request, pk):
    indicator = get_indicator_for_user(request.user, pk)
    measure = indicator.measure
    plan = measure.axis.plan
    member = perms.can_view_unvalidated(request.user, plan)
    item = progress.indicators_progress([indicator], plan)[0]
    directory = Directory.load(plan.department)
    period_codes, table, subtotals = _territory_table(indicator, plan, member, directory)
    chart = indicator_chart(indicator, plan, item.by_period)
    values_pending = []
    if member and not indicator.is_computed:
        values_pending = list(
            IndicatorValue.objects.filter(indicator=indicator)
            .exclude(status=ValueStatus.VALIDATED)
            .select_related("department", "epci", "commune", "campaign")
            .order_by("period", "territory_key")[:200]
        )
    department_row = {
        "territory": directory.department_territory,
        "cells": [
            (
                {"value": item.by_period[p], "status": ValueStatus.VALIDATED}
                if p in item.by_period
                else None
            )
            for p in period_codes
        ],
    }
    context = {
        "page_title": f"Indicateur — {indicator}",
        "breadcrumb": plan_crumbs(plan)
        + [
            {
                "url": reverse("indicators:measure_progress", args=[measure.pk]),
                "title": f"Mesure {measure.number}",
            }
        ],
        "plan": plan,
        "measure": measure,
        "indicator": indicator,
        "item": item,
        "chart": chart,
        "period_codes": period_codes,
        "table": table,
        "subtotals": subtotals,
        "department_row": department_row,
        "show_department_row": indicator.territorial_level != TerritorialLevel.DEPARTMENT
        and bool(item.by_period),
        "member": member,
        "values_pending": values_pending,
        "can_edit": perms.can_edit_definition(request.user, indicator),
        "history": list(audit.history_for(indicator)[:HISTORY_LIMIT]) if member else [],
        "has_demo": indicator.is_demo
        or IndicatorValue.objects.filter(indicator=indicator, is_demo=True).exists(),
        "no_target": item.track.status == TrackStatus.NO_TARGET,
    }
    return render(request, "indicators/indicator_detail.html", context)


def indicator_edit(request, pk):
    indicator = get_indicator_for_user(request.user, pk, for_edit=True)
    plan = indicator.measure.axis.plan
    form = IndicatorDefinitionForm(request.POST or None, instance=indicator)
    context = {}
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data if name != "version"}
        # The ModelForm already assigned the values to the instance; the service records the change.
        indicator.refresh_from_db()
        try:
            services.update_indicator(
                acting_user=request.user,
                indicator=indicator,
                data=data,
                read_version=form.read_version,
            )
        except StaleEdit as stale:
            context = refuse_stale_form(form, stale)
        else:
            messages.success(request, "La définition de l'indicateur est enregistrée.")
            return redirect("indicators:indicator", pk=indicator.pk)
    context |= {
        "page_title": "Définition de l'indicateur",
        "breadcrumb": plan_crumbs(plan)
        + [
            {
                "url": reverse("indicators:indicator", args=[indicator.pk]),
                "title": str(indicator)[:60],
            }
        ],
        "indicator": indicator,
        "form": form,
    }
    status = STALE_EDIT_STATUS if "stale_edit" in context else 200
    return render(request, "indicators/indicator_edit.html", context, status=status)
