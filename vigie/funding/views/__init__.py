"""Funding pages, one module per part: calls, applications (form, page, files), life cycle."""

from vigie.funding.views.applications import (
    application_attachments,
    application_budget,
    application_create,
    application_detail,
    application_edit,
    attachment_delete,
    attachment_file,
    my_applications,
)
from vigie.funding.views.calls import (
    call_applications,
    call_create,
    call_detail,
    call_edit,
    call_programme_edit,
    calls,
)
from vigie.funding.views.exports import export
from vigie.funding.views.final_reports import final_report, overdue_reports
from vigie.funding.views.imports import call_import, call_import_mapping, call_import_preview
from vigie.funding.views.letters import (
    letter_file,
    letter_generate,
    letter_signed,
    letter_template_edit,
    letter_templates,
)
from vigie.funding.views.lifecycle import application_transition, payment_create
from vigie.funding.views.plan_money import plan_grants

__all__ = [
    "application_attachments",
    "application_budget",
    "application_create",
    "application_detail",
    "application_edit",
    "application_transition",
    "attachment_delete",
    "attachment_file",
    "call_applications",
    "call_create",
    "call_detail",
    "call_edit",
    "call_import",
    "call_import_mapping",
    "call_import_preview",
    "call_programme_edit",
    "calls",
    "export",
    "final_report",
    "letter_file",
    "letter_generate",
    "letter_signed",
    "letter_template_edit",
    "letter_templates",
    "my_applications",
    "overdue_reports",
    "plan_grants",
    "payment_create",
]
