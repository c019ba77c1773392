"""Fetching funding objects for a user: 404 when not visible, 403 when visible but not editable."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from vigie.funding import perms
from vigie.funding.models import (
    CallProgramme,
    FundingCall,
    GrantApplication,
    GrantAttachment,
    GrantStateChange,
)


def call_queryset():
    return FundingCall.objects.select_related("fund", "department").prefetch_related(
        Prefetch("programmes", queryset=CallProgramme.objects.select_related("programme__fund"))
    )


def get_call_for_user(user, pk, *, for_edit: bool = False) -> FundingCall:
    """404 when the user does not see the call; `for_edit`: 404 outside the department, 403 for others."""
    call = get_object_or_404(call_queryset(), pk=pk)
    today = timezone.localdate()
    if not perms.can_view_call(user, call, today):
        raise Http404
    if for_edit and not perms.can_manage_calls(user, call.department_id):
        if not (user.is_authenticated and user.belongs_to(call.department_id)):
            raise Http404
        raise PermissionDenied
    return call


def application_queryset():
    return GrantApplication.objects.select_related(
        "call__fund",
        "call__department",
        "call_programme__programme__fund",
        "organisation",
        "previous_application",
    ).prefetch_related(
        "measures__axis__plan",
        "indicators",
        "communes",
        "epcis",
        "budget_lines__fund",
        "attachments",
        Prefetch("state_changes", queryset=GrantStateChange.objects.select_related("actor")),
        "payments",
    )


def get_application_for_user(
    user, pk, *, for_edit: bool = False, for_instruction: bool = False
) -> GrantApplication:
    """404 when not visible; `for_edit` (the applicant's parts) or `for_instruction` (the prefecture's
    decisions): 403 when visible but not allowed, e.g. a submitted application the applicant can no longer change.
    """
    application = get_object_or_404(application_queryset(), pk=pk)
    if not perms.can_view_application(user, application):
        raise Http404
    if for_edit and not perms.can_edit_application(user, application):
        raise PermissionDenied
    if for_instruction and not perms.can_instruct(user, application):
        raise PermissionDenied
    return application


def get_attachment_for_user(user, pk, *, application_pk, for_edit: bool = False) -> GrantAttachment:
    """An attachment of an application the user sees (404 otherwise); `for_edit`: 403 unless editable."""
    application = get_application_for_user(user, application_pk, for_edit=for_edit)
    for attachment in application.attachments.all():
        if attachment.pk == int(pk):
            return attachment
    raise Http404
