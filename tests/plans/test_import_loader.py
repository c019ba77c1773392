"""manage.py import_plan: writing the parsed plan to the database, idempotently, with audit."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from tests.plans.conftest import GERS_SEED, LOT_SEED
from vigie.audit.enums import AuditAction
from vigie.audit.models import AuditEntry
from vigie.audit.services import history_for
from vigie.core.concurrency import StaleEdit
from vigie.indicators.models import Indicator
from vigie.organisations.models import GlossaryEntry, Organisation
from vigie.plans import services
from vigie.plans.enums import ActionStatus, ActorRole, AxisKind, PlanStatus
from vigie.plans.models import (
    Action,
    Axis,
    AxisSection,
    GoodPractice,
    Measure,
    MeasureActor,
    Plan,
    Signatory,
)

MODELS = (
    Plan,
    Axis,
    AxisSection,
    Measure,
    MeasureActor,
    Action,
    GoodPractice,
    Indicator,
    Signatory,
)


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_plan", *map(str, args), stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    counted = (*MODELS, Organisation, GlossaryEntry, AuditEntry)
    return {model.__name__: model.objects.count() for model in counted}


def gers_measure(number: str) -> Measure:
    return Measure.objects.get(axis__plan__department__code="32", number=number)


@pytest.fixture
def gers_imported(gers):
    run(GERS_SEED, "--department", "32")
    return Plan.objects.get(department=gers)


# --- Gers ------------------------------------------------------------------------------------


def test_gers_import_creates_the_structure(gers_imported):
    plan = gers_imported
    assert plan.title == "Plan départemental de prévention de la délinquance 2021-2024"
    assert (plan.period_start, plan.period_end) == (2021, 2024)
    assert plan.status == PlanStatus.ADOPTED
    assert (plan.signed_on, plan.signed_at) == (date(2021, 9, 28), "Auch")
    assert list(plan.signatories.values_list("name", flat=True)) == [
        "Xavier BRUNETIÈRE", "Jacques-Edouard ANDRAULT", "Charlette BOUÉ", "Sylvie THEYE", "Cyril COTONAT",
    ]  # fmt: skip
    assert plan.introduction.startswith("Le plan départemental assure la déclinaison locale")
    axes = list(plan.axes.order_by("order"))
    assert [(a.kind, a.number, a.national_axis) for a in axes] == [
        (AxisKind.AXIS, "1", "1"), (AxisKind.AXIS, "2", "2"), (AxisKind.AXIS, "3", "3"),
        (AxisKind.AXIS, "4", "4"), (AxisKind.ANNEX, "1", ""),
    ]  # fmt: skip
    assert axes[4].title == "Plan de prévention de la cyberdélinquance"
    counts = {
        model.__name__: model.objects.filter(**_plan_filter(model, plan)).count()
        for model in MODELS
    }
    assert counts == {
        "Plan": 1, "Axis": 5, "AxisSection": 13, "Measure": 15, "MeasureActor": 56, "Action": 53,
        "GoodPractice": 13, "Indicator": 23, "Signatory": 5,
    }  # fmt: skip
    assert (
        Indicator.objects.filter(
            measure__axis__number="4", measure__axis__kind=AxisKind.AXIS
        ).count()
        == 0
    )


def _plan_filter(model, plan) -> dict:
    paths = {
        Plan: "pk", Signatory: "plan", Axis: "plan", AxisSection: "axis__plan", Measure: "axis__plan",
        MeasureActor: "measure__axis__plan", Action: "measure__axis__plan",
        GoodPractice: "measure__axis__plan", Indicator: "measure__axis__plan",
    }  # fmt: skip
    return {paths[model]: plan.pk}


def test_gers_measure_1_2_actors_are_combined_and_linked(gers_imported):
    measure = gers_measure("1.2")
    assert measure.actors_wording.startswith("CLSPD/CISPD, acteurs de l'éducation nationale")
    assert measure.findings_list == [
        "La multiplicité des acteurs et formes d'intervention ne facilite pas la coordination des "
        "réponses et peut faire obstacle à la mise en œuvre d'une véritable logique de parcours pour "
        "les jeunes exposés à la délinquance ou au risque de récidive."
    ]
    actors = list(measure.actors.select_related("organisation"))
    assert {actor.role for actor in actors} == {ActorRole.PILOT_OR_PARTNER}
    links = {actor.wording: actor.organisation for actor in actors}
    assert links["Acteurs de l'éducation nationale (DSDEN, établissements)"].acronym == "DSDEN"
    assert links["SPIP"].name == "Service pénitentiaire d'insertion et de probation du Gers"
    assert links["Préfecture"].name == "Préfecture du Gers"
    assert links["Maires et présidents d'intercommunalités"] is None
    assert links["Forces de sécurité"] is None


def test_gers_good_practice_is_linked_to_the_action_it_follows(gers_imported):
    measure = gers_measure("1.2")
    [practice] = measure.good_practices.all()
    assert (
        practice.text
        == "Mise en place d'un dispositif d'accueil de jeunes en décrochage scolaire par le SDIS 32."
    )
    assert practice.action.order == 3
    assert practice.action.text.startswith(
        "Faciliter la capacité de réaction face aux faits d'absentéisme"
    )
    assert list(measure.actions.values_list("order", flat=True)) == [0, 1, 2, 3, 4]


def test_import_loads_the_directory_first(gers_imported):
    assert Organisation.objects.filter(department__code="32", acronym="SPIP").exists()
    entry = GlossaryEntry.objects.get(department__code="32", acronym="TIG")
    assert entry.definition == "Travail d'intérêt général"
    assert (
        entry.source
        == "Vigie, d'après les sigles employés dans le plan départemental 2021-2024 du Gers"
    )


def test_every_object_is_audited_as_system_with_its_measure_as_parent(gers_imported):
    action = gers_measure("1.1").actions.get(order=0)
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Action), object_id=str(action.pk)
    )
    assert entry.action == AuditAction.CREATE
    assert entry.actor is None and entry.actor_repr == "système"
    assert entry.department.code == "32"
    assert entry.parent_object_id == str(action.measure_id)
    history = history_for(gers_measure("1.2"))
    kinds = {entry.content_type.model for entry in history}
    assert kinds == {"measure", "measureactor", "action", "goodpractice", "indicator"}
    created = AuditEntry.objects.filter(action=AuditAction.CREATE, department__code="32")
    assert created.filter(content_type=ContentType.objects.get_for_model(Indicator)).count() == 23


def test_reimport_changes_nothing(gers_imported):
    before = row_counts()
    output = run(GERS_SEED, "--department", "32")
    assert "déjà à jour, rien n'a été modifié" in output
    assert row_counts() == before


def test_reimport_keeps_what_users_manage(gers_imported):
    owner = Organisation.objects.get(department__code="32", acronym="SPIP")
    action = gers_measure("1.3").actions.get(order=0)
    Action.objects.filter(pk=action.pk).update(
        status=ActionStatus.IN_PROGRESS,
        owner=owner,
        due_date=date(2024, 6, 30),
        progress_note="Lancé",
    )
    indicator = gers_measure("1.3").indicators.get(order=0)
    Indicator.objects.filter(pk=indicator.pk).update(
        unit="percent",
        periodicity="semester",
        baseline_value=Decimal("12"),
        target_value=Decimal("20"),
    )
    actor = gers_measure("1.3").actors.get(wording="Forces de sécurité")
    MeasureActor.objects.filter(pk=actor.pk).update(organisation=owner)
    before = row_counts()

    run(GERS_SEED, "--department", "32")

    action.refresh_from_db()
    assert (action.status, action.owner, action.due_date, action.progress_note) == (
        ActionStatus.IN_PROGRESS, owner, date(2024, 6, 30), "Lancé",
    )  # fmt: skip
    indicator.refresh_from_db()
    assert (indicator.unit, indicator.periodicity, indicator.baseline_value, indicator.target_value) == (
        "percent", "semester", Decimal("12"), Decimal("20"),
    )  # fmt: skip
    actor.refresh_from_db()
    assert actor.organisation == owner
    assert row_counts() == before


def test_changed_document_updates_and_deletes_with_audit(gers_imported, tmp_path):
    text = GERS_SEED.read_text(encoding="utf-8")
    changed = text.replace("Assurer la sécurisation des sites sensibles.\n", "").replace(
        "Augmenter le nombre de communes équipées de caméra de vidéosurveillance.",
        "Augmenter le nombre de communes équipées de caméras de vidéoprotection.",
    )
    path = tmp_path / "gers-modifie.txt"
    path.write_text(changed, encoding="utf-8")
    measure = gers_measure("3.3")
    removed = measure.actions.get(order=2)

    output = run(path, "--department", "32")

    assert "supprimés : 1 action" in output
    assert list(measure.actions.values_list("text", flat=True)) == [
        "Augmenter le nombre de communes équipées de caméras de vidéoprotection.",
        measure.actions.get(order=1).text,
    ]
    action_type = ContentType.objects.get_for_model(Action)
    deletion = AuditEntry.objects.get(
        action=AuditAction.DELETE, object_id=str(removed.pk), content_type=action_type
    )
    assert deletion.parent_object_id == str(measure.pk)
    update = AuditEntry.objects.get(action=AuditAction.UPDATE, content_type=action_type)
    assert (
        update.changes["text"]["new"]
        == "Augmenter le nombre de communes équipées de caméras de vidéoprotection."
    )
    # The import bumps the version of what it changes: an edit form read before it is now stale.
    assert Action.objects.get(pk=update.object_id).version == 2
    assert measure.actions.get(order=1).version == 1
    with pytest.raises(StaleEdit):
        services.update_action(
            acting_user=None,
            action=Action.objects.get(pk=update.object_id),
            data={"progress_note": "Lu avant l'import"},
            read_version=1,
        )


def test_changed_document_cannot_drop_a_followed_action(gers_imported, tmp_path):
    measure = gers_measure("3.3")
    measure.actions.filter(order=2).update(status=ActionStatus.DONE)
    path = tmp_path / "gers-modifie.txt"
    path.write_text(
        GERS_SEED.read_text(encoding="utf-8").replace(
            "Assurer la sécurisation des sites sensibles.\n", ""
        ),
        encoding="utf-8",
    )
    before = row_counts()
    with pytest.raises(
        CommandError, match="rien n'a été modifié.*font l'objet d'un suivi.*état « Réalisée »"
    ):
        run(path, "--department", "32")
    assert row_counts() == before
    assert measure.actions.get(order=2).status == ActionStatus.DONE


def test_status_option(gers):
    run(GERS_SEED, "--department", "32", "--status", "draft")
    plan = Plan.objects.get(department=gers)
    assert plan.status == PlanStatus.DRAFT
    run(GERS_SEED, "--department", "32")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT  # not reset without --status
    run(GERS_SEED, "--department", "32", "--status", "adopted")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ADOPTED


# --- Lot -------------------------------------------------------------------------------------


def test_lot_import(lot):
    run(LOT_SEED, "--department", "46")
    plan = Plan.objects.get(department=lot)
    assert (plan.period_start, plan.period_end, plan.signed_on, plan.signed_at) == (
        2020,
        2024,
        date(2021, 2, 5),
        "Cahors",
    )
    assert Measure.objects.filter(axis__plan=plan).count() == 15
    assert Indicator.objects.filter(measure__axis__plan=plan).count() == 25
    assert Action.objects.filter(measure__axis__plan=plan).count() == 60
    measure = Measure.objects.get(axis__plan=plan, number="3.1")
    assert measure.title == "Renforcer la vidéoprotection et la cybersécurité"
    pilots = measure.actors.filter(role=ActorRole.PILOT).select_related("organisation")
    assert [(a.wording, a.organisation and a.organisation.name) for a in pilots] == [
        ("Maire ou président d'EPCI", None),
        ("Chambre de commerce et d'industrie", "Chambre de commerce et d'industrie du Lot"),
    ]
    assert measure.actors.filter(role=ActorRole.PARTNER).count() == 1
    assert len(measure.findings_list) == 4 and len(measure.national_objectives_list) == 3
    glossary = GlossaryEntry.objects.filter(department=lot)
    assert glossary.count() == 22
    entry = glossary.get(acronym="DETR")
    assert entry.definition == "dotation d'équipement des territoires ruraux"
    assert entry.source == "Plan départemental 2020-2024 du Lot, glossaire"


# --- dry run, output and errors --------------------------------------------------------------


def test_dry_run_json_writes_nothing(gers):
    before = row_counts()
    output = run(GERS_SEED, "--department", "32", "--dry-run", "--json")
    assert row_counts() == before
    data = json.loads(output)
    assert {
        "title",
        "department",
        "period",
        "signed_on",
        "axes",
        "annexes",
        "signatories",
        "glossary",
    } <= set(data)
    assert data["department"] == "32"
    assert data["period"] == {"start": 2021, "end": 2024}
    assert data["signed_on"] == "2021-09-28"
    assert len(data["axes"]) == 4 and len(data["annexes"]) == 1
    assert sum(len(m["indicators"]) for axis in data["axes"] for m in axis["measures"]) == 23


def test_dry_run_summary_in_french(gers):
    output = run(GERS_SEED, "--department", "32", "--dry-run")
    assert output.startswith(
        "Analyse sans enregistrement — Plan départemental de prévention de la délinquance 2021-2024"
    )
    assert "12 mesure(s)" not in output and "15 mesure(s)" in output
    assert Plan.objects.count() == 0


def test_windows_1252_file_imports_like_utf8(gers, tmp_path):
    path = tmp_path / "gers-cp1252.txt"
    path.write_bytes(GERS_SEED.read_text(encoding="utf-8").encode("cp1252", errors="replace"))
    run(path, "--department", "32")
    assert Measure.objects.count() == 15
    assert GoodPractice.objects.count() == 13
    assert (
        Measure.objects.get(number="1.1").title
        == "Sensibiliser et agir sur les déterminants du passage à l'acte"
    )


def test_unknown_department(db):
    with pytest.raises(CommandError, match="Département inconnu : « 99 »"):
        run(GERS_SEED, "--department", "99")
    assert Plan.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "est vide"),
        (b"  \n\n \t\n", "est vide"),
        (
            "Compte rendu de réunion 2021-2024.\n\nRien à signaler.\n".encode(),
            "Aucune structure de plan reconnue",
        ),
        (b"%PDF-1.7\x00\x00binary", "ne correspond pas à son extension"),
    ],
)
def test_bad_input_gives_a_french_error_and_writes_nothing(gers, tmp_path, content, message):
    path = tmp_path / "plan.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(path, "--department", "32")
    assert row_counts()["AuditEntry"] == 0 and Plan.objects.count() == 0


def test_missing_file_and_unsupported_format(gers, tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        run(tmp_path / "absent.txt", "--department", "32")
    docx = tmp_path / "plan.docx"
    docx.write_bytes(b"PK\x03\x04")
    with pytest.raises(CommandError, match="endommagé"):
        run(docx, "--department", "32")
    rtf = tmp_path / "plan.rtf"
    rtf.write_bytes(b"{\\rtf1 plan}")
    with pytest.raises(CommandError, match=r"Format non accepté \(\.rtf\)"):
        run(rtf, "--department", "32")


def test_other_layout_imports_and_reimports(gers, tmp_path):
    path = tmp_path / "plan.md"
    path.write_text(
        "# Plan départemental de prévention de la délinquance 2022-2025\n\n"
        "## Axe 1 : Les jeunes\n\n### Mesure 1.1 : Agir tôt\n\nPilote : DSDEN\n\n"
        "- **Ouvrir un accueil** le mercredi\n\nIndicateurs : Nombre de jeunes accueillis\n\n"
        "# Annexe 1 : Cybersécurité\n\n## Sensibiliser\n\n- Informer les communes\n\n"
        "# Annexe 1 : Cybersécurité (suite)\n\n## Former\n\n- Former les agents\n",
        encoding="utf-8",
    )
    run(path, "--department", "32")
    plan = Plan.objects.get(department=gers, period_start=2022, period_end=2025)
    measure = Measure.objects.get(axis__plan=plan, number="1.1")
    assert measure.actors.get().organisation.acronym == "DSDEN"
    assert measure.actions.get().title == "Ouvrir un accueil"
    assert plan.axes.get(kind=AxisKind.ANNEX).measures.count() == 2
    before = row_counts()
    assert "déjà à jour" in run(path, "--department", "32")
    assert row_counts() == before
