"""The instruction queue and the committee's programming page run a bounded number of SQL queries on a
department-year of 2,000 applications with their budgets."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import DepartmentFactory, UserFactory
from tests.funding.instruction_data import department_year, due
from vigie.funding import committee
from vigie.funding.models import CommitteeItem, Fund, FunderProposal


@pytest.fixture
def big_gers(db):
    gers = DepartmentFactory(code="32", name="Gers")
    call_programme, measures, apps = department_year(gers)
    prefecture = UserFactory(role="prefecture", department=gers, username="pref32")
    return {"gers": gers, "measures": measures, "apps": apps, "prefecture": prefecture}


def test_queue_queries_are_bounded(big_gers, client, django_assert_max_num_queries):
    client.force_login(big_gers["prefecture"])
    url = reverse("instruction:queue", args=["32"])
    for query in ("", f"?late=on&measure={big_gers['measures'][3].pk}", "?state=in_review&page=3"):
        with django_assert_max_num_queries(14):
            response = client.get(url + query)
        assert response.status_code == 200
    assert "2000 demandes" in client.get(url).content.decode().replace("\u202f", "")


def test_programming_queries_are_bounded(big_gers, client, django_assert_max_num_queries):
    session = committee.create_session(
        acting_user=big_gers["prefecture"],
        department=big_gers["gers"],
        year=2026,
        data={"date": due()},
    )
    in_review = [a for a in big_gers["apps"] if a.state == "in_review"][:300]
    items = CommitteeItem.objects.bulk_create(
        CommitteeItem(session=session, application=a, order=i) for i, a in enumerate(in_review)
    )
    fipd, caf = Fund.objects.get(code="FIPD"), Fund.objects.get(code="CAF")
    FunderProposal.objects.bulk_create(
        [FunderProposal(item=i, fund=fipd, amount=Decimal("3500")) for i in items]
        + [FunderProposal(item=i, fund=caf, amount=Decimal("1000")) for i in items[::2]]
    )
    client.force_login(big_gers["prefecture"])
    with django_assert_max_num_queries(16):
        response = client.get(reverse("instruction:session", args=[session.pk]))
    assert response.status_code == 200
    url = reverse("instruction:proposal", args=[session.pk, items[0].pk, fipd.pk])
    with django_assert_max_num_queries(22):
        response = client.post(url, {"amount": "3000"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    # Only what the amount changes (its row's cells, the envelopes), not the 300 rows.
    fragment = response.content.decode()
    assert f'id="public-{items[0].pk}"' in fragment and 'id="envelopes"' in fragment
    assert "<tr id=" not in fragment and f"amount-{items[1].pk}-" not in fragment
