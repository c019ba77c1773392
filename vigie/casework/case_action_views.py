"""A case's closure (with its reason) and the record of the information given to the person, by a member of its
group. Private pages (never cached, charter accepted); the writes go through vigie.casework.case_services, which
log them in the access log and audit them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from vigie.casework import access, case_services
from vigie.casework.action_forms import CloseCaseForm, InformationForm
from vigie.casework.case_views import cases_crumbs
from vigie.casework.views import private_page


def _render(request, case, form, title: str, intro: str):
    context = {
        "page_title": title,
        "breadcrumb": [
            *cases_crumbs(case.group),
            {"url": reverse("casework:case", args=[case.public_id]), "title": "Dossier"},
        ],
        "case": case,
        "form": form,
        "intro": intro,
    }
    return render(request, "casework/case_action_form.html", context)


def _add_errors(form, error: ValidationError, mapping: dict) -> None:
    for field, errors in error.message_dict.items():
        name = mapping.get(field, field)
        form.add_error(name if name in form.fields else None, errors)


def _posted(request):
    """The form's data: the POST (even empty: an empty submission is a bound form), or nothing on a GET."""
    return request.POST if request.method == "POST" else None


@private_page
@require_http_methods(["GET", "POST"])
def case_close(request, public_id):
    case, member = access.get_case_for_user(request.user, public_id)
    if case.closed_on is not None:
        messages.info(request, "Ce dossier est déjà clos.")
        return redirect("casework:case", case.public_id)
    form = CloseCaseForm(_posted(request), case=case)
    if request.method == "POST" and form.is_valid():
        try:
            case_services.close_case(
                acting_user=request.user,
                member=member,
                case=case,
                reason=form.cleaned_data["reason"],
                closed_on=form.cleaned_data["closed_on"],
            )
        except ValidationError as error:
            _add_errors(form, error, {"closure_reason": "reason"})
        else:
            messages.success(request, "Le dossier est clos.")
            return redirect("casework:case", case.public_id)
    intro = (
        "Un dossier clos ne reçoit plus d'entrée ; il est conservé "
        f"{case.group.retention_months} mois après sa clôture, puis supprimé."
    )
    return _render(request, case, form, "Clore le dossier", intro)


@private_page
@require_http_methods(["GET", "POST"])
def case_inform(request, public_id):
    case, member = access.get_case_for_user(request.user, public_id)
    initial = {"informed_on": case.informed_on, "how": case.informed_how}
    form = InformationForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case_services.record_information(
                acting_user=request.user,
                member=member,
                case=case,
                informed_on=form.cleaned_data["informed_on"],
                how=form.cleaned_data["how"],
            )
        except ValidationError as error:
            _add_errors(form, error, {"informed_how": "how"})
        else:
            messages.success(request, "L'information de la personne est enregistrée.")
            return redirect("casework:case", case.public_id)
    intro = (
        "La personne, ou son représentant légal, est informée de son suivi par le groupe : "
        "indiquez quand et comment. L'information peut être différée pour sa sécurité."
    )
    return _render(request, case, form, "Information de la personne", intro)
