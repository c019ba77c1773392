"""Commune and EPCI pages."""

import re

import pytest
from django.urls import reverse

from tests.factories import CommuneFactory, EpciFactory
from tests.plans.factories import two_departments

pytestmark = pytest.mark.django_db
NNBSP = "\u202f"


def text(response) -> str:
    return re.sub(r"[ \t\r\n]+", " ", response.content.decode())


@pytest.fixture
def world():
    return two_departments()


def test_commune_page(client, world):
    html = text(client.get(reverse("plans:commune", args=["32013"])))
    assert "<h1>Préfecture-sur-Rivière</h1>" in html
    assert "32013" in html and "32000" in html
    assert "Gers (32)" in html and "Occitanie" in html
    assert "Arrondissement test" in html
    assert 'href="/territoires/epci/232000000/">Grand Gers</a>' in html
    assert f"21{NNBSP}986 habitants" in html
    assert "Zone police" in html
    assert "Circonscription de sécurité publique" in html
    assert world.gers.plan.title in html
    assert world.gers.draft_plan.title not in html  # drafts are for members


def test_commune_page_shows_the_draft_to_members(client, make_user, world):
    client.force_login(make_user("reader", world.gers.department))
    assert world.gers.draft_plan.title in text(client.get(reverse("plans:commune", args=["32013"])))


def test_commune_page_without_optional_data(client, world):
    CommuneFactory(department=world.lot.department, code="46999", name="Isolée", population=None)
    html = text(client.get(reverse("plans:commune", args=["46999"])))
    assert "Aucune" in html and "Non renseignée" in html


def test_commune_404(client, world):
    assert client.get(reverse("plans:commune", args=["00000"])).status_code == 404


def test_epci_page_lists_member_communes_sorted(client, world):
    html = text(client.get(reverse("territories:epci", args=["232000000"])))
    assert "<h1>Grand Gers</h1>" in html
    assert "Communauté d&#x27;agglomération" in html
    assert f"40{NNBSP}000 habitants" in html
    assert html.index("Abbaye") < html.index("Préfecture-sur-Rivière") < html.index("Zèbre")
    assert f"25{NNBSP}436" in html  # total of the member communes
    html = text(client.get(reverse("territories:epci", args=["232000000"]), {"tri": "population"}))
    assert html.index("Préfecture-sur-Rivière") < html.index("Zèbre") < html.index("Abbaye")
    assert (
        client.get(reverse("territories:epci", args=["232000000"]), {"tri": "x"}).status_code == 200
    )


def test_epci_page_query_count_is_bounded(client, world, django_assert_max_num_queries):
    epci = EpciFactory(code="200000999", name="Grande intercommunalité")
    for i in range(150):
        CommuneFactory(
            department=world.gers.department, code=f"32{500 + i}", epci=epci, population=i
        )
    with django_assert_max_num_queries(6):
        response = client.get(reverse("territories:epci", args=[epci.code]))
    assert text(response).count('href="/territoires/communes/') == 150


def test_epci_404(client, world):
    assert client.get(reverse("territories:epci", args=["000000000"])).status_code == 404
