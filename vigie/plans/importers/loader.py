"""``ParsedPlan`` → database, in one transaction, idempotently, with audit entries.

Natural keys: plan (department, period), axis (kind, number), measure (number); signatories,
sections, actors, actions, good practices and indicators by their order in their parent.
A second import of the same document therefore finds every row unchanged and writes
nothing, not even an audit entry. What users manage in Vigie is never overwritten: an
action's status, owner, due date and progress note; an indicator's unit, periodicity,
baseline and target; the organisation an actor was linked to by hand.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DataError, IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError

from vigie.audit.services import record_create, record_delete, record_update, snapshot
from vigie.indicators.models import Indicator
from vigie.organisations.models import GlossaryEntry
from vigie.organisations.services import OrganisationMatcher, load_directory, matcher_for
from vigie.plans.enums import ActionStatus, ActorRole, AxisKind, PlanStatus
from vigie.plans.importers import PlanImportError
from vigie.plans.importers.schema import ParsedAxis, ParsedMeasure, ParsedPlan
from vigie.plans.importers.structure import parse_plan
from vigie.plans.importers.text import read_file
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

UNSUPPORTED_SUFFIXES = {".pdf", ".docx", ".doc", ".odt", ".rtf"}


@dataclass
class ImportStats:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


@dataclass
class ImportOutcome:
    parsed: ParsedPlan
    department: Department
    plan: Plan | None = None  # None for a dry run
    stats: ImportStats | None = None


# --- entry points ----------------------------------------------------------------------------


def import_plan_file(
    path: Path | str,
    department_code: str,
    *,
    status: str | None = None,
    dry_run: bool = False,
    acting_user=None,
) -> ImportOutcome:
    """Reads, parses and (unless ``dry_run``) writes a plan. ``status`` applies to a new plan
    (default: adopted) and, when given, to an existing one. ``acting_user`` None is the system."""
    department = find_department(department_code)
    parsed = parse_file(Path(path), department)
    if dry_run:
        return ImportOutcome(parsed=parsed, department=department)
    source_note = f"Texte importé du fichier « {Path(path).name} »."
    plan, stats = load_plan(
        parsed, department, status=status, source_note=source_note, acting_user=acting_user
    )
    return ImportOutcome(parsed=parsed, department=department, plan=plan, stats=stats)


def find_department(code: str) -> Department:
    code = (code or "").strip().upper()
    if code.isdigit() and len(code) == 1:
        code = code.zfill(2)
    department = Department.objects.filter(code=code).first()
    if department is None:
        raise PlanImportError(
            f"Département inconnu : « {code} ». Les départements doivent être chargés avant "
            "d'importer un plan."
        )
    return department


def parse_file(path: Path, department: Department) -> ParsedPlan:
    if path.suffix.lower() in UNSUPPORTED_SUFFIXES:
        raise PlanImportError(
            f"Le format {path.suffix} n'est pas encore pris en charge : fournissez le texte du plan "
            "(.txt ou .md)."
        )
    return parse_plan(read_file(path), proper_nouns=(department.name,))


def load_plan(
    parsed: ParsedPlan,
    department: Department,
    *,
    status: str | None = None,
    source_note: str = "",
    acting_user=None,
) -> tuple[Plan, ImportStats]:
    """Writes ``parsed`` for ``department``; all or nothing."""
    try:
        with transaction.atomic():
            load_directory(acting_user=acting_user, department=department)
            writer = _PlanWriter(department, matcher_for(department), acting_user)
            plan = writer.write(parsed, status=status, source_note=source_note)
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

    # generic upsert and delete

    def save(self, model, lookup: dict, values: dict, *, parent=None) -> models.Model:
        values = _fit(model, values)
        instance = model.objects.filter(**lookup).first()
        if instance is None:
            instance = model.objects.create(**lookup, **values)
            record_create(
                acting_user=self.acting_user,
                instance=instance,
                parent=parent,
                department=self.department,
            )
            self.stats.created[str(model._meta.verbose_name)] += 1
            return instance
        changed = {
            name: value for name, value in values.items() if getattr(instance, name) != value
        }
        if changed:
            before = snapshot(instance, list(changed))
            for name, value in changed.items():
                setattr(instance, name, value)
            instance.save()
            record_update(
                acting_user=self.acting_user,
                instance=instance,
                before=before,
                parent=parent,
                department=self.department,
            )
            self.stats.updated[str(model._meta.verbose_name)] += 1
        return instance

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

    # plan

    def write(self, parsed: ParsedPlan, *, status: str | None, source_note: str) -> Plan:
        lookup = {
            "department": self.department,
            "period_start": parsed.period_start,
            "period_end": parsed.period_end,
        }
        values = {
            "title": parsed.title,
            "signed_on": parsed.signed_on,
            "signed_at": parsed.signed_at,
            "introduction": parsed.introduction,
            "source_note": source_note,
        }
        exists = Plan.objects.filter(**lookup).exists()
        if status is not None or not exists:
            values["status"] = status or PlanStatus.ADOPTED
        plan = self.save(Plan, lookup, values)
        self.write_signatories(plan, parsed)
        self.write_axes(plan, parsed)
        self.write_glossary(parsed)
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

    # axes

    def write_axes(self, plan: Plan, parsed: ParsedPlan) -> None:
        kept = []
        parts = [(AxisKind.AXIS, axis) for axis in parsed.axes]
        parts += [(AxisKind.ANNEX, annex) for annex in parsed.annexes]
        for order, (kind, parsed_axis) in enumerate(parts):
            axis = self.write_axis(plan, kind, parsed_axis, order)
            kept.append(axis.pk)
        for axis in plan.axes.exclude(pk__in=kept):
            self.delete_axis(axis)

    def write_axis(self, plan: Plan, kind: str, parsed: ParsedAxis, order: int) -> Axis:
        values = {
            "title": parsed.title,
            "national_axis": parsed.national_axis,
            "introduction": parsed.introduction,
            "order": order,
        }
        axis = self.save(
            Axis, {"plan": plan, "kind": kind, "number": parsed.number}, values, parent=plan
        )
        for position, section in enumerate(parsed.sections):
            values = {"kind": section.kind, "title": section.title, "body": section.body}
            self.save(AxisSection, {"axis": axis, "order": position}, values, parent=axis)
        self.delete_from(axis.sections.filter(order__gte=len(parsed.sections)), parent=axis)
        numbers = []
        for position, parsed_measure in enumerate(parsed.measures):
            self.write_measure(axis, parsed_measure, position)
            numbers.append(parsed_measure.number)
        for measure in axis.measures.exclude(number__in=numbers):
            self.delete_measure(measure)
        return axis

    def delete_axis(self, axis: Axis) -> None:
        for measure in axis.measures.all():
            self.delete_measure(measure)
        self.delete_from(axis.sections.all(), parent=axis)
        self.delete(axis, parent=axis.plan)

    # measures

    def write_measure(self, axis: Axis, parsed: ParsedMeasure, order: int) -> Measure:
        values = {
            "title": parsed.title,
            "actors_wording": parsed.actors_wording,
            "findings": _lines(parsed.findings),
            "objectives": _lines(parsed.objectives),
            "national_objectives": _lines(parsed.national_objectives),
            "situation": _lines(parsed.situation),
            "order": order,
        }
        measure = self.save(Measure, {"axis": axis, "number": parsed.number}, values, parent=axis)
        self.write_actors(measure, parsed)
        actions = self.write_actions(measure, parsed)
        self.write_good_practices(measure, parsed, actions)
        self.delete_from(measure.actions.filter(order__gte=len(actions)), parent=measure)
        self.write_indicators(measure, parsed)
        return measure

    def delete_measure(self, measure: Measure) -> None:
        if measure.comments.exists():
            raise PlanImportError(
                f"Import interrompu, rien n'a été modifié : la mesure {measure.number} ne figure plus "
                "dans le document mais des commentaires y sont attachés."
            )
        self.delete_from(measure.good_practices.all(), parent=measure)
        self.delete_from(measure.actions.all(), parent=measure)
        self.delete_from(Indicator.objects.filter(measure=measure), parent=measure)
        self.delete_from(measure.actors.all(), parent=measure)
        self.delete(measure, parent=measure.axis)

    def write_actors(self, measure: Measure, parsed: ParsedMeasure) -> None:
        actors = [(ActorRole.PILOT, wording) for wording in parsed.pilots]
        actors += [(ActorRole.PARTNER, wording) for wording in parsed.partners]
        actors += [(ActorRole.PILOT_OR_PARTNER, wording) for wording in parsed.pilot_partners]
        for order, (role, wording) in enumerate(actors):
            existing = measure.actors.filter(order=order).first()
            organisation = self.matcher.match(wording)
            if organisation is None and existing is not None and existing.wording == wording:
                organisation = existing.organisation  # linked by hand: keep it
            values = {"role": role, "wording": wording, "organisation": organisation}
            self.save(MeasureActor, {"measure": measure, "order": order}, values, parent=measure)
        self.delete_from(measure.actors.filter(order__gte=len(actors)), parent=measure)

    def write_actions(self, measure: Measure, parsed: ParsedMeasure) -> list[Action]:
        stale = measure.actions.filter(order__gte=len(parsed.actions))
        _refuse_losing_follow_up(measure, stale)
        return [
            self.save(
                Action,
                {"measure": measure, "order": order},
                {"title": action.title, "text": action.text},
                parent=measure,
            )
            for order, action in enumerate(parsed.actions)
        ]

    def write_good_practices(
        self, measure: Measure, parsed: ParsedMeasure, actions: list[Action]
    ) -> None:
        for order, practice in enumerate(parsed.good_practices):
            action = actions[practice.action_index] if practice.action_index is not None else None
            values = {"text": practice.text, "action": action}
            self.save(GoodPractice, {"measure": measure, "order": order}, values, parent=measure)
        stale = measure.good_practices.filter(order__gte=len(parsed.good_practices))
        self.delete_from(stale, parent=measure)

    def write_indicators(self, measure: Measure, parsed: ParsedMeasure) -> None:
        for order, label in enumerate(parsed.indicators):
            self.save(
                Indicator, {"measure": measure, "order": order}, {"label": label}, parent=measure
            )
        stale = Indicator.objects.filter(measure=measure, order__gte=len(parsed.indicators))
        self.delete_from(stale, parent=measure)


def _refuse_losing_follow_up(measure: Measure, actions) -> None:
    """Actions that disappear from the document must not take users' follow-up with them."""
    followed = [
        action
        for action in actions
        if action.status != ActionStatus.PLANNED
        or action.owner_id
        or action.due_date
        or action.progress_note
    ]
    if followed:
        raise PlanImportError(
            f"Import interrompu, rien n'a été modifié : la mesure {measure.number} compterait moins "
            f"d'actions, mais l'action « {followed[0]} » fait l'objet d'un suivi."
        )
