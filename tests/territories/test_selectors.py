"""Query helpers for the territory pages: results and bounded query counts."""

import pytest
from django.http import Http404

from vigie.territories import selectors
from vigie.territories.models import Commune, Department

pytestmark = pytest.mark.django_db


def test_communes_over(loaded, django_assert_num_queries):
    lot = Department.objects.get(code="46")
    with django_assert_num_queries(1):
        communes = list(selectors.communes_over(lot, 3617))
        labels = [(c.name, c.department.code, c.arrondissement.name, c.epci.name) for c in communes]
    assert labels == [
        ("Cahors", "46", "Cahors", "CA du Grand Cahors"),
        ("Figeac", "46", "Figeac", "CC Entre Lot et Garonne"),
        ("Pradines", "46", "Cahors", "CA du Grand Cahors"),
    ]
    assert [c.code for c in selectors.communes_over("46", 10_000)] == ["46042"]


def test_epci_for_commune(loaded, django_assert_num_queries):
    figeac = Commune.objects.get(code="46102")
    with django_assert_num_queries(2):
        epci = selectors.epci_for_commune(figeac)
        departments = [d.code for d in epci.departments.all()]
    assert (epci.code, departments) == ("200099999", ["46", "47"])
    ajaccio = Commune.objects.get(code="2A004")
    with django_assert_num_queries(0):
        assert selectors.epci_for_commune(ajaccio) is None


def test_get_commune_or_404(loaded, django_assert_num_queries):
    with django_assert_num_queries(2):
        commune = selectors.get_commune_or_404("46042")
        summary = (
            commune.department.region.name,
            commune.arrondissement.name,
            commune.epci.name,
            [str(area) for area in commune.security_areas.all()],
        )
    assert summary == (
        "Occitanie",
        "Cahors",
        "CA du Grand Cahors",
        ["Circonscription de sécurité publique de Cahors"],
    )
    with pytest.raises(Http404):
        selectors.get_commune_or_404("99999")


def test_get_epci_or_404(loaded, django_assert_num_queries):
    with django_assert_num_queries(3):
        epci = selectors.get_epci_or_404("200099999")
        departments = [d.code for d in epci.departments.all()]
        communes = [(c.name, c.department.code, c.arrondissement.code) for c in epci.communes.all()]
    assert departments == ["46", "47"]
    assert communes == [("Agen", "47", "471"), ("Figeac", "46", "462"), ("Mercuès", "46", "461")]
    with pytest.raises(Http404):
        selectors.get_epci_or_404("000000000")
