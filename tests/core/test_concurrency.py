"""Versions of edited objects: the atomic claim, the form's hidden version, ETag and If-Match."""

import pytest

from tests.factories import MeasureFactory
from vigie.audit.models import AuditEntry
from vigie.core.concurrency import (
    StaleEdit,
    VersionForm,
    bump_version,
    claim,
    claim_version,
    etag_for,
    parse_if_match,
)
from vigie.plans import services
from vigie.plans.models import Measure

pytestmark = pytest.mark.django_db


def test_claim_version_moves_the_read_version_to_the_next():
    measure = MeasureFactory()
    assert measure.version == 1
    assert claim_version(Measure, measure.pk, 1) == 1
    measure.refresh_from_db()
    assert measure.version == 2


def test_claim_version_of_a_stale_version_writes_nothing():
    measure = MeasureFactory()
    claim_version(Measure, measure.pk, 1)
    assert claim_version(Measure, measure.pk, 1) == 0
    measure.refresh_from_db()
    assert measure.version == 2


def test_of_two_claims_read_at_the_same_version_exactly_one_passes():
    measure = MeasureFactory()
    results = [claim_version(Measure, measure.pk, 1) for _ in range(2)]
    assert results == [1, 0]


def test_claim_raises_stale_edit_with_the_stored_object():
    measure = MeasureFactory(title="Avant")
    Measure.objects.filter(pk=measure.pk).update(title="Autre", version=3)
    with pytest.raises(StaleEdit) as caught:
        claim(measure, 2)
    assert caught.value.current.title == "Autre"
    assert caught.value.current_version == 3 and caught.value.read_version == 2


def test_stale_service_write_changes_nothing_and_adds_no_audit_entry(make_user):
    measure = MeasureFactory(title="Intitulé lu")
    user = make_user("prefecture", measure.axis.plan.department)
    services.update_measure(
        acting_user=user, measure=measure, data={"title": "Premier"}, read_version=1
    )
    late = Measure.objects.get(pk=measure.pk)
    late.version = 1  # as read before the first save
    entries = AuditEntry.objects.count()
    with pytest.raises(StaleEdit):
        services.update_measure(
            acting_user=user, measure=late, data={"title": "Second"}, read_version=1
        )
    stored = Measure.objects.get(pk=measure.pk)
    assert stored.title == "Premier" and stored.version == 2
    assert AuditEntry.objects.count() == entries


def test_a_write_by_the_system_bumps_the_version_without_a_check():
    measure = MeasureFactory()
    Measure.objects.filter(pk=measure.pk).update(version=5)
    bump_version(measure)
    assert measure.version == 6
    claim(measure, None)
    assert Measure.objects.get(pk=measure.pk).version == 7 == measure.version


def test_an_unchanged_save_keeps_the_version(make_user):
    measure = MeasureFactory(title="Pareil")
    user = make_user("prefecture", measure.axis.plan.department)
    services.update_measure(
        acting_user=user, measure=measure, data={"title": "Pareil"}, read_version=1
    )
    assert Measure.objects.get(pk=measure.pk).version == 1


def test_version_form_carries_and_pops_the_version():
    measure = MeasureFactory()
    form = VersionForm(versioned_instance=measure)
    assert 'type="hidden" name="version" value="1"' in str(form)
    bound = VersionForm({"version": "1"}, versioned_instance=measure)
    assert bound.is_valid() and bound.read_version == 1 and "version" not in bound.cleaned_data


@pytest.mark.parametrize("data", [{}, {"version": "abc"}, {"version": "0"}])
def test_version_form_without_a_usable_version_is_invalid_in_french(data):
    form = VersionForm(data, versioned_instance=MeasureFactory())
    assert not form.is_valid()
    assert "rechargez la page" in form.non_field_errors()[0]


def test_etag_and_if_match():
    measure = MeasureFactory()
    assert etag_for(measure) == '"v1"'
    assert parse_if_match('"v1"') == 1
    assert parse_if_match(' "v12" ') == 12
    for header in (None, "", "*", 'W/"v1"', '"1"', "v1", '"v1", "v2"', '"v' + "9" * 30 + '"'):
        assert parse_if_match(header) is None


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transactions_claiming_the_same_version_one_wins():
    """On PostgreSQL, the second UPDATE waits for the first transaction, then matches no row."""
    import threading

    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL")
    measure = MeasureFactory()
    first_claimed, results = threading.Event(), {}

    def first():
        with transaction.atomic():
            results["first"] = claim_version(Measure, measure.pk, 1)
            first_claimed.set()
            threading.Event().wait(0.5)  # hold the row while the second one tries
        connection.close()

    def second():
        first_claimed.wait(5)
        with transaction.atomic():
            results["second"] = claim_version(Measure, measure.pk, 1)
        connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert results == {"first": 1, "second": 0}
    assert Measure.objects.get(pk=measure.pk).version == 2
