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


@pytest.mark.django_db
def test_site_config_is_the_row_in_the_current_language_else_the_first(django_assert_num_queries):
    from django.utils import translation
    from dsfr.models import DsfrConfig

    from vigie.core.context_processors import site_config

    request = RequestFactory().get("/")
    with django_assert_num_queries(1):
        assert site_config(request) == {"SITE_CONFIG": None}
    english = DsfrConfig.objects.create(language="en", site_title="Vigie (en)")
    french = DsfrConfig.objects.create(language="fr", site_title="Vigie")
    with translation.override("fr"), django_assert_num_queries(1):
        assert site_config(request)["SITE_CONFIG"] == french
    with translation.override("de"):
        assert site_config(request)["SITE_CONFIG"] == english


@pytest.mark.django_db
def test_menu_takes_the_department_a_page_has_read(django_assert_num_queries):
    from vigie.accounts.models import User
    from vigie.core.context_processors import share_department_with_menu
    from vigie.territories.models import Department

    gers = DepartmentFactory(code="32", name="Gers")
    lot = DepartmentFactory(code="46", name="Lot")
    request = RequestFactory().get("/departements/46/")
    request.user = User.objects.get(pk=UserFactory(department=gers).pk)
    share_department_with_menu(
        request, Department.objects.get(pk=lot.pk)
    )  # not the user's: ignored
    share_department_with_menu(request, None)
    with django_assert_num_queries(1):
        navigation(request)
    request.user = User.objects.get(pk=request.user.pk)
    share_department_with_menu(request, Department.objects.get(pk=gers.pk))
    with django_assert_num_queries(0):
        labels = [item["label"] for item in navigation(request)["main_menu"]]
    assert "Mon département (32)" in labels
