"""Action forms: create, edit, delete, inline status change (HTMX), history."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from vigie.audit.conflicts import STALE_EDIT_STATUS, refuse_stale_form, stale_edit_context
from vigie.audit.services import history_for
from vigie.core.concurrency import StaleEdit, VersionForm
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
    context = {}
    if form.is_bound and form.is_valid():
        try:
            services.update_action(
                acting_user=request.user,
                action=action,
                data=form.cleaned_data,
                read_version=form.read_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except StaleEdit as stale:
            context = refuse_stale_form(form, stale)
        else:
            messages.success(request, "L'action a été enregistrée.")
            return redirect(action.get_absolute_url())
    context.update(
        {
            "page_title": "Modifier l'action",
            "breadcrumb": measure_crumbs(measure),
            "measure": measure,
            "action": action,
            "form": form,
            "submit_label": "Enregistrer",
        }
    )
    status = STALE_EDIT_STATUS if "stale_edit" in context else 200
    return render(request, "plans/action_form.html", context, status=status)


@login_required
def action_delete(request, pk):
    action = get_action_for_delete(request.user, pk)
    measure = action.measure
    form = VersionForm(
        request.POST if request.method == "POST" else None, versioned_instance=action
    )
    context, status = {}, 200
    if form.is_bound:
        if not form.is_valid():
            status = 400
        else:
            try:
                services.delete_action(
                    acting_user=request.user, action=action, read_version=form.read_version
                )
            except StaleEdit as stale:
                context, status = stale_edit_context(stale), STALE_EDIT_STATUS
                action.refresh_from_db()
                form = VersionForm(versioned_instance=action)
            else:
                messages.success(request, "L'action a été supprimée.")
                return redirect(measure)
    context.update(
        {
            "page_title": "Supprimer l'action",
            "breadcrumb": measure_crumbs(measure),
            "measure": measure,
            "action": action,
            "form": form,
        }
    )
    return render(request, "plans/action_confirm_delete.html", context, status=status)


@login_required
@require_POST
def action_status(request, pk):
    """Inline status change: the action's fragment for HTMX, a redirect to the measure otherwise."""
    user = request.user
    action = get_action_for_user(user, pk, for_edit=True)
    measure = action.measure
    form = ActionStatusForm(request.POST, instance=copy.copy(action))
    error, stale_context = None, {}
    if form.is_valid():
        try:
            services.change_action_status(
                acting_user=user,
                action=action,
                status=form.cleaned_data["status"],
                read_version=form.read_version,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except StaleEdit as stale:
            stale_context = stale_edit_context(stale)
            error = "L'état d'avancement n'a pas été enregistré : une autre personne l'a modifié."
            action.refresh_from_db()
    else:
        error = " ".join(
            [*form.errors.get("status", []), *form.non_field_errors()]
            or ["État d'avancement invalide."]
        )
    status = STALE_EDIT_STATUS if stale_context else 400 if error else 200
    if not request.htmx:
        if error:
            context = {
                "page_title": "État d'avancement non enregistré",
                "breadcrumb": measure_crumbs(measure),
                "measure": measure,
                "action": action,
                "error": error,
                **stale_context,
            }
            return render(request, "plans/action_status_error.html", context, status=status)
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
        "stale_edit_fragment": bool(stale_context),
        **stale_context,
    }
    return render(request, "plans/includes/action_status_response.html", context, status=status)


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
