"""Permission matrix of the statistics pages: roles × (same department / other department).

Statistics (SSMSI bases, figures of adopted plans) are public. Importing a base (the departmental base
covers every department) is for national administrators and prefecture agents, whatever their department.
The statistics of a local council's territory follow the council's visibility (governance pages are not
public): everyone of its department and national administrators; 404 for other departments; anonymous
visitors are sent to the login page.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import ALL_ROLES
from tests.governance.factories import BodyFactory
from tests.statistics.helpers import DEPARTMENTAL_HEADER, dep_row
from vigie.governance.enums import BodyKind
from vigie.statistics.enums import EditionStatus
from vigie.statistics.models import Edition, ImportBatch
from vigie.statistics.perms import (
    can_import_statistics,
    can_publish_edition,
    can_view_edition,
    can_view_statistics,
    can_withdraw_edition,
)
from vigie.statistics.services import import_ssmsi_file

URL_NAMES_COVERED = {
    "statistics:index",
    "statistics:department",
    "statistics:indicator",
    "statistics:compare",
    "statistics:plan_comparison",
    "statistics:communes",
    "statistics:export",
    "statistics:upload",
    "statistics:territory",
    "statistics:editions",
    "statistics:edition",
    "statistics:edition_publish",
    "statistics:edition_withdraw",
}

PUBLIC_PAGES = [
    ("statistics:index", [], ""),
    ("statistics:department", ["46"], ""),
    ("statistics:indicator", ["46", "coups-et-blessures-volontaires"], ""),
    ("statistics:compare", [], "?departements=46&departements=32&indicateur=homicides"),
    ("statistics:plan_comparison", ["46"], ""),
    ("statistics:communes", ["46"], ""),
    ("statistics:export", ["communes", "csv"], "?code=46"),
    ("statistics:export", ["departement", "csv"], "?code=46"),
    ("statistics:export", ["plan", "xlsx"], "?code=46"),
    (
        "statistics:export",
        ["indicateur", "ods"],
        "?code=46&indicateur=coups-et-blessures-volontaires",
    ),
    ("statistics:export", ["comparaison", "csv"], "?departements=46&indicateur=homicides"),
]
IMPORTERS = {"admin", "prefecture"}
DEPARTMENTS = ["same", "other"]


def _user(make_user, occitanie, role, where):
    department = occitanie["lot"] if where == "same" else occitanie["gers"]
    return make_user(role, department)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("where", DEPARTMENTS)
def test_statistics_are_public(
    client, make_user, occitanie, subset_data, communal_data, role, where
):
    user = _user(make_user, occitanie, role, where)
    if user.is_authenticated:
        client.force_login(user)
    for name, args, query in PUBLIC_PAGES:
        assert client.get(reverse(name, args=args) + query).status_code == 200, (name, args, query)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("where", DEPARTMENTS)
def test_council_territory_follows_the_body(
    client, make_user, occitanie, communal_data, role, where
):
    from vigie.territories.models import Epci

    body = BodyFactory(
        department=occitanie["lot"],
        kind=BodyKind.CISPD,
        epci=Epci.objects.get(code="200023737"),
        name="CISPD du Grand Cahors",
    )
    user = _user(make_user, occitanie, role, where)
    if user.is_authenticated:
        client.force_login(user)
    for url in (
        reverse("statistics:territory", args=[body.pk]),
        reverse("statistics:export", args=["territoire", "csv"]) + f"?instance={body.pk}",
        reverse("statistics:export", args=["territoire", "xlsx"])
        + f"?instance={body.pk}&indicateur=cambriolages-de-logement&annee=2023",
    ):
        response = client.get(url)
        if not user.is_authenticated:
            assert response.status_code == 302, url
            assert reverse("accounts:login") in response["Location"]
        elif role == "admin" or where == "same":
            assert response.status_code == 200, url
        else:
            assert response.status_code == 404, url


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("where", DEPARTMENTS)
def test_upload_page(client, make_user, occitanie, role, where):
    user = _user(make_user, occitanie, role, where)
    if user.is_authenticated:
        client.force_login(user)
    response = client.get(reverse("statistics:upload"))
    if not user.is_authenticated:
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    elif role in IMPORTERS:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("where", DEPARTMENTS)
def test_upload_post(client, make_user, occitanie, role, where):
    user = _user(make_user, occitanie, role, where)
    if user.is_authenticated:
        client.force_login(user)
    content = (
        "\ufeff"
        + DEPARTMENTAL_HEADER
        + "\n"
        + dep_row("46", 2019, "Homicides", "Victime", 0)
        + "\n"
    ).encode()
    upload = SimpleUploadedFile(
        "donnee-dep-data.gouv-2024-geographie2024-produit-le2025-01-26.csv",
        content,
        content_type="text/csv",
    )
    response = client.post(reverse("statistics:upload"), {"file": upload, "is_partial": "on"})
    if not user.is_authenticated:
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
        assert not ImportBatch.objects.exists()
    elif role in IMPORTERS:
        batch = ImportBatch.objects.get()
        # The upload waits for its preview to be confirmed.
        assert response.status_code == 302 and response["Location"] == reverse(
            "statistics:edition", args=[batch.edition_id]
        )
        assert batch.imported_by == user
    else:
        assert response.status_code == 403
        assert not ImportBatch.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_perms_predicates(make_user, occitanie, role):
    user = make_user(role, occitanie["lot"])
    assert can_view_statistics(user) is True
    assert can_import_statistics(user) is (role in IMPORTERS)


@pytest.mark.django_db
def test_inactive_prefecture_agent_cannot_import(make_user, occitanie):
    user = make_user("prefecture", occitanie["lot"], is_active=False)
    assert can_import_statistics(user) is False


# --------------------------------------------------------------------------------------- editions
# A pending edition uploaded by a prefecture agent of the Lot ("same" department). It is seen by national
# administrators and the Lot's prefecture agents only (404 elsewhere). Publishing is for national
# administrators (403 for the Lot's agents); withdrawing a pending upload is also open to the Lot's
# agents; withdrawing a published edition, visible to all, is for national administrators (403 otherwise).


@pytest.fixture
def pending_edition(make_user, occitanie, tmp_path):
    uploader = make_user("prefecture", occitanie["lot"])
    path = tmp_path / "donnee-dep-data.gouv-2024-geographie2024-produit-le2025-01-26.csv"
    path.write_text(
        DEPARTMENTAL_HEADER + "\n" + dep_row("46", 2019, "Homicides", "Victime", 1) + "\n",
        encoding="utf-8",
    )
    batch = import_ssmsi_file(acting_user=uploader, path=path, partial=True, publish=False)
    return batch.edition


def _login(client, make_user, occitanie, role, where):
    user = _user(make_user, occitanie, role, where)
    if user.is_authenticated:
        client.force_login(user)
    return user


def _sent_to_login(response):
    return response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("where", DEPARTMENTS)
def test_editions_page(client, make_user, occitanie, pending_edition, role, where):
    user = _login(client, make_user, occitanie, role, where)
    response = client.get(reverse("statistics:editions"))
    if not user.is_authenticated:
        assert _sent_to_login(response)
    elif role in IMPORTERS:
        assert response.status_code == 200
        listed = pending_edition in response.context["editions"]
        assert listed is (role == "admin" or where == "same")
    else:
        assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("where", DEPARTMENTS)
def test_pending_edition_page(client, make_user, occitanie, pending_edition, role, where):
    user = _login(client, make_user, occitanie, role, where)
    response = client.get(reverse("statistics:edition", args=[pending_edition.pk]))
    if not user.is_authenticated:
        assert _sent_to_login(response)
    elif role == "admin" or (role == "prefecture" and where == "same"):
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("where", DEPARTMENTS)
def test_publish_pending_edition(client, make_user, occitanie, pending_edition, role, where):
    user = _login(client, make_user, occitanie, role, where)
    url = reverse("statistics:edition_publish", args=[pending_edition.pk])
    assert client.get(url).status_code in (302, 405)
    response = client.post(url)
    pending_edition.refresh_from_db()
    if not user.is_authenticated:
        assert _sent_to_login(response)
    elif role == "admin":
        assert response.status_code == 302
        assert pending_edition.status == EditionStatus.PUBLISHED
        return
    elif role == "prefecture" and where == "same":
        assert response.status_code == 403
    else:
        assert response.status_code == 404
    assert pending_edition.status == EditionStatus.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("where", DEPARTMENTS)
def test_withdraw_pending_edition(client, make_user, occitanie, pending_edition, role, where):
    user = _login(client, make_user, occitanie, role, where)
    response = client.post(reverse("statistics:edition_withdraw", args=[pending_edition.pk]))
    pending_edition.refresh_from_db()
    if not user.is_authenticated:
        assert _sent_to_login(response)
    elif role == "admin" or (role == "prefecture" and where == "same"):
        assert response.status_code == 302
        assert pending_edition.status == EditionStatus.WITHDRAWN
        return
    else:
        assert response.status_code == 404
    assert pending_edition.status == EditionStatus.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("where", DEPARTMENTS)
def test_published_edition_page_and_withdrawal(
    client, make_user, occitanie, subset_data, role, where
):
    edition = subset_data.edition
    user = _login(client, make_user, occitanie, role, where)
    page = client.get(reverse("statistics:edition", args=[edition.pk]))
    publish = client.post(reverse("statistics:edition_publish", args=[edition.pk]))
    withdraw = client.post(reverse("statistics:edition_withdraw", args=[edition.pk]))
    edition.refresh_from_db()
    if not user.is_authenticated:
        assert _sent_to_login(page) and _sent_to_login(publish) and _sent_to_login(withdraw)
    elif role == "admin":
        assert (page.status_code, publish.status_code, withdraw.status_code) == (200, 403, 302)
        assert edition.status == EditionStatus.WITHDRAWN
        return
    else:
        assert (page.status_code, publish.status_code, withdraw.status_code) == (200, 403, 403)
    assert edition.status == EditionStatus.PUBLISHED


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("where", DEPARTMENTS)
def test_edition_predicates(make_user, occitanie, pending_edition, role, where):
    user = _user(make_user, occitanie, role, where)
    uploaders_prefecture = role == "prefecture" and where == "same"
    assert can_view_edition(user, pending_edition) is (role == "admin" or uploaders_prefecture)
    assert can_publish_edition(user, pending_edition) is (role == "admin")
    assert can_withdraw_edition(user, pending_edition) is (role == "admin" or uploaders_prefecture)
    published = Edition(status=EditionStatus.PUBLISHED)
    assert can_view_edition(user, published) is True
    assert can_publish_edition(user, published) is False
    assert can_withdraw_edition(user, published) is (role == "admin")
    withdrawn = Edition(status=EditionStatus.WITHDRAWN, uploader_department=occitanie["lot"])
    assert can_view_edition(user, withdrawn) is (role == "admin" or uploaders_prefecture)
    assert can_withdraw_edition(user, withdrawn) is False
