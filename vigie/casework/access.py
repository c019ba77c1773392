"""Who may see a nominative group: 404 when the group is not visible; a current member who has not accepted the
current charter is sent to it (`CharterNotAccepted`) before any named data.

A group is visible to its current members (membership started, not ended) and to its data controller (who sees
counts and the coordinator's summary only, never a case). Nobody else — national administrators, prefecture
agents and council members outside the group included — learns that it exists. 403 when the group is visible but
the action is another's: managing members and the charter (the coordinator's, vigie.casework.perms), reading the
access log (the controller's).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from vigie.casework.enums import Level, MemberRole
from vigie.casework.models import Case, CaseGroup, CharterAcceptance, GroupMember


class CharterNotAccepted(Exception):
    """The member has not accepted the group's current charter: no named data until they do."""

    def __init__(self, group: CaseGroup):
        super().__init__(group.pk)
        self.group = group


def current_memberships(user):
    """The memberships of this person that give access today (started, not ended)."""
    if not user.is_authenticated or not user.is_active:
        return GroupMember.objects.none()
    today = timezone.localdate()
    return GroupMember.objects.filter(user=user, start_date__lte=today).exclude(end_date__lte=today)


def is_current_member(user) -> bool:
    """A member of at least one group today (vigie.casework registers it as a second-factor rule)."""
    return current_memberships(user).exists()


def current_membership(user, group) -> GroupMember | None:
    return current_memberships(user).filter(group=group).first()


def has_accepted_current_charter(user, group) -> bool:
    current = group.current_charter()
    if current is None:
        return False
    return CharterAcceptance.objects.filter(version=current, user=user).exists()


def get_group_for_user(
    user, pk, *, for_charter: bool = False, for_cases: bool = False
) -> tuple[CaseGroup, GroupMember | None]:
    """The group and the person's membership (None for the controller who is not a member).

    404 unless a current member or the controller. `for_charter`: the charter page, which members reach before
    accepting (and the controller does not need). Otherwise a member who has not accepted the current charter
    raises CharterNotAccepted. `for_cases`: the group's cases (list, new case), for members only (404 for the
    controller too).
    """
    group = get_object_or_404(CaseGroup.objects.select_related("body", "controller"), pk=pk)
    member = current_membership(user, group)
    if member is None:
        if for_charter or for_cases or not user.is_authenticated or group.controller_id != user.pk:
            raise Http404
        return group, None
    if not for_charter and not has_accepted_current_charter(user, group):
        raise CharterNotAccepted(group)
    return group, member


def get_case_for_user(user, code) -> tuple[Case, GroupMember]:
    """A case (by its opaque `code`, the public id) and the reader's membership: 404 unless a current member of
    its group (the controller included: they see counts, never a case); CharterNotAccepted until the current
    charter is accepted."""
    case = get_object_or_404(
        Case.objects.select_related("group", "commune", "referent__user"), public_id=code
    )
    group, member = get_group_for_user(user, case.group_id, for_cases=True)
    case.group = group
    return case, member


def can_read_secret(member: GroupMember, case: Case) -> bool:
    """Secret entries: the coordinator, and the social-work professionals assigned to this person."""
    if member.role == MemberRole.COORDINATOR:
        return True
    return member.role == MemberRole.SOCIAL_WORKER and case.assigned.filter(pk=member.pk).exists()


def visible_entries(member: GroupMember, case: Case):
    entries = case.entries.select_related("author")
    if can_read_secret(member, case):
        return entries
    return entries.exclude(level=Level.SECRET)
