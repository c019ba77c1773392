"""Re-importing a plan is a three-way comparison: only what came from a previous document can be
removed by the new one; what people added in Vigie is kept, untouched (``provenance.py``)."""

import copy
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.plans.conftest import GERS_SEED
from vigie.audit import services as audit
from vigie.audit.enums import AuditAction
from vigie.audit.models import AuditEntry
from vigie.imports.models import PlanVersion
from vigie.indicators.models import Indicator
from vigie.organisations.models import GlossaryEntry, Organisation
from vigie.plans.enums import ActionStatus
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
from vigie.plans.services import create_action

REMOVED_ACTION = "Assurer la sécurisation des sites sensibles."
VIGIE_ACTION = "Organiser une réunion annuelle des référents sûreté des communes."
VIGIE_INDICATOR = "Nombre de réunions de référents sûreté organisées"
SNAPSHOT_KEY = "from_documents"  # see vigie.imports.writing.provenance
MODELS = (
    Plan, Axis, AxisSection, Measure, MeasureActor, Action, GoodPractice, Indicator, Signatory,
    Organisation, GlossaryEntry, AuditEntry, PlanVersion,
)  # fmt: skip


def provenance_for(plan):
    from vigie.imports.writing.provenance import provenance_for

    return provenance_for(plan)


def run(*args) -> str:
    out = StringIO()
    call_command("import_plan", *map(str, args), stdout=out)
    return out.getvalue()


def everything() -> dict[str, list[dict]]:
    """Every row of the plans, the directory, the audit log and the versions, every field."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


def measure(number: str) -> Measure:
    return Measure.objects.get(axis__plan__department__code="32", number=number)


def add_in_vigie(user, number: str = "3.3") -> tuple[Action, Indicator]:
    """An action and an indicator added in Vigie, as the services do (with their audit)."""
    target = measure(number)
    action = create_action(
        acting_user=user, measure=target, data={"title": "", "text": VIGIE_ACTION}
    )
    indicator = Indicator.objects.create(measure=target, label=VIGIE_INDICATOR, order=10)
    audit.record_create(
        acting_user=user, instance=indicator, parent=target, department=target.axis.plan.department
    )
    return action, indicator


def gers_text(*, without: tuple[str, ...] = ()) -> str:
    text = GERS_SEED.read_text(encoding="utf-8")
    for line in without:
        assert text.count(line + "\n") == 1
        text = text.replace(line + "\n", "")
    return text


@pytest.fixture
def gers_imported(gers):
    run(GERS_SEED, "--department", "32")
    return Plan.objects.get(department=gers)


@pytest.fixture
def agent(make_user, gers):
    return make_user("prefecture", gers)


# --- the same document again -----------------------------------------------------------------


def test_reimport_keeps_items_added_in_vigie_and_writes_nothing(gers_imported, agent):
    action, indicator = add_in_vigie(agent)
    before = everything()

    output = run(GERS_SEED, "--department", "32")

    assert "déjà à jour, rien n'a été modifié" in output
    assert "Ajoutés dans Vigie, conservés : 1 action, 1 indicateur." in output
    assert everything() == before  # no row created, updated or deleted; no audit; no version
    assert Action.objects.get(pk=action.pk).text == VIGIE_ACTION
    assert Indicator.objects.get(pk=indicator.pk).label == VIGIE_INDICATOR


def test_demo_computed_indicator_survives_a_reimport(gers_imported):
    """`make demo` twice: the seed is re-imported after the indicators demo added to it."""
    call_command("load_indicators_demo", "--department", "32", stdout=StringIO())
    computed = Indicator.objects.get(
        measure__axis__plan=gers_imported, is_computed=True, is_demo=True
    )
    entries = AuditEntry.objects.count()

    run(GERS_SEED, "--department", "32")

    assert Indicator.objects.filter(pk=computed.pk).exists()
    assert AuditEntry.objects.count() == entries
    assert not AuditEntry.objects.filter(action=AuditAction.DELETE).exists()


# --- an amendment ----------------------------------------------------------------------------


def test_amendment_removes_imported_items_and_keeps_those_added_in_vigie(
    gers_imported, agent, tmp_path
):
    action, indicator = add_in_vigie(agent)
    removed = measure("3.3").actions.get(text=REMOVED_ACTION)
    path = tmp_path / "gers-avenant-1.txt"
    path.write_text(gers_text(without=(REMOVED_ACTION,)), encoding="utf-8")

    output = run(path, "--department", "32", "--version-label", "Avenant n° 1")

    assert "1 action(s) retirée(s) ; 2 élément(s) ajouté(s) dans Vigie, conservé(s)" in output
    assert f"action « {VIGIE_ACTION} » (mesure 3.3) : ajouté dans Vigie, conservé" in output
    assert not Action.objects.filter(pk=removed.pk).exists()
    assert AuditEntry.objects.filter(
        action=AuditAction.DELETE, object_id=str(removed.pk), object_repr=REMOVED_ACTION
    ).exists()
    assert Action.objects.filter(pk=action.pk, text=VIGIE_ACTION).exists()
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    version = gers_imported.versions.get(label="Avenant n° 1")
    # the version shows the plan as it is, but knows what came from its document
    shown = [
        a["id"] for ax in version.snapshot["axes"] for m in ax["measures"] for a in m["actions"]
    ]
    assert action.pk in shown and action.pk not in version.snapshot[SNAPSHOT_KEY]["actions"]

    # a second amendment (the same text) still keeps them: the version did not adopt them
    path2 = tmp_path / "gers-avenant-2.txt"
    path2.write_text(gers_text(without=(REMOVED_ACTION,)), encoding="utf-8")
    output = run(path2, "--department", "32", "--version-label", "Avenant n° 2")
    assert "aucune version n'a été enregistrée" in output
    assert Action.objects.filter(pk=action.pk).exists()
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    assert gers_imported.versions.count() == 2


def test_correction_without_label_keeps_items_added_in_vigie(gers_imported, agent, tmp_path):
    action, indicator = add_in_vigie(agent)
    path = tmp_path / "gers-corrige.txt"
    path.write_text(gers_text(without=(REMOVED_ACTION,)), encoding="utf-8")
    output = run(path, "--department", "32")
    assert "supprimés : 1 action" in output
    assert Action.objects.filter(pk=action.pk).exists()
    # and again: the current version followed the plan without adopting them
    run(GERS_SEED, "--department", "32")
    run(path, "--department", "32")
    assert Action.objects.filter(pk=action.pk).exists()
    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_an_item_added_in_vigie_that_the_document_now_has_becomes_its_own(
    gers_imported, agent, tmp_path
):
    action, _indicator = add_in_vigie(agent)
    text = gers_text().replace(REMOVED_ACTION + "\n", f"{REMOVED_ACTION}\n\n- {VIGIE_ACTION}\n")
    path = tmp_path / "gers-avenant.txt"
    path.write_text(text, encoding="utf-8")
    run(path, "--department", "32", "--version-label", "Avenant n° 1")
    assert measure("3.3").actions.filter(text=VIGIE_ACTION).get().pk == action.pk
    assert provenance_for(gers_imported).from_document(Action.objects.get(pk=action.pk))
    # now from the document: a document without it removes it
    path.write_text(gers_text(), encoding="utf-8")
    run(path, "--department", "32", "--version-label", "Avenant n° 2")
    assert not Action.objects.filter(pk=action.pk).exists()


def test_a_followed_vigie_action_is_kept_too(gers_imported, agent, tmp_path):
    action, _ = add_in_vigie(agent)
    Action.objects.filter(pk=action.pk).update(status=ActionStatus.DONE)
    path = tmp_path / "gers-avenant.txt"
    path.write_text(gers_text(without=(REMOVED_ACTION,)), encoding="utf-8")
    run(path, "--department", "32", "--version-label", "Avenant n° 1")
    assert Action.objects.get(pk=action.pk).status == ActionStatus.DONE


CYBER_GROUP = (
    "## Développer la cybersécurité du quotidien\n\n"
    "- **Former l'ensemble des conseillers numériques France Services**"
)


def without_cyber_group(text: str) -> str:
    """The Gers seed without the annex's third group of actions (measure A1.3)."""
    start = text.index(CYBER_GROUP)
    end = text.index("## **Territoire rural en transition rapide")
    return text[:start] + text[end:]


def test_removed_measure_holding_items_added_in_vigie_is_refused(gers_imported, agent, tmp_path):
    add_in_vigie(agent, number="A1.3")
    path = tmp_path / "gers-avenant.txt"
    path.write_text(without_cyber_group(gers_text()), encoding="utf-8")
    before = everything()
    with pytest.raises(CommandError, match="la mesure A1.3 .*éléments ajoutés dans Vigie"):
        run(path, "--department", "32", "--version-label", "Avenant n° 1")
    assert everything() == before


def test_removed_measure_without_items_added_in_vigie_goes(gers_imported, tmp_path):
    removed = measure("A1.3")
    path = tmp_path / "gers-avenant.txt"
    path.write_text(without_cyber_group(gers_text()), encoding="utf-8")
    run(path, "--department", "32", "--version-label", "Avenant n° 1")
    assert not Measure.objects.filter(pk=removed.pk).exists()


def test_an_indicator_used_by_a_computed_indicator_cannot_disappear(gers_imported, agent, tmp_path):
    numerator = measure("3.3").indicators.order_by("order").first()
    computed = Indicator.objects.create(
        measure=measure("3.3"), label="Taux calculé", is_computed=True, numerator=numerator
    )
    audit.record_create(acting_user=agent, instance=computed, department=gers_imported.department)
    path = tmp_path / "gers-avenant.txt"
    path.write_text(gers_text(without=(f"- {numerator.label}",)), encoding="utf-8")
    with pytest.raises(CommandError, match="utilisé par un indicateur calculé"):
        run(path, "--department", "32", "--version-label", "Avenant n° 1")
    assert Indicator.objects.filter(pk__in=[numerator.pk, computed.pk]).count() == 2


# --- plans recorded before the provenance existed --------------------------------------------


def test_legacy_snapshot_without_provenance(gers_imported, agent, tmp_path):
    """A version frozen before ``from_documents`` existed: the ids in its snapshot."""
    version = gers_imported.versions.get()
    version.snapshot.pop(SNAPSHOT_KEY)
    version.save()
    action, indicator = add_in_vigie(agent)
    assert provenance_for(gers_imported).source == "legacy_snapshot"
    before = everything()
    run(GERS_SEED, "--department", "32")
    assert everything() == before
    removed = measure("3.3").actions.get(text=REMOVED_ACTION)
    path = tmp_path / "gers-avenant.txt"
    path.write_text(gers_text(without=(REMOVED_ACTION,)), encoding="utf-8")
    run(path, "--department", "32", "--version-label", "Avenant n° 1")
    assert not Action.objects.filter(pk=removed.pk).exists()
    assert Action.objects.filter(pk=action.pk).exists()
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    assert action.pk not in gers_imported.versions.get(number=2).snapshot[SNAPSHOT_KEY]["actions"]


def test_plan_without_any_version_falls_back_on_the_audit_trail(gers_imported, agent, tmp_path):
    """Imported by the command before versions existed: the import wrote as the system,
    without a reason; a row created by someone, or with a reason (demo data), was added."""
    PlanVersion.objects.all().delete()
    action, indicator = add_in_vigie(agent)
    demo = Indicator.objects.create(measure=measure("3.3"), label="Indicateur de démonstration")
    audit.record_create(acting_user=None, instance=demo, reason="Données de démonstration")
    origin = provenance_for(gers_imported)
    assert origin.source == "audit"
    assert not origin.from_document(action) and not origin.from_document(demo)
    assert origin.from_document(measure("3.3").actions.get(text=REMOVED_ACTION))
    before = everything()
    run(GERS_SEED, "--department", "32")
    assert everything() == before  # not even a first version

    removed = measure("3.3").actions.get(text=REMOVED_ACTION)
    path = tmp_path / "gers-avenant.txt"
    path.write_text(gers_text(without=(REMOVED_ACTION,)), encoding="utf-8")
    run(path, "--department", "32", "--version-label", "Avenant n° 1")
    assert not Action.objects.filter(pk=removed.pk).exists()
    assert Indicator.objects.filter(pk__in=[indicator.pk, demo.pk]).count() == 2
    assert Action.objects.filter(pk=action.pk).exists()
    initial, amendment = gers_imported.versions.order_by("number")
    assert initial.label == "Version initiale" and amendment.label == "Avenant n° 1"
    assert removed.pk in initial.snapshot[SNAPSHOT_KEY]["actions"]  # frozen before the change
    assert action.pk not in amendment.snapshot[SNAPSHOT_KEY]["actions"]


# --- measures added in Vigie (no page creates them yet: the loader is ready for it) ----------


def add_measure_in_vigie(user, axis: Axis, number: str) -> Measure:
    created = Measure.objects.create(axis=axis, number=number, title="Mesure ajoutée", order=50)
    audit.record_create(acting_user=user, instance=created, department=axis.plan.department)
    return created


def test_measure_added_in_vigie_is_kept_and_its_number_is_protected(
    gers_imported, gers_plan, agent
):
    from vigie.imports.errors import PlanImportError
    from vigie.imports.parsing.schema import ParsedMeasure
    from vigie.imports.writing.loader import load_plan

    axis = gers_imported.axes.get(kind="axis", number="4")
    added = add_measure_in_vigie(agent, axis, "4.9")
    before = everything()
    _plan, stats = load_plan(gers_plan, gers_imported.department, plan=gers_imported)
    assert not stats.changed and stats.kept == {"mesure": 1}
    assert everything() == before

    taking = copy.deepcopy(gers_plan)
    taking.axes[3].measures.append(ParsedMeasure(number="4.9", title="Une autre mesure"))
    with pytest.raises(PlanImportError, match="donne son numéro à un élément ajouté dans Vigie"):
        load_plan(taking, gers_imported.department, plan=gers_imported)
    assert everything() == before

    # the document drops axis 4: its measures go, the axis stays for the one added in Vigie
    dropping = copy.deepcopy(gers_plan)
    del dropping.axes[3]
    _plan, stats = load_plan(dropping, gers_imported.department, plan=gers_imported)
    assert stats.deleted["mesure"] == 3 and "axe" not in stats.deleted
    assert Measure.objects.filter(pk=added.pk, axis=axis).exists()
    assert list(axis.measures.all()) == [added]
