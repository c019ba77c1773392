"""Counts of a group's cases, without any name: what the data controller sees. The plan's indicators are fed
by vigie.casework.indicator_counts (small counts shown « < 5 » there)."""

from django.db.models import Count, Q

from vigie.casework.models import Case


def group_counts(group) -> dict:
    """Open and closed cases, and people informed of their follow-up."""
    return Case.objects.filter(group=group).aggregate(
        open=Count("pk", filter=Q(closed_on__isnull=True)),
        closed=Count("pk", filter=Q(closed_on__isnull=False)),
        informed=Count("pk", filter=Q(informed_on__isnull=False)),
    )
