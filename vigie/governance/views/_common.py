"""Helpers shared by the governance pages: form rendering, breadcrumbs, scheme lookup."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from vigie.audit.conflicts import STALE_EDIT_STATUS
from vigie.governance.enums import (
    Scheme,
)

GET_POST = ["GET", "POST"]


def _render_form(request, template: str, context: dict):
    """A form page; 409 when the edit was refused because someone else saved first."""
    status = STALE_EDIT_STATUS if "stale_edit" in context else 200
    return render(request, template, context, status=status)


def _bound(request, *, files: bool = False) -> tuple:
    """Form data when the request is a POST (even an empty one), else nothing: an unbound form."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


def _department_crumb(department) -> dict:
    return {
        "url": reverse("governance:dashboard", args=[department.code]),
        "title": f"Gouvernance — {department.name}",
    }


def _body_crumbs(body) -> list[dict]:
    crumbs = [_department_crumb(body.department)]
    if body.parent_id:
        crumbs.append({"url": body.parent.get_absolute_url(), "title": body.parent.name})
    return crumbs


def _scheme_or_404(slug: str) -> Scheme:
    try:
        return Scheme(slug)
    except ValueError as exc:
        raise Http404 from exc
