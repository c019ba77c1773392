"""Run as `python -m tests.scale_out.prepare USERNAME PASSWORD TOTP_KEY` with the scale-out settings: migrates the
scratch database, then creates the Gers (region, department) and a prefecture agent of the Gers, with a confirmed
TOTP application holding TOTP_KEY (hexadecimal): the production settings require a second factor of prefecture
agents, and the test computes the agent's code as the phone would. One process instead of `migrate` plus `shell`:
each Django start costs seconds on a busy machine."""

import sys

import django


def main(username: str, password: str, totp_key: str) -> None:
    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from vigie.accounts.enums import Role
    from vigie.accounts.models import User
    from vigie.territories.models import Department, Region

    occitanie = Region.objects.create(code="76", name="Occitanie")
    gers = Department.objects.create(code="32", name="Gers", region=occitanie)
    agent = User(
        username=username,
        first_name="Claire",
        last_name="Dupuy",
        email=f"{username}@gers.gouv.fr",
        role=Role.PREFECTURE,
        department=gers,
    )
    agent.set_password(password)
    agent.save()
    TOTPDevice.objects.create(user=agent, name="Téléphone", key=totp_key, confirmed=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
