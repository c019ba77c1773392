"""Organisation directory, organisation page and glossary."""

import re

import pytest
from django.urls import reverse

from tests.factories import ActionFactory, MeasureActorFactory, OrganisationFactory
from tests.plans.factories import GlossaryEntryFactory, two_departments
from vigie.organisations.forms import fold, matches
from vigie.plans.enums import ActorRole

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"[ \t\r\n]+", " ", response.content.decode())


@pytest.fixture
def world():
    return two_departments()


def test_fold_and_matches():
    assert fold("Préfecture de l'Ariège") == "prefecture de l'ariege"
    assert matches("prefecture ariege", "Préfecture de l'Ariège")
    assert matches("DDETS", "Direction", "ddets")
    assert not matches("police", "Gendarmerie")


def test_directory_lists_and_filters_by_department(client, world):
    national = OrganisationFactory(
        department=None, name="Agence nationale de la cohésion des territoires", acronym="ANCT"
    )
    html = text(client.get(reverse("organisations:directory")))
    assert world.gers.pilot_org.name.replace("'", "&#x27;") in html
    assert world.lot.pilot_org.name.replace("'", "&#x27;") in html
    html = text(client.get(reverse("organisations:directory"), {"departement": "32"}))
    assert "Groupement de gendarmerie départementale (Gers)" in html
    assert "(Lot)" not in html
    assert national.name in html and "Organisme national" in html
    assert "4 organisations trouvées." in html


@pytest.mark.parametrize(
    "query",
    [
        "gendarmerie",
        "GENDARMERIE",
        "gendarmerie départementale",
        "GENDARMERIE departementale",
        "GGD",
        "ggd",
    ],
)
def test_directory_search_by_name_or_acronym_accent_insensitive(client, world, query):
    html = text(client.get(reverse("organisations:directory"), {"q": query, "departement": "32"}))
    assert "Groupement de gendarmerie départementale (Gers)" in html
    assert "1 organisation trouvée." in html


def test_directory_search_by_alias(client, world):
    html = text(
        client.get(reverse("organisations:directory"), {"q": "ddets-pp", "departement": "46"})
    )
    assert "Direction départementale de l&#x27;emploi (Lot)" in html
    assert "1 organisation trouvée." in html


def test_directory_filter_by_kind(client, world):
    html = text(client.get(reverse("organisations:directory"), {"nature": "securite"}))
    assert "2 organisations trouvées." in html


def test_directory_bad_filters_give_french_errors_not_500(client, world):
    response = client.get(
        reverse("organisations:directory"), {"departement": "999", "nature": "xyz"}
    )
    assert response.status_code == 200
    html = text(response)
    assert "Ce département n&#x27;existe pas ou n&#x27;a pas d&#x27;organisation." in html
    assert "Cette nature d&#x27;organisation n&#x27;existe pas." in html
    assert "0 organisation trouvée." in html


def test_directory_is_paginated_with_bounded_queries(client, world, django_assert_max_num_queries):
    for i in range(120):
        OrganisationFactory(
            department=world.gers.department, name=f"Association {i:03d} de prévention"
        )
    url = reverse("organisations:directory")
    response = client.get(url, {"departement": "32", "q": "association"})
    html = text(response)
    assert "120 organisations trouvées." in html
    assert "Association 000 de prévention" in html and "Association 050 de prévention" not in html
    page3 = text(client.get(url, {"departement": "32", "q": "association", "page": 3}))
    assert "Association 100 de prévention" in page3
    with django_assert_max_num_queries(8):
        client.get(url, {"departement": "32", "q": "association", "page": 2})
    with django_assert_max_num_queries(8):
        client.get(url, {"departement": "32", "page": 2})
    assert client.get(url, {"page": "abc"}).status_code == 200


def test_organisation_page_lists_measures_and_actions_of_visible_plans(client, make_user, world):
    gers = world.gers
    html = text(client.get(reverse("plans:organisation", args=[gers.pilot_org.pk])))
    assert "Prévenir le décrochage scolaire" in html
    assert "Pilote" in html
    assert gers.plan.get_absolute_url() in html
    assert "Mesure du projet confidentiel" not in html  # the draft plan is not public
    assert "DDETS-PP" in html  # aliases
    client.force_login(make_user("reader", gers.department))
    html = text(client.get(reverse("plans:organisation", args=[gers.pilot_org.pk])))
    assert "Mesure du projet confidentiel" in html and "Projet" in html


def test_organisation_page_lists_owned_actions(client, world):
    gers = world.gers
    html = text(client.get(reverse("plans:organisation", args=[gers.owner_org.pk])))
    assert "Cellule de veille" in html
    assert "À venir" in html
    assert "Aucune mesure d'un plan consultable ne nomme cette organisation." in html


def test_organisation_page_query_count_is_bounded(client, world, django_assert_max_num_queries):
    org = world.gers.partner_org
    for _ in range(30):
        MeasureActorFactory(
            organisation=org, role=ActorRole.PARTNER, measure__axis__plan=world.gers.plan
        )
        ActionFactory(owner=org, measure=world.gers.other_measure)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("plans:organisation", args=[org.pk]))
    assert "Mesures pilotées ou accompagnées (31)" in text(response)


def test_organisation_page_404(client, world):
    assert client.get(reverse("plans:organisation", args=[999999])).status_code == 404


def test_glossary_search(client, world):
    url = reverse("organisations:glossary", args=["32"])
    html = text(client.get(url))
    assert "CLSPD" in html and "PJJ" in html and "3 sigles." in html
    html = text(client.get(url, {"q": "securite"}))
    assert "CLSPD" in html and "PJJ" not in html
    assert "1 sigle sur 3 pour « securite »." in html
    html = text(client.get(url, {"q": "zzz"}))
    assert "Aucun sigle ne correspond à « zzz »." in html


def test_glossary_htmx_returns_the_results_fragment(client, world):
    response = client.get(
        reverse("organisations:glossary", args=["32"]), {"q": "pjj"}, HTTP_HX_REQUEST="true"
    )
    html = text(response)
    assert html.lstrip().startswith('<div id="glossary-results">')
    assert "Protection judiciaire de la jeunesse" in html
    assert 'hx-swap-oob="innerHTML"' in html and "1 sigle sur 3" in html
    assert "<html" not in html


def test_glossary_is_per_department(client, world):
    GlossaryEntryFactory(
        department=world.lot.department, acronym="QUERCY", definition="Pays du Lot"
    )
    assert "QUERCY" not in text(client.get(reverse("organisations:glossary", args=["32"])))
    assert "QUERCY" in text(client.get(reverse("organisations:glossary", args=["46"])))
    assert client.get(reverse("organisations:glossary", args=["999"])).status_code == 404
