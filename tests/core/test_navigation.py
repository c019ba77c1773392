import pytest
from django.test import RequestFactory

from tests.factories import DepartmentFactory, UserFactory
from vigie.core.context_processors import navigation


@pytest.mark.django_db
def test_menu_marks_the_current_section_and_offers_the_users_department():
    request = RequestFactory().get("/statistiques/32/")
    request.user = UserFactory(department=DepartmentFactory(code="32", name="Gers"))
    menu = navigation(request)["main_menu"]
    labels = [item["label"] for item in menu]
    assert labels == [
        "Plans",
        "Mon département (32)",
        "Statistiques",
        "Gouvernance",
        "Financements",
        "Organisations",
    ]
    assert [item["label"] for item in menu if item["active"]] == ["Statistiques"]


@pytest.mark.django_db
def test_an_applicant_s_menu_offers_its_applications_not_governance():
    request = RequestFactory().get("/financements/mes-demandes/")
    request.user = UserFactory(
        role="applicant", department=DepartmentFactory(code="32", name="Gers")
    )
    menu = navigation(request)["main_menu"]
    labels = [item["label"] for item in menu]
    assert "Mes demandes" in labels and "Gouvernance" not in labels and "Financements" not in labels
    assert [item["label"] for item in menu if item["active"]] == ["Mes demandes"]


@pytest.mark.django_db
def test_anonymous_menu_has_no_department_entry():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    menu = navigation(request)["main_menu"]
    assert [item["label"] for item in menu if item["active"]] == ["Plans"]
    assert not any(item["label"].startswith("Mon département") for item in menu)
    assert "Gouvernance" not in [item["label"] for item in menu]
