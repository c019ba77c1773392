"""The coordinator's pages of a group: add a member, change a member's role or end date, deposit the rules document
(règlement intérieur), write the summary the data controller reads; and the members' download of the rules.

Private pages (vigie.casework.views.private_page: signed in, second factor, never cached, charter accepted). The
group is 404 to anyone outside it; these pages are 403 to its members who are not its coordinator.
"""

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from vigie.casework import access, case_services, indicator_counts, member_services, perms, services
from vigie.casework.action_forms import (
    GroupMeetingForm,
    MemberAddForm,
    MemberChangeForm,
    RulesForm,
    SummaryForm,
)
from vigie.casework.models import GroupMember
from vigie.casework.views import group_crumbs, private_page

MEDIA_TYPES = {fmt.extension: fmt.media_type for fmt in services.RULES_FORMATS}


def _managed_group(request, pk):
    """The group and the coordinator's membership; 404 outside the group, 403 for its other members."""
    group, member = access.get_group_for_user(request.user, pk)
    if not perms.can_manage_group(member):
        raise PermissionDenied
    return group, member


def _add_errors(form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _render(request, group, form, title: str, *, multipart: bool = False, intro: str = ""):
    context = {
        "page_title": title,
        "breadcrumb": group_crumbs(group),
        "group": group,
        "form": form,
        "multipart": multipart,
        "intro": intro,
    }
    return render(request, "casework/group_form.html", context)


def _posted(request):
    """The form's data: the POST (even empty: an empty submission is a bound form), or nothing on a GET."""
    return request.POST if request.method == "POST" else None


@private_page
@require_http_methods(["GET", "POST"])
def member_add(request, pk):
    group, manager = _managed_group(request, pk)
    form = MemberAddForm(_posted(request), group=group)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.add_member(
                acting_user=request.user,
                group=group,
                manager=manager,
                user=data["user"],
                role=data["role"],
                start_date=data["start_date"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"{member.user} est membre du groupe : à sa prochaine visite, la charte lui sera présentée.",
            )
            return redirect("casework:group", group.pk)
    return _render(request, group, form, "Ajouter un membre")


@private_page
@require_http_methods(["GET", "POST"])
def member_change(request, pk, member_pk):
    group, manager = _managed_group(request, pk)
    target = get_object_or_404(
        GroupMember.objects.select_related("user"), pk=member_pk, group=group
    )
    if target.end_date is not None and target.end_date <= timezone.localdate():
        raise PermissionDenied
    form = MemberChangeForm(
        _posted(request), initial={"role": target.role, "end_date": target.end_date}
    )
    if request.method == "POST" and form.is_valid():
        try:
            member_services.change_member(
                acting_user=request.user,
                member=target,
                manager=manager,
                role=form.cleaned_data["role"],
                end_date=form.cleaned_data["end_date"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"La participation de {target.user} est modifiée.")
            return redirect("casework:group", group.pk)
    return _render(request, group, form, f"Modifier la participation de {target.user}")


@private_page
@require_http_methods(["GET", "POST"])
def rules_upload(request, pk):
    group, manager = _managed_group(request, pk)
    form = RulesForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_rules_document(
                acting_user=request.user,
                group=group,
                member=manager,
                upload=form.cleaned_data["rules_file"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Le règlement intérieur est déposé.")
            return redirect("casework:group", group.pk)
    intro = (
        f"Le règlement en vigueur, « {group.rules_original_name} », sera remplacé."
        if group.rules_original_name
        else ""
    )
    return _render(
        request, group, form, "Déposer le règlement intérieur", multipart=True, intro=intro
    )


@private_page
@require_GET
def rules_download(request, pk):
    """The rules document, for the group's current members; every download is in the access log."""
    group, member = access.get_group_for_user(request.user, pk)
    if member is None:
        raise PermissionDenied
    try:
        handle = member_services.read_rules_document(user=request.user, group=group, member=member)
    except PermissionDenied:
        messages.info(request, "Aucun règlement intérieur n'est déposé.")
        return redirect("casework:group", group.pk)
    extension = PurePath(group.rules_file.name).suffix.lower().lstrip(".")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=group.rules_original_name or f"reglement.{extension}",
        content_type=MEDIA_TYPES.get(extension, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    return response


@private_page
@require_http_methods(["GET", "POST"])
def summary_edit(request, pk):
    group, manager = _managed_group(request, pk)
    form = SummaryForm(_posted(request), initial={"text": group.controller_summary})
    if request.method == "POST" and form.is_valid():
        manager.group = group
        try:
            case_services.set_controller_summary(
                acting_user=request.user, member=manager, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, "La synthèse pour le responsable du traitement est enregistrée."
            )
            return redirect("casework:group", group.pk)
    intro = f"{group.controller_title} la lit avec les chiffres du groupe, jamais un dossier."
    return _render(request, group, form, "Synthèse pour le responsable du traitement", intro=intro)


@private_page
@require_http_methods(["GET", "POST"])
def meeting_add(request, pk):
    """Any accepted member records a meeting the group held: a restricted governance meeting of the group's body,
    without minutes (vigie.casework.indicator_counts.record_group_meeting); it feeds the plan's meeting count."""
    group, member = access.get_group_for_user(request.user, pk)
    if member is None:  # the controller sees the group, is not in it
        raise PermissionDenied
    form = GroupMeetingForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        member.group = group
        try:
            indicator_counts.record_group_meeting(
                acting_user=request.user, member=member, date=form.cleaned_data["date"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "La réunion du groupe est enregistrée.")
            return redirect("casework:group", group.pk)
    intro = (
        "La réunion s'inscrit au calendrier de l'instance en formation restreinte, sans compte rendu : ce qui est "
        "dit des personnes reste dans leurs dossiers."
    )
    return _render(request, group, form, "Enregistrer une réunion du groupe", intro=intro)
