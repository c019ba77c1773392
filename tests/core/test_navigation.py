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
        "Organisations",
    ]
    assert [item["label"] for item in menu if item["active"]] == ["Statistiques"]


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
