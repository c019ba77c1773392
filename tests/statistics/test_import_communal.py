"""The SSMSI communal base: stored as published, one partition per edition on PostgreSQL."""

from decimal import Decimal

import pytest
from django.db import connection

from tests.statistics.conftest import ENGINES
from tests.statistics.helpers import COMMUNAL_HEADER, communal_row, write
from vigie.statistics.importers.communal import decimal_or_none, partition_name
from vigie.statistics.importers.layouts import ImportRefused
from vigie.statistics.models import CommuneIndicatorLabel, CommuneObservation, ImportBatch
from vigie.statistics.services import import_ssmsi_file

FILE_NAME = "donnee-comm-data.gouv-2024-geographie2024-produit-le2025-01-26.csv"
BURGLARIES = ("Cambriolages de logement", "Infraction")
ASSAULTS = ("Coups et blessures volontaires", "Victime")


def rows():
    return [
        communal_row("46042", 2023, *BURGLARIES, 110),
        communal_row("46042", 2024, *BURGLARIES, 120),
        communal_row("46042", 2024, *ASSAULTS, 95),
        communal_row("46001", 2024, *BURGLARIES, "NA", diffused=False, imputed="1,4285714"),
        communal_row("2A004", 2024, *BURGLARIES, 7),
    ]


def stored():
    return sorted(
        CommuneObservation.objects.values_list(
            "code", "year", "indicator_label", "unit_label", "count", "diffusion", "imputed"
        )
    )


def import_rows(tmp_path, lines, engine, name=FILE_NAME):
    return import_ssmsi_file(
        acting_user=None,
        path=write(tmp_path / name, COMMUNAL_HEADER, lines),
        engine=engine,
        partial=True,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ENGINES)
def test_rows_are_stored_as_published_with_their_wordings_mapped(tmp_path, engine):
    batch = import_rows(tmp_path, rows(), engine)
    assert (batch.row_count, batch.created_count) == (5, 5)
    assert stored() == [
        ("2A004", 2024, "Cambriolages de logement", "Infraction", 7, "diff", None),
        ("46001", 2024, "Cambriolages de logement", "Infraction", None, "ndiff", "1,4285714"),
        ("46042", 2023, "Cambriolages de logement", "Infraction", 110, "diff", None),
        ("46042", 2024, "Cambriolages de logement", "Infraction", 120, "diff", None),
        ("46042", 2024, "Coups et blessures volontaires", "Victime", 95, "diff", None),
    ]
    labels = {
        (label.indicator_label, label.indicator.slug, label.unit, label.row_count)
        for label in CommuneIndicatorLabel.objects.select_related("indicator")
    }
    assert labels == {
        ("Cambriolages de logement", "cambriolages-de-logement", "infraction", 4),
        ("Coups et blessures volontaires", "coups-et-blessures-volontaires", "victime", 1),
    }
    assert decimal_or_none(CommuneObservation.objects.get(code="46001").imputed) == Decimal(
        "1.4285714"
    )


@pytest.mark.django_db
def test_both_engines_store_the_same_rows(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("COPY engine: PostgreSQL only")
    lines = [*rows(), communal_row("1001", 2024, "  Cambriolages  de logement ", "Infraction", 3)]
    import_rows(tmp_path, lines, "orm")
    by_orm = stored()
    CommuneObservation.objects.all().delete()
    CommuneIndicatorLabel.objects.all().delete()
    import_rows(tmp_path, lines, "copy")
    assert stored() == by_orm
    assert ("01001", 2024, "Cambriolages de logement", "Infraction", 3, "diff", None) in by_orm


@pytest.mark.django_db
def test_a_new_edition_gets_its_own_attached_partition(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("partitions: PostgreSQL only")
    batch = import_rows(tmp_path, rows(), "copy")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_inherits WHERE inhrelid = %s::regclass",
            [partition_name(batch.edition)],
        )
        assert cursor.fetchone()[0] == 1
        cursor.execute(f"SELECT count(*) FROM {partition_name(batch.edition)}")
        assert cursor.fetchone()[0] == 5
        cursor.execute("SELECT count(*) FROM statistics_communeobservation_default")
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ENGINES)
def test_reimport_writes_only_what_changed(tmp_path, engine):
    import_rows(tmp_path, rows(), engine)
    again = import_rows(tmp_path, rows(), engine)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 5)
    assert ImportBatch.objects.count() == 1
    changed = rows()
    changed[1] = communal_row("46042", 2024, *BURGLARIES, 121)
    changed.append(communal_row("46043", 2024, *BURGLARIES, 4))
    batch = import_rows(tmp_path, changed, engine, name=FILE_NAME.replace("data", "data-v2"))
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (1, 1, 4)
    assert (
        CommuneObservation.objects.get(code="46042", year=2024, unit_label="Infraction").count
        == 121
    )
    assert CommuneObservation.objects.count() == 6


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (
            communal_row("46050", 2024, *BURGLARIES, "douze"),
            "Ligne 7, colonne « nombre » : « douze » n'est pas un nombre entier positif",
        ),
        (
            communal_row("46050", 2024, *BURGLARIES, -3),
            "Ligne 7, colonne « nombre » : « -3 » n'est pas un nombre entier positif",
        ),
        (
            communal_row("4605X", 2024, *BURGLARIES, 3),
            "Ligne 7, colonne « CODGEO_2024 » : « 4605X » n'est pas un code commune Insee",
        ),
        (
            communal_row("46042", 2023, *BURGLARIES, 3),
            "Ligne 7 : doublon de la ligne 2",
        ),
        (
            communal_row("46050", 2024, *BURGLARIES, 3, pop=-5),
            "Ligne 7, colonne « insee_pop » : « -5 » n'est pas un nombre positif (virgule décimale acceptée)",
        ),
        (
            communal_row("46050", 2024, *BURGLARIES, 3).replace('"1,0"', '"1,0,2"'),
            "Ligne 7, colonne « taux_pour_mille » : « 1,0,2 » n'est pas un nombre",
        ),
        (
            communal_row("46050", 2024, "cambriolages de logement", "Infraction", 3),
            "Ligne 7 : l'indicateur « Cambriolages de logement » (Infraction) est écrit de deux façons",
        ),
    ],
)
def test_a_bad_row_writes_nothing_and_is_located(tmp_path, engine, bad, message):
    with pytest.raises(ImportRefused) as refused:
        import_rows(tmp_path, [*rows(), bad], engine)
    assert any(message in error for error in refused.value.errors), refused.value.errors
    assert not CommuneObservation.objects.exists()
    assert not CommuneIndicatorLabel.objects.exists()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_a_file_as_published_takes_the_single_write_path(tmp_path, monkeypatch):
    """The usual file goes from COPY to its partition; only an unusual one is read a second time."""
    if connection.vendor != "postgresql":
        pytest.skip("COPY engine: PostgreSQL only")
    from vigie.statistics.importers import communal

    exact = []
    original = communal._exact_write
    monkeypatch.setattr(
        communal, "_exact_write", lambda *a, **k: exact.append(1) or original(*a, **k)
    )
    import_rows(tmp_path, rows(), "copy")
    assert exact == []
    import_rows(
        tmp_path,
        [communal_row("1001", 2024, *BURGLARIES, 3)],
        "copy",
        name=FILE_NAME.replace("2025-01-26", "2026-01-26"),
    )
    assert exact == [1]
    assert CommuneObservation.objects.filter(code="01001").exists()


@pytest.mark.django_db
def test_the_partition_keeps_the_primary_key_built_on_it(tmp_path):
    """Attaching must reuse the key built after the load, not build a second index."""
    if connection.vendor != "postgresql":
        pytest.skip("partitions: PostgreSQL only")
    batch = import_rows(tmp_path, rows(), "copy")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = %s::regclass",
            [partition_name(batch.edition)],
        )
        indexes = [row[0] for row in cursor.fetchall()]
        assert indexes == [f"{partition_name(batch.edition)}_pkey"]


@pytest.mark.django_db
def test_lines_in_the_published_form_are_checked_while_streaming(tmp_path, monkeypatch):
    """A published file needs no checking scan; a line in another form sends the file to the scan."""
    if connection.vendor != "postgresql":
        pytest.skip("COPY engine: PostgreSQL only")
    from vigie.statistics.importers import communal

    scans = []
    original = communal._fast_checks
    monkeypatch.setattr(
        communal, "_fast_checks", lambda *a, **k: scans.append(1) or original(*a, **k)
    )
    import_rows(tmp_path, rows(), "copy")
    assert scans == []
    # A decimal point instead of a comma is valid, but not the published form.
    import_rows(
        tmp_path,
        [communal_row("46042", 2024, *BURGLARIES, 3).replace('"1,0"', '"1.0"')],
        "copy",
        name=FILE_NAME.replace("2025-01-26", "2026-01-26"),
    )
    assert scans == [1]
    assert (
        CommuneObservation.objects.get(code="46042", edition__published_on__year=2026).rate == "1.0"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ENGINES)
def test_a_file_of_several_chunks_is_loaded_whole(tmp_path, engine):
    """Several megabytes, one line in another form in the middle, no final line break: every row stored."""
    lines = [
        communal_row(f"{dep:02d}{n:03d}", year, *BURGLARIES, n % 7)
        for dep in range(1, 41)
        for n in range(1, 101)
        for year in range(2016, 2025)
    ]
    lines[len(lines) // 2] = lines[len(lines) // 2].replace('"1,0"', '"1.0"')
    path = write(tmp_path / FILE_NAME, COMMUNAL_HEADER, lines)
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    assert path.stat().st_size > 3 * (1 << 20)
    batch = import_ssmsi_file(acting_user=None, path=path, engine=engine, partial=True)
    assert batch.created_count == len(lines) == CommuneObservation.objects.count()
    assert CommuneObservation.objects.filter(rate="1.0").count() == 1
    assert CommuneObservation.objects.get(code="40100", year=2024).count == 100 % 7
