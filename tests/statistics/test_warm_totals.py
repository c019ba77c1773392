"""After an SSMSI import, the France and region totals and the rankings are computed in the background, so the
first statistics page (or review) of the edition does not pay for them."""

import pytest
from django.core.cache import cache

from vigie.statistics import selectors
from vigie.statistics.models import Edition
from vigie.statistics.services import import_ssmsi_file


@pytest.mark.django_db
def test_import_warms_the_totals_once_committed(
    occitanie, subset_file, django_capture_on_commit_callbacks
):
    cache.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        import_ssmsi_file(acting_user=None, path=subset_file)
    edition = Edition.objects.get()
    key = f"vigie-statistics:{edition.pk}:{selectors.edition_version(edition)}:totals:FR:all"
    assert cache.get(key) is None
    assert len(callbacks) == 1
    callbacks[0]()  # the immediate task backend of the tests runs the task here
    france = cache.get(key)
    assert france and france == selectors._computed_totals(edition, None, None)
    assert cache.get(
        f"vigie-statistics:{edition.pk}:{selectors.edition_version(edition)}:totals:76:all"
    )


@pytest.mark.django_db
def test_warm_totals_covers_every_region_and_the_latest_ranking(occitanie, subset_file):
    import_ssmsi_file(acting_user=None, path=subset_file)
    edition = Edition.objects.get()
    done = selectors.warm_totals(edition)
    assert done[0] == "totals:FR" and "totals:76" in done
    assert done[-1].startswith("ranks:")
