"""Letters: the department's editable templates, generation (ODT and PDF kept), files, the signed copy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from vigie.core import uploads
from vigie.funding import access, letters, perms
from vigie.funding.enums import LetterKind
from vigie.funding.forms import validation_error_to_form
from vigie.funding.report_forms import LetterTemplateForm, SignedCopyForm
from vigie.funding.views._common import application_crumbs, calls_crumb
from vigie.territories.models import Department

FILE_FORMATS = {"odt": uploads.ODT, "pdf": uploads.PDF}


def _department_for_templates(user, code) -> Department:
    department = get_object_or_404(Department, code=code)
    if not perms.can_manage_calls(user, department.pk):
        if user.belongs_to(department.pk):
            raise PermissionDenied
        raise Http404
    return department


def _templates_crumb(department) -> dict:
    return {
        "url": reverse("funding:letter_templates", args=[department.code]),
        "title": "Modèles de courriers",
    }


@login_required
def letter_templates(request, code):
    department = _department_for_templates(request.user, code)
    templates = [letters.template_for(department, kind) for kind in LetterKind.values]
    context = {
        "page_title": f"Modèles de courriers — {department.name}",
        "breadcrumb": [calls_crumb(), _templates_crumb(department)],
        "department": department,
        "templates": templates,
    }
    return render(request, "funding/letter_templates.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def letter_template_edit(request, code, kind):
    department = _department_for_templates(request.user, code)
    if kind not in LetterKind.values:
        raise Http404
    template = letters.template_for(department, kind)
    form = LetterTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            letters.save_template(
                acting_user=request.user,
                department=department,
                kind=kind,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            validation_error_to_form(form, error)
        else:
            messages.success(request, "Le modèle est enregistré ; il sert aux prochains courriers.")
            return redirect("funding:letter_templates", code=department.code)
    context = {
        "page_title": f"{LetterKind(kind).label} — modèle du département",
        "breadcrumb": [calls_crumb(), _templates_crumb(department)],
        "form": form,
        "placeholders": letters.PLACEHOLDERS,
        "cancel_url": reverse("funding:letter_templates", args=[department.code]),
    }
    return render(request, "funding/letter_template_form.html", context)


@login_required
@require_POST
def letter_generate(request, pk, kind):
    application = access.get_application_for_user(request.user, pk, for_instruction=True)
    if kind not in LetterKind.values:
        raise Http404
    try:
        letter = letters.generate_letter(
            acting_user=request.user, application=application, kind=kind
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, f"{letter.get_kind_display()} généré (ODT et PDF).")
    return redirect(application.get_absolute_url() + "#documents")


def _letter_for_user(user, pk, letter_pk, *, for_instruction=False):
    application = access.get_application_for_user(user, pk, for_instruction=for_instruction)
    letter = application.letters.filter(pk=letter_pk).first()
    if letter is None:
        raise Http404
    return application, letter


@login_required
def letter_file(request, pk, letter_pk, fmt):
    """The generated ODT or PDF (prefecture), or the signed copy (also its applicant)."""
    if fmt not in ("odt", "pdf", "signed"):
        raise Http404
    application, letter = _letter_for_user(request.user, pk, letter_pk)
    if fmt == "signed":
        stored, media_type, name = letter.signed_file, "application/pdf", letter.signed_name
    else:
        if not perms.can_instruct(request.user, application):
            raise PermissionDenied
        stored, media_type = getattr(letter, f"{fmt}_file"), FILE_FORMATS[fmt].media_type
        name = f"{letter.get_kind_display()} — {application.title}.{fmt}"
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=media_type)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def letter_signed(request, pk, letter_pk):
    application, letter = _letter_for_user(request.user, pk, letter_pk, for_instruction=True)
    form = SignedCopyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            letters.attach_signed_copy(
                acting_user=request.user, letter=letter, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            validation_error_to_form(form, error)
        else:
            messages.success(request, "La copie signée est enregistrée.")
            return redirect(application.get_absolute_url() + "#documents")
    context = {
        "page_title": f"Copie signée — {letter.get_kind_display()}",
        "breadcrumb": application_crumbs(request.user, application),
        "application": application,
        "letter": letter,
        "form": form,
    }
    return render(request, "funding/letter_signed.html", context)
