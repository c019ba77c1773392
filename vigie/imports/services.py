"""Every write of the imports app: sessions (upload, analysis, review edits, confirmation,
cancellation), plan versions and the organisations created from a review. Confirming a
document, from the web (``confirm_session``) or from ``manage.py import_plan``, is one service
(``confirm_document``) and one transaction: the plan's rows, written by the plan loader
(``vigie.imports.writing.loader``) with the confirming user as the author of every audit
entry, and the plan's version.

A document that changes nothing in the plan (the same document again) writes nothing to it:
no row, no audit entry about the plan, no new version (only the session is marked
confirmed). Each version records which rows came from its document (``from_documents`` in
its snapshot): the next import removes only those, never what was added in Vigie since
(``vigie.imports.writing.provenance``).
"""

import logging
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from vigie.audit import services as audit
from vigie.audit.enums import AuditAction
from vigie.imports import review
from vigie.imports.enums import ImportStatus
from vigie.imports.errors import PlanImportError
from vigie.imports.models import ImportSession, PlanVersion
from vigie.imports.parsing.schema import ParsedPlan, plan_from_dict
from vigie.imports.parsing.structure import parse_plan
from vigie.imports.reading.readers import read_checked, read_path
from vigie.imports.reading.safety import check_document, check_size, format_for_name
from vigie.imports.versions import Diff, frozen_snapshot, pending_diff
from vigie.imports.writing.changes import (
    action_follow_up,
    compute_changes,
    indicator_follow_up,
    measure_follow_up,
)
from vigie.imports.writing.loader import ImportStats, existing_plan, load_plan, source_note_for
from vigie.imports.writing.provenance import Provenance
from vigie.organisations.enums import OrganisationKind
from vigie.organisations.models import Organisation
from vigie.organisations.services import matcher_for, normalize_wording, organisations_for
from vigie.plans.models import Plan
from vigie.territories.models import Department

logger = logging.getLogger(__name__)

INITIAL_LABEL = "Version initiale"
# Files up to this size are analysed during the upload request itself (a few seconds at
# most), so that the review opens at once even when no task worker is running; larger
# files are analysed by the background task, with a progress bar.
DEFAULT_INLINE_MAX_BYTES = 1024 * 1024
FUZZY_NAME_THRESHOLD = 0.88


def inline_max_bytes() -> int:
    return getattr(settings, "VIGIE_IMPORT_INLINE_MAX_BYTES", DEFAULT_INLINE_MAX_BYTES)


# --- sessions --------------------------------------------------------------------------------


@transaction.atomic
def create_session(
    *,
    acting_user,
    department,
    upload,
    plan: Plan | None = None,
    version_label: str = "",
    adopted_on: date | None = None,
) -> ImportSession:
    """Stores an uploaded document (size and type checked first; French ``PlanImportError``)."""
    check_size(upload.size)
    file_format = format_for_name(upload.name)
    session = ImportSession(
        department=department,
        plan=plan,
        original_name=Path(upload.name).name[:255],
        file_size=upload.size,
        file_format=file_format.value,
        version_label=version_label.strip(),
        adopted_on=adopted_on,
        created_by=acting_user,
        created_at=timezone.now(),
    )
    session.file.save(upload.name, upload, save=False)
    session.save()
    audit.record_create(acting_user=acting_user, instance=session, department=department)
    return session


def _set(session: ImportSession, **values) -> None:
    ImportSession.objects.filter(pk=session.pk).update(**values, updated_at=timezone.now())
    for name, value in values.items():
        setattr(session, name, value)


def analyse_session(session_id: int) -> None:
    """Reads and parses the stored document; the session ends in review or failed. Never
    raises: an unexpected error is logged and shown as a French message."""
    session = (
        ImportSession.objects.select_related("department", "plan").filter(pk=session_id).first()
    )
    if session is None or session.status not in (ImportStatus.UPLOADED, ImportStatus.PARSING):
        return
    _set(session, status=ImportStatus.PARSING, progress=5, error_message="")
    try:
        with session.file.open("rb") as stream:
            data = stream.read(settings.VIGIE_MAX_UPLOAD_BYTES + 1)
        checked = check_document(session.original_name, data)
        _set(session, progress=10)

        def progress(fraction: float) -> None:
            value = 10 + int(fraction * 75)
            if value >= session.progress + 5:
                _set(session, progress=value)

        blocks = read_checked(checked, data, progress=progress)
        _set(session, progress=90)
        parsed = parse_plan(blocks, proper_nouns=(session.department.name,))
    except PlanImportError as error:
        _set(session, status=ImportStatus.FAILED, error_message=str(error), progress=100)
        return
    except Exception:  # a reader bug must not leave the session parsing forever
        logger.exception("Analysis of import session %s failed", session.pk)
        _set(
            session,
            status=ImportStatus.FAILED,
            progress=100,
            error_message=(
                "L'analyse du document a échoué de manière inattendue. Enregistrez-le à nouveau "
                "depuis votre traitement de texte (ou exportez-le en PDF) et déposez-le encore ; "
                "si le problème persiste, signalez-le avec le document."
            ),
        )
        return
    values = {
        "structure": parsed.to_dict(department=session.department.code),
        "source_blocks": [
            {"kind": str(block.kind), "level": block.level, "text": block.text} for block in blocks
        ],
        "status": ImportStatus.REVIEW,
        "progress": 100,
    }
    if session.plan_id is None and (found := existing_plan(parsed, session.department)):
        values["plan"] = found  # the same plan again: a new version of it
        values["version_label"] = session.version_label or "Nouvelle version"
    _set(session, **values)


def start_analysis(session: ImportSession) -> None:
    """Small files are analysed now; larger ones by the background task (after commit)."""
    if session.file_size <= inline_max_bytes():
        analyse_session(session.pk)
        session.refresh_from_db()
        return
    from vigie.imports.tasks import analyse_import

    transaction.on_commit(lambda: analyse_import.enqueue(session.pk))


def _record_review(acting_user, session: ImportSession, reason: str) -> None:
    audit.record(
        acting_user=acting_user,
        action=AuditAction.UPDATE,
        instance=session,
        changes={
            "revision": {
                "label": "révision de la vérification",
                "old": str(session.revision - 1),
                "new": str(session.revision),
            }
        },
        department=session.department,
        reason=reason,
    )


EDITS = {
    "rename": "Renommer",
    "up": "Monter",
    "down": "Descendre",
    "move": "Changer d'axe",
    "merge": "Fusionner avec le suivant",
    "split": "Scinder ici",
    "reassign": "Changer de rubrique",
    "drop": "Retirer",
}


@transaction.atomic
def edit_structure(
    *, acting_user, session: ImportSession, operation: str, path: str, data: dict
) -> ImportSession:
    """Applies one review edit and saves it at once (an unfinished review can be resumed).
    Raises ``review.ReviewError`` (French) when the edit does not fit."""
    session = ImportSession.objects.select_for_update(of=("self",)).get(pk=session.pk)
    if session.status != ImportStatus.REVIEW:
        raise review.ReviewError("Cet import n'est plus en cours de vérification.")
    structure = session.structure
    if operation == "rename":
        structure = review.rename(
            structure, path, title=data.get("title", ""), number=data.get("number")
        )
    elif operation in ("up", "down"):
        structure = review.move(structure, path, operation)
    elif operation == "move":
        structure = review.move_measure(structure, path, data.get("target", ""))
    elif operation == "merge":
        structure = review.merge_next(structure, path)
    elif operation == "split":
        structure = review.split(structure, path)
    elif operation == "reassign":
        structure = review.reassign(structure, path, data.get("field", ""))
    elif operation == "drop":
        structure = review.drop(structure, path)
    else:
        raise review.ReviewError("Modification inconnue.")
    session.structure = structure
    session.revision += 1
    session.save(update_fields=["structure", "revision", "updated_at"])
    _record_review(acting_user, session, f"Vérification : {EDITS[operation].lower()} ({path})")
    return session


def _measure_as_dict(measure, origin: Provenance) -> dict:
    """A measure of the plan in Vigie, as the review's structure writes measures (without the
    items added in Vigie: they stay in the measure as such)."""
    from vigie.plans.enums import ActorRole
    from vigie.plans.models import split_lines

    actors = [a for a in measure.actors.all() if origin.from_document(a)]
    combined = bool(actors) and all(a.role == ActorRole.PILOT_OR_PARTNER for a in actors)
    data = review.empty_measure(measure.number, measure.title)
    data.update(
        {
            "actors_wording": measure.actors_wording,
            "actors_combined": combined,
            "pilots": [a.wording for a in actors if a.role != ActorRole.PARTNER],
            "partners": [a.wording for a in actors if a.role == ActorRole.PARTNER],
            "findings": split_lines(measure.findings),
            "objectives": split_lines(measure.objectives),
            "national_objectives": split_lines(measure.national_objectives),
            "situation": split_lines(measure.situation),
            "actions": [
                {"title": a.title, "text": a.text, "good_practices": []}
                for a in measure.actions.all()
                if origin.from_document(a)
            ],
            "indicators": [i.label for i in measure.indicators.all() if origin.from_document(i)],
        }
    )
    return data


@transaction.atomic
def keep_followed_items(*, acting_user, session: ImportSession) -> int:
    """Puts back into the reviewed structure every item of the plan that the new version no
    longer has although it is being followed (the import would be refused otherwise).
    Returns how many items were put back."""
    session = (
        ImportSession.objects.select_for_update(of=("self",))
        .select_related("plan")
        .get(pk=session.pk)
    )
    if session.status != ImportStatus.REVIEW or session.plan is None:
        raise review.ReviewError(
            "Cet import n'est pas une nouvelle version en cours de vérification."
        )
    data = review.normalized(session.structure)
    changes = compute_changes(session.plan, plan_from_dict(data))
    targets = [
        measure
        for part, _ in review.PARTS
        for axis in data[part]
        for measure in axis["measures"]
        if measure.get("number") and measure.get("title")
    ]
    kept = 0
    for change, target in zip(changes.measures, targets, strict=False):
        for action in change.removed_actions:
            if action_follow_up(action):
                target["actions"].append(
                    {"title": action.title, "text": action.text, "good_practices": []}
                )
                kept += 1
        for indicator in change.removed_indicators:
            if indicator_follow_up(indicator):
                target["indicators"].append(indicator.label)
                kept += 1
    for measure in changes.removed_measures:
        if not measure_follow_up(measure, changes.origin):
            continue
        part = "annexes" if measure.axis.kind == "annex" else "axes"
        axes = data[part] or data["axes"]
        axis = next((a for a in axes if a["number"] == measure.axis.number), axes[-1])
        axis["measures"].append(_measure_as_dict(measure, changes.origin))
        kept += 1
    if kept:
        session.structure = data
        session.revision += 1
        session.save(update_fields=["structure", "revision", "updated_at"])
        _record_review(
            acting_user, session, f"Vérification : {kept} élément(s) suivi(s) conservé(s)"
        )
    return kept


@transaction.atomic
def choose_new_organisations(*, acting_user, session: ImportSession, wordings: list[str]):
    known = {item["wording"] for item in actor_matches(session) if item["organisation"] is None}
    session.new_organisations = sorted({w for w in wordings if w in known})
    session.revision += 1
    session.save(update_fields=["new_organisations", "revision", "updated_at"])
    _record_review(acting_user, session, "Vérification : organisations à créer")
    return session


@transaction.atomic
def cancel_session(*, acting_user, session: ImportSession) -> ImportSession:
    before = audit.snapshot(session, ["status"])
    session.status = ImportStatus.CANCELLED
    session.save(update_fields=["status", "updated_at"])
    audit.record_update(
        acting_user=acting_user, instance=session, before=before, department=session.department
    )
    return session


# --- organisations ---------------------------------------------------------------------------


def tolerant_match(matcher, organisations: list[Organisation], wording: str):
    """The directory's organisation for a wording: acronym, then name or alias contained in
    the wording (``OrganisationMatcher``), then a name close enough (typos, word order)."""
    found = matcher.match(wording)
    if found is not None:
        return found
    target = normalize_wording(wording).strip()
    best, best_score = None, 0.0
    for organisation in organisations:
        for name in (organisation.name, *organisation.alias_list):
            score = SequenceMatcher(None, target, normalize_wording(name).strip()).ratio()
            if score > best_score:
                best, best_score = organisation, score
    return best if best_score >= FUZZY_NAME_THRESHOLD else None


def actor_matches(session: ImportSession) -> list[dict]:
    """Each distinct pilot or partner wording of the structure, with its organisation."""
    organisations = list(organisations_for(session.department))
    matcher = matcher_for(session.department)
    data = review.normalized(session.structure)
    wordings: list[str] = []
    for part, _ in review.PARTS:
        for axis in data[part]:
            for measure in axis["measures"]:
                for wording in [*measure["pilots"], *measure["partners"]]:
                    if wording not in wordings:
                        wordings.append(wording)
    chosen = set(session.new_organisations or [])
    return [
        {
            "wording": wording,
            "organisation": (found := tolerant_match(matcher, organisations, wording)),
            "create": found is None and wording in chosen,
        }
        for wording in wordings
    ]


def _create_organisations(acting_user, session: ImportSession) -> None:
    for wording in session.new_organisations or []:
        name = " ".join(wording.split())[:300]
        if (
            not name
            or Organisation.objects.filter(department=session.department, name=name).exists()
        ):
            continue
        organisation = Organisation.objects.create(
            department=session.department,
            name=name,
            kind=OrganisationKind.OTHER,
            description=f"Ajoutée lors de l'import du plan (« {session.original_name} »).",
        )
        audit.record_create(
            acting_user=acting_user, instance=organisation, department=session.department
        )


# --- versions --------------------------------------------------------------------------------


def record_version(
    *,
    acting_user,
    plan: Plan,
    label: str,
    adopted_on: date | None = None,
    source_name: str = "",
    from_documents: dict | None = None,
    snapshot: dict | None = None,
) -> PlanVersion:
    """Freezes the plan's current structure as its next version (call inside the transaction
    that changed the plan). ``from_documents``: the ids of the rows written from the
    version's document (``ImportStats.document_ids``; by default the plan's provenance);
    ``snapshot``: one taken earlier (``frozen_snapshot``) instead of the plan as it is now."""
    last = plan.versions.aggregate(last=Max("number"))["last"] or 0
    version = PlanVersion.objects.create(
        plan=plan,
        number=last + 1,
        label=(label or (INITIAL_LABEL if not last else f"Version {last + 1}"))[:150],
        adopted_on=adopted_on,
        snapshot=snapshot if snapshot is not None else frozen_snapshot(plan, from_documents),
        source_name=source_name[:255],
        created_by=acting_user
        if acting_user is not None and acting_user.is_authenticated
        else None,
    )
    # The snapshot itself stays out of the audit entry (it is the version's content).
    shown = (
        ("number", "numéro", str(version.number)),
        ("label", "intitulé", version.label),
        ("adopted_on", "date d'adoption", adopted_on.isoformat() if adopted_on else ""),
        ("source_name", "document d'origine", version.source_name),
    )
    audit.record(
        acting_user=acting_user,
        action=AuditAction.CREATE,
        instance=version,
        changes={
            name: {"label": label, "old": "", "new": value} for name, label, value in shown if value
        },
        parent=plan,
        department=plan.department,
    )
    return version


def refresh_current_version(
    *, acting_user, plan: Plan, source_name: str = "", from_documents: dict | None = None
) -> None:
    """After a correction (a document re-imported without a version label), the latest
    version's snapshot follows the plan; a plan without versions gets its first one.
    ``from_documents``: as for ``record_version``."""
    latest = plan.versions.order_by("-number").first()
    if latest is None:
        record_version(
            acting_user=acting_user,
            plan=plan,
            label=INITIAL_LABEL,
            adopted_on=plan.signed_on,
            source_name=source_name,
            from_documents=from_documents,
        )
        return
    snapshot = frozen_snapshot(plan, from_documents)
    if snapshot != latest.snapshot:
        latest.snapshot = snapshot
        latest.save(update_fields=["snapshot"])
        audit.record(
            acting_user=acting_user,
            action=AuditAction.UPDATE,
            instance=latest,
            changes={"snapshot": {"label": "structure figée", "old": "", "new": "mise à jour"}},
            parent=plan,
            department=plan.department,
            reason="Correction du plan réimporté sans nouvelle version",
        )


def load_new_version(
    parsed,
    plan: Plan,
    *,
    acting_user,
    source_name: str,
    label: str,
    adopted_on: date | None = None,
) -> tuple[PlanVersion | None, ImportStats]:
    """Writes ``parsed`` over ``plan`` as its next version (call inside a transaction).

    A plan without any version first gets its state before the import as "Version
    initiale". When the document changes nothing (rows, or which rows came from a document),
    nothing at all is written and the version is None."""
    initial = None
    if not plan.versions.exists():
        initial = {
            "snapshot": frozen_snapshot(plan),
            "adopted_on": plan.signed_on,
            "source_name": plan.source_note,
        }
    plan, stats = load_plan(
        parsed,
        plan.department,
        source_note=source_note_for(source_name),
        acting_user=acting_user,
        plan=plan,
    )
    if not (stats.changed or stats.origin_changed):
        return None, stats
    if initial is not None:
        record_version(acting_user=acting_user, plan=plan, label=INITIAL_LABEL, **initial)
    version = record_version(
        acting_user=acting_user,
        plan=plan,
        label=label,
        adopted_on=adopted_on,
        source_name=source_name,
        from_documents=stats.document_ids,
    )
    return version, stats


def review_diff(session: ImportSession) -> Diff | None:
    """What confirming the session would change in its plan (None for a new plan)."""
    if session.plan_id is None:
        return None
    return pending_diff(session.plan, plan_from_dict(session.structure))


# --- confirmation: the web and the command line ----------------------------------------------


@dataclass
class ConfirmedDocument:
    """What confirming a document wrote: its plan, the plan's version recorded (or, for a
    correction, refreshed; None when the document changed nothing) and the loader's counts."""

    plan: Plan
    version: PlanVersion | None
    stats: ImportStats


@transaction.atomic
def confirm_document(
    *,
    acting_user,
    parsed: ParsedPlan,
    department,
    source_name: str,
    plan: Plan | None = None,
    version_label: str = "",
    adopted_on: date | None = None,
    status: str | None = None,
) -> ConfirmedDocument:
    """The whole confirmation of an imported document, in one transaction: the plan's rows
    (with their provenance and audit entries) and the plan's version. All or nothing: an
    error at any step (``PlanImportError`` in French, or any other) leaves the database as
    it was. Used by ``confirm_session`` (the web) and by ``manage.py import_plan``.

    With ``plan``, the document is the next version of that plan (``version_label``,
    ``adopted_on``). Without it, the plan is found by its period or created (``status``: see
    ``load_plan``); the first import records its initial version, a later one (a correction)
    makes the current version follow the plan. A document that changes nothing writes
    nothing, and the version is None."""
    if plan is not None:
        version, stats = load_new_version(
            parsed,
            plan,
            acting_user=acting_user,
            source_name=source_name,
            label=version_label,
            adopted_on=adopted_on,
        )
        return ConfirmedDocument(plan=plan, version=version, stats=stats)
    plan, stats = load_plan(
        parsed,
        department,
        status=status,
        source_note=source_note_for(source_name),
        acting_user=acting_user,
    )
    if not (stats.changed or stats.origin_changed):
        return ConfirmedDocument(plan=plan, version=None, stats=stats)
    if plan.versions.exists():
        refresh_current_version(
            acting_user=acting_user,
            plan=plan,
            source_name=source_name,
            from_documents=stats.document_ids,
        )
        version = plan.versions.order_by("-number").first()
    else:
        version = record_version(
            acting_user=acting_user,
            plan=plan,
            label=INITIAL_LABEL,
            adopted_on=adopted_on or plan.signed_on,
            source_name=source_name,
            from_documents=stats.document_ids,
        )
    return ConfirmedDocument(plan=plan, version=version, stats=stats)


@transaction.atomic
def confirm_session(*, acting_user, session: ImportSession) -> ImportSession:
    """Writes the reviewed structure: organisations chosen for creation, then the document
    (``confirm_document``: the plan, new or updated in place for a new version, and its
    version). All or nothing; ``PlanImportError`` (French) leaves the database as it was."""
    session = (
        ImportSession.objects.select_for_update(of=("self",))
        .select_related("plan", "department")
        .get(pk=session.pk)
    )
    if session.status != ImportStatus.REVIEW:
        raise PlanImportError("Cet import n'est plus en cours de vérification.")
    if found := review.problems(session.structure):
        raise PlanImportError(" ".join(found))
    _create_organisations(acting_user, session)
    confirmed = confirm_document(
        acting_user=acting_user,
        parsed=plan_from_dict(session.structure),
        department=session.department,
        source_name=session.original_name,
        plan=session.plan,
        version_label=session.version_label,
        adopted_on=session.adopted_on,
    )
    before = audit.snapshot(session, ["status", "plan"])
    session.status = ImportStatus.CONFIRMED
    session.plan = confirmed.plan
    session.version = confirmed.version
    session.confirmed_by = acting_user
    session.confirmed_at = timezone.now()
    session.save()
    audit.record_update(
        acting_user=acting_user, instance=session, before=before, department=session.department
    )
    return session


# --- the command line ------------------------------------------------------------------------


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
    """A plan document of any supported format (.docx, .odt, .pdf, .md, .txt), parsed."""
    _, blocks = read_path(path)
    return parse_plan(blocks, proper_nouns=(department.name,))
