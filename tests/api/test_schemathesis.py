"""Schemathesis against the OpenAPI schema (issue #11, CI): every operation, cases generated from the schema.

The schema is read from the application itself (/api/schema/, in process through WSGI). For each operation,
Hypothesis draws a bounded, derandomized number of cases, valid and invalid, some steered to the real
identifiers, codes and periods of both departments. Each is sent with the personal token of a prefecture agent
and of a coordinator, in the Gers and in the Lot, and of a project applicant of the Gers (funding API), and the
response must be:

- no server error (5xx);
- a status code, a content type and a body that the schema documents for this operation (a response the schema
  documents is accepted whatever it is: the checks read the schema, they hard-code no status);
- nothing of the other department that is not public: its draft plan and what hangs from it, its campaigns, its
  values not yet validated (its adopted plan, with its indicators and validated values, is public), its calls
  for projects and grant applications.
"""

import os
from types import SimpleNamespace

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import (
    AxisFactory,
    IndicatorFactory,
    MeasureFactory,
    OrganisationFactory,
    PlanFactory,
    UserFactory,
)
from tests.funding.factories import make_application, make_call
from vigie.funding.models import CallProgramme, FundingCall, GrantApplication
from vigie.indicators import services
from vigie.indicators.enums import TerritorialLevel, ValueStatus
from vigie.indicators.models import Indicator, IndicatorValue
from vigie.indicators.territory import make_key, resolve_key
from vigie.plans.enums import PlanStatus

# Cases per operation, identity and generation mode: operations × 5 identities × 2 modes × 12 requests,
# one to two minutes on a shared 2-core machine. VIGIE_API_EXAMPLES=200 for a deeper run by hand.
MAX_EXAMPLES = int(os.environ.get("VIGIE_API_EXAMPLES", "12"))
MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
STANDARD_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# The object an operation's path names: the key under which its own identifiers are forbidden.
RESOURCES = {
    "/api/indicators/": "indicator",
    "/api/campaigns/": "campaign",
    "/api/values/": "value",
    "/api/funding/calls/": "call",
    "/api/funding/applications/": "application",
}
# Fields of a response naming an object of another kind.
REFERENCES = ("plan", "measure", "indicator", "call")


@pytest.fixture
def in_process_requests():
    """Requests sent through the WSGI handler stay in the test's transaction (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def add_department_data(world, department: str) -> SimpleNamespace:
    """A draft plan beside the adopted one, and values of each status in the adopted plan."""
    is_gers = department == "gers"
    dept = world.gers if is_gers else world.lot
    adopted = world.plan if is_gers else world.lot_plan
    campaign = world.campaign if is_gers else world.lot_campaign
    prefecture = world.users.prefecture if is_gers else world.users.lot_prefecture
    draft = PlanFactory(
        department=dept, status=PlanStatus.DRAFT, period_start=2025, period_end=2030
    )
    draft_axis = AxisFactory(plan=draft, number="1", title="Tranquillité publique")
    draft_measure = MeasureFactory(axis=draft_axis, number="1.1", title="Vidéoprotection")
    draft_indicator = IndicatorFactory(measure=draft_measure, label="Caméras installées")
    measure = world.measure if is_gers else world.lot_measure
    territory = resolve_key(make_key("department", dept.code), dept)
    values_indicators = []
    for status in ("validated", "submitted", "draft"):
        indicator = IndicatorFactory(measure=measure, label=f"Valeur {status}")
        result = services.save_value(
            acting_user=prefecture,
            campaign=campaign,
            indicator=indicator,
            territory=territory,
            period="2025",
            value=10,
            submit=status != "draft",
        )
        if status == "validated":
            services.validate_value(acting_user=prefecture, value=result.value)
        values_indicators.append(indicator.pk)
    commune_indicator = (
        world.commune_indicator
        if is_gers
        else IndicatorFactory(
            measure=measure, label="Réunions du CLSPD", territorial_level=TerritorialLevel.COMMUNE
        )
    )
    entries = [
        (campaign.pk, indicator_pk, code)
        for indicator_pk, code in [
            *((pk, dept.code) for pk in values_indicators),
            (commune_indicator.pk, "32013" if is_gers else "46042"),
        ]
    ]
    if is_gers:
        entries.append((campaign.pk, world.epci_indicator.pk, world.grand_auch.code))
    indicators = list(
        Indicator.objects.filter(measure__axis__plan=adopted).values_list("pk", flat=True)
    )
    # Funding: an open call with an applicant's draft in it (the applicant's own and another organisation's).
    owner = OrganisationFactory(department=dept, kind="association")
    call = make_call(dept, required_attachments=[])
    make_application(call, organisation=owner, measure=measure)
    make_application(call, measure=measure)
    applicant = UserFactory(role="applicant", department=dept, organisation=owner)
    return SimpleNamespace(
        applicant=applicant,
        call=call.pk,
        measure=measure.pk,
        entries=entries,
        department=dept,
        public_plan=adopted.pk,
        draft_plan=draft.pk,
        draft_measure=draft_measure.pk,
        draft_indicator=draft_indicator.pk,
        indicators=[*indicators, draft_indicator.pk],
        campaign=campaign.pk,
    )


def not_public(data: SimpleNamespace) -> dict[str, set[int]]:
    """What a person of another department must never receive, by kind of object."""
    hidden_values = set(
        IndicatorValue.objects.filter(indicator__measure__axis__plan__department=data.department)
        .exclude(status=ValueStatus.VALIDATED, indicator__measure__axis__plan_id=data.public_plan)
        .values_list("pk", flat=True)
    )
    return {
        "plan": {data.draft_plan},
        "measure": {data.draft_measure},
        "indicator": {data.draft_indicator},
        "campaign": {data.campaign},
        "value": hidden_values,
        "call": set(
            FundingCall.objects.filter(department=data.department).values_list("pk", flat=True)
        ),
        "application": set(
            GrantApplication.objects.filter(call__department=data.department).values_list(
                "pk", flat=True
            )
        ),
    }


def objects_of(body):
    """The objects of a response body: the body itself, or the `results` of a page."""
    if isinstance(body, dict) and isinstance(body.get("results"), list):
        return [item for item in body["results"] if isinstance(item, dict)]
    return [body] if isinstance(body, dict) else []


def other_department_check(forbidden_of):
    """A schemathesis check: no object of the response is one of the other department's hidden objects.

    `forbidden_of()` is read at each response: values created by earlier cases count too.
    """

    def nothing_of_the_other_department(ctx, response, case):
        if (
            response.status_code >= 300
            or "json" not in response.headers.get("content-type", [""])[0]
        ):
            return None
        resource = next(
            (kind for prefix, kind in RESOURCES.items() if case.path.startswith(prefix)), None
        )
        forbidden = forbidden_of()
        for item in objects_of(response.json()):
            if resource and item.get("id") in forbidden[resource]:
                raise AssertionError(f"{resource} {item['id']} of the other department: {item}")
            for field in REFERENCES:
                if item.get(field) in forbidden[field]:
                    raise AssertionError(f"{field} {item[field]} of the other department: {item}")
        return None

    return nothing_of_the_other_department


@pytest.fixture
def api_world(world, in_process_requests):
    gers = add_department_data(world, "gers")
    lot = add_department_data(world, "lot")
    identities = {
        "prefecture du Gers": (world.users.prefecture, lot),
        "coordonnateur du Gers": (world.users.coordinator, lot),
        "préfecture du Lot": (world.users.lot_prefecture, gers),
        "coordonnateur du Lot": (world.users.lot_coordinator, gers),
        "porteur de projet du Gers": (gers.applicant, lot),
    }
    tokens = {
        name: (Token.objects.create(user=user).key, other)
        for name, (user, other) in identities.items()
    }
    schema = schemathesis.openapi.from_wsgi(reverse("api:schema"), get_wsgi_application())
    return SimpleNamespace(world=world, gers=gers, lot=lot, tokens=tokens, schema=schema)


def known_values(api_world) -> dict[str, list]:
    """Real identifiers and codes of both departments, drawn now and then instead of random ones."""
    world, gers, lot = api_world.world, api_world.gers, api_world.lot
    values = list(IndicatorValue.objects.values_list("pk", flat=True))
    funding = [
        *FundingCall.objects.values_list("pk", flat=True),
        *GrantApplication.objects.values_list("pk", flat=True),
    ]
    return {
        "id": values + gers.indicators + lot.indicators + [gers.campaign, lot.campaign] + funding,
        "call_programme": list(CallProgramme.objects.values_list("pk", flat=True)),
        "measures": [[gers.measure], [lot.measure], [gers.measure, lot.measure]],
        "plan": [gers.public_plan, gers.draft_plan, lot.public_plan, lot.draft_plan],
        "measure": [world.measure.pk, world.lot_measure.pk],
        "indicator": gers.indicators + lot.indicators,
        "campaign": [gers.campaign, lot.campaign],
        "territory": ["32", "32013", "200066926", "46", "46042", "75056"],
        "period": ["2025", "2025-S1", "2025-T2", "2025-03", "2024"],
        "page": [1, 2],
        # Coherent entries (campaign, indicator, territory) of both departments, for POST /api/values/.
        "entries": gers.entries + lot.entries,
    }


def steer(case, data, known):
    """Replace, now and then, a generated identifier or code by a real one of either department."""
    if isinstance(case.body, dict) and "campaign" in case.body and data.draw(st.booleans()):
        campaign, indicator, territory = data.draw(st.sampled_from(known["entries"]))
        value = data.draw(st.sampled_from([case.body.get("value"), "12.5", "0"]))
        case.body.update(
            campaign=campaign, indicator=indicator, territory=territory, period="2025", value=value
        )
        return
    parts = [case.path_parameters, case.query]
    if isinstance(case.body, dict):
        parts.append(case.body)
    for part in parts:
        if not part:
            continue
        for name in list(part):
            if name in known and data.draw(st.booleans()):
                part[name] = data.draw(st.sampled_from(known[name]))


def run_operation(operation, mode, token, check, known):
    headers = {"Authorization": f"Token {token}"}

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    def test(case, data):
        steer(case, data, known)
        response = case.call(headers=headers)
        case.validate_response(response, checks=[*STANDARD_CHECKS, check], headers=headers)

    test()


@pytest.mark.django_db
def test_every_operation_conforms_to_the_schema_for_two_roles_in_two_departments(api_world):
    operations = [result.ok() for result in api_world.schema.get_all_operations()]
    # The schema documents the reading of indicators, campaigns, values, and the entry of values.
    assert {f"{op.method.upper()} {op.path}" for op in operations} >= {
        "GET /api/indicators/",
        "GET /api/indicators/{id}/",
        "GET /api/campaigns/",
        "GET /api/campaigns/{id}/",
        "GET /api/values/",
        "GET /api/values/{id}/",
        "POST /api/values/",
        "POST /api/values/{id}/submit/",
        "GET /api/funding/calls/",
        "GET /api/funding/calls/{id}/",
        "GET /api/funding/applications/",
        "GET /api/funding/applications/{id}/",
        "POST /api/funding/applications/",
        "POST /api/funding/applications/{id}/submit/",
        "POST /api/funding/applications/{id}/attachments/",
    }
    known = known_values(api_world)
    for name, (token, other) in api_world.tokens.items():
        check = other_department_check(lambda other=other: not_public(other))
        for operation in operations:
            for mode in MODES:
                try:
                    run_operation(operation, mode, token, check, known)
                except Exception as exc:
                    exc.add_note(f"Identity: {name}; operation: {operation.label}; mode: {mode}")
                    raise


@pytest.mark.django_db
def test_the_department_check_sees_a_hidden_object(api_world):
    """The custom check can fail: a response holding the Lot's draft indicator is caught."""
    check = other_department_check(lambda: not_public(api_world.lot))
    operation = api_world.schema["/api/indicators/{id}/"]["GET"]
    token = api_world.tokens["préfecture du Lot"][0]
    case = operation.Case(path_parameters={"id": api_world.lot.draft_indicator})
    response = case.call(headers={"Authorization": f"Token {token}"})
    assert response.status_code == 200
    with pytest.raises(AssertionError, match="of the other department"):
        check(None, response, case)
