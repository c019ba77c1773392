"""Deployment trackers of the local schemes: map and table by commune, record edition, matching, target."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from vigie.audit.conflicts import refuse_stale_form
from vigie.core.concurrency import StaleEdit, VersionForm
from vigie.governance import access, perms, selectors, services, svgmap
from vigie.governance.enums import (
    COMPUTED_SCHEMES,
    Scheme,
    SchemeState,
    state_label,
)
from vigie.governance.forms import (
    ResolveForm,
    SchemeRecordForm,
    SchemeTargetForm,
)
from vigie.governance.models import SchemeRecord, SchemeTarget
from vigie.governance.views._common import (
    GET_POST,
    _bound,
    _department_crumb,
    _render_form,
    _scheme_or_404,
)
from vigie.plans.forms import add_service_errors as _add_service_errors
from vigie.territories.models import Commune


def _tracker_crumbs(department, scheme) -> list[dict]:
    """Breadcrumb of a tracker's sub-pages: the department's governance, then the tracker."""
    url = reverse("governance:tracker", args=[department.code, scheme.value])
    return [_department_crumb(department), {"url": url, "title": scheme.label}]


def _map_description(context, scheme) -> str:
    counts = ", ".join(f"{label} : {count}" for _state, label, count in context["state_counts"])
    return f"Carte des communes selon l'état du dispositif {scheme.label.lower()} ({counts}). Le tableau qui suit donne les mêmes informations."


@login_required
@require_GET
def tracker(request, code, scheme):
    department = access.get_department_for_user(request.user, code)
    scheme = _scheme_or_404(scheme)
    context = selectors.tracker(
        department, scheme, sort=request.GET.get("tri", selectors.DEFAULT_SORT)
    )
    context.update(
        department=department,
        scheme_label=scheme.label,
        sorts=selectors.SORTS,
        can_manage=perms.can_manage_department(request.user, department.pk),
        is_computed=scheme in COMPUTED_SCHEMES,
    )
    if request.htmx and request.htmx.target == "tracker-table":
        return render(request, "governance/partials/tracker_table.html", context)
    states = {row.commune.code: (row.state, row.state_label) for row in context["rows"]}
    highlighted = {row.commune.code for row in context["short_of_target"]}
    geo = svgmap.load_map(department.code)
    context.update(
        page_title=f"{scheme.label} — {department.name}",
        breadcrumb=[_department_crumb(department)],
        schemes=list(Scheme),
        map_svg=svgmap.render(
            department.code,
            states=states,
            highlighted=highlighted,
            title=f"{scheme.label} : carte des communes du département {department.name}",
            description=_map_description(context, scheme),
        ),
        legend=[
            {"colour": colour, "label": state_label(scheme, state)}
            for state, colour in svgmap.STATE_COLOURS.items()
            if state in dict(selectors.scheme_states(scheme))
        ],
        without_outline=[
            row.commune for row in context["rows"] if geo and row.commune.code not in geo.codes
        ],
        has_map=geo is not None,
        target_stroke=svgmap.TARGET_STROKE,
        missing_colour=svgmap.MISSING_COLOUR,
    )
    return render(request, "governance/tracker.html", context)


@login_required
@require_http_methods(GET_POST)
def scheme_record_edit(request, code, scheme, commune_code):
    department = access.get_department_for_user(request.user, code, for_edit=True)
    scheme = _scheme_or_404(scheme)
    if scheme in COMPUTED_SCHEMES:
        raise Http404
    commune = get_object_or_404(Commune, department=department, code=commune_code)
    record = SchemeRecord.objects.filter(scheme=scheme, commune=commune).first()
    initial = {} if record else {"state": SchemeState.IN_PLACE, "as_of": timezone.localdate()}
    form = SchemeRecordForm(*_bound(request), instance=record, initial=initial, scheme=scheme)
    stale = {}
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.fields if name != "version"}
        try:
            services.set_scheme_record(
                acting_user=request.user,
                commune=commune,
                scheme=scheme,
                data=data,
                read_version=form.read_version,
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        except StaleEdit as error:
            stale = refuse_stale_form(form, error)
        else:
            messages.success(request, f"{scheme.label} : l'état de {commune.name} est enregistré.")
            return redirect("governance:tracker", department.code, scheme.value)
    return _render_form(
        request,
        "governance/scheme_record_form.html",
        {
            "page_title": f"{scheme.label} — {commune.name}",
            "breadcrumb": _tracker_crumbs(department, scheme),
            "form": form,
            "commune": commune,
            "scheme": scheme,
            "record": record,
            **stale,
        },
    )


@login_required
@require_http_methods(GET_POST)
def scheme_record_resolve(request, pk):
    record = access.get_scheme_record_for_user(request.user, pk)
    if record.commune_id is not None:
        raise Http404
    department = record.department
    scheme = Scheme(record.scheme)
    form = ResolveForm(*_bound(request), record=record)
    if request.method == "POST" and form.is_valid():
        try:
            services.resolve_scheme_record(
                acting_user=request.user,
                record=record,
                communes=list(form.cleaned_data["communes"]),
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, f"« {record.source_label} » est rapproché.")
            return redirect("governance:tracker", department.code, scheme.value)
    return render(
        request,
        "governance/resolve_form.html",
        {
            "page_title": f"Rapprocher « {record.source_label} »",
            "breadcrumb": _tracker_crumbs(department, scheme),
            "form": form,
            "record": record,
        },
    )


@login_required
@require_http_methods(GET_POST)
def target_edit(request, code, scheme):
    department = access.get_department_for_user(request.user, code, for_edit=True)
    scheme = _scheme_or_404(scheme)
    target = SchemeTarget.objects.filter(department=department, scheme=scheme).first()
    tracker_url = reverse("governance:tracker", args=[department.code, scheme.value])
    form = SchemeTargetForm(*_bound(request), instance=target)
    stale = {}
    try:
        if request.method == "POST" and "supprimer" in request.POST:
            if target is not None:
                confirm = VersionForm(request.POST, versioned_instance=target)
                if not confirm.is_valid():
                    raise ValidationError(confirm.non_field_errors())
                services.delete_scheme_target(
                    acting_user=request.user, target=target, read_version=confirm.read_version
                )
                messages.success(request, "L'objectif est supprimé.")
            return redirect(tracker_url)
        if request.method == "POST" and form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.Meta.fields}
            services.set_scheme_target(
                acting_user=request.user,
                department=department,
                scheme=scheme,
                data=data,
                read_version=form.read_version,
            )
            messages.success(request, "L'objectif est enregistré.")
            return redirect(tracker_url)
    except ValidationError as exc:
        _add_service_errors(form, exc)
    except StaleEdit as error:
        stale = refuse_stale_form(form, error)
    return _render_form(
        request,
        "governance/target_form.html",
        {
            "page_title": f"Objectif de déploiement — {scheme.label}",
            "breadcrumb": _tracker_crumbs(department, scheme),
            "form": form,
            "target": target,
            "scheme": scheme,
            "department": department,
            **stale,
        },
    )
