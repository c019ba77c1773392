"""Import pages: upload, analysis progress, review (tree beside the source text), diff with the
plan in Vigie, confirmation; plan versions and their differences; the plan as a file.

HTMX: the progress fragment is polled every second; review edits load their form in place
and answer with the updated tree. Without JavaScript every edit is a plain form and a
redirect back to the review.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from vigie.core.uploads import too_large
from vigie.imports import review, services
from vigie.imports.access import (
    get_department_for_user,
    get_session_for_user,
    get_version_for_user,
)
from vigie.imports.enums import ImportStatus
from vigie.imports.errors import PlanImportError
from vigie.imports.exporting.export import EDITIONS, FORMATS, export_plan
from vigie.imports.exporting.stored import claim_generation, stored_export
from vigie.imports.forms import UploadForm
from vigie.imports.models import ImportSession
from vigie.imports.perms import can_import, can_view_versions
from vigie.imports.tasks import prepare_plan_export
from vigie.imports.versions import snapshot_counts, snapshot_diff, snapshot_for
from vigie.plans import perms as plan_perms
from vigie.plans.access import get_plan_for_user
from vigie.plans.models import Plan

SOURCE_KIND_LABELS = {"heading": "Titre", "list_item": "Liste", "table_row": "Tableau"}


def _crumbs(department) -> list[dict]:
    return [
        {"url": reverse("plans:home"), "title": "Accueil"},
        {"url": reverse("plans:department", args=[department.code]), "title": department.name},
        {"url": reverse("imports:start", args=[department.code]), "title": "Importer un plan"},
    ]


def _require_review(request, session: ImportSession):
    if session.status != ImportStatus.REVIEW:
        messages.info(request, "Cet import n'est plus en cours de vérification.")
        return redirect(session)
    return None


# --- upload and analysis ---------------------------------------------------------------------


@login_required
def start(request, code):
    department = get_department_for_user(request.user, code)
    max_bytes = settings.VIGIE_MAX_UPLOAD_BYTES
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if request.method == "POST" and length > max_bytes + 1024 * 1024:
        # Refused before Django reads the body: the request's length stands for the file's size. The form
        # is bound to nothing, so that its only error (the missing file) is replaced by this one.
        form = UploadForm({}, {}, department=department, max_bytes=max_bytes)
        form.is_valid()
        form.errors["file"] = form.error_class([too_large(length, max_bytes).message])
    else:
        form = UploadForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
            department=department,
            max_bytes=max_bytes,
        )
    if form.is_bound and form.is_valid():
        try:
            session = services.create_session(
                acting_user=request.user,
                department=department,
                upload=form.cleaned_data["file"],
                plan=form.cleaned_data["plan"],
                version_label=form.cleaned_data["version_label"],
                adopted_on=form.cleaned_data["adopted_on"],
            )
        except PlanImportError as error:
            form.add_error("file", str(error))
        else:
            services.start_analysis(session)
            return redirect(session)
    sessions = ImportSession.objects.filter(department=department).select_related(
        "created_by", "plan"
    )[:20]
    context = {
        "page_title": "Importer un plan",
        "breadcrumb": _crumbs(department)[:2],
        "department": department,
        "form": form,
        "sessions": sessions,
        "plans": Plan.objects.filter(department=department).order_by("-period_start"),
    }
    return render(request, "imports/start.html", context)


def _session_context(session: ImportSession, page_title: str) -> dict:
    return {
        "page_title": page_title,
        "breadcrumb": _crumbs(session.department),
        "session": session,
        "department": session.department,
    }


@login_required
def session_detail(request, pk):
    session = get_session_for_user(request.user, pk)
    if session.status == ImportStatus.REVIEW:
        return redirect("imports:review", pk=session.pk)
    context = _session_context(session, f"Import de « {session.original_name} »")
    return render(request, "imports/session.html", context)


@login_required
def progress(request, pk):
    """The progress fragment, polled every second; once the analysis is over, the page moves on."""
    session = get_session_for_user(request.user, pk)
    if session.status not in (ImportStatus.UPLOADED, ImportStatus.PARSING):
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = session.get_absolute_url()
            return response
        return redirect(session)
    if not request.htmx:
        return redirect(session)
    return render(request, "imports/includes/progress.html", {"session": session})


# --- review ----------------------------------------------------------------------------------


def _tree(session: ImportSession) -> list[dict]:
    """The structure with the path of every item, for the templates."""
    data = review.normalized(session.structure)
    parts = []
    for part, label in review.PARTS:
        axes = []
        for a, axis in enumerate(data[part]):
            axis_path = f"{part}-{a}"
            measures = []
            for m, measure in enumerate(axis["measures"]):
                measure_path = f"{axis_path}-measures-{m}"
                fields = []
                for name, field_label in review.FIELDS:
                    if name == "pilots" and measure.get("actors_combined"):
                        field_label = "Pilotes et partenaires"
                    items = [
                        {
                            "path": f"{measure_path}-{name}-{i}",
                            "text": review.item_text(value),
                            "lead": value.get("title", "") if isinstance(value, dict) else "",
                            "practices": value.get("good_practices", [])
                            if isinstance(value, dict)
                            else [],
                        }
                        for i, value in enumerate(measure[name])
                    ]
                    fields.append({"name": name, "label": field_label, "items": items})
                measures.append(
                    {
                        "path": measure_path,
                        "number": measure["number"],
                        "title": measure["title"],
                        "fields": fields,
                        "empty": not any(f["items"] for f in fields),
                    }
                )
            axes.append(
                {
                    "path": axis_path,
                    "label": label,
                    "number": axis["number"],
                    "title": axis["title"],
                    "sections": axis.get("sections", []),
                    "measures": measures,
                }
            )
        parts.append({"name": part, "axes": axes})
    return parts


def _review_context(session: ImportSession) -> dict:
    tree = _tree(session)
    return {
        "tree": tree,
        "counts": review.counts(session.structure),
        "problems": review.problems(session.structure),
        "revision": session.revision,
    }


@login_required
def review_page(request, pk):
    session = get_session_for_user(request.user, pk)
    if (response := _require_review(request, session)) is not None:
        return response
    context = _session_context(session, "Vérifier la structure détectée")
    context.update(_review_context(session))
    context["source_blocks"] = [
        {**block, "kind_label": SOURCE_KIND_LABELS.get(block.get("kind"), "")}
        for block in session.source_blocks
    ]
    context["actors"] = services.actor_matches(session)
    if session.plan_id:
        try:
            context["diff"] = services.review_diff(session)
        except PlanImportError as error:
            context["diff_error"] = str(error)
    return render(request, "imports/review.html", context)


def _item_context(session: ImportSession, raw_path: str) -> dict:
    try:
        path = review.Path.parse(raw_path)
        value = review.get(review.normalized(session.structure), path)
    except review.ReviewError:
        raise Http404 from None
    data = review.normalized(session.structure)
    targets = [
        {"path": f"{part}-{index}", "label": f"{label} {axis['number']} — {axis['title'][:80]}"}
        for part, label in review.PARTS
        for index, axis in enumerate(data[part])
    ]
    if path.kind == "item":
        label = review.FIELD_LABELS[path.field]
        text = review.item_text(value)
    else:
        label = "Axe" if path.kind == "axis" else "Mesure"
        text = value.get("title", "")
    return {
        "session": session,
        "path": str(path),
        "kind": path.kind,
        "value_text": text,
        "number": value.get("number", "")
        if isinstance(value, dict) and path.kind != "item"
        else "",
        "label": label,
        "field": path.field,
        "fields": review.FIELDS,
        "targets": targets,
        "revision": session.revision,
    }


@login_required
def item(request, pk, path):
    """One item of the tree: its edit form (GET) and its edits (POST)."""
    session = get_session_for_user(request.user, pk)
    if (response := _require_review(request, session)) is not None:
        return response
    if request.method == "POST":
        return _edit(request, session, path)
    context = _session_context(session, "Modifier un élément de la structure")
    context.update(_item_context(session, path))
    template = "imports/includes/item_form.html" if request.htmx else "imports/item.html"
    return render(request, template, context)


def _edit(request, session: ImportSession, path: str):
    operation = request.POST.get("operation", "")
    error = None
    if str(session.revision) != request.POST.get("revision", ""):
        error = (
            "La structure a été modifiée entre-temps (autre onglet ?) : vérifiez et recommencez."
        )
    else:
        try:
            session = services.edit_structure(
                acting_user=request.user,
                session=session,
                operation=operation,
                path=path,
                data={
                    "title": request.POST.get("title", ""),
                    "number": request.POST.get("number") if "number" in request.POST else None,
                    "target": request.POST.get("target", ""),
                    "field": request.POST.get("field", ""),
                },
            )
        except review.ReviewError as exception:
            error = str(exception)
    if request.htmx:
        context = {"session": session, **_review_context(session), "error": error}
        return render(request, "imports/includes/tree.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "La structure a été modifiée.")
    return redirect(reverse("imports:review", args=[session.pk]) + "#arbre")


@login_required
@require_POST
def organisations(request, pk):
    session = get_session_for_user(request.user, pk)
    if (response := _require_review(request, session)) is not None:
        return response
    services.choose_new_organisations(
        acting_user=request.user, session=session, wordings=request.POST.getlist("create")
    )
    messages.success(request, "Les organisations à créer dans l'annuaire ont été enregistrées.")
    return redirect(reverse("imports:review", args=[session.pk]) + "#organisations")


@login_required
@require_POST
def keep_followed(request, pk):
    """Puts back the followed items that the new version no longer has."""
    session = get_session_for_user(request.user, pk)
    if (response := _require_review(request, session)) is not None:
        return response
    try:
        kept = services.keep_followed_items(acting_user=request.user, session=session)
    except review.ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{kept} élément(s) suivi(s) conservé(s) dans la nouvelle version : vérifiez leur place "
            "et leur numéro.",
        )
    return redirect(reverse("imports:review", args=[session.pk]) + "#arbre")


@login_required
def diff_page(request, pk):
    session = get_session_for_user(request.user, pk)
    if (response := _require_review(request, session)) is not None:
        return response
    if session.plan_id is None:
        messages.info(request, "Ce document est un nouveau plan : il n'y a rien à comparer.")
        return redirect("imports:review", pk=session.pk)
    context = _session_context(session, "Différences avec le plan actuel")
    try:
        context["diff"] = services.review_diff(session)
    except PlanImportError as error:
        context["diff_error"] = str(error)
    return render(request, "imports/diff.html", context)


@login_required
def confirm(request, pk):
    session = get_session_for_user(request.user, pk)
    if (response := _require_review(request, session)) is not None:
        return response
    if request.method == "POST":
        try:
            session = services.confirm_session(acting_user=request.user, session=session)
        except PlanImportError as error:
            messages.error(request, str(error))
            return redirect("imports:confirm", pk=session.pk)
        if session.version is None:
            messages.info(
                request,
                "Le document ne change rien au plan : rien n'a été modifié et aucune nouvelle "
                "version n'a été enregistrée.",
            )
        else:
            messages.success(
                request,
                f"Le plan a été enregistré ({session.version.label}) : vous pouvez maintenant "
                "suivre ses mesures.",
            )
        return redirect(session.plan)
    context = _session_context(session, "Confirmer l'import")
    context["counts"] = review.counts(session.structure)
    context["problems"] = review.problems(session.structure)
    context["new_organisations"] = session.new_organisations
    if session.plan_id:
        try:
            context["diff"] = services.review_diff(session)
        except PlanImportError as error:
            context["diff_error"] = str(error)
    return render(request, "imports/confirm.html", context)


@login_required
@require_POST
def cancel(request, pk):
    session = get_session_for_user(request.user, pk)
    if session.is_open:
        services.cancel_session(acting_user=request.user, session=session)
        messages.info(request, "L'import a été abandonné ; rien n'a été enregistré dans le plan.")
    return redirect("imports:start", code=session.department.code)


# --- versions --------------------------------------------------------------------------------


@login_required
def versions(request, plan_pk):
    plan = get_object_or_404(Plan.objects.select_related("department"), pk=plan_pk)
    if not can_view_versions(request.user, plan):
        raise Http404
    rows = []
    previous = None
    for version in plan.versions.select_related("created_by").order_by("number"):
        rows.append(
            {
                "version": version,
                "counts": snapshot_counts(snapshot_for(request.user, plan, version.snapshot)),
                "previous": previous,
            }
        )
        previous = version
    context = {
        "page_title": "Versions du plan",
        "breadcrumb": [
            {"url": reverse("plans:home"), "title": "Accueil"},
            {
                "url": reverse("plans:department", args=[plan.department.code]),
                "title": plan.department.name,
            },
            {"url": plan.get_absolute_url(), "title": f"Plan {plan.period_label}"},
        ],
        "plan": plan,
        "rows": list(reversed(rows)),
        "can_import": can_import(request.user, plan.department_id),
    }
    return render(request, "imports/versions.html", context)


def _version_crumbs(version) -> list[dict]:
    plan = version.plan
    return [
        {"url": reverse("plans:home"), "title": "Accueil"},
        {
            "url": reverse("plans:department", args=[plan.department.code]),
            "title": plan.department.name,
        },
        {"url": plan.get_absolute_url(), "title": f"Plan {plan.period_label}"},
        {"url": reverse("imports:versions", args=[plan.pk]), "title": "Versions"},
    ]


@login_required
def version_detail(request, pk):
    version = get_version_for_user(request.user, pk)
    snapshot = snapshot_for(request.user, version.plan, version.snapshot)
    context = {
        "page_title": f"{version.label} — plan {version.plan.period_label}",
        "breadcrumb": _version_crumbs(version),
        "version": version,
        "snapshot": snapshot,
        "counts": snapshot_counts(snapshot),
    }
    return render(request, "imports/version.html", context)


@login_required
def version_diff(request, pk):
    version = get_version_for_user(request.user, pk)
    previous = version.plan.versions.filter(number__lt=version.number).order_by("-number").first()
    context = {
        "page_title": f"Ce qui change avec « {version.label} »",
        "breadcrumb": _version_crumbs(version),
        "version": version,
        "previous": previous,
        "diff": snapshot_diff(
            snapshot_for(request.user, version.plan, previous.snapshot),
            snapshot_for(request.user, version.plan, version.snapshot),
        )
        if previous
        else None,
    }
    return render(request, "imports/version_diff.html", context)


# --- the plan as a file ----------------------------------------------------------------------


@require_GET
def plan_export(request, plan_pk, edition, fmt):
    """The plan's document (PDF, ODT, DOCX) or data (JSON), as signed or as it stands: for
    whoever sees the plan (404 otherwise, and for an unknown format or edition).

    Documents are generated once per content by a background task and kept
    (``vigie.imports.exporting.stored``); until it is there, the answer is a « being prepared » page
    whose status fragment polls this same address (HTMX, ``HX-Request``: the fragment, never the
    file) and turns into a download link once the document is stored. Not a meta refresh: an
    automatic reload is a WCAG 2.2.1 failure (axe « meta-refresh »), and a file cannot come
    through an HTMX swap."""
    plan = get_plan_for_user(request.user, plan_pk)
    if fmt not in FORMATS or edition not in EDITIONS:
        raise Http404
    # Outside the department, the non-public measures, actions and indicators are left out.
    include = plan_perms.export_filter(request.user, plan.department_id)
    if fmt == "json":
        exported = export_plan(plan, fmt=fmt, edition=edition, include=include)
        response = HttpResponse(exported.content, content_type=exported.content_type)
        response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
        return response
    public_only = include is not None
    stored = stored_export(plan, fmt=fmt, edition=edition, public_only=public_only)
    if not stored.exists() and claim_generation(stored):
        prepare_plan_export.enqueue(plan.pk, edition, fmt, public_only)
    ready = stored.exists()  # already there, or just made by an immediate task backend
    if request.htmx:
        context = {"ready": ready, "format_label": FORMATS[fmt][1]}
        response = render(request, "imports/includes/export_status.html", context)
        response["Cache-Control"] = "no-store"
        return response
    if ready:
        response = FileResponse(
            stored.open(),
            as_attachment=True,
            filename=stored.filename,
            content_type=stored.content_type,
        )
        response["Cache-Control"] = "private, no-cache"
        return response
    context = {
        "page_title": f"Document du plan {plan.department.name} {plan.period_label} en préparation",
        "breadcrumb": [
            {
                "url": plan.get_absolute_url(),
                "title": f"Plan {plan.department.name} {plan.period_label}",
            }
        ],
        "plan": plan,
        "format_label": FORMATS[fmt][1],
        "edition_label": EDITIONS[edition][1],
        "ready": False,
    }
    response = render(request, "imports/export_pending.html", context, status=202)
    response["Retry-After"] = str(EXPORT_POLL_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


EXPORT_POLL_SECONDS = 3
