"""The organisations directory: loading reference data, and linking plan wordings to it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from vigie.audit.enums import AuditAction
from vigie.audit.models import AuditEntry
from vigie.organisations.enums import OrganisationKind
from vigie.organisations.models import GlossaryEntry, Organisation
from vigie.organisations.services import (
    OrganisationMatcher,
    load_directory,
    match_organisation,
    normalize_wording,
)
from vigie.territories.models import Department, Region


@pytest.fixture
def departments(db):
    region = Region.objects.create(code="76", name="Occitanie")
    return {
        "32": Department.objects.create(code="32", name="Gers", region=region),
        "46": Department.objects.create(code="46", name="Lot", region=region),
    }


@pytest.fixture
def directory(departments):
    load_directory(acting_user=None)
    return departments


# --- loading ---------------------------------------------------------------------------------


def test_directory_is_loaded_per_department_with_national_bodies(directory):
    gers, lot = directory["32"], directory["46"]
    spip = Organisation.objects.get(department=gers, acronym="SPIP")
    assert spip.name == "Service pénitentiaire d'insertion et de probation du Gers"
    assert spip.kind == OrganisationKind.JUSTICE
    assert Organisation.objects.get(department=lot, acronym="CDAD").alias_list == [
        "Conseil départemental de l'accès aux droits"
    ]
    assert Organisation.objects.filter(department__isnull=True, acronym="ATIGIP").exists()
    assert set(Organisation.objects.values_list("kind", flat=True)) <= set(OrganisationKind.values)
    assert GlossaryEntry.objects.filter(department=gers).count() == 50
    assert GlossaryEntry.objects.get(department=gers, acronym="MAJ").definition == (
        "Mesure d'activité de jour (justice pénale des mineurs)"
    )
    assert not GlossaryEntry.objects.filter(department=lot).exists()  # the Lot plan has its own


def test_loading_is_audited_and_idempotent(directory):
    created = AuditEntry.objects.filter(action=AuditAction.CREATE)
    assert created.count() == Organisation.objects.count() + GlossaryEntry.objects.count()
    assert {entry.actor_repr for entry in created} == {"système"}
    before = (
        Organisation.objects.count(),
        GlossaryEntry.objects.count(),
        AuditEntry.objects.count(),
    )

    organisations, glossary = load_directory(acting_user=None)

    assert (organisations.created, organisations.updated, glossary.created, glossary.updated) == (
        0,
        0,
        0,
        0,
    )
    assert (
        Organisation.objects.count(),
        GlossaryEntry.objects.count(),
        AuditEntry.objects.count(),
    ) == before


def test_changed_reference_data_is_updated_with_an_audit_entry(directory):
    spip = Organisation.objects.get(department=directory["32"], acronym="SPIP")
    Organisation.objects.filter(pk=spip.pk).update(kind=OrganisationKind.OTHER)
    organisations, _ = load_directory(acting_user=None, department=directory["32"])
    assert organisations.updated == 1
    spip.refresh_from_db()
    assert spip.kind == OrganisationKind.JUSTICE
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(spip.pk))
    assert entry.changes["kind"]["new"] == "Justice"


def test_load_organisations_command(departments):
    out = StringIO()
    call_command("load_organisations", "--department", "46", stdout=out)
    assert out.getvalue().startswith("Organisations : ")
    assert Organisation.objects.filter(department__code="46").count() == 22
    assert not Organisation.objects.filter(department__code="32").exists()
    with pytest.raises(CommandError, match="Département inconnu"):
        call_command("load_organisations", "--department", "99")


def test_departments_missing_from_the_database_are_skipped(db):
    region = Region.objects.create(code="76", name="Occitanie")
    Department.objects.create(code="46", name="Lot", region=region)
    out = StringIO()
    call_command("load_organisations", stdout=out)
    assert "ignorés : 32" in out.getvalue()
    assert Organisation.objects.filter(department__code="46").exists()


# --- matching --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "wording", "expected"),
    [
        ("32", "Service pénitentiaire d'insertion et de probation (SPIP)", "Service pénitentiaire d'insertion et de probation du Gers"),
        ("32", "Acteurs de l'éducation nationale (DSDEN, établissements)", "Direction des services départementaux de l'Éducation nationale du Gers"),
        ("32", "Services sociaux du Conseil Départemental", "Conseil départemental du Gers"),
        ("32", "Services de l'État concernés (DDETSPP)", "Direction départementale de l'emploi, du travail, des solidarités et de la protection des populations du Gers"),
        ("32", "Procureur de la République", "Parquet du tribunal judiciaire d'Auch"),
        ("32", "Agence du TIG et de l'insertion professionnelle", "Agence du travail d'intérêt général et de l'insertion professionnelle des personnes placées sous main de justice"),
        ("46", "SPIP", "Service pénitentiaire d'insertion et de probation du Lot"),
        ("46", "Police nationale du Lot", "Direction départementale de la sécurité publique du Lot"),
        ("46", "Conseil départemental de l'accès aux droits", "Conseil départemental de l'accès au droit du Lot"),
        ("46", "Associations, notamment France Victimes", "France Victimes 46"),
        ("46", "CHAMBRE DE COMMERCE ET D'INDUSTRIE", "Chambre de commerce et d'industrie du Lot"),
    ],
)  # fmt: skip
def test_positive_matches(directory, code, wording, expected):
    organisation = match_organisation(wording, directory[code])
    assert organisation is not None and organisation.name == expected


@pytest.mark.parametrize(
    ("code", "wording"),
    [
        ("32", "Maires"),
        ("32", "Associations"),
        ("32", "maires et présidents d'intercommunalités"),
        ("32", "Forces de sécurité"),
        ("32", "Acteurs du monde associatif"),
        ("46", "Conseil pour les droits et devoirs des familles (CDDF)"),
        ("46", "Association CAFÉ des parents"),  # "CAF" only as a whole word
        ("46", "GIP Gers Solidaire"),  # a Gers body is not found from the Lot
    ],
)
def test_generic_or_unknown_wordings_stay_unlinked(directory, code, wording):
    assert match_organisation(wording, directory[code]) is None


def test_acronym_wins_over_a_name_mentioned_earlier():
    first = Organisation(name="France Victimes 46", acronym="", aliases="France Victimes")
    second = Organisation(
        name="Union départementale des associations familiales du Lot", acronym="UDAF"
    )
    matcher = OrganisationMatcher([first, second])
    assert matcher.match("Associations (France Victimes, UDAF)") is second
    assert matcher.match("Associations, notamment France Victimes") is first


def test_normalize_wording_ignores_case_accents_and_punctuation():
    assert normalize_wording("Préfecture et sous-préfectures") == " prefecture et sous prefectures "
    assert normalize_wording("Chambre d’Agriculture") == " chambre d agriculture "


def test_a_definition_published_with_a_plan_is_not_overwritten(directory):
    gers = directory["32"]
    GlossaryEntry.objects.filter(department=gers, acronym="TIG").update(
        definition="travail d'intérêt général",
        source="Plan départemental 2021-2024 du Gers, glossaire",
    )
    _, glossary = load_directory(acting_user=None, department=gers)
    assert (glossary.created, glossary.updated) == (0, 0)
    assert (
        GlossaryEntry.objects.get(department=gers, acronym="TIG").definition
        == "travail d'intérêt général"
    )
