"""The plan as signed: its first version (``imports.PlanVersion``), in the import schema.

A version freezes the structure (axes, measures, pilots and partners, actions, indicators,
``vigie.imports.versions.snapshot_plan``) and, under ``from_documents``, the ids of the rows
that came from the document: the plan as signed is those rows of the first version (an
action added in Vigie before the first amendment is not part of the signed text). What a
snapshot does not hold, and amendments do not change, comes from the plan as it is: the
signatories, the introduction, the axes' presentations and context pages, the pilots and
partners' wording, the good practices of the actions still there, the glossary.

A plan without any version (written in Vigie) is given as it stands.
"""

from vigie.imports.exporting.plan_json import (
    Include,
    glossary_of,
    include_everything,
    plan_to_import_json,
    split_situation,
)
from vigie.imports.models import PlanVersion
from vigie.imports.parsing.plan_result import national_axis_for
from vigie.imports.writing.provenance import SNAPSHOT_KEY
from vigie.indicators.models import Indicator
from vigie.plans.enums import ActorRole, AxisKind
from vigie.plans.models import Action, Axis, GoodPractice, Measure, Plan


def first_version(plan: Plan) -> PlanVersion | None:
    return PlanVersion.objects.filter(plan=plan).order_by("number").first()


def adopted_plan_json(plan: Plan, *, include: Include | None = None) -> dict:
    """The plan as its first version froze it, in the import schema (``plan_to_import_json``)."""
    include = include or include_everything
    version = first_version(plan)
    if version is None:
        return plan_to_import_json(plan, include=include)
    snapshot = version.snapshot
    kept = _from_documents(snapshot)
    axes = {a.pk: a for a in Axis.objects.filter(plan=plan).prefetch_related("sections")}
    measures = {
        m.pk: m for m in Measure.objects.filter(axis__plan=plan).prefetch_related("good_practices")
    }
    rows = {
        "axes": axes,
        "measures": measures,
        "actions": Action.objects.filter(measure__axis__plan=plan).in_bulk(),
        "indicators": Indicator.objects.filter(measure__axis__plan=plan).in_bulk(),
    }
    builder = _SnapshotReader(rows, kept, include)
    parts = {AxisKind.AXIS: [], AxisKind.ANNEX: []}
    for axis in snapshot.get("axes", []):
        if builder.keeps("axes", axis):
            parts.setdefault(axis.get("kind"), []).append(builder.axis(axis))
    period = snapshot.get("period") or {}
    return {
        "title": snapshot.get("title", plan.title),
        "department": plan.department.code,
        "period": {
            "start": period.get("start", plan.period_start),
            "end": period.get("end", plan.period_end),
        },
        "signed_on": snapshot.get("signed_on"),
        "signed_at": plan.signed_at,
        "signatories": [
            {"name": s.name, "office": s.office}
            for s in plan.signatories.order_by("order", "pk")
            if include(s)
        ],
        "introduction": plan.introduction,
        "axes": parts[AxisKind.AXIS],
        "annexes": parts[AxisKind.ANNEX],
        "glossary": [
            {"acronym": e.acronym, "definition": e.definition}
            for e in glossary_of(plan)
            if include(e)
        ],
    }


def _from_documents(snapshot: dict) -> dict[str, set] | None:
    recorded = snapshot.get(SNAPSHOT_KEY)
    if not isinstance(recorded, dict):
        return None  # an older snapshot: all its rows were the plan's
    return {kind: set(ids) for kind, ids in recorded.items()}


class _SnapshotReader:
    """The parts of a snapshot in the import schema, completed from the plan as it is."""

    def __init__(self, rows: dict[str, dict], kept: dict | None, include: Include):
        self.rows, self.kept, self.include = rows, kept, include
        self.axes, self.measures = rows["axes"], rows["measures"]

    def keeps(self, kind: str, item: dict) -> bool:
        """A row of the snapshot that came from the document, and that ``include`` accepts
        (asked about the row as it is now; a row deleted since is kept)."""
        if self.kept is not None and item.get("id") not in self.kept.get(kind, set()):
            return False
        row = self.rows[kind].get(item.get("id"))
        return row is None or self.include(row)

    def axis(self, axis: dict) -> dict:
        row = self.axes.get(axis.get("id"))
        national = national_axis_for(axis["title"]) if axis.get("kind") == AxisKind.AXIS else ""
        return {
            "number": axis["number"],
            "title": axis["title"],
            "national_axis": row.national_axis if row is not None else national,
            "introduction": row.introduction if row is not None else "",
            "sections": [
                {"kind": s.kind, "title": s.title, "body": s.body}
                for s in (row.sections.all() if row is not None else [])
                if self.include(s)
            ],
            "measures": [
                self.measure(m) for m in axis.get("measures", []) if self.keeps("measures", m)
            ],
        }

    def measure(self, measure: dict) -> dict:
        row = self.measures.get(measure.get("id"))
        actors = measure.get("actors", [])
        combined = bool(actors) and all(role == ActorRole.PILOT_OR_PARTNER for role, _ in actors)
        actions = [a for a in measure.get("actions", []) if self.keeps("actions", a)]
        practices = self._practices(row, {a.get("id") for a in actions})
        situation, extra = split_situation(measure.get("situation", []))
        return {
            "number": measure["number"],
            "title": measure["title"],
            "actors_wording": row.actors_wording if row is not None and combined else "",
            "actors_combined": combined,
            "pilots": [wording for role, wording in actors if role != ActorRole.PARTNER],
            "partners": [wording for role, wording in actors if role == ActorRole.PARTNER],
            "findings": list(measure.get("findings", [])),
            "objectives": list(measure.get("objectives", [])),
            "national_objectives": list(measure.get("national_objectives", [])),
            "situation": situation,
            "actions": [
                {
                    "title": a.get("title", ""),
                    "text": a["text"],
                    "good_practices": [p.text for p in practices if p.action_id == a.get("id")],
                }
                for a in actions
            ],
            "good_practices": [p.text for p in practices],
            "indicators": [
                i["label"] for i in measure.get("indicators", []) if self.keeps("indicators", i)
            ],
            "schedule": extra["schedule"],
            "funding": extra["funding"],
        }

    def _practices(self, row: Measure | None, action_ids: set) -> list[GoodPractice]:
        if row is None:
            return []
        return [
            p
            for p in row.good_practices.all()
            if self.include(p) and (p.action_id is None or p.action_id in action_ids)
        ]
