"""``ParsedPlan`` → database, in one transaction, idempotently, with audit entries.

The plan is found by its natural key (department, period), or given (a new version of an
existing plan, whose period may change). What is already in Vigie is then paired with the
new document (``matching.py``) and updated in place:

- axes by nature and number, then by title;
- measures by number and title, then title (renumbered), then number (renamed), then
  content (renamed and renumbered), across the whole plan (a measure may change axis);
- actions, indicators, pilots and partners by their text (identical, then similar, then in
  place); signatories, context sections and good practices by their order.

A paired row keeps its id, so an action's status, owner, due date and progress note, an
indicator's definition and values, comments, campaign reports and history all carry over.
A second import of the same document finds every row unchanged and writes nothing, not even
an audit entry.

The comparison is three-way (``provenance.py``): only rows that came from a previous
document take part in the pairing; rows added in Vigie since (an action created on a measure
page, a computed indicator) are kept untouched and reported (``PlanChanges.kept_*``,
``ImportStats.kept``), unless the new document contains the very same text, which then
becomes theirs. The rows written from the new document are returned
(``ImportStats.document_ids``) so that the version records them.

Items that came from a previous document and that the new document no longer contains are
deleted, unless something is attached to them in Vigie: a measure with comments, campaign
reports, governance links or items added in Vigie, an action being followed (status other
than "À venir", owner, due date, progress note, campaign reports), an indicator with
values, a target, a baseline or a computed indicator built on it. Then the whole import is
refused (nothing is written) and ``PlanChanges.blocking`` lists them, so that the review
step can keep them in the new version.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.db import DataError, IntegrityError, models, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.db.models.deletion import ProtectedError, RestrictedError

from vigie.audit.services import record_create, record_delete, record_update, snapshot
from vigie.imports.errors import PlanImportError
from vigie.imports.parsing.schema import ParsedAxis, ParsedMeasure, ParsedPlan
from vigie.imports.writing.matching import (
    TEXT_THRESHOLD,
    MeasureKey,
    align,
    match_measures,
    normalize,
    similarity,
)
from vigie.imports.writing.provenance import Provenance, empty_ids, kind_of, provenance_for
from vigie.indicators.models import Indicator
from vigie.organisations.models import GlossaryEntry
from vigie.organisations.services import OrganisationMatcher, load_directory, matcher_for
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
from vigie.territories.models import Department

ACTOR_THRESHOLD = 0.8
AXIS_TITLE_THRESHOLD = 0.85
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


# --- what changes: pairing the plan in Vigie with the new document ---------------------------


@dataclass
class MeasureChange:
    """One measure of the new document and what it becomes."""

    parsed: ParsedMeasure
    part: tuple[str, str]  # (axis kind, axis number) in the new document
    order: int
    old: Measure | None = None
    actions: dict[int, Action] = field(default_factory=dict)  # new index → existing action
    removed_actions: list[Action] = field(default_factory=list)
    kept_actions: list[Action] = field(default_factory=list)  # added in Vigie
    indicators: dict[int, Indicator] = field(default_factory=dict)
    removed_indicators: list[Indicator] = field(default_factory=list)
    kept_indicators: list[Indicator] = field(default_factory=list)
    actors: dict[int, MeasureActor] = field(default_factory=dict)
    removed_actors: list[MeasureActor] = field(default_factory=list)
    kept_actors: list[MeasureActor] = field(default_factory=list)


@dataclass
class AxisChange:
    kind: str
    parsed: ParsedAxis
    order: int
    old: Axis | None = None


@dataclass
class PlanChanges:
    plan: Plan | None
    origin: Provenance = field(default_factory=Provenance)
    axes: list[AxisChange] = field(default_factory=list)
    removed_axes: list[Axis] = field(default_factory=list)
    # added in Vigie, or removed by the document but still holding measures added in Vigie
    kept_axes: list[Axis] = field(default_factory=list)
    measures: list[MeasureChange] = field(default_factory=list)
    removed_measures: list[Measure] = field(default_factory=list)
    kept_measures: list[Measure] = field(default_factory=list)  # added in Vigie
    blocking: list[str] = field(default_factory=list)  # removed items that are being followed
    # the new document needs the number of an item added in Vigie
    conflicts: list[str] = field(default_factory=list)

    def kept_items(self) -> list[tuple[str, str, str]]:
        """(kind, measure number, text) of every item added in Vigie that the import keeps."""
        items = [("axe", "", f"{a.number} « {a.title} »") for a in self.kept_axes]
        items += [("mesure", m.number, m.title) for m in self.kept_measures]
        for change in self.measures:
            number = change.parsed.number
            items += [("pilote ou partenaire", number, a.wording) for a in change.kept_actors]
            items += [("action", number, a.text) for a in change.kept_actions]
            items += [("indicateur", number, i.label) for i in change.kept_indicators]
        return items


def actors_of(parsed: ParsedMeasure) -> list[tuple[str, str]]:
    actors = [(ActorRole.PILOT, wording) for wording in parsed.pilots]
    actors += [(ActorRole.PARTNER, wording) for wording in parsed.partners]
    actors += [(ActorRole.PILOT_OR_PARTNER, wording) for wording in parsed.pilot_partners]
    return actors


def _measures_with_children(plan: Plan) -> list[Measure]:
    return list(
        Measure.objects.filter(axis__plan=plan)
        .select_related("axis")
        .annotate(
            n_comments=Count("comments", distinct=True),
            n_bodies=Count("governance_bodies", distinct=True),
            n_decisions=Count("governance_decisions", distinct=True),
        )
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.annotate(n_reports=Count("campaign_reports")).order_by(
                    "order", "pk"
                ),
            ),
            Prefetch(
                "indicators",
                queryset=Indicator.objects.annotate(
                    n_values=Count("values"), is_operand=_is_operand()
                ).order_by("order", "pk"),
            ),
            Prefetch("actors", queryset=MeasureActor.objects.order_by("order", "pk")),
        )
        .order_by("axis__order", "order", "pk")
    )


def _is_operand():
    """Whether a computed indicator is built on the indicator (numerator or denominator)."""
    return Exists(
        Indicator.objects.filter(Q(numerator=OuterRef("pk")) | Q(denominator=OuterRef("pk")))
    )


def _body(actions: list[str], indicators: list[str]) -> str:
    return " ".join([*actions, *indicators])


def compute_changes(
    plan: Plan | None, parsed: ParsedPlan, origin: Provenance | None = None
) -> PlanChanges:
    """How ``parsed`` would be written over ``plan`` (None: a new plan). Writes nothing.

    Only the rows that came from a previous document (``origin``, by default the plan's
    provenance) are paired with the new document and may be removed by it; the rows added in
    Vigie are kept, unless the new document contains the very same text (then it is theirs).
    """
    origin = origin if origin is not None else provenance_for(plan)
    changes = PlanChanges(plan=plan, origin=origin)
    parts = [(AxisKind.AXIS, axis) for axis in parsed.axes]
    parts += [(AxisKind.ANNEX, annex) for annex in parsed.annexes]
    every_axis = list(plan.axes.all()) if plan is not None else []
    old_axes = [a for a in every_axis if origin.from_document(a)]
    local_axes = [a for a in every_axis if not origin.from_document(a)]
    every_measure = _measures_with_children(plan) if plan is not None else []
    old_measures = [m for m in every_measure if origin.from_document(m)]
    local_measures = [m for m in every_measure if not origin.from_document(m)]

    # axes: (kind, number), then title
    used: set[int] = set()
    for order, (kind, parsed_axis) in enumerate(parts):
        change = AxisChange(kind=kind, parsed=parsed_axis, order=order)
        change.old = next(
            (
                a
                for a in old_axes
                if a.pk not in used and (a.kind, a.number) == (kind, parsed_axis.number)
            ),
            None,
        )
        if change.old is not None:
            used.add(change.old.pk)
        changes.axes.append(change)
    for change in changes.axes:
        if change.old is None:
            change.old = next(
                (
                    a
                    for a in old_axes
                    if a.pk not in used
                    and a.kind == change.kind
                    and similarity(a.title, change.parsed.title) >= AXIS_TITLE_THRESHOLD
                ),
                None,
            )
            if change.old is not None:
                used.add(change.old.pk)
    for change in changes.axes:  # an axis added in Vigie that the document now has
        if change.old is None:
            change.old = next(
                (
                    a
                    for a in local_axes
                    if a.pk not in used
                    and a.kind == change.kind
                    and normalize(a.title) == normalize(change.parsed.title)
                ),
                None,
            )
            if change.old is not None:
                used.add(change.old.pk)
    changes.removed_axes = [a for a in old_axes if a.pk not in used]
    changes.kept_axes = [a for a in local_axes if a.pk not in used]

    # measures, across the plan
    new_measures = [
        MeasureChange(parsed=m, part=(kind, axis.number), order=position)
        for kind, axis in parts
        for position, m in enumerate(axis.measures)
    ]
    old_keys = [
        MeasureKey(
            part=f"{m.axis.kind}:{m.axis.number}",
            number=m.number,
            title=m.title,
            body=_body(
                [a.text for a in m.actions.all() if origin.from_document(a)],
                [i.label for i in m.indicators.all() if origin.from_document(i)],
            ),
        )
        for m in old_measures
    ]
    new_keys = [
        MeasureKey(
            part=f"{c.part[0]}:{c.part[1]}",
            number=c.parsed.number,
            title=c.parsed.title,
            body=_body([a.text for a in c.parsed.actions], c.parsed.indicators),
        )
        for c in new_measures
    ]
    pairs = {j: old_measures[i] for j, i in match_measures(old_keys, new_keys).items()}
    adopted: set[int] = set()
    for j, change in enumerate(new_measures):  # a measure added in Vigie that the document has
        if j in pairs:
            continue
        found = next(
            (
                m
                for m in local_measures
                if m.pk not in adopted and normalize(m.title) == normalize(change.parsed.title)
            ),
            None,
        )
        if found is not None:
            pairs[j] = found
            adopted.add(found.pk)
    for j, change in enumerate(new_measures):
        if j in pairs:
            change.old = pairs[j]
            _pair_children(change, origin)
        changes.measures.append(change)
    paired = {m.pk for m in pairs.values()}
    changes.removed_measures = [m for m in old_measures if m.pk not in paired]
    changes.kept_measures = [m for m in local_measures if m.pk not in paired]
    # an axis that the document no longer has stays while it holds measures added in Vigie
    holding = {m.axis_id for m in changes.kept_measures}
    changes.kept_axes += [a for a in changes.removed_axes if a.pk in holding]
    changes.removed_axes = [a for a in changes.removed_axes if a.pk not in holding]
    changes.blocking = _blocking(changes)
    changes.conflicts = _conflicts(changes)
    return changes


def _align_three_way(
    items: list, texts: list[str], new: list[str], origin: Provenance, *, threshold: float
) -> tuple[dict[int, object], list, list]:
    """Pairs the items of a measure with the new document's texts: the items from a previous
    document as ``align`` does; the items added in Vigie only on an identical text (and only
    when no item from a document has that text). Returns ({new index: item}, removed items
    (from a document), kept items (added in Vigie))."""
    imported = [
        (item, text) for item, text in zip(items, texts, strict=True) if origin.from_document(item)
    ]
    local = [
        (item, text)
        for item, text in zip(items, texts, strict=True)
        if not origin.from_document(item)
    ]
    imported_texts = {normalize(text) for _, text in imported}
    pairs: dict[int, object] = {}
    adopted: set[int] = set()
    for j, text in enumerate(new):
        key = normalize(text)
        if key in imported_texts:
            continue
        for index, (item, local_text) in enumerate(local):
            if index not in adopted and normalize(local_text) == key:
                pairs[j] = item
                adopted.add(index)
                break
    rest = [j for j in range(len(new)) if j not in pairs]
    found = align([text for _, text in imported], [new[j] for j in rest], threshold=threshold)
    for position, i in found.items():
        pairs[rest[position]] = imported[i][0]
    kept_imported = set(found.values())
    removed = [item for i, (item, _) in enumerate(imported) if i not in kept_imported]
    kept = [item for index, (item, _) in enumerate(local) if index not in adopted]
    return pairs, removed, kept


def _pair_children(change: MeasureChange, origin: Provenance) -> None:
    old, parsed = change.old, change.parsed
    actions = list(old.actions.all())
    change.actions, change.removed_actions, change.kept_actions = _align_three_way(
        actions, [a.text for a in actions], [a.text for a in parsed.actions], origin,
        threshold=TEXT_THRESHOLD,
    )  # fmt: skip

    indicators = list(old.indicators.all())
    change.indicators, change.removed_indicators, change.kept_indicators = _align_three_way(
        indicators, [i.label for i in indicators], parsed.indicators, origin,
        threshold=TEXT_THRESHOLD,
    )  # fmt: skip

    actors = list(old.actors.all())
    change.actors, change.removed_actors, change.kept_actors = _align_three_way(
        actors, [a.wording for a in actors], [w for _, w in actors_of(parsed)], origin,
        threshold=ACTOR_THRESHOLD,
    )  # fmt: skip


def _conflicts(changes: PlanChanges) -> list[str]:
    """Items added in Vigie whose number a new item of the document would take."""
    conflicts = []
    taken = {(a.kind, a.number): a for a in changes.kept_axes}
    for change in changes.axes:
        kept = taken.get((change.kind, change.parsed.number))
        if kept is not None and (change.old is None or change.old.pk != kept.pk):
            conflicts.append(f"l'axe {kept.number} « {kept.title} »")
    target_axis = {(c.kind, c.parsed.number): c.old.pk for c in changes.axes if c.old is not None}
    taken_measures = {(m.axis_id, m.number): m for m in changes.kept_measures}
    for change in changes.measures:
        kept = taken_measures.get((target_axis.get(change.part), change.parsed.number))
        if kept is not None:
            conflicts.append(f"la mesure {kept.number} « {kept.title} »")
    return conflicts


def conflicts_message(conflicts: list[str]) -> str:
    return (
        "Import interrompu, rien n'a été modifié : le nouveau document donne son numéro à un "
        f"élément ajouté dans Vigie ({' ; '.join(conflicts[:3])}). Renumérotez-le dans Vigie, "
        "ou changez le numéro dans la vérification."
    )


def action_follow_up(action: Action) -> str:
    """Why an action cannot disappear silently ("" when nothing is attached to it)."""
    reasons = []
    if action.status != ActionStatus.PLANNED:
        reasons.append(f"état « {action.get_status_display()} »")
    if action.owner_id:
        reasons.append("responsable désigné")
    if action.due_date:
        reasons.append("échéance")
    if action.progress_note:
        reasons.append("point d'avancement")
    if getattr(action, "n_reports", 0) or (
        not hasattr(action, "n_reports") and action.campaign_reports.exists()
    ):
        reasons.append("points d'avancement de campagne")
    return ", ".join(reasons)


def indicator_follow_up(indicator: Indicator) -> str:
    reasons = []
    n_values = getattr(indicator, "n_values", None)
    if n_values is None:
        n_values = indicator.values.count()
    if n_values:
        reasons.append(f"{n_values} valeur(s) saisie(s)")
    if indicator.target_value is not None or indicator.baseline_value is not None:
        reasons.append("cible ou valeur de référence")
    is_operand = getattr(indicator, "is_operand", None)
    if is_operand is None:
        is_operand = Indicator.objects.filter(
            Q(numerator=indicator) | Q(denominator=indicator)
        ).exists()
    if is_operand:
        reasons.append("utilisé par un indicateur calculé")
    return ", ".join(reasons)


def measure_follow_up(measure: Measure, origin: Provenance | None = None) -> str:
    """Why a measure cannot disappear silently; with ``origin``, the items added in Vigie in
    it count as follow-up (they would go with it)."""
    reasons = []
    if getattr(measure, "n_comments", 0):
        reasons.append("commentaires")
    if getattr(measure, "n_bodies", 0) or getattr(measure, "n_decisions", 0):
        reasons.append("instances ou décisions rattachées")
    if any(action_follow_up(a) for a in measure.actions.all()):
        reasons.append("actions suivies")
    if any(indicator_follow_up(i) for i in measure.indicators.all()):
        reasons.append("indicateurs renseignés")
    if origin is not None and any(
        not origin.from_document(item)
        for item in (*measure.actions.all(), *measure.indicators.all(), *measure.actors.all())
    ):
        reasons.append("éléments ajoutés dans Vigie")
    return ", ".join(reasons)


def _blocking(changes: PlanChanges) -> list[str]:
    blocking = []
    for measure in changes.removed_measures:
        if reasons := measure_follow_up(measure, changes.origin):
            blocking.append(f"la mesure {measure.number} « {measure.title} » ({reasons})")
    for change in changes.measures:
        number = change.old.number if change.old is not None else change.parsed.number
        for action in change.removed_actions:
            if reasons := action_follow_up(action):
                blocking.append(f"l'action « {action} » de la mesure {number} ({reasons})")
        for indicator in change.removed_indicators:
            if reasons := indicator_follow_up(indicator):
                blocking.append(f"l'indicateur « {indicator} » de la mesure {number} ({reasons})")
    return blocking


def blocking_message(blocking: list[str]) -> str:
    shown = " ; ".join(blocking[:3])
    more = f" ; et {len(blocking) - 3} autre(s)" if len(blocking) > 3 else ""
    return (
        "Import interrompu, rien n'a été modifié : le nouveau document ne contient plus des "
        f"éléments qui font l'objet d'un suivi dans Vigie : {shown}{more}. Conservez-les dans "
        "la vérification, ou rattachez-les à l'élément qui les remplace."
    )


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
            instance.save()  # its number was parked (see write_structure): store it back
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
