"""Which rows of a plan came from an imported document, and which were added in Vigie.

A re-import is a three-way comparison: the previous document (the rows it gave), the plan in
Vigie (those rows, plus whatever people added since), and the new document. Only a row that
came from a previous document and that the new document no longer contains is *removed by
the document*; a row added in Vigie (an action created on a measure page, a computed
indicator…) is kept, untouched, whatever the new document says.

The origin is recorded when it is known, not guessed afterwards: every plan version
(``imports.PlanVersion``) stores in its snapshot, under ``from_documents``, the ids of the
rows written from its document (created or paired by the loader, or put back by the review's
"Conserver" button). The latest version's list is the provenance of the plan. A row created
later in Vigie is in no such list.

Plans recorded before that list existed fall back on what they have:

- a latest version without the list: its snapshot holds the ids of the axes, measures,
  actions and indicators of the plan when it was frozen (at the import, or just before the
  first amendment): those rows came from the document; pilots and partners, absent from
  those snapshots and never added in Vigie, all count as from the document;
- no version at all (plans imported by ``manage.py import_plan`` before versions existed):
  ``import_plan`` wrote every row as the system, without a reason, so a row counts as from
  the document unless its creation audit entry names an account (created by someone in
  Vigie) or gives a reason (e.g. « Données de démonstration »). A row without any creation
  entry (written outside the services) keeps the former behaviour: from the document.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from vigie.indicators.models import Indicator
from vigie.plans.models import Action, Axis, Measure, MeasureActor, Plan

# kind in the snapshot → (model, path from the model to its plan)
KINDS: dict[str, tuple[type, str]] = {
    "axes": (Axis, "plan"),
    "measures": (Measure, "axis__plan"),
    "actors": (MeasureActor, "measure__axis__plan"),
    "actions": (Action, "measure__axis__plan"),
    "indicators": (Indicator, "measure__axis__plan"),
}
KIND_OF_MODEL = {model: kind for kind, (model, _path) in KINDS.items()}
SNAPSHOT_KEY = "from_documents"
# kinds whose ids the snapshots have always recorded (see ``imports.versions.snapshot_plan``)
LEGACY_SNAPSHOT_KINDS = ("axes", "measures", "actions", "indicators")


def kind_of(instance) -> str:
    return KIND_OF_MODEL[type(instance)]


@dataclass
class Provenance:
    """Ids, per kind, of the rows of a plan that came from an imported document."""

    ids: dict[str, set[int]] = field(default_factory=lambda: {kind: set() for kind in KINDS})
    source: str = "none"  # "versions", "legacy_snapshot", "audit" or "none" (a new plan)

    def from_document(self, instance) -> bool:
        return instance.pk in self.ids.get(kind_of(instance), set())

    def as_json(self) -> dict[str, list[int]]:
        return {kind: sorted(self.ids.get(kind, set())) for kind in KINDS}


def empty_ids() -> dict[str, set[int]]:
    return {kind: set() for kind in KINDS}


def _existing_ids(plan: Plan) -> dict[str, set[int]]:
    return {
        kind: set(model.objects.filter(**{path: plan}).values_list("pk", flat=True))
        for kind, (model, path) in KINDS.items()
    }


def _legacy_snapshot_ids(snapshot: dict) -> dict[str, set[int]]:
    ids = empty_ids()
    for axis in snapshot.get("axes", []):
        ids["axes"].add(axis.get("id"))
        for measure in axis.get("measures", []):
            ids["measures"].add(measure.get("id"))
            ids["actions"].update(a.get("id") for a in measure.get("actions", []))
            ids["indicators"].update(i.get("id") for i in measure.get("indicators", []))
    return ids


def _added_in_vigie_by_audit(existing: dict[str, set[int]]) -> dict[str, set[int]]:
    """Rows whose creation audit entry names an account or gives a reason."""
    from vigie.audit.enums import AuditAction
    from vigie.audit.models import AuditEntry

    added = empty_ids()
    for kind, (model, _path) in KINDS.items():
        if not existing[kind]:
            continue
        object_ids = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in existing[kind]],
            action=AuditAction.CREATE,
        ).filter(Q(actor__isnull=False) | ~Q(reason=""))
        added[kind] = {int(pk) for pk in object_ids.values_list("object_id", flat=True)}
    return added


def provenance_for(plan: Plan | None) -> Provenance:
    """The rows of ``plan`` (as it is now) that came from an imported document."""
    if plan is None or plan.pk is None:
        return Provenance()
    from vigie.imports.models import PlanVersion

    existing = _existing_ids(plan)
    latest = PlanVersion.objects.filter(plan=plan).order_by("-number").only("snapshot").first()
    if latest is not None and isinstance(latest.snapshot.get(SNAPSHOT_KEY), dict):
        recorded = latest.snapshot[SNAPSHOT_KEY]
        ids = {kind: existing[kind] & set(recorded.get(kind, [])) for kind in KINDS}
        return Provenance(ids=ids, source="versions")
    if latest is not None:
        frozen = _legacy_snapshot_ids(latest.snapshot)
        ids = {
            kind: existing[kind] & frozen[kind] if kind in LEGACY_SNAPSHOT_KINDS else existing[kind]
            for kind in KINDS
        }
        return Provenance(ids=ids, source="legacy_snapshot")
    added = _added_in_vigie_by_audit(existing)
    ids = {kind: existing[kind] - added[kind] for kind in KINDS}
    return Provenance(ids=ids, source="audit")
