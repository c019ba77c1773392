"""Spreadsheet round trip: template download, upload (check, preview, confirm), exports."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify

from vigie.core.spreadsheets import CONTENT_TYPES
from vigie.indicators import perms, spreadsheets
from vigie.indicators.access import get_campaign_for_user
from vigie.indicators.enums import ValueStatus
from vigie.indicators.forms import UploadForm
from vigie.indicators.models import IndicatorValue
from vigie.indicators.services import import_spreadsheet
from vigie.indicators.views.common import plan_crumbs
from vigie.plans import perms as plan_perms
from vigie.plans.access import get_plan_for_user

SESSION_KEY = "vigie_indicator_imports"
PREVIEW_ROWS = 100


def _attachment(data: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def template_download(request, pk, fmt):
    campaign = get_campaign_for_user(request.user, pk, for_entry=True)
    if fmt not in ("xlsx", "ods"):
        raise Http404
    rows = spreadsheets.template_rows(campaign, request.user)
    builder = spreadsheets.build_xlsx if fmt == "xlsx" else spreadsheets.build_ods
    name = spreadsheets.filename(f"vigie-{slugify(campaign.title)}-modele", fmt)
    return _attachment(builder(campaign, rows), fmt, name)


def _render_upload(request, campaign, form, **extra):
    context = {
        "page_title": f"Déposer un tableur — {campaign}",
        "breadcrumb": plan_crumbs(campaign.plan)
        + [
            {
                "url": reverse("indicators:campaigns", args=[campaign.plan_id]),
                "title": "Campagnes de collecte",
            },
            {"url": campaign.get_absolute_url(), "title": str(campaign)},
        ],
        "campaign": campaign,
        "form": form,
        "max_mb": settings.VIGIE_MAX_UPLOAD_BYTES // (1024 * 1024),
        **extra,
    }
    return render(request, "indicators/upload.html", context)


def upload(request, pk):
    campaign = get_campaign_for_user(request.user, pk, for_entry=True)
    if request.method != "POST":
        return _render_upload(request, campaign, UploadForm())
    pending = request.session.get(SESSION_KEY, {})
    token = request.POST.get("token")
    if token:
        return _confirm(request, campaign, pending, token)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_upload(request, campaign, form)
    upload_file = form.cleaned_data["file"]
    data = upload_file.read()
    try:
        result = import_spreadsheet(
            acting_user=request.user,
            campaign=campaign,
            filename=upload_file.name,
            data=data,
            dry_run=True,
        ).check
    except ValidationError as exc:
        form.add_error("file", exc)
        return _render_upload(request, campaign, form)
    if not result.ok:
        return _render_upload(request, campaign, form, result=result, filename=upload_file.name)
    # One pending file per person and campaign: a new upload replaces the previous, unconfirmed one.
    for old_token, entry in list(pending.items()):
        if entry.get("campaign") == campaign.pk:
            default_storage.delete(entry["path"])
            pending.pop(old_token)
    token = uuid.uuid4().hex
    extension = upload_file.name.lower().rsplit(".", 1)[-1]
    path = default_storage.save(f"indicator-imports/{token}.{extension}", ContentFile(data))
    pending[token] = {"path": path, "name": upload_file.name[:200], "campaign": campaign.pk}
    request.session[SESSION_KEY] = pending
    return _render_upload(
        request,
        campaign,
        UploadForm(),
        result=result,
        token=token,
        filename=upload_file.name,
        preview=result.lines[:PREVIEW_ROWS],
    )


def _confirm(request, campaign, pending, token):
    entry = pending.get(token)
    if not entry or entry.get("campaign") != campaign.pk:
        messages.error(request, "Ce dépôt a expiré : déposez à nouveau le fichier.")
        return redirect("indicators:upload", pk=campaign.pk)
    path, name = entry["path"], entry["name"]
    try:
        with default_storage.open(path, "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError):
        pending.pop(token, None)
        request.session[SESSION_KEY] = pending
        messages.error(request, "Ce dépôt a expiré : déposez à nouveau le fichier.")
        return redirect("indicators:upload", pk=campaign.pk)
    submit = request.POST.get("intent") == "submit"
    # Checked again by the service: values or rights may have changed since the preview.
    try:
        outcome = import_spreadsheet(
            acting_user=request.user,
            campaign=campaign,
            filename=name,
            data=data,
            submit=submit,
            dry_run=False,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("indicators:upload", pk=campaign.pk)
    result, summary = outcome.check, outcome.summary
    if summary is None:
        return _render_upload(request, campaign, UploadForm(), result=result, filename=name)
    default_storage.delete(path)
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    state = "soumises à la préfecture" if submit else "enregistrées en brouillon"
    messages.success(
        request,
        f"Import de « {name} » terminé : {summary.created} valeur(s) créée(s), {summary.updated} modifiée(s) "
        f"({state}), {summary.unchanged + result.unchanged} inchangée(s).",
    )
    return redirect(campaign)


def export_values(request, plan_pk, fmt):
    plan = get_plan_for_user(request.user, plan_pk)
    if fmt not in ("csv", "xlsx", "ods"):
        raise Http404
    values = IndicatorValue.objects.filter(indicator__measure__axis__plan=plan)
    if not perms.can_view_unvalidated(request.user, plan):
        values = values.filter(status=ValueStatus.VALIDATED)
    if not plan_perms.sees_restricted(request.user, plan.department_id):
        values = values.filter(plan_perms.unrestricted("indicator__", "indicator__measure__"))
    values = values.select_related(
        "indicator__measure__axis__plan__department", "campaign", "department", "epci", "commune"
    ).order_by(
        "indicator__measure__axis__order",
        "indicator__measure__order",
        "indicator__order",
        "indicator_id",
        "period",
        "territory_key",
    )
    rows = spreadsheets.export_rows(values)
    builder = {
        "csv": spreadsheets.export_csv,
        "xlsx": spreadsheets.export_xlsx,
        "ods": spreadsheets.export_ods,
    }[fmt]
    name = spreadsheets.filename(
        f"vigie-indicateurs-{plan.department.code}-{plan.period_label}", fmt
    )
    return _attachment(builder(rows), fmt, name)
