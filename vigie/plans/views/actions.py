"""Action forms: create, edit, delete, inline status change (HTMX), history."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from vigie.audit.services import history_for
from vigie.plans import perms, services
from vigie.plans.access import (
    get_action_for_delete,
    get_action_for_user,
    get_measure_for_user,
    require_private,
)
from vigie.plans.enums import ActionStatus
from vigie.plans.forms import ActionForm, ActionStatusForm, add_service_errors
from vigie.plans.models import Action
from vigie.plans.views._common import (
    counts_from_statuses,
    measure_crumbs,
    paginate_history,
    status_rows,
)
from vigie.plans.views.measures import decorate_action


def _action_label(action: Action) -> str:
    return action.title or str(action)


@login_required
def action_create(request, pk):
    measure = get_measure_for_user(request.user, pk, for_edit=True)
    if not perms.can_add_action(request.user, measure):
        raise PermissionDenied
    department = measure.axis.plan.department
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        instance=Action(measure=measure),
        department=department,
    )
    if form.is_bound and form.is_valid():
        try:
            action = services.create_action(
                acting_user=request.user, measure=measure, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "L'action a été ajoutée.")
            return redirect(action.get_absolute_url())
    context = {
        "page_title": f"Ajouter une action à la mesure {measure.number}",
        "breadcrumb": measure_crumbs(measure),
        "measure": measure,
        "form": form,
        "submit_label": "Ajouter l'action",
    }
    return render(request, "plans/action_form.html", context)


@login_required
def action_edit(request, pk):
    action = get_action_for_user(request.user, pk, for_edit=True)
    measure = action.measure
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        instance=copy.copy(action),
        department=measure.axis.plan.department,
    )
    if form.is_bound and form.is_valid():
        try:
            services.update_action(acting_user=request.user, action=action, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "L'action a été enregistrée.")
            return redirect(action.get_absolute_url())
    context = {
        "page_title": "Modifier l'action",
        "breadcrumb": measure_crumbs(measure),
        "measure": measure,
        "action": action,
        "form": form,
        "submit_label": "Enregistrer",
    }
    return render(request, "plans/action_form.html", context)


@login_required
def action_delete(request, pk):
    action = get_action_for_delete(request.user, pk)
    measure = action.measure
    if request.method == "POST":
        services.delete_action(acting_user=request.user, action=action)
        messages.success(request, "L'action a été supprimée.")
        return redirect(measure)
    context = {
        "page_title": "Supprimer l'action",
        "breadcrumb": measure_crumbs(measure),
        "measure": measure,
        "action": action,
    }
    return render(request, "plans/action_confirm_delete.html", context)


@login_required
@require_POST
def action_status(request, pk):
    """Inline status change: the action's fragment for HTMX, a redirect to the measure otherwise."""
    user = request.user
    action = get_action_for_user(user, pk, for_edit=True)
    measure = action.measure
    form = ActionStatusForm(request.POST, instance=copy.copy(action))
    error = None
    if form.is_valid():
        try:
            services.change_action_status(
                acting_user=user, action=action, status=form.cleaned_data["status"]
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(form.errors.get("status", ["État d'avancement invalide."]))
    if not request.htmx:
        if error:
            context = {
                "page_title": "État d'avancement non enregistré",
                "breadcrumb": measure_crumbs(measure),
                "measure": measure,
                "action": action,
                "error": error,
            }
            return render(request, "plans/action_status_error.html", context, status=400)
        messages.success(request, f"État d'avancement enregistré : {action.get_status_display()}.")
        return redirect(action.get_absolute_url())
    can_view_private = perms.can_view_private(user, measure.axis.plan.department_id)
    decorate_action(
        user,
        action,
        can_view_private=can_view_private,
        can_delete=perms.can_delete_action(user, action),
        practices=action.good_practices.all(),
    )
    statuses = list(measure.actions.values_list("status", flat=True))
    context = {
        "action": action,
        "status_choices": ActionStatus.choices,
        "status_error": error,
        "status_message": None
        if error
        else f"État d'avancement enregistré : {action.get_status_display()}.",
        "status_summary": status_rows(counts_from_statuses(statuses)),
        "action_count": len(statuses),
        "oob": True,
    }
    return render(
        request, "plans/includes/action_status_response.html", context, status=400 if error else 200
    )


def action_history(request, pk):
    action = get_action_for_user(request.user, pk)
    measure = action.measure
    require_private(request.user, measure.axis.plan.department_id)
    context = {
        "page_title": f"Historique de l'action « {_action_label(action)} »",
        "breadcrumb": measure_crumbs(measure),
        "measure": measure,
        "action": action,
        "page_obj": paginate_history(request, history_for(action)),
        "show_object": False,
    }
    return render(request, "plans/action_history.html", context)
