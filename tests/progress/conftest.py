"""The indicators' small Gers world, plus validated values, state changes and non-public items."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from tests.factories import ActionFactory, IndicatorFactory
from tests.indicators.world import build_world
from vigie.indicators import services as indicator_services
from vigie.indicators.territory import resolve_key
from vigie.plans import services as plan_services
from vigie.plans.enums import ActionStatus
from vigie.progress import services

SECRET_ACTION = "Sécuriser le site sensible de la rue des Secrets"
SECRET_INDICATOR = "Signalements pour radicalisation confidentiels"


def validated_value(w, indicator, key, period, value):
    result = indicator_services.save_value(
        acting_user=w.users.prefecture,
        campaign=w.campaign,
        indicator=indicator,
        territory=resolve_key(key, w.gers),
        period=period,
        value=Decimal(value),
        comment="",
        submit=True,
    )
    return indicator_services.validate_value(acting_user=w.users.prefecture, value=result.value)


@pytest.fixture
def world(db):
    return build_progress_world()


def build_progress_world():
    w = build_world()
    w.action.text = "Intervenir dans les écoles de Condom"
    w.action.save()
    plan_services.change_action_status(
        acting_user=w.users.prefecture, action=w.action, status=ActionStatus.IN_PROGRESS
    )
    validated_value(w, w.dept_indicator, "D32", "2025", "150")
    validated_value(w, w.commune_indicator, "C32013", "2025", "4")
    w.secret_action = ActionFactory(measure=w.measure, text=SECRET_ACTION)
    plan_services.change_action_status(
        acting_user=w.users.prefecture, action=w.secret_action, status=ActionStatus.DONE
    )
    w.secret_indicator = IndicatorFactory(measure=w.measure, label=SECRET_INDICATOR)
    validated_value(w, w.secret_indicator, "D32", "2025", "987654")
    services.set_publication(
        acting_user=w.users.prefecture,
        plan=w.plan,
        measure_ids=set(),
        action_ids={w.secret_action.pk},
        indicator_ids={w.secret_indicator.pk},
    )
    w.secret_action.refresh_from_db()
    w.secret_indicator.refresh_from_db()
    w.secrets = SimpleNamespace(action=SECRET_ACTION, indicator=SECRET_INDICATOR, value="987654")
    return w
