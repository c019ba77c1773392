"""Read-side helpers for territory pages, each with a fixed, small number of queries."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from vigie.territories.models import Commune, Department, Epci, SecurityArea


def communes_over(department: Department | str, population: int) -> QuerySet[Commune]:
    """Communes of a department with at least ``population`` inhabitants, most populous first.

    ``department`` is a Department or its INSEE code. One query when evaluated; the department,
    arrondissement and EPCI of each commune come with it.
    """
    communes = Commune.objects.filter(population__gte=population)
    if isinstance(department, Department):
        communes = communes.filter(department=department)
    else:
        communes = communes.filter(department__code=department)
    return communes.select_related("department", "arrondissement", "epci").order_by(
        "-population", "name"
    )


def epci_for_commune(commune: Commune) -> Epci | None:
    """The commune's EPCI with its departments (None when the commune belongs to none).

    No query when the commune has no EPCI; otherwise two (the EPCI, its departments).
    """
    if commune.epci_id is None:
        return None
    return (
        Epci.objects.prefetch_related(
            Prefetch("departments", queryset=Department.objects.order_by("code"))
        )
        .filter(pk=commune.epci_id)
        .first()
    )


def get_commune_or_404(code: str) -> Commune:
    """A commune by INSEE code with its department, region, arrondissement, EPCI and security
    areas: two queries."""
    return get_object_or_404(
        Commune.objects.select_related(
            "department__region", "arrondissement", "epci"
        ).prefetch_related(
            Prefetch("security_areas", queryset=SecurityArea.objects.order_by("kind", "name"))
        ),
        code=code,
    )


def get_epci_or_404(code: str) -> Epci:
    """An EPCI by SIREN with its departments and its member communes (by name, with their
    department and arrondissement): three queries."""
    return get_object_or_404(
        Epci.objects.prefetch_related(
            Prefetch("departments", queryset=Department.objects.order_by("code")),
            Prefetch(
                "communes",
                queryset=Commune.objects.select_related("department", "arrondissement").order_by(
                    "name"
                ),
            ),
        ),
        code=code,
    )
