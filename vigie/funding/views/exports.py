"""Spreadsheet exports of a department-year's applications and programming (the prefecture's)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from vigie.core.spreadsheets import CONTENT_TYPES
from vigie.funding import exports
from vigie.funding.models import GrantApplication
from vigie.funding.views.letters import _department_for_templates

KINDS = {
    "demandes": ("Demandes", exports.APPLICATION_HEADER, exports.application_rows),
    "programmation": ("Programmation", exports.PROGRAMMING_HEADER, exports.programming_rows),
}


@login_required
def export(request, code, year, kind, fmt):
    department = _department_for_templates(request.user, code)
    if kind not in KINDS or fmt not in exports.FORMATS:
        raise Http404
    name, header, rows_of = KINDS[kind]
    applications = GrantApplication.objects.filter(call__department=department, call__year=year)
    content = exports.render(fmt, name, header, rows_of(applications))
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    filename = f"{kind}-{department.code}-{year}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
