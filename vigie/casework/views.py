"""Pages of the nominative groups. Every page is private and never cached (`never_cache`: no-store); a member who
has not accepted the current charter is sent to it (vigie.casework.access.CharterNotAccepted)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigie.accounts import two_factor
from vigie.casework import access, access_log, indicator_counts, perms, services
from vigie.casework.counts import group_counts
from vigie.casework.forms import CharterAcceptanceForm, CharterForm, EndMembershipForm
from vigie.casework.models import CaseGroup, CharterAcceptance, GroupMember

HOME_CRUMB = {"url": "/", "title": "Accueil"}


def groups_crumb() -> dict:
    return {"url": reverse("casework:groups"), "title": "Suivi individualisé"}


def group_crumbs(group) -> list[dict]:
    return [
        groups_crumb(),
        {"url": reverse("casework:group", args=[group.pk]), "title": group.name},
    ]


def _second_factor_page(user) -> str:
    return (
        "accounts:two_factor_verify"
        if two_factor.has_confirmed_device(user)
        else "accounts:two_factor_setup"
    )


def private_page(view):
    """Signed in, second factor given, never cached, request body out of error reports, and sent to the charter
    while it is not accepted."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        # The gate (vigie.accounts.two_factor_middleware) keeps the rule's answer for a minute: a person who has
        # just become a member is checked here again, on every named page.
        session = request.session
        if not two_factor.second_factor_given(
            request.user, session
        ) and two_factor.policy_requires_second_factor(request.user, session):
            return redirect_to_login(
                request.get_full_path(), reverse(_second_factor_page(request.user))
            )
        try:
            return view(request, *args, **kwargs)
        except access.CharterNotAccepted as blocked:
            messages.info(
                request, "Acceptez la charte de confidentialité du groupe pour y accéder."
            )
            return redirect("casework:charter", blocked.group.pk)

    # Error reports (mail to the administrators, Sentry-like handlers using Django's filter) never carry the
    # request body of these pages: every POST parameter is marked sensitive.
    return login_required(never_cache(sensitive_post_parameters()(wrapper)))


@private_page
@require_GET
def groups(request):
    """The groups the person belongs to today, and those whose data controller they are."""
    memberships = access.current_memberships(request.user).select_related("group__body")
    member_of = {m.group_id: m for m in memberships}
    controlled = CaseGroup.objects.filter(controller=request.user).exclude(pk__in=member_of)
    context = {
        "page_title": "Suivi individualisé",
        "breadcrumb": [HOME_CRUMB],
        "memberships": list(memberships),
        "controlled": list(controlled.select_related("body")),
    }
    return render(request, "casework/groups.html", context)


@private_page
@require_GET
def group(request, pk):
    group, member = access.get_group_for_user(request.user, pk)
    members = group.members.select_related("user").order_by("end_date", "user__last_name")
    context = {
        "page_title": group.name,
        "breadcrumb": group_crumbs(group)[:-1],
        "group": group,
        "member": member,
        "can_manage": perms.can_manage_group(member),
        "members": list(members),
        "charter": group.current_charter(),
        "counts": group_counts(group),
        "is_controller": access_log.can_read_log(request.user, group),
        "today": timezone.localdate(),
        "meeting_dates": indicator_counts.group_meeting_dates(group),
    }
    return render(request, "casework/group.html", context)


@private_page
@require_http_methods(["GET", "POST"])
def charter(request, pk):
    """The current charter; a member accepts it here (POST)."""
    group, member = access.get_group_for_user(request.user, pk, for_charter=True)
    current = group.current_charter()
    accepted = CharterAcceptance.objects.filter(version=current, user=request.user).first()
    form = CharterAcceptanceForm(request.POST or None, initial={"version": current.pk})
    if request.method == "POST" and form.is_valid():
        version = get_object_or_404(group.charter_versions, pk=form.cleaned_data["version"])
        try:
            services.accept_charter(acting_user=request.user, group=group, version=version)
        except ValidationError as error:
            form.add_error("accept", error.message_dict.get("version", error.messages))
        else:
            messages.success(
                request, f"Vous avez accepté la version {version.number} de la charte."
            )
            return redirect("casework:group", group.pk)
    context = {
        "page_title": f"Charte de confidentialité — {group.name}",
        "breadcrumb": [groups_crumb()],
        "group": group,
        "charter": current,
        "accepted": accepted,
        "form": form,
    }
    return render(request, "casework/charter.html", context)


@private_page
@require_http_methods(["GET", "POST"])
def charter_edit(request, pk):
    """The coordinator publishes a new version of the charter."""
    group, member = access.get_group_for_user(request.user, pk)
    if not perms.can_manage_group(member):
        raise PermissionDenied
    form = CharterForm(request.POST or None, initial={"text": group.current_charter().text})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.publish_charter(
                acting_user=request.user,
                group=group,
                manager=member,
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            form.add_error("text", error.message_dict.get("text", error.messages))
        else:
            messages.success(
                request, f"Version {version.number} publiée : chaque membre doit l'accepter."
            )
            return redirect("casework:charter", group.pk)
    context = {
        "page_title": "Modifier la charte",
        "breadcrumb": group_crumbs(group),
        "group": group,
        "form": form,
    }
    return render(request, "casework/charter_form.html", context)


@private_page
@require_POST
def member_end(request, pk, member_pk):
    """The coordinator ends a membership: access and sessions of that person end at once."""
    group, manager = access.get_group_for_user(request.user, pk)
    if not perms.can_manage_group(manager):
        raise PermissionDenied
    target = get_object_or_404(
        GroupMember.objects.select_related("user"), pk=member_pk, group=group
    )
    if target.end_date is not None and target.end_date <= timezone.localdate():
        return redirect("casework:group", group.pk)
    form = EndMembershipForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.end_membership(acting_user=request.user, member=target, manager=manager, reason=reason)
    messages.success(request, f"La participation de {target.user} au groupe a pris fin.")
    return redirect("casework:group", group.pk)
