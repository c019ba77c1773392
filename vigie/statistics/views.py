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
from django.views.decorators.http import require_GET, require_POST

from vigie.core.context_processors import share_department_with_menu
from vigie.governance import access as governance_access
from vigie.governance import perms as governance_perms
from vigie.governance.enums import BodyKind
from vigie.governance.models import Body
from vigie.statistics import access, pages, selectors
from vigie.statistics.enums import EditionStatus, SourceKind, TerritoryLevel
from vigie.statistics.forms import EditionWithdrawForm, SsmsiUploadForm
from vigie.statistics.importers.layouts import ImportRefused
from vigie.statistics.models import Edition, ImportBatch
from vigie.statistics.perms import (
    can_import_statistics,
    can_publish_edition,
    can_view_edition,
    can_withdraw_edition,
)
from vigie.statistics.services import (
    EditionStateError,
    import_ssmsi_file,
    publish_edition,
    withdraw_edition,
)
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
    batches = (
        ImportBatch.objects.filter(edition__status=EditionStatus.PUBLISHED)
        .select_related("edition__source", "imported_by")
        .order_by("-created_at")[:10]
    )
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
    context = pages.build_department(code, request.GET, for_page=True)
    share_department_with_menu(request, context["department"])
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
    """Upload an SSMSI base: stored as an edition waiting for its preview to be confirmed."""
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
                    partial=form.cleaned_data["is_partial"],
                    publish=False,
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
                    f"{batch.unchanged_count} inchangées. L'édition n'est pas encore publiée : "
                    "vérifiez l'aperçu.",
                )
                return redirect("statistics:edition", batch.edition.pk)
    return render(
        request,
        "statistics/upload.html",
        {"page_title": "Importer une base SSMSI", "breadcrumb": _crumbs(), "form": form},
    )


def _editions_crumbs():
    return _crumbs({"url": reverse("statistics:editions"), "title": "Éditions de la base SSMSI"})


def editions(request):
    """The SSMSI editions the person may act on: published, waiting (their department's) and withdrawn."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_import_statistics(request.user):
        raise PermissionDenied
    visible = [e for e in selectors.all_ssmsi_editions() if can_view_edition(request.user, e)]
    default = selectors.default_edition()
    return render(
        request,
        "statistics/editions.html",
        {
            "page_title": "Éditions de la base SSMSI",
            "breadcrumb": _crumbs(),
            "editions": visible,
            "default_edition": default,
            "communal_default": selectors.communal_editions().first(),
        },
    )


def edition(request, pk):
    """An edition and, before it is published, the preview of what it changes."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    item = access.get_edition_for_user(request.user, pk)
    overview = selectors.edition_overview(item)
    communal = overview.level == TerritoryLevel.COMMUNE
    current = (selectors.communal_editions() if communal else selectors.ssmsi_editions()).first()
    current = None if current is not None and current.pk == item.pk else current
    departments = _compared_departments(request, item, overview)
    names = selectors.names_of_departments(departments)
    comparisons = [
        {
            "code": code,
            "name": names.get(code, f"Département {code}"),
            "changes": selectors.edition_changes(item, current, code),
        }
        for code in departments
    ]
    return render(
        request,
        "statistics/edition.html",
        {
            "page_title": f"Édition de la base SSMSI — {item.label}",
            "breadcrumb": _editions_crumbs(),
            "edition": item,
            "overview": overview,
            "current": current,
            "comparisons": comparisons,
            "can_publish": can_publish_edition(request.user, item),
            "can_withdraw": can_withdraw_edition(request.user, item),
            "withdraw_form": EditionWithdrawForm(),
            "department_choices": [
                (code, selectors.names_of_departments([code]).get(code, code))
                for code in overview.departments
            ]
            if request.user.is_national_admin
            else [],
        },
    )


def _compared_departments(request, item, overview) -> list[str]:
    """The uploader's department for a prefecture agent; the chosen (or first) one for an administrator."""
    user = request.user
    if not user.is_national_admin and user.department is not None:
        return [user.department.code]
    chosen = request.GET.get("departement", "")
    if chosen in overview.departments:
        return [chosen]
    if item.uploader_department is not None:
        return [item.uploader_department.code]
    return overview.departments[:1]


@require_POST
def edition_publish(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("statistics:edition", args=[pk]))
    item = access.get_edition_for_user(request.user, pk, action="publish")
    try:
        publish_edition(acting_user=request.user, edition=item)
    except EditionStateError as exc:
        messages.error(request, str(exc))
        return redirect("statistics:edition", item.pk)
    messages.success(
        request, f"L'édition « {item.label} » est publiée : les pages statistiques la montrent."
    )
    return redirect("statistics:editions")


@require_POST
def edition_withdraw(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("statistics:edition", args=[pk]))
    item = access.get_edition_for_user(request.user, pk, action="withdraw")
    form = EditionWithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        withdraw_edition(acting_user=request.user, edition=item, reason=reason)
    except EditionStateError as exc:
        messages.error(request, str(exc))
        return redirect("statistics:edition", item.pk)
    messages.success(
        request, f"L'édition « {item.label} » est retirée : plus aucune page ne la montre."
    )
    return redirect("statistics:editions")
