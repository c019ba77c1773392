"""The measure page ("fiche"), its edit form, history and comments."""

import copy
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from vigie.audit.conflicts import STALE_EDIT_STATUS, refuse_stale_form
from vigie.audit.services import history_for
from vigie.core.concurrency import StaleEdit
from vigie.core.context_processors import share_department_with_menu
from vigie.plans import perms, services
from vigie.plans.access import get_measure_for_user, require_private
from vigie.plans.enums import ActionStatus, ActorRole
from vigie.plans.forms import CommentForm, MeasureForm, add_service_errors
from vigie.plans.models import Measure
from vigie.plans.views._common import (
    counts_from_actions,
    measure_crumbs,
    paginate_history,
    plan_crumbs,
    status_rows,
)


def measure_header(request, measure: Measure, tab: str) -> dict:
    """Context shared by the tabs of a measure (Fiche, Historique, Commentaires)."""
    user = request.user
    plan = measure.axis.plan
    can_view_private = perms.can_view_private(user, plan.department_id)
    return {
        "page_title": f"Mesure {measure.number} — {measure.title}",
        "breadcrumb": plan_crumbs(plan),
        "measure": measure,
        "axis": measure.axis,
        "plan": plan,
        "department": plan.department,
        "tab": tab,
        "can_view_private": can_view_private,
        "can_edit_measure": perms.can_edit_measure(user, measure),
        "can_add_action": perms.can_add_action(user, measure),
        "comment_count": measure.comments.count() if can_view_private else None,
    }


def decorate_action(
    user, action, *, can_view_private: bool, can_delete: bool, practices=()
) -> None:
    """Flags and related lists the action partial needs (no query: measure and actors are cached)."""
    action.can_edit = perms.can_edit_action(user, action)
    action.can_delete = can_delete
    action.can_view_history = can_view_private
    action.practice_list = list(practices)


def actor_groups(actors) -> list[dict]:
    groups = []
    for role, title in (
        (ActorRole.PILOT, "Pilotes"),
        (ActorRole.PILOT_OR_PARTNER, "Pilotes et partenaires"),
        (ActorRole.PARTNER, "Partenaires"),
    ):
        members = [actor for actor in actors if actor.role == role]
        if members:
            groups.append({"title": title, "actors": members})
    return groups


def measure_detail(request, pk):
    user = request.user
    measure = get_measure_for_user(user, pk)
    share_department_with_menu(request, measure.axis.plan.department)
    context = measure_header(request, measure, "fiche")
    practices_by_action = defaultdict(list)
    general_practices = []
    for practice in measure.good_practices.all():
        if practice.action_id:
            practices_by_action[practice.action_id].append(practice)
        else:
            general_practices.append(practice)
    # Through the related manager, each action already knows its measure (and its prefetched actors).
    actions = list(measure.actions.select_related("owner"))
    can_delete = perms.can_delete_action(user, actions[0]) if actions else False
    for action in actions:
        decorate_action(
            user,
            action,
            can_view_private=context["can_view_private"],
            can_delete=can_delete,
            practices=practices_by_action.get(action.pk, ()),
        )
    context.update(
        {
            "actor_groups": actor_groups(list(measure.actors.all())),
            "actions": actions,
            "status_summary": status_rows(counts_from_actions(actions)),
            "action_count": len(actions),
            "general_practices": general_practices,
            "indicators": list(measure.indicators.all()),
            "status_choices": ActionStatus.choices,
        }
    )
    return render(request, "plans/measure_detail.html", context)


@login_required
def measure_edit(request, pk):
    measure = get_measure_for_user(request.user, pk, for_edit=True)
    form = MeasureForm(
        request.POST if request.method == "POST" else None, instance=copy.copy(measure)
    )
    context = {}
    if form.is_bound and form.is_valid():
        try:
            services.update_measure(
                acting_user=request.user,
                measure=measure,
                data=form.cleaned_data,
                read_version=form.read_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except StaleEdit as stale:
            context = refuse_stale_form(form, stale)
        else:
            messages.success(request, "La mesure a été enregistrée.")
            return redirect(measure)
    context.update(
        {
            "page_title": f"Modifier la mesure {measure.number}",
            "breadcrumb": measure_crumbs(measure),
            "measure": measure,
            "form": form,
        }
    )
    status = STALE_EDIT_STATUS if "stale_edit" in context else 200
    return render(request, "plans/measure_form.html", context, status=status)


def measure_history(request, pk):
    measure = get_measure_for_user(request.user, pk)
    require_private(request.user, measure.axis.plan.department_id)
    context = measure_header(request, measure, "historique")
    context["page_obj"] = paginate_history(request, history_for(measure))
    context["show_object"] = True
    return render(request, "plans/measure_history.html", context)


def measure_comments(request, pk):
    user = request.user
    measure = get_measure_for_user(user, pk)
    require_private(user, measure.axis.plan.department_id)
    can_comment = perms.can_comment(user, measure)
    form = CommentForm() if can_comment else None
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_comment:
            raise PermissionDenied
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                services.add_comment(
                    acting_user=user, measure=measure, body=form.cleaned_data["body"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Votre commentaire a été publié.")
                return redirect(
                    reverse("plans:measure_comments", args=[measure.pk]) + "#commentaires"
                )
    context = measure_header(request, measure, "commentaires")
    context.update(
        {
            "comments": list(measure.comments.select_related("author__organisation")),
            "form": form,
            "can_comment": can_comment,
        }
    )
    return render(request, "plans/measure_comments.html", context)
