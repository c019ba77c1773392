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
@pytest.mark.parametrize(
    ("role", "entry"), [("admin", "Vue nationale"), ("regional", "Ma région"), ("reader", None)]
)
def test_the_overview_is_in_the_menu_of_those_who_oversee(role, entry):
    department = DepartmentFactory(code="32", name="Gers")
    attached = (
        {"department": None, "region": department.region}
        if role == "regional"
        else {"department": None if role == "admin" else department}
    )
    request = RequestFactory().get("/vue-d-ensemble/")
    request.user = UserFactory(role=role, **attached)
    menu = navigation(request)["main_menu"]
    overview = [item for item in menu if item["url"] == "/vue-d-ensemble/"]
    if entry is None:
        assert overview == []
    else:
        assert [(item["label"], item["active"]) for item in overview] == [(entry, True)]
