"""A plan in Vigie → the import schema (``docs/import-schema.md``), the JSON ``import_plan --json`` prints.

``plan_to_import_json(plan)`` is the inverse of the loader (``vigie.imports.writing.loader``):
an imported plan gives back what ``import_plan --dry-run --json`` read from its document.
The measure's « Calendrier : » and « Financement : » lines, kept at the end of its situation,
go back to ``schedule`` and ``funding``; the glossary is the department's entries that came
from this plan (their source names it), in the order they were written.

``include(obj) -> bool`` lets a caller leave items out: it is called with every signatory,
axis, section, measure, pilot or partner, action, good practice, indicator and glossary entry,
and an item it refuses is left out with everything it contains (an action's good practices
go with it). A fixed number of queries, whatever the size of the plan.
"""

from collections.abc import Callable

from django.db.models import Prefetch

from vigie.imports.writing.loader import EXTRA_PARTS, department_with_article
from vigie.indicators.models import Indicator
from vigie.organisations.models import GlossaryEntry
from vigie.plans.enums import ActorRole, AxisKind
from vigie.plans.models import Action, Axis, GoodPractice, Measure, MeasureActor, Plan, split_lines

Include = Callable[[object], bool]


def include_everything(obj) -> bool:
    return True


def plan_to_import_json(plan: Plan, *, include: Include | None = None) -> dict:
    """The plan as it stands, as a JSON-ready dict in the documented import schema."""
    include = include or include_everything
    axes = [
        axis
        for axis in Axis.objects.filter(plan=plan)
        .prefetch_related("sections", _measures_prefetch())
        .order_by("order", "pk")
        if include(axis)
    ]
    return {
        "title": plan.title,
        "department": plan.department.code,
        "period": {"start": plan.period_start, "end": plan.period_end},
        "signed_on": plan.signed_on.isoformat() if plan.signed_on else None,
        "signed_at": plan.signed_at,
        "signatories": [
            {"name": s.name, "office": s.office}
            for s in plan.signatories.order_by("order", "pk")
            if include(s)
        ],
        "introduction": plan.introduction,
        "axes": [axis_json(a, include) for a in axes if a.kind == AxisKind.AXIS],
        "annexes": [axis_json(a, include) for a in axes if a.kind == AxisKind.ANNEX],
        "glossary": [
            {"acronym": entry.acronym, "definition": entry.definition}
            for entry in glossary_of(plan)
            if include(entry)
        ],
    }


def _measures_prefetch() -> Prefetch:
    return Prefetch(
        "measures",
        queryset=Measure.objects.order_by("order", "pk").prefetch_related(
            Prefetch("actors", queryset=MeasureActor.objects.order_by("order", "pk")),
            Prefetch("actions", queryset=Action.objects.order_by("order", "pk")),
            Prefetch("good_practices", queryset=GoodPractice.objects.order_by("order", "pk")),
            Prefetch("indicators", queryset=Indicator.objects.order_by("order", "pk")),
        ),
    )


def glossary_source(plan: Plan) -> str:
    """The source the loader gives the glossary entries of ``plan`` (``write_glossary``)."""
    return (
        f"Plan départemental {plan.period_start}-{plan.period_end} "
        f"{department_with_article(plan.department.name)}, glossaire"
    )


def glossary_of(plan: Plan) -> list[GlossaryEntry]:
    return list(
        GlossaryEntry.objects.filter(
            department_id=plan.department_id, source=glossary_source(plan)
        ).order_by("pk")
    )


def axis_json(axis: Axis, include: Include) -> dict:
    return {
        "number": axis.number,
        "title": axis.title,
        "national_axis": axis.national_axis,
        "introduction": axis.introduction,
        "sections": [
            {"kind": s.kind, "title": s.title, "body": s.body}
            for s in axis.sections.all()
            if include(s)
        ],
        "measures": [measure_json(m, include) for m in axis.measures.all() if include(m)],
    }


def split_situation(lines: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """The measure's situation lines, and its « Calendrier : » / « Financement : » lines."""
    extra: dict[str, list[str]] = {name: [] for name, _label in EXTRA_PARTS}
    situation = []
    for line in lines:
        for name, label in EXTRA_PARTS:
            if line.startswith(f"{label} : "):
                extra[name].append(line[len(label) + 3 :])
                break
        else:
            situation.append(line)
    return situation, extra


def measure_json(measure: Measure, include: Include) -> dict:
    actors = [a for a in measure.actors.all() if include(a)]
    actions = [a for a in measure.actions.all() if include(a)]
    kept_actions = {a.pk for a in actions}
    practices = [
        p
        for p in measure.good_practices.all()
        if include(p) and (p.action_id is None or p.action_id in kept_actions)
    ]
    situation, extra = split_situation(split_lines(measure.situation))
    combined = bool(actors) and all(a.role == ActorRole.PILOT_OR_PARTNER for a in actors)
    return {
        "number": measure.number,
        "title": measure.title,
        "actors_wording": measure.actors_wording,
        "actors_combined": combined,
        "pilots": [a.wording for a in actors if a.role != ActorRole.PARTNER],
        "partners": [a.wording for a in actors if a.role == ActorRole.PARTNER],
        "findings": split_lines(measure.findings),
        "objectives": split_lines(measure.objectives),
        "national_objectives": split_lines(measure.national_objectives),
        "situation": situation,
        "actions": [
            {
                "title": action.title,
                "text": action.text,
                "good_practices": [p.text for p in practices if p.action_id == action.pk],
            }
            for action in actions
        ],
        "good_practices": [p.text for p in practices],
        "indicators": [i.label for i in measure.indicators.all() if include(i)],
        "schedule": extra["schedule"],
        "funding": extra["funding"],
    }
