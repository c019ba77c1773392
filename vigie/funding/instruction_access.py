"""Who instructs, who gives an opinion, who runs the funders' committee; fetching those objects for a user.

- The department's prefecture agents (and national administrators) instruct its applications and run its
  committee sessions: they see the queue, the private notes, every opinion.
- A person asked for an opinion sees only the applications they were asked about, through their request.
Not visible: 404 (another department, an opinion asked of someone else, any applicant). Visible but not allowed:
403 (e.g. a member of the department who is not a prefecture agent opening the committee's programming, or an
opinion already given that the expert tries to change).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from vigie.accounts.enums import Role
from vigie.funding import perms
from vigie.funding.access import get_application_for_user
from vigie.funding.models import (
    CommitteeItem,
    CommitteeSession,
    FunderProposal,
    GrantApplication,
    OpinionRequest,
)
from vigie.territories.models import Department


def can_instruct_department(user, department_id) -> bool:
    return perms.is_prefecture_of(user, department_id)


def can_be_asked_opinion(user, department_id) -> bool:
    """Any active account working in the department, except project applicants."""
    return (
        bool(user.is_authenticated)
        and user.is_active
        and user.role not in (Role.APPLICANT, Role.NONE)
        and user.belongs_to(department_id)
    )


def is_member_of(user, department_id) -> bool:
    return bool(user.is_authenticated) and user.belongs_to(department_id)


def get_department_for_user(user, code) -> Department:
    """The department whose queue (or committee) the user opens: 404 outside it, 403 when not a prefecture agent."""
    department = get_object_or_404(Department, code=code)
    if not is_member_of(user, department.pk):
        raise Http404
    if not can_instruct_department(user, department.pk):
        raise PermissionDenied
    return department


def get_instructed_application_for_user(user, pk) -> GrantApplication:
    """404 when the application is not visible (the applicant sees its own: then 403, instruction is private)."""
    application = get_application_for_user(user, pk)
    if not can_instruct_department(user, application.call.department_id):
        raise PermissionDenied
    return application


def opinion_queryset():
    return OpinionRequest.objects.select_related(
        "application__call__fund",
        "application__call__department",
        "application__call_programme__programme__fund",
        "application__organisation",
        "expert",
        "requested_by",
    )


def get_opinion_for_user(user, pk, *, for_answer: bool = False) -> OpinionRequest:
    """The expert asked, or the department's instructors: others 404. `for_answer`: only the expert, while it is
    not given (403 otherwise)."""
    request = get_object_or_404(opinion_queryset(), pk=pk)
    department_id = request.application.call.department_id
    is_expert = bool(user.is_authenticated) and request.expert_id == user.pk
    if not is_expert and not can_instruct_department(user, department_id):
        raise Http404
    if for_answer and (not is_expert or request.is_given):
        raise PermissionDenied
    return request


def session_queryset():
    return CommitteeSession.objects.select_related("meeting__body", "department").prefetch_related(
        Prefetch(
            "items",
            queryset=CommitteeItem.objects.select_related(
                "application__organisation",
                "application__previous_application",
                "application__call__fund",
                "application__call_programme__programme__fund",
            ).prefetch_related(
                Prefetch("proposals", queryset=FunderProposal.objects.select_related("fund")),
                "application__budget_lines",
                "application__measures",
            ),
        )
    )


def get_session_for_user(user, pk, *, for_programming: bool = True) -> CommitteeSession:
    """Another department's session, or an applicant: 404; a member of the department who is not a prefecture
    agent: 403 (the programming is the funders' working document until the minutes are published).
    `for_programming`: with the agenda, its proposals and budgets prefetched (else the session alone)."""
    queryset = (
        session_queryset()
        if for_programming
        else CommitteeSession.objects.select_related("department", "meeting__body")
    )
    session = get_object_or_404(queryset, pk=pk)
    if not is_member_of(user, session.department_id) or user.role == Role.APPLICANT:
        raise Http404
    if not can_instruct_department(user, session.department_id):
        raise PermissionDenied
    return session
