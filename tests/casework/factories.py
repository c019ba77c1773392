"""Builders of the casework tests: a Gers CLSPD with its minors' group, members who accepted the charter, and a
signed-in session that gave its second factor (required of every member)."""

import datetime

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.two_factor.helpers import enrol
from tests.factories import CommuneFactory, DepartmentFactory, UserFactory
from tests.governance.factories import ClspdFactory
from vigie.accounts.enums import Role
from vigie.casework import services
from vigie.casework.enums import GroupKind, MemberRole

START = datetime.date(2026, 1, 5)


def make_group(
    *,
    department=None,
    name="Mineurs exposés à la délinquance",
    controller=None,
    commune_name="Condom",
):
    """A CLSPD's group (set up by a prefecture agent of the department); (group, prefecture agent)."""
    department = department or DepartmentFactory(code="32", name="Gers")
    commune = CommuneFactory(department=department, name=commune_name)
    council = ClspdFactory(department=department, commune=commune)
    agent = UserFactory(role=Role.PREFECTURE, department=department)
    controller = controller or UserFactory(
        role=Role.READER, department=department, last_name="Maire"
    )
    group = services.create_group(
        acting_user=agent,
        department=department,
        body=council,
        kind=GroupKind.COUNCIL_GROUP,
        data={"name": name, "controller": controller, "controller_title": "Maire de Condom"},
    )
    return group, agent


def make_member(
    group, *, role=MemberRole.REFERENT, accept=True, user=None, agent=None, start_date=START
):
    """A member of the group (a coordinator role account of the department), accepting the charter if `accept`."""
    user = user or UserFactory(role=Role.COORDINATOR, department=group.department)
    agent = agent or UserFactory(role=Role.PREFECTURE, department=group.department)
    member = services.add_member(
        acting_user=agent, group=group, manager=None, user=user, role=role, start_date=start_date
    )
    if accept:
        services.accept_charter(acting_user=user, group=group, version=group.current_charter())
    return member


def sign_in(client, user):
    """Sign in as `user` with a verified second factor (enrolled on the way if needed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        enrol(user)
        device = TOTPDevice.objects.get(user=user, confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def make_case(member, *, last_name="DUPONT-FICTIF", first_name="Léo", **extra):
    """A case opened by `member` (a commune of the group's department)."""
    from vigie.casework import case_services
    from vigie.casework.enums import ReferralReason, ReferralSource

    data = {
        "last_name": last_name,
        "first_name": first_name,
        "birth_date": datetime.date(2011, 3, 14),
        "commune": member.group.body.commune,
        "referral_reason": ReferralReason.SCHOOL_DROPOUT,
        "referral_source": ReferralSource.SCHOOL,
        **extra,
    }
    return case_services.open_case(acting_user=member.user, member=member, data=data)
