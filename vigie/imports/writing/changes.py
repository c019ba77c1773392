"""What importing a ``ParsedPlan`` over a plan in Vigie would change, written nowhere: the
pairing of the plan's rows with the new document (``compute_changes``), and the items being
followed in Vigie that the document would remove.

The pairing (``matching.py``):

- axes by nature and number, then by title;
- measures by number and title, then title (renumbered), then number (renamed), then
  content (renamed and renumbered), across the whole plan (a measure may change axis);
- actions, indicators, pilots and partners by their text (identical, then similar, then in
  place); signatories, context sections and good practices by their order (in the loader).

The comparison is three-way (``provenance.py``): only rows that came from a previous
document take part in the pairing; rows added in Vigie since (an action created on a measure
page, a computed indicator) are kept untouched and reported (``PlanChanges.kept_*``), unless
the new document contains the very same text, which then becomes theirs.

Items that came from a previous document and that the new document no longer contains are
deleted, unless something is attached to them in Vigie: a measure with comments, campaign
reports, governance links or items added in Vigie, an action being followed (status other
than "À venir", owner, due date, progress note, campaign reports), an indicator with
values, a target, a baseline or a computed indicator built on it. Then the whole import is
refused (nothing is written) and ``PlanChanges.blocking`` lists them, so that the review
step can keep them in the new version.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from vigie.imports.parsing.schema import ParsedAxis, ParsedMeasure, ParsedPlan
from vigie.imports.writing.matching import (
    TEXT_THRESHOLD,
    MeasureKey,
    align,
    match_measures,
    normalize,
    similarity,
)
from vigie.imports.writing.provenance import Provenance, provenance_for
from vigie.indicators.models import Indicator
from vigie.plans.enums import ActionStatus, ActorRole, AxisKind
from vigie.plans.models import Action, Axis, Measure, MeasureActor, Plan

ACTOR_THRESHOLD = 0.8
AXIS_TITLE_THRESHOLD = 0.85


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
    _pair_axes(changes, parts, list(plan.axes.all()) if plan is not None else [])
    _pair_measures(changes, parts, _measures_with_children(plan) if plan is not None else [])
    # an axis that the document no longer has stays while it holds measures added in Vigie
    holding = {m.axis_id for m in changes.kept_measures}
    changes.kept_axes += [a for a in changes.removed_axes if a.pk in holding]
    changes.removed_axes = [a for a in changes.removed_axes if a.pk not in holding]
    changes.blocking = _blocking(changes)
    changes.conflicts = _conflicts(changes)
    return changes


def _pair_axes(
    changes: PlanChanges, parts: list[tuple[str, ParsedAxis]], every_axis: list[Axis]
) -> None:
    """The axes from a document by (kind, number), then by a similar title; an axis added in
    Vigie only by the same title. Each pass goes through the new document in order."""
    origin = changes.origin
    old_axes = [a for a in every_axis if origin.from_document(a)]
    local_axes = [a for a in every_axis if not origin.from_document(a)]
    changes.axes = [
        AxisChange(kind=kind, parsed=parsed_axis, order=order)
        for order, (kind, parsed_axis) in enumerate(parts)
    ]
    passes = (
        (old_axes, lambda a, c: (a.kind, a.number) == (c.kind, c.parsed.number)),
        (
            old_axes,
            lambda a, c: (
                a.kind == c.kind and similarity(a.title, c.parsed.title) >= AXIS_TITLE_THRESHOLD
            ),
        ),
        (  # an axis added in Vigie that the document now has
            local_axes,
            lambda a, c: a.kind == c.kind and normalize(a.title) == normalize(c.parsed.title),
        ),
    )
    used: set[int] = set()
    for candidates, fits in passes:
        for change in changes.axes:
            if change.old is None:
                change.old = next(
                    (a for a in candidates if a.pk not in used and fits(a, change)), None
                )
                if change.old is not None:
                    used.add(change.old.pk)
    changes.removed_axes = [a for a in old_axes if a.pk not in used]
    changes.kept_axes = [a for a in local_axes if a.pk not in used]


def _pair_measures(
    changes: PlanChanges, parts: list[tuple[str, ParsedAxis]], every_measure: list[Measure]
) -> None:
    """The measures from a document across the plan (``match_measures``); a measure added in
    Vigie only by the same title. Then the items of each paired measure."""
    origin = changes.origin
    old_measures = [m for m in every_measure if origin.from_document(m)]
    local_measures = [m for m in every_measure if not origin.from_document(m)]
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
