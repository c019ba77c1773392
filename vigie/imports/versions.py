"""Frozen snapshots of a plan's structure (plan versions) and the differences between two
versions, or between the plan in Vigie and a document waiting for confirmation.

A difference lists measures added, removed and changed (number, title, axis, pilots and
partners, context fields), and, inside measures present in both, actions and indicators
added, removed and changed. Items of an added or removed measure are not listed again.
Before a confirmation, the items added in Vigie that the import keeps are listed apart
(``Diff.kept``, « ajouté dans Vigie, conservé »): they are not differences.

Each snapshot also records, under ``from_documents``, the ids of the rows that came from an
imported document (``vigie.imports.writing.provenance``).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from vigie.imports.parsing.schema import ParsedMeasure, ParsedPlan
from vigie.imports.writing.changes import actors_of, compute_changes
from vigie.imports.writing.loader import situation_lines
from vigie.imports.writing.provenance import SNAPSHOT_KEY, provenance_for
from vigie.indicators.models import Indicator
from vigie.plans import perms as plan_perms
from vigie.plans.enums import ActorRole, AxisKind
from vigie.plans.models import Action, Measure, MeasureActor, Plan, split_lines

MEASURE_FIELDS = (
    ("number", "numéro"),
    ("title", "intitulé"),
    ("axis", "axe"),
    ("actors", "pilotes et partenaires"),
    ("findings", "constat"),
    ("objectives", "objectifs"),
    ("national_objectives", "objectifs de la stratégie nationale"),
    ("situation", "état des lieux"),
)
ROLE_LABELS = dict(ActorRole.choices)


def _axis_label(kind: str, number: str) -> str:
    return f"{'Annexe' if kind == AxisKind.ANNEX else 'Axe'} {number}"


# --- snapshots -------------------------------------------------------------------------------


def snapshot_plan(plan: Plan) -> dict:
    """The plan's structure as it is now, with the ids of its rows (JSON)."""
    measures = (
        Measure.objects.filter(axis__plan=plan)
        .select_related("axis")
        .prefetch_related(
            Prefetch("actors", queryset=MeasureActor.objects.order_by("order", "pk")),
            Prefetch("actions", queryset=Action.objects.order_by("order", "pk")),
            Prefetch(
                "indicators",
                queryset=Indicator.objects.annotate(n_values=Count("values")).order_by(
                    "order", "pk"
                ),
            ),
        )
        .order_by("axis__order", "order", "pk")
    )
    by_axis: dict[int, list[dict]] = {}
    for measure in measures:
        by_axis.setdefault(measure.axis_id, []).append(
            {
                "id": measure.pk,
                "number": measure.number,
                "title": measure.title,
                "actors": [[a.role, a.wording] for a in measure.actors.all()],
                "findings": measure.findings_list,
                "objectives": measure.objectives_list,
                "national_objectives": measure.national_objectives_list,
                "situation": measure.situation_list,
                "actions": [
                    {"id": a.pk, "title": a.title, "text": a.text, "status": a.status}
                    for a in measure.actions.all()
                ],
                "indicators": [
                    {"id": i.pk, "label": i.label, "values": i.n_values}
                    for i in measure.indicators.all()
                ],
            }
        )
    return {
        "title": plan.title,
        "period": {"start": plan.period_start, "end": plan.period_end},
        "signed_on": plan.signed_on.isoformat() if plan.signed_on else None,
        "status": plan.status,
        "axes": [
            {
                "id": axis.pk,
                "kind": axis.kind,
                "number": axis.number,
                "title": axis.title,
                "measures": by_axis.get(axis.pk, []),
            }
            for axis in plan.axes.order_by("order", "pk")
        ],
    }


def frozen_snapshot(plan: Plan, from_documents: dict | None = None) -> dict:
    """The snapshot a version stores: the structure, and the ids of the rows that came from a
    document (``from_documents``, per kind; by default the plan's current provenance)."""
    if from_documents is None:
        from_documents = provenance_for(plan).ids
    return {
        **snapshot_plan(plan),
        SNAPSHOT_KEY: {kind: sorted(ids) for kind, ids in from_documents.items()},
    }


def snapshot_counts(snapshot: dict) -> dict[str, int]:
    axes = [a for a in snapshot.get("axes", []) if a.get("kind") == AxisKind.AXIS]
    measures = [m for a in axes for m in a["measures"]]
    every = [m for a in snapshot.get("axes", []) for m in a["measures"]]
    return {
        "axes": len(axes),
        "measures": len(measures),
        "all_measures": len(every),
        "actions": sum(len(m["actions"]) for m in every),
        "indicators": sum(len(m["indicators"]) for m in measures),
    }


# --- differences -----------------------------------------------------------------------------


@dataclass
class ItemChange:
    measure: str  # number of the measure, as in the new version
    text: str
    old_text: str = ""


@dataclass
class MeasureDiff:
    number: str
    title: str
    old_number: str = ""
    old_title: str = ""
    fields: list[str] = field(default_factory=list)  # labels of what changed


@dataclass
class KeptItem:
    """An item added in Vigie that the new document does not have: kept, untouched."""

    kind: str  # "action", "indicateur", "mesure", "pilote ou partenaire", "axe"
    measure: str  # number of its measure ("" for an axis)
    text: str

    def __str__(self) -> str:
        where = f" (mesure {self.measure})" if self.measure and self.kind != "mesure" else ""
        number = f" {self.measure}" if self.kind == "mesure" else ""
        return f"{self.kind}{number} « {self.text} »{where} : ajouté dans Vigie, conservé"


@dataclass
class Diff:
    measures_added: list[MeasureDiff] = field(default_factory=list)
    measures_removed: list[MeasureDiff] = field(default_factory=list)
    measures_changed: list[MeasureDiff] = field(default_factory=list)
    actions_added: list[ItemChange] = field(default_factory=list)
    actions_removed: list[ItemChange] = field(default_factory=list)
    actions_changed: list[ItemChange] = field(default_factory=list)
    indicators_added: list[ItemChange] = field(default_factory=list)
    indicators_removed: list[ItemChange] = field(default_factory=list)
    indicators_changed: list[ItemChange] = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)
    kept: list[KeptItem] = field(default_factory=list)  # added in Vigie: not differences

    @property
    def total(self) -> int:
        return sum(
            len(getattr(self, name))
            for name in (
                "measures_added", "measures_removed", "measures_changed",
                "actions_added", "actions_removed", "actions_changed",
                "indicators_added", "indicators_removed", "indicators_changed",
            )
        )  # fmt: skip

    def summary(self) -> str:
        parts = [
            (len(self.measures_added), "mesure(s) ajoutée(s)"),
            (len(self.measures_removed), "mesure(s) retirée(s)"),
            (len(self.measures_changed), "mesure(s) modifiée(s)"),
            (len(self.actions_added), "action(s) ajoutée(s)"),
            (len(self.actions_removed), "action(s) retirée(s)"),
            (len(self.actions_changed), "action(s) modifiée(s)"),
            (len(self.indicators_added), "indicateur(s) ajouté(s)"),
            (len(self.indicators_removed), "indicateur(s) retiré(s)"),
            (len(self.indicators_changed), "indicateur(s) modifié(s)"),
        ]
        shown = ", ".join(f"{count} {label}" for count, label in parts if count)
        shown = shown or "aucune différence"
        if self.kept:
            shown += f" ; {len(self.kept)} élément(s) ajouté(s) dans Vigie, conservé(s)"
        return shown


def _changed_fields(old: dict, new: dict) -> list[str]:
    return [label for name, label in MEASURE_FIELDS if old.get(name) != new.get(name)]


def _db_fields(measure: Measure) -> dict:
    return {
        "number": measure.number,
        "title": measure.title,
        "axis": _axis_label(measure.axis.kind, measure.axis.number),
        "actors": [[a.role, a.wording] for a in measure.actors.all()],
        "findings": split_lines(measure.findings),
        "objectives": split_lines(measure.objectives),
        "national_objectives": split_lines(measure.national_objectives),
        "situation": split_lines(measure.situation),
    }


def _parsed_fields(parsed: ParsedMeasure, part: tuple[str, str]) -> dict:
    return {
        "number": parsed.number,
        "title": parsed.title,
        "axis": _axis_label(*part),
        "actors": [[str(role), wording] for role, wording in actors_of(parsed)],
        "findings": [" ".join(x.split()) for x in parsed.findings if x.strip()],
        "objectives": [" ".join(x.split()) for x in parsed.objectives if x.strip()],
        "national_objectives": [
            " ".join(x.split()) for x in parsed.national_objectives if x.strip()
        ],
        "situation": [" ".join(x.split()) for x in situation_lines(parsed) if x.strip()],
    }


def pending_diff(plan: Plan, parsed: ParsedPlan) -> Diff:
    """What confirming ``parsed`` would change in ``plan`` (nothing is written)."""
    changes = compute_changes(plan, parsed)
    diff = Diff(
        blocking=changes.blocking,
        kept=[KeptItem(*item) for item in changes.kept_items()],
    )
    for measure in changes.removed_measures:
        diff.measures_removed.append(MeasureDiff(number=measure.number, title=measure.title))
    for change in changes.measures:
        parsed_measure, old = change.parsed, change.old
        if old is None:
            diff.measures_added.append(
                MeasureDiff(number=parsed_measure.number, title=parsed_measure.title)
            )
            continue
        fields = _changed_fields(_db_fields(old), _parsed_fields(parsed_measure, change.part))
        if fields:
            diff.measures_changed.append(
                MeasureDiff(
                    number=parsed_measure.number,
                    title=parsed_measure.title,
                    old_number=old.number,
                    old_title=old.title,
                    fields=fields,
                )
            )
        number = parsed_measure.number
        for index, action in enumerate(parsed_measure.actions):
            existing = change.actions.get(index)
            if existing is None:
                diff.actions_added.append(ItemChange(number, action.text))
            elif existing.text != action.text:
                diff.actions_changed.append(ItemChange(number, action.text, existing.text))
        diff.actions_removed += [ItemChange(number, "", a.text) for a in change.removed_actions]
        for index, label in enumerate(parsed_measure.indicators):
            existing = change.indicators.get(index)
            if existing is None:
                diff.indicators_added.append(ItemChange(number, label))
            elif existing.label != label:
                diff.indicators_changed.append(ItemChange(number, label, existing.label))
        diff.indicators_removed += [
            ItemChange(number, "", i.label) for i in change.removed_indicators
        ]
    return diff


def _snapshot_measures(snapshot: dict) -> dict[int, dict]:
    measures = {}
    for axis in snapshot.get("axes", []):
        for measure in axis.get("measures", []):
            measures[measure["id"]] = {
                **measure,
                "axis": _axis_label(axis.get("kind", AxisKind.AXIS), axis.get("number", "")),
            }
    return measures


def _items_diff(old: list[dict], new: list[dict], key: str, number: str, diff: Diff, kind: str):
    old_by_id = {item["id"]: item for item in old}
    new_ids = {item["id"] for item in new}
    for item in new:
        before = old_by_id.get(item["id"])
        if before is None:
            getattr(diff, f"{kind}_added").append(ItemChange(number, item[key]))
        elif before[key] != item[key]:
            getattr(diff, f"{kind}_changed").append(ItemChange(number, item[key], before[key]))
    for item in old:
        if item["id"] not in new_ids:
            getattr(diff, f"{kind}_removed").append(ItemChange(number, "", item[key]))


def snapshot_diff(old: dict, new: dict) -> Diff:
    """Differences between two frozen versions (rows are recognised by their ids)."""
    diff = Diff()
    before, after = _snapshot_measures(old), _snapshot_measures(new)
    for pk, measure in after.items():
        previous = before.get(pk)
        if previous is None:
            diff.measures_added.append(
                MeasureDiff(number=measure["number"], title=measure["title"])
            )
            continue
        fields = _changed_fields(previous, measure)
        if fields:
            diff.measures_changed.append(
                MeasureDiff(
                    number=measure["number"],
                    title=measure["title"],
                    old_number=previous["number"],
                    old_title=previous["title"],
                    fields=fields,
                )
            )
        number = measure["number"]
        _items_diff(previous["actions"], measure["actions"], "text", number, diff, "actions")
        _items_diff(
            previous["indicators"], measure["indicators"], "label", number, diff, "indicators"
        )
    for pk, measure in before.items():
        if pk not in after:
            diff.measures_removed.append(
                MeasureDiff(number=measure["number"], title=measure["title"])
            )
    return diff


def snapshot_for(user, plan: Plan, snapshot: dict) -> dict:
    """The snapshot as the user may read it: people outside the plan's department do not see the
    measures, actions and indicators flagged non-public today (`is_restricted`)."""
    if plan_perms.sees_restricted(user, plan.department_id):
        return snapshot
    hidden_measures = set(
        Measure.objects.filter(axis__plan=plan, is_restricted=True).values_list("pk", flat=True)
    )
    hidden_actions = set(
        Action.objects.filter(measure__axis__plan=plan, is_restricted=True).values_list(
            "pk", flat=True
        )
    )
    hidden_indicators = set(
        Indicator.objects.filter(measure__axis__plan=plan, is_restricted=True).values_list(
            "pk", flat=True
        )
    )
    if not (hidden_measures or hidden_actions or hidden_indicators):
        return snapshot
    axes = []
    for axis in snapshot.get("axes", []):
        measures = [
            {
                **measure,
                "actions": [
                    a for a in measure.get("actions", []) if a.get("id") not in hidden_actions
                ],
                "indicators": [
                    i for i in measure.get("indicators", []) if i.get("id") not in hidden_indicators
                ],
            }
            for measure in axis.get("measures", [])
            if measure.get("id") not in hidden_measures
        ]
        axes.append({**axis, "measures": measures})
    return {**snapshot, "axes": axes}
