"""Pages of the rights of the person followed: the coordinator's page (access request export, rectification,
erasure) and the case's rectification history, which every member of the group reads. Named pages: private_page
(second factor, charter, never cached, request body out of error reports), cases by opaque id, writes by POST;
exports are downloads, never stored nor cached (Cache-Control: no-store)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigie.casework import access, case_services, perms, rights
from vigie.casework.case_views import cases_crumbs
from vigie.casework.rights_forms import AccessRequestForm, ErasureForm, RectificationForm
from vigie.casework.views import private_page


def _case_for_rights(request, public_id):
    """The case for its group's coordinator: 404 as for every case URL, 403 for the group's other members."""
    case, member = access.get_case_for_user(request.user, public_id)
    if not perms.can_handle_rights(member):
        raise PermissionDenied
    return case, member


def _case_crumbs(case) -> list[dict]:
    return [
        *cases_crumbs(case.group),
        {"url": reverse("casework:case", args=[case.public_id]), "title": "Dossier"},
    ]


def _rights_crumbs(case) -> list[dict]:
    return [
        *_case_crumbs(case),
        {
            "url": reverse("casework:rights", args=[case.public_id]),
            "title": "Droits de la personne",
        },
    ]


def _form_errors(form, error: ValidationError) -> None:
    for field, texts in error.message_dict.items():
        form.add_error(field if field in form.fields else None, texts)


def _rights_page(request, case, export_form, *, status=200):
    context = {
        "page_title": "Droits de la personne",
        "breadcrumb": _case_crumbs(case),
        "case": case,
        "export_form": export_form,
        "requests": list(case.access_requests.select_related("answered_by")),
    }
    return render(request, "casework/rights.html", context, status=status)


@private_page
@require_GET
def rights_page(request, public_id):
    case, member = _case_for_rights(request, public_id)
    case_services.read_case(user=request.user, case=case)
    return _rights_page(request, case, AccessRequestForm())


@private_page
@require_POST
def rights_export(request, public_id):
    """The export for an access request, as a download (the request's date recorded)."""
    case, member = _case_for_rights(request, public_id)
    form = AccessRequestForm(request.POST)
    if form.is_valid():
        try:
            export = rights.export_case(
                acting_user=request.user,
                member=member,
                case=case,
                requested_on=form.cleaned_data["requested_on"],
                export_format=form.cleaned_data["export_format"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            response = HttpResponse(export.content, content_type=export.content_type)
            response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
            return response
    case_services.read_case(user=request.user, case=case)
    return _rights_page(request, case, form)


@private_page
@require_http_methods(["GET", "POST"])
def rectify(request, public_id):
    case, member = _case_for_rights(request, public_id)
    form = RectificationForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "requested_on"}
        try:
            rows = rights.rectify_case(
                acting_user=request.user,
                member=member,
                case=case,
                data=data,
                requested_on=form.cleaned_data["requested_on"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"{len(rows)} donnée(s) rectifiée(s).")
            return redirect("casework:rectifications", case.public_id)
    # The form shows the person's data: a read, logged.
    case_services.read_case(user=request.user, case=case)
    context = {
        "page_title": "Rectifier le dossier",
        "breadcrumb": _rights_crumbs(case),
        "case": case,
        "form": form,
    }
    return render(request, "casework/rights_rectify.html", context)


@private_page
@require_GET
def rectifications(request, public_id):
    """The case's rectification history (old → new values), for every member of the group."""
    case, member = access.get_case_for_user(request.user, public_id)
    rows = list(rights.rectification_history(user=request.user, member=member, case=case))
    context = {
        "page_title": "Historique des rectifications",
        "breadcrumb": _case_crumbs(case),
        "case": case,
        "rows": rows,
        "handles_rights": perms.can_handle_rights(member),
    }
    return render(request, "casework/rectifications.html", context)


@private_page
@require_http_methods(["GET", "POST"])
def erase(request, public_id):
    case, member = _case_for_rights(request, public_id)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group = case.group
        try:
            rights.erase_case(
                acting_user=request.user,
                member=member,
                case=case,
                ground=form.cleaned_data["ground"],
                justification=form.cleaned_data["justification"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "Le dossier et toutes ses entrées ont été effacés.")
            return redirect("casework:cases", group.pk)
    case_services.read_case(user=request.user, case=case)
    context = {
        "page_title": "Effacer le dossier",
        "breadcrumb": _rights_crumbs(case),
        "case": case,
        "form": form,
    }
    return render(request, "casework/rights_erase.html", context)
