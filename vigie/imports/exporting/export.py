"""The plan out of Vigie, as a file: its document (PDF, ODT, DOCX) or its data (JSON, import schema).

``export_plan(plan, fmt=..., edition=...)`` is what the download links of the plan page and
``manage.py export_plan`` both call. Two editions:

- ``current``: the plan as it stands, amendments included (``plan_to_import_json``);
- ``signed``: the plan as signed, its first version (``adopted_plan_json``).

The document is written by ``plan_document`` (the layout Vigie's importer reads back) and
rendered by ``vigie.core.documents``; the PDF is printed by WeasyPrint without a table of
contents (its bookmarks list the axes and measures).
"""

import json
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from vigie.core.documents import render_docx, render_odt, render_pdf
from vigie.core.formatting import french_date
from vigie.imports.exporting.adopted import adopted_plan_json, first_version
from vigie.imports.exporting.plan_document import PRINT_CSS, plan_document
from vigie.imports.exporting.plan_json import Include, plan_to_import_json
from vigie.imports.models import PlanVersion
from vigie.imports.writing.loader import department_with_article
from vigie.plans.models import Plan

FORMATS = {
    "pdf": ("application/pdf", "PDF"),
    "odt": ("application/vnd.oasis.opendocument.text", "ODT (LibreOffice)"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "DOCX (Word)",
    ),
    "json": ("application/json", "JSON (données)"),
}
EDITIONS = {
    "current": ("en-vigueur", "Texte en vigueur, avenants compris"),
    "signed": ("signe", "Texte signé"),
}


@dataclass(frozen=True)
class ExportedPlan:
    content: bytes
    filename: str
    content_type: str


def export_plan(
    plan: Plan,
    *,
    fmt: str,
    edition: str = "current",
    include: Include | None = None,
    today: date | None = None,
) -> ExportedPlan:
    """The plan as a file; ``fmt`` in ``FORMATS``, ``edition`` in ``EDITIONS`` (ValueError else)."""
    data = export_data(plan, fmt=fmt, edition=edition, include=include)
    return render_export(plan, data, fmt=fmt, edition=edition, today=today)


def export_data(plan: Plan, *, fmt: str, edition: str, include: Include | None = None) -> dict:
    """What the file is written from (a few queries, no rendering): the plan's data in the import schema."""
    if fmt not in FORMATS or edition not in EDITIONS:
        raise ValueError(f"Unknown export: {fmt!r}, {edition!r}")
    if edition == "signed":
        return adopted_plan_json(plan, include=include)
    return plan_to_import_json(plan, include=include)


def export_filename(plan: Plan, *, fmt: str, edition: str) -> str:
    return f"plan-{plan.department.code}-{plan.period_label}-{EDITIONS[edition][0]}.{fmt}"


def render_export(
    plan: Plan, data: dict, *, fmt: str, edition: str, today: date | None = None
) -> ExportedPlan:
    """The file written from ``export_data``'s dict (the slow part for PDF: WeasyPrint)."""
    filename = export_filename(plan, fmt=fmt, edition=edition)
    if fmt == "json":
        content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        return ExportedPlan(content, filename, FORMATS[fmt][0])
    document = plan_document(
        data,
        department_name=department_title(plan),
        version_notes=version_notes(plan, edition, today or timezone.localdate()),
        table_of_contents=fmt != "pdf",
    )
    if fmt == "pdf":
        content = render_pdf(document, css=PRINT_CSS)
    elif fmt == "odt":
        content = render_odt(document)
    else:
        content = render_docx(document)
    return ExportedPlan(content, filename, FORMATS[fmt][0])


def department_title(plan: Plan) -> str:
    return f"Département {department_with_article(plan.department.name)}"


def _short(label: str) -> str:
    words = label.split()
    return label if len(words) <= 6 else " ".join(words[:6]) + " …"


def version_notes(plan: Plan, edition: str, today: date) -> list[str]:
    """Short lines for the cover: which text this is, and when Vigie wrote it."""
    written = f"Document établi par Vigie le {french_date(today)}."
    if edition == "signed":
        version = first_version(plan)
        if version is None:
            return ["Texte du plan tel qu'enregistré dans Vigie.", written]
        adopted = f", adoptée le {french_date(version.adopted_on)}" if version.adopted_on else ""
        return [f"Texte signé : {_short(version.label)}{adopted}.", written]
    latest = PlanVersion.objects.filter(plan=plan).order_by("-number").first()
    if latest is None or latest.number == 1:
        return [f"Texte en vigueur au {french_date(today)}, sans avenant.", written]
    adopted = f", adoptée le {french_date(latest.adopted_on)}" if latest.adopted_on else ""
    return [
        f"Texte en vigueur au {french_date(today)}, avenants compris.",
        f"Dernière version : {_short(latest.label)}{adopted}.",
        written,
    ]
