"""Organisation directory and acronyms glossary. All public. An organisation's page lists its roles
in the plans: `vigie.plans.views.public`."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from vigie.organisations.forms import DirectorySearchForm, GlossarySearchForm, matches
from vigie.organisations.models import GlossaryEntry, Organisation
from vigie.territories.models import Department

PAGE_SIZE = 50


def directory(request):
    form = DirectorySearchForm(request.GET or None)
    organisations = Organisation.objects.select_related("department").order_by("name", "pk")
    department = None
    if form.is_bound and form.is_valid():
        department = form.cleaned_data["departement"]
        if department is not None:
            # A department's directory also lists the national bodies its plans name.
            organisations = organisations.filter(
                Q(department=department) | Q(department__isnull=True)
            )
        if form.cleaned_data["nature"]:
            organisations = organisations.filter(kind=form.cleaned_data["nature"])
        query = form.cleaned_data["q"].strip()
        if query:
            # Accent-insensitive on every database: match in Python, then load one page by primary key.
            rows = organisations.values_list("pk", "name", "acronym", "aliases")
            ids = [
                pk for pk, name, acronym, aliases in rows if matches(query, name, acronym, aliases)
            ]
            page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
            loaded = Organisation.objects.select_related("department").in_bulk(
                list(page.object_list)
            )
            page.object_list = [loaded[pk] for pk in page.object_list if pk in loaded]
        else:
            page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    elif form.is_bound:
        page = Paginator(Organisation.objects.none(), PAGE_SIZE).get_page(1)
    else:
        page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    breadcrumb = [{"url": reverse("plans:home"), "title": "Accueil"}]
    if department is not None:
        breadcrumb.append({"url": department.get_absolute_url(), "title": department.name})
    context = {
        "page_title": "Annuaire des organisations"
        + (f" — {department.name}" if department else ""),
        "breadcrumb": breadcrumb,
        "form": form,
        "page_obj": page,
        "department": department,
        "searched": form.is_bound,
    }
    return render(request, "organisations/directory.html", context)


def glossary(request, dept_code):
    department = get_object_or_404(Department, code=dept_code)
    form = GlossarySearchForm(request.GET or None)
    entries = list(GlossaryEntry.objects.filter(department=department).order_by("acronym", "pk"))
    total = len(entries)
    query = ""
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            entries = [
                entry for entry in entries if matches(query, entry.acronym, entry.definition)
            ]
    context = {
        "page_title": f"Glossaire des sigles — {department.name}",
        "breadcrumb": [
            {"url": reverse("plans:home"), "title": "Accueil"},
            {"url": department.get_absolute_url(), "title": department.name},
        ],
        "department": department,
        "form": form,
        "entries": entries,
        "total": total,
        "query": query,
    }
    if request.htmx:
        return render(request, "organisations/includes/glossary_results.html", context)
    return render(request, "organisations/glossary.html", context)
