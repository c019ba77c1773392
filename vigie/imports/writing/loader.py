"""``ParsedPlan`` → database, in one transaction, idempotently, with audit entries.

The plan is found by its natural key (department, period), or given (a new version of an
existing plan, whose period may change). What is already in Vigie is then paired with the
new document (``changes.py``: ``compute_changes``) and updated in place, so that a paired
row keeps its id: an action's status, owner, due date and progress note, an indicator's
definition and values, comments, campaign reports and history all carry over. A second
import of the same document finds every row unchanged and writes nothing, not even an audit
entry.

Rows added in Vigie since the previous document are kept untouched and counted
(``ImportStats.kept``); the rows written from the new document are returned
(``ImportStats.document_ids``) so that the version records them (``provenance.py``). When
the new document no longer contains an item being followed in Vigie, or gives an item added
in Vigie's number to another, the whole import is refused and nothing is written.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.db import DataError, IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError

from vigie.audit.services import record_create, record_delete, record_update, snapshot
from vigie.core.concurrency import bump_version
from vigie.imports.errors import PlanImportError
from vigie.imports.parsing.schema import ParsedMeasure, ParsedPlan
from vigie.imports.writing.changes import (
    AxisChange,
    MeasureChange,
    PlanChanges,
    actors_of,
    blocking_message,
    compute_changes,
    conflicts_message,
)
from vigie.imports.writing.provenance import empty_ids, kind_of
from vigie.indicators.models import Indicator
from vigie.organisations.models import GlossaryEntry
from vigie.organisations.services import OrganisationMatcher, load_directory, matcher_for
from vigie.plans.enums import PlanStatus
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
from vigie.territories.models import Department

# The measure has no field of its own for these parts of a fiche: they are kept, labelled,
# at the end of its situation ("État des lieux").
EXTRA_PARTS = (("schedule", "Calendrier"), ("funding", "Financement"))


@dataclass
class ImportStats:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)  # rows added in Vigie, left untouched
    # ids, per kind (see provenance.KINDS), of the rows that came from a document before the
    # import, and of those written from the new document
    previous_ids: dict[str, set[int]] = field(default_factory=empty_ids)
    document_ids: dict[str, set[int]] = field(default_factory=empty_ids)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    @property
    def origin_changed(self) -> bool:
        """Rows that pass from "added in Vigie" to "from the document" (or the reverse)."""
        return self.previous_ids != self.document_ids


# --- entry points ----------------------------------------------------------------------------


def source_note_for(name: str) -> str:
    return f"Texte importé du fichier « {name} »."


def load_plan(
    parsed: ParsedPlan,
    department: Department,
    *,
    status: str | None = None,
    source_note: str = "",
    acting_user=None,
    plan: Plan | None = None,
) -> tuple[Plan, ImportStats]:
    """Writes ``parsed`` for ``department`` (into ``plan`` when given); all or nothing."""
    try:
        with transaction.atomic():
            load_directory(acting_user=acting_user, department=department)
            writer = _PlanWriter(department, matcher_for(department), acting_user)
            plan = writer.write(parsed, status=status, source_note=source_note, plan=plan)
    except (ProtectedError, RestrictedError) as error:
        objects = ", ".join(str(obj) for obj in list(error.args[1])[:3])
        raise PlanImportError(
            f"Import interrompu, rien n'a été modifié : des données dépendent d'éléments que le "
            f"nouveau document ne contient plus ({objects})."
        ) from None
    except (IntegrityError, DataError) as error:
        raise PlanImportError(
            f"Import interrompu, rien n'a été modifié : le document donne des données que la base "
            f"refuse ({error})."
        ) from None
    return plan, writer.stats


def existing_plan(parsed: ParsedPlan, department: Department) -> Plan | None:
    return Plan.objects.filter(
        department=department, period_start=parsed.period_start, period_end=parsed.period_end
    ).first()


# --- writing ---------------------------------------------------------------------------------


def department_with_article(name: str) -> str:
    """ "Lot" → "du Lot", "Gironde" → "de la Gironde", "Ain" → "de l'Ain", "Landes" → "des Landes"."""
    first_word = re.split(r"[- ]", name)[0]
    masculine_in_e = {"Finistère", "Rhône", "Maine-et-Loire", "Territoire de Belfort"}
    singular_in_s = {"Gers", "Calvados", "Doubs", "Pas-de-Calais"}
    if name[:1] in "AEIOUYÉÈÎ" or name == "Hérault":
        return f"de l'{name}"
    if first_word.endswith("s") and name not in singular_in_s:
        return f"des {name}"
    if first_word.endswith("e") and name not in masculine_in_e:
        return f"de la {name}"
    return f"du {name}"


def _lines(items: list[str]) -> str:
    return "\n".join(item.replace("\n", " ") for item in items)


def situation_lines(parsed: ParsedMeasure) -> list[str]:
    lines = list(parsed.situation)
    for name, label in EXTRA_PARTS:
        lines += [f"{label} : {item}" for item in getattr(parsed, name)]
    return lines


def _fit(model: type[models.Model], values: dict) -> dict:
    """Shortens texts that exceed a column's length (arbitrary documents can have long titles)."""
    fitted = {}
    for name, value in values.items():
        max_length = getattr(model._meta.get_field(name), "max_length", None)
        if isinstance(value, str) and max_length and len(value) > max_length:
            value = value[: max_length - 1].rstrip() + "…"
        fitted[name] = value
    return fitted


class _PlanWriter:
    def __init__(self, department: Department, matcher: OrganisationMatcher, acting_user):
        self.department = department
        self.acting_user = acting_user
        self.matcher = matcher
        self.stats = ImportStats()
        # Rows whose number was replaced by a temporary one in the database only.
        self.parked: dict[type, set[int]] = {}

    # generic create, update, delete

    def create(self, model, values: dict, *, parent=None) -> models.Model:
        instance = model.objects.create(**_fit(model, values))
        record_create(
            acting_user=self.acting_user,
            instance=instance,
            parent=parent,
            department=self.department,
        )
        self.stats.created[str(model._meta.verbose_name)] += 1
        return instance

    def update(self, instance: models.Model, values: dict, *, parent=None) -> models.Model:
        values = _fit(type(instance), values)
        changed = {
            name: value for name, value in values.items() if getattr(instance, name) != value
        }
        parked = instance.pk in self.parked.get(type(instance), set())
        if parked and not changed:
            # Its number was parked (see write_structure): store it back, and only it.
            instance.save(update_fields=["number"])
        if changed:
            before = snapshot(instance, list(changed))
            for name, value in changed.items():
                setattr(instance, name, value)
            if hasattr(instance, "version"):
                # An edit form read before the import is now stale (vigie.core.concurrency).
                bump_version(instance)
            instance.save()
            record_update(
                acting_user=self.acting_user,
                instance=instance,
                before=before,
                parent=parent,
                department=self.department,
            )
            self.stats.updated[str(instance._meta.verbose_name)] += 1
        return instance

    def save(self, model, lookup: dict, values: dict, *, parent=None) -> models.Model:
        instance = model.objects.filter(**lookup).first()
        if instance is None:
            return self.create(model, {**lookup, **values}, parent=parent)
        return self.update(instance, values, parent=parent)

    def delete(self, instance: models.Model, *, parent=None) -> None:
        record_delete(
            acting_user=self.acting_user,
            instance=instance,
            parent=parent,
            department=self.department,
        )
        self.stats.deleted[str(instance._meta.verbose_name)] += 1
        instance.delete()

    def delete_from(self, queryset, *, parent=None) -> None:
        for instance in queryset:
            self.delete(instance, parent=parent)

    def from_document(self, instance: models.Model) -> models.Model:
        """Records that ``instance`` was written from the new document (its provenance)."""
        self.stats.document_ids[kind_of(instance)].add(instance.pk)
        return instance

    # plan

    def write(
        self, parsed: ParsedPlan, *, status: str | None, source_note: str, plan: Plan | None = None
    ) -> Plan:
        values = {
            "title": parsed.title,
            "period_start": parsed.period_start,
            "period_end": parsed.period_end,
            "signed_on": parsed.signed_on,
            "signed_at": parsed.signed_at,
            "introduction": parsed.introduction,
            "source_note": source_note,
        }
        if plan is None:
            plan = existing_plan(parsed, self.department)
        elif (
            Plan.objects.filter(
                department=self.department,
                period_start=parsed.period_start,
                period_end=parsed.period_end,
            )
            .exclude(pk=plan.pk)
            .exists()
        ):
            raise PlanImportError(
                f"Import interrompu, rien n'a été modifié : un autre plan du département couvre "
                f"déjà la période {parsed.period_start}-{parsed.period_end}."
            )
        if status is not None or plan is None:
            values["status"] = status or PlanStatus.ADOPTED
        if plan is None:
            plan = self.create(Plan, {"department": self.department, **values})
            pending = None
        else:
            pending = values  # written last (see below)
        changes = compute_changes(plan, parsed)
        if changes.blocking:
            raise PlanImportError(blocking_message(changes.blocking))
        if changes.conflicts:
            raise PlanImportError(conflicts_message(changes.conflicts))
        self.stats.previous_ids = {kind: set(ids) for kind, ids in changes.origin.ids.items()}
        for item in (
            *changes.kept_axes,
            *changes.kept_measures,
            *(x for c in changes.measures for x in (*c.kept_actors, *c.kept_actions)),
            *(x for c in changes.measures for x in c.kept_indicators),
        ):
            self.stats.kept[str(item._meta.verbose_name)] += 1
        self.write_signatories(plan, parsed)
        self.write_structure(plan, changes)
        self.write_glossary(parsed)
        if pending is not None:
            # The same document under another file name changes nothing: the note naming
            # the file only follows a document that changes something.
            fitted = _fit(Plan, pending)
            if not (
                self.stats.changed
                or self.stats.origin_changed
                or any(getattr(plan, k) != v for k, v in fitted.items() if k != "source_note")
            ):
                pending = {k: v for k, v in pending.items() if k != "source_note"}
            plan = self.update(plan, pending)
        return plan

    def write_signatories(self, plan: Plan, parsed: ParsedPlan) -> None:
        for order, signatory in enumerate(parsed.signatories):
            values = {"name": signatory.name, "office": signatory.office}
            self.save(Signatory, {"plan": plan, "order": order}, values, parent=plan)
        self.delete_from(plan.signatories.filter(order__gte=len(parsed.signatories)), parent=plan)

    def write_glossary(self, parsed: ParsedPlan) -> None:
        source = (
            f"Plan départemental {parsed.period_start}-{parsed.period_end} "
            f"{department_with_article(self.department.name)}, glossaire"
        )
        for entry in parsed.glossary:
            lookup = {"department": self.department, "acronym": entry.acronym}
            self.save(GlossaryEntry, lookup, {"definition": entry.definition, "source": source})

    # axes and measures

    def write_structure(self, plan: Plan, changes: PlanChanges) -> None:
        # 1. measures that disappear (nothing is attached to them: checked before)
        for measure in changes.removed_measures:
            self.delete_measure(measure)
        # 2. numbers are unique (per plan for axes, per axis for measures): the rows whose
        # number or axis changes are parked under a temporary number first
        for axis_change in changes.axes:
            old = axis_change.old
            if old is not None and (old.kind, old.number) != (
                axis_change.kind,
                axis_change.parsed.number,
            ):
                self._park(Axis, old)
        target_axis = {
            (c.kind, c.parsed.number): (c.old.pk if c.old is not None else None)
            for c in changes.axes
        }
        for change in changes.measures:
            old = change.old
            if old is not None and (old.axis_id, old.number) != (
                target_axis.get(change.part),
                change.parsed.number,
            ):
                self._park(Measure, old)
        # 3. axes
        axes = {}
        for axis_change in changes.axes:
            axes[(axis_change.kind, axis_change.parsed.number)] = self.write_axis(plan, axis_change)
        # 4. measures and their content
        for change in changes.measures:
            self.write_measure(axes[change.part], change)
        # 5. axes that disappear (their measures have gone or moved; an axis that holds
        # measures added in Vigie is kept: see compute_changes)
        for axis in changes.removed_axes:
            self.delete_axis(axis)

    def _park(self, model, instance) -> None:
        model.objects.filter(pk=instance.pk).update(number=f"~{instance.pk}")
        self.parked.setdefault(model, set()).add(instance.pk)

    def write_axis(self, plan: Plan, change: AxisChange) -> Axis:
        parsed = change.parsed
        values = {
            "kind": change.kind,
            "number": parsed.number,
            "title": parsed.title,
            "national_axis": parsed.national_axis,
            "introduction": parsed.introduction,
            "order": change.order,
        }
        if change.old is None:
            axis = self.create(Axis, {"plan": plan, **values}, parent=plan)
        else:
            axis = self.update(change.old, values, parent=plan)
        self.from_document(axis)
        for position, section in enumerate(parsed.sections):
            values = {"kind": section.kind, "title": section.title, "body": section.body}
            self.save(AxisSection, {"axis": axis, "order": position}, values, parent=axis)
        self.delete_from(axis.sections.filter(order__gte=len(parsed.sections)), parent=axis)
        return axis

    def delete_axis(self, axis: Axis) -> None:
        for measure in axis.measures.all():
            self.delete_measure(measure)
        self.delete_from(axis.sections.all(), parent=axis)
        self.delete(axis, parent=axis.plan)

    def write_measure(self, axis: Axis, change: MeasureChange) -> Measure:
        parsed = change.parsed
        values = {
            "axis": axis,
            "number": parsed.number,
            "title": parsed.title,
            "actors_wording": parsed.actors_wording,
            "findings": _lines(parsed.findings),
            "objectives": _lines(parsed.objectives),
            "national_objectives": _lines(parsed.national_objectives),
            "situation": _lines(situation_lines(parsed)),
            "order": change.order,
        }
        if change.old is None:
            measure = self.create(Measure, values, parent=axis)
        else:
            measure = self.update(change.old, values, parent=axis)
        self.from_document(measure)
        self.write_actors(measure, change)
        actions = self.write_actions(measure, change)
        self.write_good_practices(measure, parsed, actions)
        self.write_indicators(measure, change)
        return measure

    def delete_measure(self, measure: Measure) -> None:
        self.delete_from(measure.good_practices.all(), parent=measure)
        self.delete_from(measure.actions.all(), parent=measure)
        self.delete_from(Indicator.objects.filter(measure=measure), parent=measure)
        self.delete_from(measure.actors.all(), parent=measure)
        self.delete(measure, parent=measure.axis)

    def write_actors(self, measure: Measure, change: MeasureChange) -> None:
        for actor in change.removed_actors:
            self.delete(actor, parent=measure)
        for order, (role, wording) in enumerate(actors_of(change.parsed)):
            existing = change.actors.get(order)
            organisation = self.matcher.match(wording)
            if organisation is None and existing is not None and existing.wording == wording:
                organisation = existing.organisation  # linked by hand: keep it
            values = {
                "role": role,
                "wording": wording,
                "organisation": organisation,
                "order": order,
            }
            if existing is None:
                actor = self.create(MeasureActor, {"measure": measure, **values}, parent=measure)
            else:
                actor = self.update(existing, values, parent=measure)
            self.from_document(actor)

    def write_actions(self, measure: Measure, change: MeasureChange) -> list[Action]:
        for action in change.removed_actions:
            self.delete(action, parent=measure)
        actions = []
        for order, parsed_action in enumerate(change.parsed.actions):
            values = {"title": parsed_action.title, "text": parsed_action.text, "order": order}
            existing = change.actions.get(order)
            if existing is None:
                action = self.create(Action, {"measure": measure, **values}, parent=measure)
            else:
                action = self.update(existing, values, parent=measure)
            actions.append(self.from_document(action))
        return actions

    def write_good_practices(
        self, measure: Measure, parsed: ParsedMeasure, actions: list[Action]
    ) -> None:
        for order, practice in enumerate(parsed.good_practices):
            action = actions[practice.action_index] if practice.action_index is not None else None
            values = {"text": practice.text, "action": action}
            self.save(GoodPractice, {"measure": measure, "order": order}, values, parent=measure)
        stale = measure.good_practices.filter(order__gte=len(parsed.good_practices))
        self.delete_from(stale, parent=measure)

    def write_indicators(self, measure: Measure, change: MeasureChange) -> None:
        for indicator in change.removed_indicators:
            self.delete(indicator, parent=measure)
        for order, label in enumerate(change.parsed.indicators):
            existing = change.indicators.get(order)
            values = {"label": label, "order": order}
            if existing is None:
                indicator = self.create(Indicator, {"measure": measure, **values}, parent=measure)
            else:
                indicator = self.update(existing, values, parent=measure)
            self.from_document(indicator)
