from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import UserFactory
from tests.statistics.conftest import ENGINES
from tests.statistics.helpers import (
    COMMUNAL_HEADER,
    DEPARTMENTAL_HEADER,
    LEGACY_HEADER,
    communal_row,
    dep_row,
    quoted,
    write,
)
from vigie.audit.models import AuditEntry
from vigie.statistics.enums import TerritoryLevel
from vigie.statistics.importers.layouts import ImportRefused
from vigie.statistics.models import (
    CommuneObservation,
    Edition,
    ImportBatch,
    Observation,
    Series,
    StatisticalIndicator,
)
from vigie.statistics.services import DEMO_SSMSI_FILE, import_ssmsi_file

FILE_NAME = "donnee-dep-data.gouv-2024-geographie2024-produit-le2025-01-26.csv"


def snapshot():
    return sorted(
        Observation.objects.values_list(
            "series__indicator__slug",
            "series__code",
            "year",
            "value",
            "population",
            "dwellings",
            "is_withheld",
        )
    )


def lot(indicator: str, year: int) -> Observation:
    return Observation.objects.get(
        series__level=TerritoryLevel.DEPARTMENT,
        series__code="46",
        series__indicator__name=indicator,
        year=year,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ENGINES)
def test_full_departmental_file_is_imported_and_reimport_changes_nothing(engine):
    user = UserFactory(role="prefecture")
    batch = import_ssmsi_file(acting_user=user, path=DEMO_SSMSI_FILE, engine=engine)
    assert (batch.row_count, batch.created_count, batch.updated_count) == (15453, 15453, 0)
    assert Observation.objects.count() == 15453
    assert Series.objects.count() == 101 * 17
    assert StatisticalIndicator.objects.filter(is_ssmsi=True).count() == 17
    edition = Edition.objects.get()
    assert edition.published_on == date(2025, 1, 26)
    assert edition.geography_year == 2024
    assert edition.label == "édition du 26 janvier 2025 (géographie 2024)"
    cbv = lot("Coups et blessures volontaires", 2019)
    assert (cbv.value, cbv.population, cbv.population_vintage) == (414, 174094, 2019)
    burglaries = lot("Cambriolages de logement", 2019)
    assert (burglaries.value, burglaries.dwellings) == (556, 119499)
    # Corsica and overseas codes kept as published.
    assert Series.objects.filter(code="2A").exists() and Series.objects.filter(code="976").exists()

    before = snapshot()
    again = import_ssmsi_file(acting_user=user, path=DEMO_SSMSI_FILE, engine=engine)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 15453)
    assert snapshot() == before
    assert Edition.objects.count() == 1
    assert again.sha256 == batch.sha256
    # The same file again changes nothing, so nothing is logged either: one batch, one audit entry.
    assert again.pk is None
    assert ImportBatch.objects.count() == 1
    entries = AuditEntry.objects.filter(object_repr__startswith="Import de")
    assert entries.count() == 1
    assert entries.get().actor == user


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ENGINES)
def test_codes_are_normalised_and_units_mapped(tmp_path, engine):
    path = write(
        tmp_path / FILE_NAME,
        DEPARTMENTAL_HEADER,
        [
            dep_row("1", 2019, "Homicides", "Victime", 5, region="84"),
            dep_row("2A", 2019, "Homicides", "Victime", 2, region="94"),
            dep_row("971", 2019, "Trafic de stupéfiants", "Mis en cause", 40, region="1"),
        ],
    )
    import_ssmsi_file(acting_user=None, path=path, engine=engine, partial=True)
    codes = dict(Series.objects.values_list("code", "region_code"))
    assert codes == {"01": "84", "2A": "94", "971": "01"}
    assert Series.objects.get(code="971").unit == "mis_en_cause"


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ENGINES)
def test_unknown_header_is_refused_naming_expected_columns(tmp_path, engine):
    path = write(tmp_path / FILE_NAME, "dep;year;crime;count", ['"46";"2019";"Homicides";"1"'])
    with pytest.raises(ImportRefused) as refused:
        import_ssmsi_file(acting_user=None, path=path, engine=engine, partial=True)
    message = refused.value.errors[0]
    assert message.startswith("Ligne 1 : en-tête non reconnu")
    assert "Code_departement;Code_region;annee;indicateur" in message
    assert "classe;annee;Code.département" in message
    assert "CODGEO_<année de géographie>" in message
    assert not Edition.objects.exists() and not Observation.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ENGINES)
def test_non_numeric_count_writes_nothing_and_is_located(tmp_path, engine):
    path = write(
        tmp_path / FILE_NAME,
        DEPARTMENTAL_HEADER,
        [
            dep_row("46", 2018, "Homicides", "Victime", 0),
            dep_row("46", 2019, "Homicides", "Victime", "douze"),
            dep_row("46", 2020, "Homicides", "Victime", 1),
        ],
    )
    with pytest.raises(ImportRefused) as refused:
        import_ssmsi_file(acting_user=None, path=path, engine=engine, partial=True)
    assert refused.value.errors == [
        "Ligne 3, colonne « nombre » : « douze » n'est pas un nombre entier positif (ni « NA »)."
    ]
    assert not Observation.objects.exists()
    assert not Series.objects.exists()
    assert not Edition.objects.exists()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ENGINES)
def test_every_bad_cell_is_reported_in_line_order(tmp_path, engine):
    path = write(
        tmp_path / FILE_NAME,
        DEPARTMENTAL_HEADER,
        [
            dep_row("46", 2018, "Homicides", "Victime", 0),
            dep_row("4 6", 2019, "Homicides", "Victimes sans nom", "1,5"),
            quoted("46", "76", "20x", "Homicides", "Victime", 1, "0,0", 173828, 2019, 119499, 2019),
        ],
    )
    with pytest.raises(ImportRefused) as refused:
        import_ssmsi_file(acting_user=None, path=path, engine=engine, partial=True)
    assert refused.value.errors == [
        "Ligne 3, colonne « Code_departement » : « 4 6 » n'est pas un code de département (par exemple « 01 », « 2A », « 971 »).",
        "Ligne 3, colonne « unite_de_compte » : unité de compte « Victimes sans nom » inconnue (attendu : Victime, "
        "Victime entendue, Infraction, Véhicule, Mis en cause).",
        "Ligne 3, colonne « nombre » : « 1,5 » n'est pas un nombre entier positif (ni « NA »).",
        "Ligne 4, colonne « annee » : « 20x » n'est pas une année sur quatre chiffres.",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ENGINES)
def test_duplicate_rows_are_refused(tmp_path, engine):
    path = write(
        tmp_path / FILE_NAME,
        DEPARTMENTAL_HEADER,
        [
            dep_row("46", 2019, "Homicides", "Victime", 0),
            dep_row("46", 2019, "Homicides", "Victime", 1),
        ],
    )
    with pytest.raises(ImportRefused) as refused:
        import_ssmsi_file(acting_user=None, path=path, engine=engine, partial=True)
    assert refused.value.errors == [
        "Ligne 3 : doublon de la ligne 2 (même territoire, indicateur, unité et année)."
    ]
    assert not Observation.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ENGINES)
def test_wrong_number_of_columns_is_located(tmp_path, engine):
    path = write(
        tmp_path / FILE_NAME,
        DEPARTMENTAL_HEADER,
        [dep_row("46", 2019, "Homicides", "Victime", 0), '"46";"76";"2020";"Homicides"'],
    )
    with pytest.raises(ImportRefused) as refused:
        import_ssmsi_file(acting_user=None, path=path, engine=engine, partial=True)
    assert refused.value.errors[0].startswith("Ligne 3 : ")
    assert "colonne" in refused.value.errors[0]


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ENGINES)
def test_legacy_layout_two_digit_years_lower_case_units(tmp_path, engine):
    rows = [
        "Coups et blessures volontaires;19;46;76;victimes;19;19;410;174094;119499;2,355",
        "Cambriolages de logement;19;46;76;infractions;19;19;560;174094;119499;4,686",
        "Vols de véhicules;19;2A;94;véhicules;19;19;300;158000;120000;1,9",
        "Usage de stupéfiants;19;46;76;Mis en cause;19;19;437;174094;119499;2,51",
    ]
    path = write(
        tmp_path / "donnee-data.gouv-2021-geographie2021-produit-le2022-03-01.csv",
        LEGACY_HEADER,
        rows,
        bom=False,
    )
    batch = import_ssmsi_file(acting_user=None, path=path, engine=engine, partial=True)
    assert batch.layout == "departmental_legacy"
    assert batch.edition.published_on == date(2022, 3, 1)
    cbv = lot("Coups et blessures volontaires", 2019)
    assert (cbv.value, cbv.population, cbv.population_vintage, cbv.series.unit) == (
        410,
        174094,
        2019,
        "victime",
    )
    # Indicator names are matched to the catalogue whatever the edition's spelling.
    assert StatisticalIndicator.objects.filter(name="Cambriolages de logement").count() == 1
    assert Series.objects.get(code="2A").unit == "vehicule"


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ENGINES)
def test_new_edition_is_stored_beside_the_previous_one(tmp_path, engine):
    old = write(
        tmp_path / FILE_NAME,
        DEPARTMENTAL_HEADER,
        [dep_row("46", 2019, "Coups et blessures volontaires", "Victime", 414)],
    )
    new = write(
        tmp_path / "donnee-dep-data.gouv-2025-geographie2025-produit-le2026-01-30.csv",
        DEPARTMENTAL_HEADER,
        [dep_row("46", 2019, "Coups et blessures volontaires", "Victime", 416)],
    )
    import_ssmsi_file(acting_user=None, path=old, engine=engine, partial=True)
    import_ssmsi_file(acting_user=None, path=new, engine=engine, partial=True)
    values = dict(Observation.objects.values_list("series__edition__published_on", "value"))
    assert values == {date(2025, 1, 26): 414, date(2026, 1, 30): 416}


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ENGINES)
def test_changed_value_in_same_edition_is_updated(tmp_path, engine):
    path = write(
        tmp_path / FILE_NAME, DEPARTMENTAL_HEADER, [dep_row("46", 2019, "Homicides", "Victime", 0)]
    )
    import_ssmsi_file(acting_user=None, path=path, engine=engine, partial=True)
    write(
        path,
        DEPARTMENTAL_HEADER,
        [
            dep_row("46", 2019, "Homicides", "Victime", 1),
            dep_row("46", 2020, "Homicides", "Victime", 2),
        ],
    )
    batch = import_ssmsi_file(acting_user=None, path=path, engine=engine, partial=True)
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (1, 1, 0)
    assert lot("Homicides", 2019).value == 1


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ENGINES)
def test_communal_layout_keeps_withheld_cells_apart(tmp_path, engine):
    rows = [
        communal_row("46042", 2024, "Cambriolages de logement", "Infraction", 120),
        communal_row(
            "46001",
            2024,
            "Cambriolages de logement",
            "Infraction",
            "NA",
            diffused=False,
            imputed="1,4285714",
        ),
        communal_row("1001", 2024, "Cambriolages de logement", "Infraction", 3),
    ]
    path = write(
        tmp_path / "donnee-comm-data.gouv-2024-geographie2024-produit-le2025-01-26.csv",
        COMMUNAL_HEADER,
        rows,
    )
    batch = import_ssmsi_file(acting_user=None, path=path, engine=engine, partial=True)
    assert batch.layout == "communal"
    withheld = CommuneObservation.objects.get(code="46001")
    assert withheld.is_withheld and withheld.count is None
    assert withheld.imputed == "1,4285714"
    assert CommuneObservation.objects.get(code="46042").count == 120
    # "1001" is stored as the Insee code "01001"; no series are created for communes.
    assert CommuneObservation.objects.filter(code="01001").count() == 1
    assert not Series.objects.filter(level=TerritoryLevel.COMMUNE).exists()


@pytest.mark.django_db
def test_edition_date_is_required_when_the_file_name_has_none(tmp_path):
    path = write(
        tmp_path / "base.csv", DEPARTMENTAL_HEADER, [dep_row("46", 2019, "Homicides", "Victime", 0)]
    )
    with pytest.raises(ImportRefused, match="Date de l'édition inconnue"):
        import_ssmsi_file(acting_user=None, path=path, partial=True)
    batch = import_ssmsi_file(
        acting_user=None, path=path, published_on=date(2024, 2, 1), partial=True
    )
    assert batch.edition.label == "édition du 1er février 2024"


@pytest.mark.django_db
def test_import_command_reports_and_refuses(tmp_path, capsys):
    good = write(
        tmp_path / FILE_NAME, DEPARTMENTAL_HEADER, [dep_row("46", 2019, "Homicides", "Victime", 0)]
    )
    call_command("import_ssmsi", str(good), "--partielle")
    assert "1 lignes lues, 1 valeurs ajoutées" in capsys.readouterr().out
    bad = write(tmp_path / "bad.csv", "a;b", ["1;2"])
    with pytest.raises(CommandError, match="Rien n'a été importé"):
        call_command("import_ssmsi", str(bad), "--edition-date", "2025-01-26", "--partielle")


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ENGINES)
def test_oversized_number_is_refused(tmp_path, engine):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite stores numbers of any size")
    path = write(
        tmp_path / FILE_NAME,
        DEPARTMENTAL_HEADER,
        [dep_row("46", 2019, "Homicides", "Victime", 0, pop=99999999999)],
    )
    with pytest.raises(ImportRefused, match="dépasse la taille admise"):
        import_ssmsi_file(acting_user=None, path=path, engine=engine, partial=True)
    assert not Observation.objects.exists()
