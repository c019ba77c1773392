"""Background work of the statistics (django-tasks; the demo and production run ``manage.py db_worker``)."""

from django_tasks import task

from vigie.statistics import selectors
from vigie.statistics.models import Edition


@task()
def warm_statistics(edition_pk: int) -> None:
    """After an import: France and region totals and rankings computed once, before anyone asks for them."""
    edition = Edition.objects.filter(pk=edition_pk).first()
    if edition is not None:
        selectors.warm_totals(edition)
