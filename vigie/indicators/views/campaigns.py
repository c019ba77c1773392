"""Collection campaigns: list, opening, entry table, value entry, review, action progress, missing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from vigie.audit import services as audit
from vigie.audit.conflicts import STALE_EDIT_STATUS, refuse_stale_form
from vigie.core.concurrency import StaleEdit
from vigie.core.formatting import BELOW_THRESHOLD
from vigie.indicators import periods, perms, reminders, services
from vigie.indicators.access import get_campaign_for_user, get_value_for_user
from vigie.indicators.enums import CampaignStatus, ValueStatus
from vigie.indicators.forms import ActionReportForm, CampaignForm, ReturnForm, ValueForm
from vigie.indicators.models import ActionReport, Campaign, Indicator, IndicatorValue
from vigie.indicators.territory import Directory, resolve_key, territory_of_value
from vigie.indicators.views.common import plan_crumbs
from vigie.plans.access import get_action_for_user, get_plan_for_user
from vigie.plans.models import Action, MeasureActor

PAGE_SIZE = 50


def _campaign_crumbs(campaign):
    plan = campaign.plan
    return plan_crumbs(plan) + [
        {"url": reverse("indicators:campaigns", args=[plan.pk]), "title": "Campagnes de collecte"},
    ]


def _member_plan(request, plan_pk):
    plan = get_plan_for_user(request.user, plan_pk)
    if not perms.can_view_unvalidated(request.user, plan):
        raise Http404
    return plan


def campaign_list(request, plan_pk):
    plan = _member_plan(request, plan_pk)
    campaigns = list(plan.indicator_campaigns.all())
    counts = {}
    for campaign_id, status, n in (
        IndicatorValue.objects.filter(campaign__plan=plan)
        .values_list("campaign_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts.setdefault(campaign_id, {})[status] = n
    for campaign in campaigns:
        campaign.counts = [
            {"status": s, "label": s.label, "count": counts.get(campaign.pk, {}).get(s, 0)}
            for s in ValueStatus
        ]
    context = {
        "page_title": "Campagnes de collecte",
        "breadcrumb": plan_crumbs(plan),
        "plan": plan,
        "campaigns": campaigns,
        "can_manage": perms.can_manage_campaigns(request.user, plan),
    }
    return render(request, "indicators/campaign_list.html", context)


def campaign_create(request, plan_pk):
    plan = _member_plan(request, plan_pk)
    if not perms.can_manage_campaigns(request.user, plan):
        raise PermissionDenied
    form = CampaignForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        campaign = services.open_campaign(acting_user=request.user, plan=plan, data=data)
        messages.success(request, f"La campagne « {campaign} » est ouverte.")
        return redirect(campaign)
    context = {
        "page_title": "Ouvrir une campagne de collecte",
        "breadcrumb": plan_crumbs(plan)
        + [
            {
                "url": reverse("indicators:campaigns", args=[plan.pk]),
                "title": "Campagnes de collecte",
            }
        ],
        "form": form,
        "plan": plan,
    }
    return render(request, "indicators/campaign_form.html", context)


def campaign_edit(request, pk):
    campaign = get_campaign_for_user(request.user, pk, for_edit=True)
    form = CampaignForm(request.POST or None, instance=campaign, plan=campaign.plan)
    if request.method == "POST":
        intent = request.POST.get("intent")
        if intent in ("close", "reopen"):
            fn = services.close_campaign if intent == "close" else services.reopen_campaign
            fn(acting_user=request.user, campaign=campaign)
            messages.success(
                request,
                "La campagne est close." if intent == "close" else "La campagne est rouverte.",
            )
            return redirect(campaign)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.changed_data}
            campaign.refresh_from_db()
            services.update_campaign(acting_user=request.user, campaign=campaign, data=data)
            messages.success(request, "La campagne est enregistrée.")
            return redirect(campaign)
    context = {
        "page_title": f"Modifier la campagne « {campaign} »",
        "breadcrumb": _campaign_crumbs(campaign),
        "form": form,
        "campaign": campaign,
        "plan": campaign.plan,
    }
    return render(request, "indicators/campaign_form.html", context)


def entry_rows(campaign, scope: perms.EntryScope, *, measure_id=None, status=None, query=""):
    """Rows (indicator × territory × period) the user may fill in the campaign, with current values."""
    plan = campaign.plan
    indicators = [
        i
        for i in Indicator.objects.filter(measure__axis__plan=plan, is_computed=False)
        .select_related("measure__axis")
        .order_by("measure__axis__order", "measure__order", "order", "pk")
        if scope.allows_indicator(i) and (not measure_id or i.measure_id == measure_id)
    ]
    if not indicators:
        return []
    directory = Directory.load(plan.department)
    existing = {
        (v["indicator_id"], v["period"], v["territory_key"]): v
        for v in IndicatorValue.objects.filter(indicator__in=indicators).values(
            "pk",
            "indicator_id",
            "period",
            "territory_key",
            "value",
            "status",
            "review_comment",
            "is_below_threshold",
        )
    }
    for row in existing.values():
        if row["is_below_threshold"]:
            row["value"] = BELOW_THRESHOLD
    query = query.strip().lower()
    rows = []
    for indicator in indicators:
        for territory in directory.at_level(indicator.territorial_level):
            if not scope.allows_territory(indicator, territory):
                continue
            if (
                query
                and query not in territory.name.lower()
                and query not in territory.code.lower()
            ):
                continue
            for period in campaign.periods_for(indicator.periodicity):
                current = existing.get((indicator.pk, period, territory.key))
                current_status = current["status"] if current else ""
                if status == "missing" and current_status in (
                    ValueStatus.SUBMITTED,
                    ValueStatus.VALIDATED,
                ):
                    continue
                if status and status != "missing" and current_status != status:
                    continue
                rows.append(
                    {
                        "indicator": indicator,
                        "territory": territory,
                        "period": period,
                        "value": current,
                        "status": current_status,
                        "url": reverse(
                            "indicators:value_entry",
                            args=[campaign.pk, indicator.pk, territory.key, period],
                        ),
                    }
                )
    return rows


def _reportable_actions(campaign, user):
    actions = (
        Action.objects.filter(measure__axis__plan=campaign.plan)
        .select_related("owner", "measure__axis__plan")
        .prefetch_related(Prefetch("measure__actors", queryset=MeasureActor.objects.all()))
        .order_by("measure__axis__order", "measure__order", "order", "pk")
    )
    reports = {r.action_id: r for r in ActionReport.objects.filter(campaign=campaign)}
    result = []
    for action in actions:
        if perms.can_report_action(user, action):
            action.report = reports.get(action.pk)
            result.append(action)
    return result


def campaign_detail(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    plan = campaign.plan
    scope = perms.EntryScope(request.user, plan)
    measure_id = request.GET.get("mesure") or None
    try:
        measure_id = int(measure_id) if measure_id else None
    except ValueError:
        measure_id = None
    status = request.GET.get("statut", "")
    if status not in ("", "missing", *ValueStatus.values):
        status = ""
    query = request.GET.get("territoire", "")[:100]
    page = None
    if scope.active:
        rows = entry_rows(campaign, scope, measure_id=measure_id, status=status, query=query)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    context = {
        "campaign": campaign,
        "plan": plan,
        "scope": scope,
        "page": page,
        "filters": filters.urlencode(),
        "measure_id": measure_id,
        "status": status,
        "query": query,
        "status_choices": [
            ("", "Tous"),
            ("missing", "À saisir ou à soumettre"),
            *ValueStatus.choices,
        ],
        "measures": list(
            plan.axes.all()
            .values_list("measures__pk", "measures__number", "measures__title")
            .exclude(measures__pk=None)
            .order_by("order", "measures__order")
        ),
    }
    if request.htmx:
        return render(request, "indicators/includes/entry_table.html", context)
    counts = {
        s: n for s, n in campaign.values.values_list("status").annotate(n=Count("id")).order_by()
    }
    review = []
    if scope.is_validator:
        review = list(
            campaign.values.filter(status=ValueStatus.SUBMITTED)
            .select_related("indicator__measure", "department", "epci", "commune", "entered_by")
            .order_by("submitted_at", "pk")[:200]
        )
    context.update(
        {
            "page_title": f"Campagne « {campaign} »",
            "breadcrumb": _campaign_crumbs(campaign),
            "counts": [
                {"status": s, "label": s.label, "count": counts.get(s, 0)} for s in ValueStatus
            ],
            "review": review,
            "actions": _reportable_actions(campaign, request.user) if scope.active else [],
            "can_manage": perms.can_manage_campaigns(request.user, plan),
            "has_drafts": scope.active
            and campaign.values.filter(status=ValueStatus.DRAFT).exists(),
        }
    )
    return render(request, "indicators/campaign_detail.html", context)


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def value_entry(request, pk, indicator_pk, territory_key, period):
    campaign = get_campaign_for_user(request.user, pk, for_entry=True)
    plan = campaign.plan
    indicator = (
        Indicator.objects.select_related("measure__axis__plan")
        .filter(pk=indicator_pk, measure__axis__plan=plan)
        .first()
    )
    territory = resolve_key(territory_key, plan.department)
    if (
        indicator is None
        or territory is None
        or not campaign.accepts(indicator.periodicity, period)
    ):
        raise Http404
    scope = perms.EntryScope(request.user, plan)
    if not scope.allows(indicator, territory):
        raise PermissionDenied
    existing = IndicatorValue.objects.filter(
        indicator=indicator, period=period, territory_key=territory.key
    ).first()
    needs_reason = existing is not None and existing.status == ValueStatus.VALIDATED
    initial = (
        {"value": str(existing.value.normalize()).replace(".", ","), "comment": existing.comment}
        if existing and not existing.is_below_threshold  # a « < 5 » count is never put in the form
        else {"comment": existing.comment}
        if existing
        else {}
    )
    form = ValueForm(request.POST or None, initial=initial, needs_reason=needs_reason)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("intent") == "submit"
        try:
            result = services.save_value(
                acting_user=request.user,
                campaign=campaign,
                indicator=indicator,
                territory=territory,
                period=period,
                value=form.cleaned_data["value"],
                comment=form.cleaned_data["comment"],
                submit=submit,
                reason=form.cleaned_data.get("reason", ""),
                scope=scope,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if not result.changed:
                messages.info(request, "Aucun changement : la valeur est inchangée.")
            elif result.value.status == ValueStatus.SUBMITTED:
                messages.success(request, "La valeur est enregistrée et soumise à la préfecture.")
            elif result.value.status == ValueStatus.VALIDATED:
                messages.success(request, "La correction de la valeur validée est enregistrée.")
            else:
                messages.success(request, "La valeur est enregistrée en brouillon.")
            return redirect(_safe_next(request, campaign.get_absolute_url()))
    context = {
        "page_title": "Saisir une valeur",
        "breadcrumb": _campaign_crumbs(campaign)
        + [{"url": campaign.get_absolute_url(), "title": str(campaign)}],
        "campaign": campaign,
        "indicator": indicator,
        "territory": territory,
        "period": period,
        "period_label": periods.label(period),
        "existing": existing,
        "form": form,
        "next": _safe_next(request, ""),
        "can_submit": campaign.is_open,
    }
    return render(request, "indicators/value_entry.html", context)


@require_POST
def submit_drafts(request, pk):
    campaign = get_campaign_for_user(request.user, pk, for_entry=True)
    scope = perms.EntryScope(request.user, campaign.plan)
    drafts = list(
        campaign.values.filter(status=ValueStatus.DRAFT).select_related(
            "indicator__measure__axis", "campaign__plan", "department", "epci", "commune"
        )
    )
    mine = [v for v in drafts if scope.allows(v.indicator, territory_of_value(v))]
    try:
        count = services.submit_values(acting_user=request.user, values=mine, scope=scope)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if count:
            messages.success(request, f"{count} valeur(s) soumise(s) à la préfecture.")
        else:
            messages.info(request, "Aucune valeur en brouillon à soumettre.")
    return redirect(campaign)


def value_detail(request, pk, review_form=None):
    value = get_value_for_user(request.user, pk)
    campaign = value.campaign
    plan = campaign.plan
    scope = perms.EntryScope(request.user, plan)
    territory = territory_of_value(value)
    context = {
        "page_title": "Valeur d'indicateur",
        "breadcrumb": _campaign_crumbs(campaign)
        + [{"url": campaign.get_absolute_url(), "title": str(campaign)}],
        "value": value,
        "campaign": campaign,
        "indicator": value.indicator,
        "territory": territory,
        "history": list(audit.history_for(value)),
        "can_review": scope.is_validator and value.status == ValueStatus.SUBMITTED,
        "can_correct": campaign.is_open and scope.allows(value.indicator, territory),
        "entry_url": reverse(
            "indicators:value_entry",
            args=[campaign.pk, value.indicator_id, value.territory_key, value.period],
        ),
        "return_form": review_form or ReturnForm(),
    }
    return render(request, "indicators/value_detail.html", context)


@require_POST
def value_review(request, pk):
    value = get_value_for_user(request.user, pk, for_review=True)
    intent = request.POST.get("intent")
    try:
        if intent == "validate":
            services.validate_value(acting_user=request.user, value=value)
            messages.success(request, "La valeur est validée.")
        elif intent == "return":
            form = ReturnForm(request.POST)
            if not form.is_valid():
                return value_detail(request, pk, review_form=form)
            services.return_value(
                acting_user=request.user, value=value, comment=form.cleaned_data["comment"]
            )
            messages.success(request, "La valeur est renvoyée pour correction.")
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_safe_next(request, value.get_absolute_url()))


def action_report(request, pk, action_pk):
    campaign = get_campaign_for_user(request.user, pk, for_entry=True)
    action = get_action_for_user(request.user, action_pk, for_edit=True)
    if action.measure.axis.plan_id != campaign.plan_id:
        raise Http404
    report = ActionReport.objects.filter(campaign=campaign, action=action).first()
    initial = (
        {"status": report.status, "note": report.note}
        if report
        else {"status": action.status, "note": action.progress_note}
    )
    form = ActionReportForm(request.POST or None, initial=initial, versioned_instance=action)
    stale = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.report_action(
                acting_user=request.user,
                campaign=campaign,
                action=action,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                read_version=form.read_version,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except StaleEdit as error:
            stale = refuse_stale_form(form, error)
        else:
            messages.success(request, "L'avancement de l'action est enregistré.")
            return redirect(_safe_next(request, campaign.get_absolute_url()))
    context = {
        "page_title": "Avancement d'une action",
        "breadcrumb": _campaign_crumbs(campaign)
        + [{"url": campaign.get_absolute_url(), "title": str(campaign)}],
        "campaign": campaign,
        "action": action,
        "report": report,
        "form": form,
        **stale,
    }
    status = STALE_EDIT_STATUS if stale else 200
    return render(request, "indicators/action_report.html", context, status=status)


def missing(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    groups = reminders.missing_report(campaign)
    context = {
        "page_title": f"Qui n'a pas encore répondu — {campaign}",
        "breadcrumb": _campaign_crumbs(campaign)
        + [{"url": campaign.get_absolute_url(), "title": str(campaign)}],
        "campaign": campaign,
        "groups": groups,
        "total_values": sum(len(g.values) for g in groups),
        "overdue": campaign.status == CampaignStatus.OPEN and campaign.deadline < _today(),
    }
    return render(request, "indicators/missing.html", context)


def _today():
    from django.utils import timezone

    return timezone.localdate()


__all__ = ["Campaign"]
