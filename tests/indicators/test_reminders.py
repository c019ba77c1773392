"""E-mail reminders (Django's outbox) and the page of who has not reported."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from vigie.indicators import reminders, services
from vigie.indicators.enums import ReminderKind
from vigie.indicators.models import ReminderLog
from vigie.indicators.territory import resolve_key


def test_overdue_value_sends_a_reminder(world):
    deadline = world.campaign.deadline
    # The CISPD coordinator entered Auch but not Pavie nor the EPCI value: both are overdue.
    services.save_value(
        acting_user=world.users.coordinator,
        campaign=world.campaign,
        indicator=world.commune_indicator,
        territory=resolve_key("C32013", world.gers),
        period="2025",
        value=Decimal(2),
        submit=True,
    )
    sent = reminders.send_reminders(today=deadline + timedelta(days=1))
    recipients = {user.username: count for _, user, kind, count in sent}
    assert recipients["coord-auch"] == 2
    messages = {m.to[0]: m for m in mail.outbox}
    message = messages[world.users.coordinator.email]
    assert message.subject.startswith("[Vigie] En retard : Bilan 2025")
    assert "1 jour de retard" in message.body
    assert "Pavie" in message.body and "Auch —" not in message.body.replace("Grand Auch", "")
    assert f"/indicateurs/campagnes/{world.campaign.pk}/" in message.body
    assert message.alternatives and "text/html" in message.alternatives[0][1]
    # Department-level indicators fall to the pilots of the measure.
    assert world.users.pilot.email in messages
    assert ReminderLog.objects.filter(kind=ReminderKind.OVERDUE).count() == len(mail.outbox)
    # Once a day only.
    count = len(mail.outbox)
    reminders.send_reminders(today=deadline + timedelta(days=1))
    assert len(mail.outbox) == count


def test_reminders_before_the_deadline_and_not_in_between(world):
    deadline = world.campaign.deadline
    assert (
        reminders.reminder_kind(world.campaign, deadline - timedelta(days=7))
        == ReminderKind.BEFORE_DEADLINE
    )
    assert reminders.reminder_kind(world.campaign, deadline - timedelta(days=3)) is None
    assert (
        reminders.reminder_kind(world.campaign, deadline + timedelta(days=8))
        == ReminderKind.OVERDUE
    )
    assert reminders.reminder_kind(world.campaign, deadline + timedelta(days=2)) is None
    reminders.send_reminders(today=deadline - timedelta(days=7))
    assert mail.outbox
    assert all(m.subject.startswith("[Vigie] Rappel : Bilan 2025") for m in mail.outbox)
    assert "dans 7 jours" in mail.outbox[0].body


def test_reported_values_and_closed_campaigns_get_no_reminder(world):
    for key, indicator in (
        ("C32013", world.commune_indicator),
        ("C32307", world.commune_indicator),
        ("E200066926", world.epci_indicator),
    ):
        services.save_value(
            acting_user=world.users.coordinator,
            campaign=world.campaign,
            indicator=indicator,
            territory=resolve_key(key, world.gers),
            period="2025",
            value=Decimal(1),
            submit=True,
        )
    sent = reminders.send_reminders(today=world.campaign.deadline + timedelta(days=1))
    assert world.users.coordinator.username not in {user.username for _, user, _, _ in sent}
    services.close_campaign(acting_user=world.users.prefecture, campaign=world.campaign)
    mail.outbox.clear()
    reminders.send_reminders(today=world.campaign.deadline + timedelta(days=1))
    assert not [m for m in mail.outbox if "Bilan 2025" in m.subject and "Gers" in m.body]


def test_command(world):
    out = StringIO()
    day = (world.campaign.deadline + timedelta(days=1)).isoformat()
    call_command("send_indicator_reminders", "--date", day, "--dry-run", stdout=out)
    assert "relance(s) à envoyer" in out.getvalue()
    assert not mail.outbox
    call_command("send_indicator_reminders", "--date", day, stdout=out)
    assert mail.outbox


def test_missing_page_lists_who_has_not_reported(world, client):
    client.force_login(world.users.prefecture)
    content = client.get(reverse("indicators:missing", args=[world.campaign.pk])).content.decode()
    assert world.users.coordinator.email in content
    assert "Pavie (32307)" in content
    assert "Intervenir dans les écoles" in content  # action without progress report
    assert "Condom (32107)" in content  # the CLSPD coordinator of Condom


def test_missing_report_groups(world):
    groups = {
        g.user.username if g.user else None: g for g in reminders.missing_report(world.campaign)
    }
    assert {(v.territory.key, v.indicator.pk) for v in groups["coord-auch"].values} == {
        ("C32013", world.commune_indicator.pk),
        ("C32307", world.commune_indicator.pk),
        ("E200066926", world.epci_indicator.pk),
    }
    # The quarterly indicator of measure 1.2 falls to the PJJ pilot, four quarters.
    assert len([v for v in groups["pjj32"].values if v.indicator == world.quarterly]) == 4
    assert date(2026, 3, 31) == world.campaign.deadline
