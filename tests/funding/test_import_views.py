"""The import pages of a call: upload, column mapping, preview with located errors, confirmation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.funding.import_data import HEADERS, build_world, export, good_rows
from vigie.funding.application_import import guess_mapping, save_import_mapping
from vigie.funding.enums import ApplicationState
from vigie.funding.models import ApplicationImportMapping, GrantApplication

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def agent(world, make_user, client):
    user = make_user("prefecture", world["gers"])
    client.force_login(user)
    return user


def _upload(client, call, rows, fmt="xlsx", headers=HEADERS, **extra):
    name, data = export(rows, fmt, headers)
    return client.post(
        reverse("funding:call_import", args=[call.pk]),
        {"file": SimpleUploadedFile(name, data), **extra},
    )


def test_the_call_page_links_to_the_import(client, world, agent):
    response = client.get(world["call"].get_absolute_url())
    assert reverse("funding:call_import", args=[world["call"].pk]) in response.content.decode()


def test_first_import_maps_the_columns_then_previews_then_creates(client, world, agent):
    call = world["call"]
    response = _upload(client, call, good_rows(call))
    mapping_url = reverse("funding:call_import_mapping", args=[call.pk])
    assert response.status_code == 302 and response.url == mapping_url
    page = client.get(mapping_url).content.decode()
    assert 'value="Montant demandé" selected' in page  # guessed from the header
    columns = guess_mapping(HEADERS)
    response = client.post(mapping_url, columns)
    preview_url = reverse("funding:call_import_preview", args=[call.pk])
    assert response.status_code == 302 and response.url == preview_url
    assert ApplicationImportMapping.objects.get(call=call).columns == columns
    page = client.get(preview_url).content.decode()
    assert "2 dossiers à créer" in page and "Médiation de soirée à Auch" in page
    assert not GrantApplication.objects.exists()
    response = client.post(preview_url)
    assert response.status_code == 302
    assert response.url == reverse("funding:call_applications", args=[call.pk])
    assert GrantApplication.objects.filter(state=ApplicationState.SUBMITTED).count() == 2


def test_a_mapping_without_a_required_column_is_refused(client, world, agent):
    call = world["call"]
    _upload(client, call, good_rows(call))
    columns = {k: v for k, v in guess_mapping(HEADERS).items() if k != "total_cost"}
    response = client.post(reverse("funding:call_import_mapping", args=[call.pk]), columns)
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not ApplicationImportMapping.objects.exists()


def test_a_saved_mapping_goes_straight_to_the_preview_unless_asked(client, world, agent):
    call = world["call"]
    save_import_mapping(acting_user=agent, call=call, columns=guess_mapping(HEADERS))
    response = _upload(client, call, good_rows(call), "ods")
    assert response.url == reverse("funding:call_import_preview", args=[call.pk])
    response = _upload(client, call, good_rows(call), "csv", remap="on")
    assert response.url == reverse("funding:call_import_mapping", args=[call.pk])


def test_errors_are_shown_located_and_confirming_writes_nothing(client, world, agent):
    call = world["call"]
    save_import_mapping(acting_user=agent, call=call, columns=guess_mapping(HEADERS))
    rows = good_rows(call)
    rows[1][9] = "beaucoup"
    _upload(client, call, rows)
    preview_url = reverse("funding:call_import_preview", args=[call.pk])
    page = client.get(preview_url).content.decode()
    assert (
        "Ligne 3, colonne « Montant demandé » : « beaucoup » n&#x27;est pas un montant en euros."
        in page
    )
    assert "Rien n'a été enregistré" in page
    response = client.post(preview_url)
    assert response.status_code == 200
    assert not GrantApplication.objects.exists()


def test_an_unreadable_file_is_refused_beside_the_field(client, world, agent):
    response = client.post(
        reverse("funding:call_import", args=[world["call"].pk]),
        {"file": SimpleUploadedFile("dossiers.xlsx", b"PK\x03\x04 broken")},
    )
    assert response.status_code == 200
    assert "n&#x27;est pas un classeur XLSX lisible" in response.content.decode()


def test_preview_queries_do_not_grow_with_the_rows(
    client, world, agent, django_assert_max_num_queries
):
    call = world["call"]
    save_import_mapping(acting_user=agent, call=call, columns=guess_mapping(HEADERS))
    template = good_rows(call)
    rows = []
    for number in range(150):
        row = list(template[number % 2])
        row[0] = f"DS-{2000 + number}"
        rows.append(row)
    _upload(client, call, rows)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("funding:call_import_preview", args=[call.pk]))
    assert "150 dossiers à créer" in response.content.decode()
