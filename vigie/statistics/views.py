"""Statistics pages: public reading, CSV/XLSX/ODS exports of what is shown, SSMSI upload."""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from vigie.governance import access as governance_access
from vigie.governance import perms as governance_perms
from vigie.governance.enums import BodyKind
from vigie.governance.models import Body
from vigie.statistics import pages, selectors
from vigie.statistics.enums import SourceKind
from vigie.statistics.forms import SsmsiUploadForm
from vigie.statistics.importers.layouts import ImportRefused
from vigie.statistics.models import Edition, ImportBatch
from vigie.statistics.perms import can_import_statistics
from vigie.statistics.services import import_ssmsi_file
from vigie.statistics.tables import CONTENT_TYPES, WRITERS


def _crumbs(*items):
    return [
        {"url": reverse("plans:home"), "title": "Accueil"},
        {"url": reverse("statistics:index"), "title": "Statistiques"},
        *items,
    ]


def _department_crumb(context):
    return {
        "url": reverse("statistics:department", args=[context["department_code"]]),
        "title": context["department_name"],
    }


def index(request):
    editions = list(selectors.ssmsi_editions())
    edition = editions[0] if editions else None
    codes = selectors.department_codes_with_data(edition) if edition else []
    names = selectors.names_of_departments(codes)
    plan_editions = (
        Edition.objects.filter(source__kind=SourceKind.PLAN)
        .select_related("source")
        .order_by("source__department_code")
    )
    batches = ImportBatch.objects.select_related("edition__source", "imported_by").order_by(
        "-created_at"
    )[:10]
    return render(
        request,
        "statistics/index.html",
        {
            "page_title": "Statistiques de la délinquance enregistrée",
            "breadcrumb": [{"url": reverse("plans:home"), "title": "Accueil"}],
            "edition": edition,
            "editions": editions,
            "departments": [(code, names.get(code, f"Département {code}")) for code in codes],
            "plan_editions": plan_editions,
            "batches": batches,
            "can_import": can_import_statistics(request.user),
        },
    )


def department(request, code):
    context = pages.build_department(code, request.GET)
    context["breadcrumb"] = _crumbs()
    return render(request, "statistics/department.html", context)


def indicator(request, code, slug):
    context = pages.build_indicator(code, slug, request.GET)
    context["breadcrumb"] = _crumbs(_department_crumb(context))
    return render(request, "statistics/indicator.html", context)


def compare(request):
    context = pages.build_compare(request.GET)
    context["breadcrumb"] = _crumbs()
    return render(request, "statistics/compare.html", context)


def plan_comparison(request, code):
    context = pages.build_plan_comparison(code, request.GET)
    context["breadcrumb"] = _crumbs(_department_crumb(context))
    return render(request, "statistics/plan_comparison.html", context)


def _visible_councils(user, code) -> list[Body]:
    """The department's CLSPD and CISPD, for the people who may see its governance (never public)."""
    if not user.is_authenticated:
        return []
    councils = Body.objects.filter(
        department__code=code, kind__in=[BodyKind.CLSPD, BodyKind.CISPD], is_active=True
    ).order_by("name")
    return [b for b in councils if governance_perms.can_view_governance(user, b.department_id)]


def communes(request, code):
    context = pages.build_communes(code, request.GET)
    context["breadcrumb"] = _crumbs(_department_crumb(context))
    context["councils"] = _visible_councils(request.user, code)
    return render(request, "statistics/communes.html", context)


@login_required
@require_GET
def territory(request, pk):
    """The territory of a CLSPD or CISPD: visible to whoever may see the body (404 otherwise)."""
    body = governance_access.get_body_for_user(request.user, pk)
    context = pages.build_territory(body, request.GET)
    context["breadcrumb"] = [
        {"url": reverse("plans:home"), "title": "Accueil"},
        {
            "url": reverse("governance:dashboard", args=[body.department.code]),
            "title": f"Gouvernance — {body.department.name}",
        },
        {"url": body.get_absolute_url(), "title": body.name},
    ]
    return render(request, "statistics/territory.html", context)


EXPORTS = {
    "departement": lambda params: pages.build_department(_required(params, "code"), params),
    "indicateur": lambda params: pages.build_indicator(
        _required(params, "code"), _required(params, "indicateur"), params
    ),
    "comparaison": pages.build_compare,
    "plan": lambda params: pages.build_plan_comparison(_required(params, "code"), params),
    "communes": lambda params: pages.build_communes(_required(params, "code"), params),
}


def _territory_export(request) -> dict:
    pk = _required(request.GET, "instance")
    if not pk.isdigit():
        raise Http404
    body = governance_access.get_body_for_user(request.user, int(pk))
    return pages.build_territory(body, request.GET)


# Exports of pages that are not public: built for the signed-in person, who must be allowed to see them.
PRIVATE_EXPORTS = {"territoire": _territory_export}


def _required(params, name):
    value = params.get(name)
    if not value:
        raise Http404
    return value


def export(request, page, fmt):
    if fmt not in WRITERS:
        raise Http404
    if page in PRIVATE_EXPORTS:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        context = PRIVATE_EXPORTS[page](request)
    elif page in EXPORTS:
        context = EXPORTS[page](request.GET)
    else:
        raise Http404
    if not context["tables"]:
        raise Http404
    title = f"Vigie — {context['page_title']}"
    content = WRITERS[fmt](title, context["tables"])
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = slugify(
        f"vigie statistiques {page} {request.GET.get('code', '') or request.GET.get('instance', '')}"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def upload(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_import_statistics(request.user):
        raise PermissionDenied
    form = (
        SsmsiUploadForm(request.POST, request.FILES)
        if request.method == "POST"
        else SsmsiUploadForm()
    )
    if form.is_bound and form.is_valid():
        upload_file = form.cleaned_data["file"]
        with tempfile.NamedTemporaryFile(suffix=".csv") as handle:
            for chunk in upload_file.chunks():
                handle.write(chunk)
            handle.flush()
            try:
                batch = import_ssmsi_file(
                    acting_user=request.user,
                    path=handle.name,
                    file_name=upload_file.name,
                    published_on=form.cleaned_data["published_on"],
                )
            except ImportRefused as refused:
                for error in refused.errors:
                    form.add_error("file", error)
                form.add_error(
                    "file", "Rien n'a été importé : corrigez le fichier puis déposez-le à nouveau."
                )
            else:
                messages.success(
                    request,
                    f"Import terminé ({batch.edition.label}) : {batch.row_count} lignes lues, "
                    f"{batch.created_count} valeurs ajoutées, {batch.updated_count} modifiées, "
                    f"{batch.unchanged_count} inchangées.",
                )
                return redirect("statistics:index")
    return render(
        request,
        "statistics/upload.html",
        {"page_title": "Importer une base SSMSI", "breadcrumb": _crumbs(), "form": form},
    )
