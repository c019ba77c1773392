"""The pages of the load benchmark and the signed-in session its clients use (bench/load/run.py, profile.py).

Pages of the Gers (department 32) in the demo data, seen by its prefecture agent (`prefecture32`), who sees
everything a department's page can show (drafts, governance, edit buttons)."""

from django.conf import settings
from django.db.models import Count
from django.test import Client
from django.urls import reverse

DEPARTMENT = "32"
USERNAME = "prefecture32"


def page_urls() -> dict[str, str]:
    """{name: path}: the bare view, then the five main pages. The measure is the plan's measure with the most
    actions and indicators (the heaviest measure page of the demo)."""
    from vigie.plans.models import Measure, Plan
    from vigie.plans.views.plans import pick_current_plan

    plans = list(Plan.objects.filter(department__code=DEPARTMENT).order_by("-period_start", "-pk"))
    plan = pick_current_plan(plans)
    if plan is None:
        raise SystemExit(
            f"Aucun plan pour le département {DEPARTMENT} : chargez d'abord `manage.py load_demo`."
        )
    measure = (
        Measure.objects.filter(axis__plan=plan)
        .annotate(weight=Count("actions", distinct=True) + Count("indicators", distinct=True))
        .order_by("-weight", "pk")
        .first()
    )
    return {
        "vue vide": reverse("bench_bare"),
        "accueil du département": reverse("plans:department", args=[DEPARTMENT]),
        "mesure": reverse("plans:measure", args=[measure.pk]),
        "suivi des indicateurs": reverse("indicators:plan_progress", args=[plan.pk]),
        "statistiques": reverse("statistics:department", args=[DEPARTMENT]),
        "gouvernance": reverse("governance:dashboard", args=[DEPARTMENT]),
    }


def signed_in_client() -> Client:
    """A client signed in as the benchmark's user, its second factor verified in the session (as after a TOTP code:
    prefecture agents must give one). The user gets a confirmed TOTP device in the benchmark's database if needed."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from vigie.accounts.models import User

    user = User.objects.get(username=USERNAME)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Banc de charge", defaults={"confirmed": True}
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def session_cookie() -> tuple[str, str]:
    """(cookie name, value) of a new signed-in session of the benchmark's user, stored in the database."""
    client = signed_in_client()
    return settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value


def queries_of(client: Client, url: str) -> tuple[int, list[str]]:
    """(status, SQL of every query) of one request. A wrapper rather than CaptureQueriesContext: the test
    client closes the connection after each request."""
    from django.db import connection

    queries: list[str] = []

    def record(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.get(url)
    return response.status_code, queries


def demo_size() -> dict[str, int]:
    """How big the demo data is: what the pages of the benchmark read."""
    from vigie.governance.models import Body, Decision, Meeting
    from vigie.indicators.models import Indicator, IndicatorValue
    from vigie.plans.models import Action, Axis, Measure, Plan
    from vigie.statistics.models import Observation, Series
    from vigie.territories.models import Commune

    return {
        "communes (France)": Commune.objects.count(),
        "plans": Plan.objects.count(),
        "axes": Axis.objects.count(),
        "mesures": Measure.objects.count(),
        "actions": Action.objects.count(),
        "indicateurs": Indicator.objects.count(),
        "valeurs d'indicateurs": IndicatorValue.objects.count(),
        "séries statistiques": Series.objects.count(),
        "observations statistiques": Observation.objects.count(),
        "instances de gouvernance": Body.objects.count(),
        "réunions": Meeting.objects.count(),
        "décisions": Decision.objects.count(),
    }
