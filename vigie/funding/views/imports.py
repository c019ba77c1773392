"""Import of a call's applications from a platform's spreadsheet export: upload, column mapping, preview, confirm.

The uploaded file waits in the private storage between the steps, one per person and call (named in the session);
a new upload replaces it. Every step runs the same service (`application_import.import_applications`), in
`dry_run` for the preview.
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from vigie.core.storage import private_storage
from vigie.funding import access, application_import
from vigie.funding.import_forms import ImportUploadForm, MappingForm
from vigie.funding.models import ApplicationImportMapping
from vigie.funding.views._common import call_crumbs

SESSION_KEY = "vigie_funding_imports"
PREVIEW_ROWS = 200


def _crumbs(call) -> list[dict]:
    return [
        *call_crumbs(call),
        {"url": reverse("funding:call_import", args=[call.pk]), "title": "Import"},
    ]


def _pending(request, call) -> tuple[str, bytes] | None:
    """The name and content of the file this person uploaded for the call, if it is still there."""
    entry = request.session.get(SESSION_KEY, {}).get(str(call.pk))
    if not entry:
        return None
    try:
        with private_storage().open(entry["path"], "rb") as handle:
            return entry["name"], handle.read()
    except (FileNotFoundError, OSError):
        return None


def _forget(request, call) -> None:
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.pop(str(call.pk), None)
    if entry:
        private_storage().delete(entry["path"])
    request.session[SESSION_KEY] = pending


def _keep(request, call, name: str, data: bytes) -> None:
    _forget(request, call)
    extension = name.lower().rsplit(".", 1)[-1]
    path = private_storage().save(
        f"funding-imports/{call.pk}-{uuid.uuid4().hex}.{extension}", ContentFile(data)
    )
    pending = request.session.get(SESSION_KEY, {})
    pending[str(call.pk)] = {"path": path, "name": name[:200]}
    request.session[SESSION_KEY] = pending


def _mapped(mapping) -> list[tuple[str, str]]:
    """(field, column) of a saved mapping, for the upload page."""
    if mapping is None:
        return []
    rows = [(f.label, mapping.columns.get(f.key, "")) for f in application_import.FIELDS]
    if mapping.default_programme is not None:
        rows.append(("Programme de tous les dossiers", str(mapping.default_programme.programme)))
    return rows


def _expired(request, call):
    messages.info(request, "Déposez d'abord l'export des dossiers.")
    return redirect("funding:call_import", pk=call.pk)


@login_required
@require_http_methods(["GET", "POST"])
def call_import(request, pk):
    call = access.get_call_for_user(request.user, pk, for_edit=True)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    mapping = (
        ApplicationImportMapping.objects.filter(call=call)
        .select_related("default_programme__programme__fund")
        .first()
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            application_import.read_table(upload.name, data)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            _keep(request, call, upload.name, data)
            if mapping is None or form.cleaned_data["remap"]:
                return redirect("funding:call_import_mapping", pk=call.pk)
            return redirect("funding:call_import_preview", pk=call.pk)
    context = {
        "page_title": f"Importer des dossiers — {call.title}",
        "breadcrumb": call_crumbs(call),
        "call": call,
        "form": form,
        "mapping": mapping,
        "mapped": [(f.label, mapping.columns.get(f.key, "")) for f in application_import.FIELDS]
        if mapping
        else [],
        "max_mb": settings.VIGIE_MAX_UPLOAD_BYTES // (1024 * 1024),
    }
    return render(request, "funding/import_upload.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def call_import_mapping(request, pk):
    call = access.get_call_for_user(request.user, pk, for_edit=True)
    pending = _pending(request, call)
    if pending is None:
        return _expired(request, call)
    name, data = pending
    try:
        table = application_import.read_table(name, data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("funding:call_import", pk=call.pk)
    mapping = application_import.mapping_for(call, table.headers)
    initial = {k: v for k, v in mapping.columns.items() if v in table.headers}
    initial["default_programme"] = mapping.default_programme
    example = next(
        (row for row in table.rows[table.header_index + 1 :] if any(row)),
        (),
    )
    form = MappingForm(
        request.POST or None, call=call, headers=table.headers, example=example, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        chosen = application_import.Mapping(
            form.columns(), form.cleaned_data.get("default_programme")
        )
        problems = application_import.check_mapping(call, chosen, table.headers)
        for problem in problems:
            form.add_error(None, problem)
        if not problems:
            application_import.save_import_mapping(
                acting_user=request.user,
                call=call,
                columns=chosen.columns,
                default_programme=chosen.default_programme,
            )
            messages.success(
                request, "La correspondance des colonnes est enregistrée pour cet appel."
            )
            return redirect("funding:call_import_preview", pk=call.pk)
    context = {
        "page_title": "Correspondance des colonnes",
        "breadcrumb": _crumbs(call),
        "call": call,
        "form": form,
        "saved": mapping.saved,
        "filename": name,
    }
    return render(request, "funding/import_mapping.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def call_import_preview(request, pk):
    call = access.get_call_for_user(request.user, pk, for_edit=True)
    pending = _pending(request, call)
    if pending is None:
        return _expired(request, call)
    if not ApplicationImportMapping.objects.filter(call=call).exists():
        return redirect("funding:call_import_mapping", pk=call.pk)
    name, data = pending
    confirm = request.method == "POST"
    try:
        outcome = application_import.import_applications(
            acting_user=request.user, call=call, filename=name, data=data, dry_run=not confirm
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("funding:call_import", pk=call.pk)
    if confirm and outcome.check.ok:
        _forget(request, call)
        skipped = len(outcome.check.skipped)
        messages.success(
            request,
            f"Import de « {name} » terminé : {len(outcome.created)} dossier(s) créé(s) à l'état « Déposé »"
            + (f", {skipped} déjà importé(s) laissé(s) tel(s) quel(s)." if skipped else "."),
        )
        return redirect("funding:call_applications", pk=call.pk)
    check = outcome.check
    context = {
        "page_title": "Aperçu de l'import",
        "breadcrumb": _crumbs(call),
        "call": call,
        "filename": name,
        "check": check,
        "preview": check.rows[:PREVIEW_ROWS],
    }
    return render(request, "funding/import_preview.html", context)
