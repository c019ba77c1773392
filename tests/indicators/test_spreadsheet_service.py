"""import_spreadsheet: the one service behind the upload page (preview, then confirmed import)."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from vigie.audit.enums import AuditAction
from vigie.audit.models import AuditEntry
from vigie.indicators import services, spreadsheets
from vigie.indicators.models import IndicatorValue


def filled(world, values):
    rows = []
    for row in spreadsheets.template_rows(world.campaign, world.users.coordinator):
        row[7] = values.get(row[4], "")
        rows.append(row)
    return spreadsheets.build_ods(world.campaign, rows)


def run(world, data, **kwargs):
    return services.import_spreadsheet(
        acting_user=world.users.coordinator,
        campaign=world.campaign,
        filename="bilan.ods",
        data=data,
        **kwargs,
    )


def test_dry_run_checks_and_writes_nothing(world):
    outcome = run(world, filled(world, {"32013": 7, "32307": 3}), dry_run=True)
    assert outcome.check.ok and len(outcome.check.lines) == 2 and outcome.summary is None
    assert not IndicatorValue.objects.exists() and not AuditEntry.objects.exists()


def test_import_writes_every_row_with_its_audit_entry(world):
    outcome = run(world, filled(world, {"32013": 7, "32307": 3}), submit=True, dry_run=False)
    assert (outcome.summary.created, outcome.summary.updated) == (2, 0)
    values = {v.territory_key: v for v in IndicatorValue.objects.all()}
    assert values["C32013"].value == Decimal("7") and values["C32013"].status == "submitted"
    value_type = ContentType.objects.get_for_model(IndicatorValue)
    entries = AuditEntry.objects.filter(content_type=value_type)
    assert {e.object_id for e in entries} == {str(v.pk) for v in values.values()}
    assert {e.action for e in entries} == {AuditAction.CREATE}
    assert {e.reason for e in entries} == {"Import du fichier bilan.ods"}
    assert {e.parent_object_id for e in entries} == {str(world.measure.pk)}
    # Sent again with one change: one update entry, old → new.
    outcome = run(world, filled(world, {"32013": 8, "32307": 3}), submit=True, dry_run=False)
    assert (outcome.summary.updated, outcome.summary.unchanged) == (1, 1)
    update = entries.get(action=AuditAction.UPDATE)
    assert update.changes["value"] == {"label": "valeur", "old": "7", "new": "8"}


def test_a_row_in_error_writes_nothing(world):
    outcome = run(world, filled(world, {"32013": 7, "32307": "beaucoup"}), dry_run=False)
    assert not outcome.check.ok and outcome.summary is None
    assert not IndicatorValue.objects.exists() and not AuditEntry.objects.exists()


def test_unreadable_file_is_a_french_validation_error(world):
    with pytest.raises(ValidationError) as error:
        run(world, b"PK\x03\x04 broken", dry_run=True)
    assert error.value.messages and "fichier" in error.value.messages[0].lower()


def test_only_people_who_enter_values_import(world):
    with pytest.raises(PermissionDenied):
        services.import_spreadsheet(
            acting_user=world.users.reader,
            campaign=world.campaign,
            filename="bilan.ods",
            data=filled(world, {"32013": 7}),
            dry_run=False,
        )
    assert not IndicatorValue.objects.exists()
