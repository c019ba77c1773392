"""The Atom feed of a plan's public progress: changes of state of its public actions and indicator values
validated, newest first. Nothing personal: no author, no names of people."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from vigie.core.formatting import number
from vigie.indicators import periods
from vigie.plans.models import Action
from vigie.progress import selectors
from vigie.progress.access import get_plan_for_user


class PlanProgressFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, pk):
        return get_plan_for_user(request.user, pk)

    def title(self, plan):
        return f"Avancement — {plan.department.name}, plan {plan.period_label}"

    def subtitle(self, plan):
        return f"Changements d'état des actions et valeurs d'indicateurs validées du plan « {plan.title} »."

    def link(self, plan):
        return reverse("progress:plan", args=[plan.pk])

    def feed_guid(self, plan):
        return f"tag:vigie,2026:avancement:plan:{plan.pk}"

    def items(self, plan):
        events = selectors.state_events(plan, newest_first=True, limit=selectors.FEED_SIZE)
        actions = Action.objects.in_bulk({event.action_id for event in events})
        items = [
            {
                "kind": "action",
                "id": f"action-{event.action_id}-{event.date.timestamp():.6f}",
                "date": event.date,
                "title": _event_title(actions.get(event.action_id), event),
                "anchor": f"action-{event.action_id}",
                "plan": plan,
            }
            for event in events
            if event.action_id in actions
        ]
        values = (
            selectors.public_values(plan)
            .exclude(validated_at=None)
            .select_related("indicator", "department", "epci", "commune")
            .order_by("-validated_at", "-pk")[: selectors.FEED_SIZE]
        )
        for value in values:
            items.append(
                {
                    "kind": "value",
                    "id": f"valeur-{value.pk}-{value.validated_at.timestamp():.6f}",
                    "date": value.validated_at,
                    "title": f"Indicateur « {value.indicator} » : {number(value.shown_value)} "
                    f"({value.territory_name}, {periods.label(value.period)})",
                    "anchor": f"indicateur-{value.indicator_id}",
                    "plan": plan,
                }
            )
        items.sort(key=lambda item: item["date"], reverse=True)
        return items[: selectors.FEED_SIZE]

    def item_title(self, item):
        return item["title"]

    def item_description(self, item):
        if item["kind"] == "action":
            return "Changement d'état d'une action du plan."
        return "Valeur d'indicateur validée par la préfecture."

    def item_link(self, item):
        return reverse("progress:plan", args=[item["plan"].pk]) + f"#{item['anchor']}"

    def item_guid(self, item):
        return f"tag:vigie,2026:avancement:{item['id']}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item["date"]

    def item_updateddate(self, item):
        return item["date"]


def _event_title(action, event) -> str:
    label = str(action) if action is not None else "Action"
    if event.is_creation:
        return f"Action « {label} » : {event.state}"
    return f"Action « {label} » : {event.previous} → {event.state}"
