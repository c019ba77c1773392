"""Who may see and do what with calls and grant applications. Small predicates, unit-tested one by one.

- Calls: the prefecture agents of the department (and national administrators) manage them; every member of
  the department sees them; a project applicant sees the calls of its department that have opened.
- Applications: the department's prefecture agents (and national administrators) see them all; a project
  applicant sees its own organisation's applications in its department; nobody else sees any (404).
"""

from datetime import date

from django.db.models import Q, QuerySet

from vigie.accounts.enums import Role
from vigie.funding.enums import EDITABLE_STATES
from vigie.funding.models import FundingCall, GrantApplication


def is_prefecture_of(user, department_id) -> bool:
    """A prefecture agent of that department, or a national administrator."""
    return (
        bool(user.is_authenticated)
        and user.belongs_to(department_id)
        and (user.is_national_admin or user.role == Role.PREFECTURE)
    )


def is_applicant(user) -> bool:
    """A project applicant account, attached to an organisation and a department."""
    return (
        bool(user.is_authenticated)
        and user.is_active
        and user.role == Role.APPLICANT
        and user.organisation_id is not None
        and user.department_id is not None
    )


def can_manage_calls(user, department_id) -> bool:
    return is_prefecture_of(user, department_id)


def can_view_call(user, call: FundingCall, today: date) -> bool:
    if bool(user.is_authenticated) and user.belongs_to(call.department_id):
        return True
    return (
        is_applicant(user) and user.department_id == call.department_id and call.opens_on <= today
    )


def can_apply_when_open(user, call: FundingCall) -> bool:
    """An applicant of the call's department: it may apply while the call is open."""
    return is_applicant(user) and user.department_id == call.department_id


def can_apply(user, call: FundingCall, today: date) -> bool:
    return can_apply_when_open(user, call) and call.is_open_on(today)


def is_applicant_of(user, application: GrantApplication) -> bool:
    return (
        is_applicant(user)
        and application.organisation_id == user.organisation_id
        and application.call.department_id == user.department_id
    )


def can_view_application(user, application: GrantApplication) -> bool:
    return is_prefecture_of(user, application.call.department_id) or is_applicant_of(
        user, application
    )


def can_edit_application(user, application: GrantApplication) -> bool:
    """The applicant changes its application while it is a draft or sent back for correction."""
    return is_applicant_of(user, application) and application.state in EDITABLE_STATES


def can_instruct(user, application: GrantApplication) -> bool:
    return is_prefecture_of(user, application.call.department_id)


def visible_calls(user, today: date) -> QuerySet[FundingCall]:
    """The queryset counterpart of `can_view_call`."""
    calls = FundingCall.objects.all()
    if not user.is_authenticated:
        return calls.none()
    if user.is_national_admin:
        return calls
    if is_applicant(user):
        return calls.filter(department_id=user.department_id, opens_on__lte=today)
    if user.department_id and user.belongs_to(user.department_id):
        return calls.filter(department_id=user.department_id)
    return calls.none()


def visible_applications(user) -> QuerySet[GrantApplication]:
    """The queryset counterpart of `can_view_application`."""
    applications = GrantApplication.objects.all()
    if not user.is_authenticated:
        return applications.none()
    if user.is_national_admin:
        return applications
    if is_applicant(user):
        return applications.filter(
            organisation_id=user.organisation_id, call__department_id=user.department_id
        )
    if user.role == Role.PREFECTURE and user.belongs_to(user.department_id):
        return applications.filter(call__department_id=user.department_id)
    return applications.none()


def applications_filter_for(user) -> Q:
    """The same rule as a filter, for querysets that reach applications through a relation."""
    return Q(pk__in=visible_applications(user).values("pk"))
