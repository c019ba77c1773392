"""Changes of state of an application (the transition table) and payments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from vigie.funding import access, perms, services, transitions
from vigie.funding.enums import ApplicationState
from vigie.funding.forms import DecisionForm, PaymentForm, validation_error_to_form
from vigie.funding.views._common import application_crumbs


@login_required
@require_http_methods(["GET", "POST"])
def application_transition(request, pk, target):
    """One transition: a confirmation page with what it carries (message, parts to fix, amount…)."""
    application = access.get_application_for_user(request.user, pk)
    if target not in ApplicationState.values:
        raise Http404
    transition = transitions.find(application.state, target)
    if transition is None or transition not in transitions.available(request.user, application):
        raise PermissionDenied
    form = DecisionForm(request.POST or None, target=target)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        decision = transitions.Decision(
            message=data.get("message", ""),
            fields=tuple(data.get("fields") or ()),
            granted_amount=data.get("granted_amount"),
            notification_kind=data.get("notification_kind", ""),
            notified_on=data.get("notified_on"),
        )
        try:
            transitions.change_state(
                acting_user=request.user, application=application, target=target, decision=decision
            )
        except ValidationError as error:
            validation_error_to_form(form, error)
        else:
            label = ApplicationState(target).label.lower()
            messages.success(
                request,
                f"La demande est maintenant « {label} » ; le porteur en est informé par courriel.",
            )
            return redirect(application.get_absolute_url())
    context = {
        "page_title": f"{transition.label} — {application.title}",
        "breadcrumb": application_crumbs(request.user, application),
        "application": application,
        "transition": transition,
        "form": form,
    }
    return render(request, "funding/transition_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def payment_create(request, pk):
    application = access.get_application_for_user(request.user, pk, for_instruction=True)
    if application.state not in (ApplicationState.NOTIFIED, ApplicationState.PAID):
        raise PermissionDenied
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_payment(
                acting_user=request.user, application=application, data=form.cleaned_data
            )
        except ValidationError as error:
            validation_error_to_form(form, error)
        else:
            messages.success(request, "Le versement est enregistré.")
            return redirect(application.get_absolute_url())
    context = {
        "page_title": f"Enregistrer un versement — {application.title}",
        "breadcrumb": application_crumbs(request.user, application),
        "application": application,
        "form": form,
        "paid": sum(p.amount for p in application.payments.all()),
        "can_instruct": perms.can_instruct(request.user, application),
    }
    return render(request, "funding/payment_form.html", context)
