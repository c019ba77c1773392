"""Statistics pages: public reading, CSV/XLSX/ODS exports of what is shown, SSMSI upload."""

import tempfile

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify

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
        {"url": reverse("core:home"), "title": "Accueil"},
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
            "breadcrumb": [{"url": reverse("core:home"), "title": "Accueil"}],
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


def communes(request, code):
    context = pages.build_communes(code, request.GET)
    context["breadcrumb"] = _crumbs(_department_crumb(context))
    return render(request, "statistics/communes.html", context)


EXPORTS = {
    "departement": lambda params: pages.build_department(_required(params, "code"), params),
    "indicateur": lambda params: pages.build_indicator(
        _required(params, "code"), _required(params, "indicateur"), params
    ),
    "comparaison": pages.build_compare,
    "plan": lambda params: pages.build_plan_comparison(_required(params, "code"), params),
    "communes": lambda params: pages.build_communes(_required(params, "code"), params),
}


def _required(params, name):
    value = params.get(name)
    if not value:
        raise Http404
    return value


def export(request, page, fmt):
    if page not in EXPORTS or fmt not in WRITERS:
        raise Http404
    context = EXPORTS[page](request.GET)
    if not context["tables"]:
        raise Http404
    title = f"Vigie — {context['page_title']}"
    content = WRITERS[fmt](title, context["tables"])
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = slugify(f"vigie statistiques {page} {request.GET.get('code', '')}")
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
