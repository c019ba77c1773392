"""Spreadsheet round trip: template download, offline filling, upload with preview, all-or-nothing import."""

import html
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from vigie.indicators import spreadsheets
from vigie.indicators.enums import ValueStatus
from vigie.indicators.models import IndicatorValue


def text(response) -> str:
    return html.unescape(response.content.decode())


def download(client, world, fmt):
    response = client.get(reverse("indicators:template", args=[world.campaign.pk, fmt]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return response.content


def upload(client, world, name, data):
    url = reverse("indicators:upload", args=[world.campaign.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def confirm(client, world, response, intent="submit"):
    token = re.search(r'name="token" value="([0-9a-f]+)"', response.content.decode()).group(1)
    return client.post(
        reverse("indicators:upload", args=[world.campaign.pk]), {"token": token, "intent": intent}
    )


def fill_xlsx(data: bytes, values: dict) -> bytes:
    """values: {(territory code, indicator id): value} written in the "Valeur" column, as a person would."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Valeurs"]
    for row in sheet.iter_rows(min_row=2):
        key = (str(row[4].value), row[0].value)
        if key in values:
            row[7].value = values[key]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_template_is_prefilled_and_locked(world, client):
    client.force_login(world.users.coordinator)
    workbook = load_workbook(io.BytesIO(download(client, world, "xlsx")))
    sheet = workbook["Valeurs"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:8] == (
        "Identifiant indicateur",
        "Mesure",
        "Indicateur",
        "Unité",
        "Code territoire",
        "Territoire",
        "Période",
        "Valeur",
    )
    keys = {(r[0], r[4], r[6]) for r in rows[1:]}
    # Coordinator of the CISPD Grand Auch: its two communes for the commune indicator, its EPCI for the other.
    assert keys == {
        (world.commune_indicator.pk, "32013", "2025"),
        (world.commune_indicator.pk, "32307", "2025"),
        (world.epci_indicator.pk, "200066926", "2025"),
    }
    assert sheet.protection.sheet
    assert (
        sheet["A2"].protection.locked
        and sheet["E2"].protection.locked
        and sheet["G2"].protection.locked
    )
    assert not sheet["H2"].protection.locked and not sheet["I2"].protection.locked


def test_xlsx_filled_offline_imports_after_preview(world, client):
    client.force_login(world.users.coordinator)
    data = fill_xlsx(
        download(client, world, "xlsx"),
        {
            ("32013", world.commune_indicator.pk): 4,
            ("32307", world.commune_indicator.pk): "2,5",
            ("200066926", world.epci_indicator.pk): 1250,
        },
    )
    response = upload(client, world, "bilan.xlsx", data)
    content = text(response)
    assert "vérifié : aucune erreur" in content
    assert "3 valeurs à enregistrer" in content
    assert not IndicatorValue.objects.exists()  # nothing written before confirmation
    response = confirm(client, world, response)
    assert response.status_code == 302
    values = {v.territory_key: v for v in IndicatorValue.objects.all()}
    assert values["C32307"].value == Decimal("2.5")
    assert values["E200066926"].value == Decimal("1250")
    assert {v.status for v in values.values()} == {ValueStatus.SUBMITTED}
    assert {v.source for v in values.values()} == {"import"}
    # The same file again changes nothing.
    response = confirm(client, world, upload(client, world, "bilan.xlsx", data))
    assert IndicatorValue.objects.count() == 3


def test_ods_template_round_trip(world, client):
    client.force_login(world.users.coordinator)
    sheet, rows = spreadsheets.read_ods(download(client, world, "ods"))
    assert sheet == "Valeurs"
    assert rows[0][0] == "Identifiant indicateur"
    assert len([r for r in rows[1:] if r]) == 3
    # Filled offline: the same rows with values in the "Valeur" column.
    filled = []
    for row in spreadsheets.template_rows(world.campaign, world.users.coordinator):
        row[7] = {"32013": 7, "32307": 3, "200066926": 900}[row[4]]
        filled.append(row)
    data = spreadsheets.build_ods(world.campaign, filled)
    response = confirm(client, world, upload(client, world, "bilan.ods", data), intent="draft")
    assert response.status_code == 302
    assert sorted(IndicatorValue.objects.values_list("territory_key", "value", "status")) == [
        ("C32013", Decimal("7"), "draft"),
        ("C32307", Decimal("3"), "draft"),
        ("E200066926", Decimal("900"), "draft"),
    ]


def test_file_with_three_bad_cells_is_rejected_whole(world, client):
    client.force_login(world.users.coordinator)
    data = download(client, world, "xlsx")
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Valeurs"]
    sheet.protection.sheet = False  # someone unprotected the sheet and typed over key cells
    rows = {(str(r[4].value), r[0].value): r for r in sheet.iter_rows(min_row=2)}
    rows[("32013", world.commune_indicator.pk)][7].value = "abc"  # not a number (row 2 or 3)
    rows[("32307", world.commune_indicator.pk)][7].value = 5  # a good value, not written either
    sheet.append(
        [99999, "1.1", "Inconnu", "Nombre", "32013", "Auch", "2025", 3]
    )  # unknown indicator
    sheet.append(
        [world.commune_indicator.pk, "1.1", "x", "Nombre", "32107", "Condom", "2025", 3]
    )  # out of scope
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(client, world, "bilan.xlsx", buffer.getvalue())
    content = text(response)
    assert "refusé : 3 erreurs. Rien n'a été enregistré." in content
    auch_row = rows[("32013", world.commune_indicator.pk)][0].row
    assert (
        f"Feuille « Valeurs », ligne {auch_row}, colonne H (Valeur) : « abc » n'est pas un nombre."
        in content
    )
    assert (
        "Feuille « Valeurs », ligne 5, colonne A (Identifiant indicateur) : indicateur inconnu"
        in content
    )
    assert (
        "Feuille « Valeurs », ligne 6, colonne E (Code territoire) : le territoire Condom (32107) est hors de "
        "votre périmètre."
    ) in content
    assert 'name="token"' not in content
    assert not IndicatorValue.objects.exists()


def test_period_outside_campaign_and_duplicates_are_located(world, client):
    client.force_login(world.users.prefecture)
    rows = [
        [world.dept_indicator.pk, "1.1", "x", "Nombre", "32", "Gers", "2024", 10],
        [world.dept_indicator.pk, "1.1", "x", "Nombre", "32", "Gers", "2025", 10],
        [world.dept_indicator.pk, "1.1", "x", "Nombre", "32", "Gers", "2025", 11],
        [world.commune_indicator.pk, "1.1", "x", "Nombre", "200066926", "Grand Auch", "2025", 1],
        [world.quarterly.pk, "1.2", "x", "Nombre", "32", "Gers", "2025", 1],
    ]
    content = text(upload(client, world, "f.ods", spreadsheets.build_ods(world.campaign, rows)))
    assert (
        "ligne 2, colonne G (Période) : période « 2024 » hors de la campagne (attendu : 2025)"
        in content
    )
    assert (
        "ligne 4, colonne G (Période) : ligne en double : même indicateur, territoire et période qu'à la ligne 3"
        in content
    )
    assert "ligne 5, colonne E (Code territoire) : l'indicateur" in content
    assert (
        "ligne 6, colonne G (Période) : période « 2025 » hors de la campagne (attendu : 2025-T1, 2025-T2"
        in content
    )


def test_missing_columns_and_unreadable_files(world, client):
    client.force_login(world.users.prefecture)
    content = text(
        upload(
            client,
            world,
            "f.ods",
            spreadsheets.build_ods(
                world.campaign, [[1, 2]], protect=False, headers=["Identifiant indicateur", "Autre"]
            ),
        )
    )
    assert "colonne(s) manquante(s)" in content and "« Code territoire »" in content
    content = text(upload(client, world, "f.xlsx", b"not a zip"))
    assert (
        "Le contenu du fichier ne correspond pas à son extension : un fichier Excel (.xlsx) "
        "était attendu, c'est du texte." in content
    )
    content = text(upload(client, world, "f.xlsx", b"PK\x03\x04 broken"))
    assert "n'est pas un classeur XLSX lisible" in content
    content = text(upload(client, world, "f.ods", b"PK\x03\x04 broken"))
    assert "n'est pas un classeur ODS lisible" in content
    content = text(upload(client, world, "f.csv", b"a;b"))
    assert (
        "Format non accepté (.csv) : déposez un fichier Excel (.xlsx) ou LibreOffice Calc (.ods)."
        in content
    )


def test_upload_size_is_limited(world, client, settings):
    settings.VIGIE_MAX_UPLOAD_BYTES = 1000
    client.force_login(world.users.prefecture)
    content = text(upload(client, world, "f.xlsx", b"x" * 2000))
    assert (
        "Le fichier est trop volumineux (2 ko) : la taille maximale est de 1000 octets." in content
    )


def test_validated_values_cannot_change_through_a_file(world, client):
    client.force_login(world.users.prefecture)
    rows = [[world.dept_indicator.pk, "1.1", "x", "Nombre", "32", "Gers", "2025", 10]]
    confirm(
        client, world, upload(client, world, "f.ods", spreadsheets.build_ods(world.campaign, rows))
    )
    value = IndicatorValue.objects.get()
    value.status = ValueStatus.VALIDATED
    value.save()
    rows[0][7] = 12
    content = text(upload(client, world, "f.ods", spreadsheets.build_ods(world.campaign, rows)))
    assert (
        "cette valeur est déjà validée : corrigez-la dans Vigie en indiquant un motif." in content
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_exports(world, client, fmt):
    client.force_login(world.users.prefecture)
    rows = [[world.dept_indicator.pk, "1.1", "x", "Nombre", "32", "Gers", "2025", 10.5]]
    confirm(
        client, world, upload(client, world, "f.ods", spreadsheets.build_ods(world.campaign, rows))
    )
    response = client.get(reverse("indicators:export", args=[world.plan.pk, fmt]))
    assert response.status_code == 200
    if fmt == "csv":
        content = response.content.decode("utf-8-sig")
        assert "Identifiant indicateur" in content and "10,5" in content and "Soumise" in content
    elif fmt == "xlsx":
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert rows[1][10] == 10.5
    else:
        _, rows = spreadsheets.read_ods(response.content)
        assert rows[1][10] == 10.5
    # Anonymous people only get validated values.
    client.logout()
    response = client.get(reverse("indicators:export", args=[world.plan.pk, "csv"]))
    assert "Soumise" not in response.content.decode("utf-8-sig")


def test_ods_template_is_protected_except_the_columns_to_fill(world, client):
    import zipfile

    client.force_login(world.users.coordinator)
    data = download(client, world, "ods")
    content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml").decode()
    assert 'table:name="Valeurs" table:protected="true"' in content
    assert 'style:name="ceEdit"' in content and 'style:cell-protect="none"' in content
    assert (
        zipfile.ZipFile(io.BytesIO(data)).read("mimetype")
        == b"application/vnd.oasis.opendocument.spreadsheet"
    )


def test_campaign_filters_return_an_htmx_fragment(world, client):
    client.force_login(world.users.prefecture)
    url = reverse("indicators:campaign", args=[world.campaign.pk])
    response = client.get(url, {"territoire": "Pavie"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="tableau-saisie">')
    assert "Pavie (32307)" in content and "Condom" not in content
    page = client.get(url, {"statut": "missing", "mesure": world.measure.pk}).content.decode()
    assert "<html" in page and "Pavie (32307)" in page


def test_upload_refuses_indicators_outside_a_pilots_measures(world, client):
    client.force_login(world.users.pilot)  # DDSP: pilots measure 1.1, not 1.2
    rows = [
        [world.dept_indicator.pk, "1.1", "x", "Nombre", "32", "Gers", "2025", 10],
        [world.epci_indicator.pk, "1.2", "x", "Nombre", "200066926", "Grand Auch", "2025", 10],
    ]
    content = text(upload(client, world, "f.ods", spreadsheets.build_ods(world.campaign, rows)))
    assert (
        f"ligne 3, colonne A (Identifiant indicateur) : vous ne pouvez pas saisir l'indicateur "
        f"{world.epci_indicator.pk}."
    ) in content
    assert "refusé : 1 erreur." in content
    assert not IndicatorValue.objects.exists()


def test_a_new_upload_replaces_the_pending_one(world, client, settings):
    from django.core.files.storage import default_storage

    client.force_login(world.users.prefecture)
    rows = [[world.dept_indicator.pk, "1.1", "x", "Nombre", "32", "Gers", "2025", 10]]
    first = upload(client, world, "a.ods", spreadsheets.build_ods(world.campaign, rows))
    first_token = re.search(r'name="token" value="([0-9a-f]+)"', first.content.decode()).group(1)
    upload(client, world, "b.ods", spreadsheets.build_ods(world.campaign, rows))
    assert not default_storage.exists(f"indicator-imports/{first_token}.ods")
    response = client.post(
        reverse("indicators:upload", args=[world.campaign.pk]), {"token": first_token}
    )
    assert response.status_code == 302  # expired: back to the upload page, nothing written
    assert not IndicatorValue.objects.exists()
