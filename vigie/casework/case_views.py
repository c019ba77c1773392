"""Pages of the named cases. Named data never reaches a URL (cases by opaque id, the name search is a POST), a
cache (never_cache) or the logs; every read and write is in the access log."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from vigie.casework import access, access_log, case_services, perms
from vigie.casework.enums import Level
from vigie.casework.forms import CaseForm, CaseSearchForm, EntryForm
from vigie.casework.models import Case
from vigie.casework.views import group_crumbs, private_page


def cases_crumbs(group) -> list[dict]:
    return [
        *group_crumbs(group),
        {"url": reverse("casework:cases", args=[group.pk]), "title": "Dossiers"},
    ]


def _form_errors(form, error: ValidationError) -> None:
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


@private_page
@require_http_methods(["GET", "POST"])
def cases(request, pk):
    """The group's cases; a POST searches a name (through its keyed hash: the name never enters a URL)."""
    group, member = access.get_group_for_user(request.user, pk, for_cases=True)
    search = CaseSearchForm(request.POST or None)
    found = Case.objects.filter(group=group)
    if request.method == "POST" and search.is_valid():
        found = case_services.find_cases(
            user=request.user, member=member, name=search.cleaned_data["name"]
        )
    rows = list(found.select_related("commune", "referent__user").order_by("-opened_on", "pk"))
    access_log.record_list_access(user=request.user, group=group, cases=rows)
    context = {
        "page_title": f"Dossiers — {group.name}",
        "breadcrumb": group_crumbs(group),
        "group": group,
        "cases": rows,
        "search": search,
        "searched": request.method == "POST",
    }
    return render(request, "casework/cases.html", context)


@private_page
@require_http_methods(["GET", "POST"])
def case_create(request, pk):
    group, member = access.get_group_for_user(request.user, pk, for_cases=True)
    members = group.members.select_related("user").exclude(end_date__isnull=False)
    form = CaseForm(request.POST or None, group=group, members=members)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "assigned": list(form.cleaned_data["assigned"])}
        try:
            case = case_services.open_case(acting_user=request.user, member=member, data=data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect("casework:case", case.public_id)
    context = {
        "page_title": "Ouvrir un dossier",
        "breadcrumb": cases_crumbs(group),
        "group": group,
        "form": form,
    }
    return render(request, "casework/case_form.html", context)


@private_page
@require_GET
def case(request, public_id):
    case, member = access.get_case_for_user(request.user, public_id)
    case_services.read_case(user=request.user, case=case)
    context = {
        "page_title": f"{case.first_name} {case.last_name}",
        "breadcrumb": cases_crumbs(case.group),
        "case": case,
        "group": case.group,
        "entries": list(access.visible_entries(member, case)),
        "reads_secret": access.can_read_secret(member, case),
        "assigned": list(case.assigned.select_related("user")),
        "handles_rights": perms.can_handle_rights(member),
    }
    return render(request, "casework/case.html", context)


@private_page
@require_http_methods(["GET", "POST"])
def entry_add(request, public_id):
    case, member = access.get_case_for_user(request.user, public_id)
    form = EntryForm(request.POST or None)
    if not access.can_read_secret(member, case):
        form.fields["level"].choices = [(Level.CONFIDENTIAL.value, Level.CONFIDENTIAL.label)]
    if request.method == "POST" and form.is_valid():
        try:
            case_services.add_entry(
                acting_user=request.user, member=member, case=case, data=form.cleaned_data
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect("casework:case", case.public_id)
    context = {
        "page_title": "Ajouter une entrée",
        "breadcrumb": [
            *cases_crumbs(case.group),
            {"url": reverse("casework:case", args=[case.public_id]), "title": "Dossier"},
        ],
        "case": case,
        "form": form,
    }
    return render(request, "casework/entry_form.html", context)


@private_page
@require_GET
def log(request, pk):
    """The group's access log, for its data controller; reading it is logged."""
    group, member = access.get_group_for_user(request.user, pk)
    if not access_log.can_read_log(request.user, group):
        raise PermissionDenied
    rows = list(access_log.read_log(user=request.user, group=group)[:500])
    context = {
        "page_title": f"Journal des accès — {group.name}",
        "breadcrumb": group_crumbs(group),
        "group": group,
        "rows": rows,
    }
    return render(request, "casework/access_log.html", context)
