"""API throttling: past the rate, the next request gets 429 (anonymous: per address; token: per account)."""

import pytest
import yaml
from django.core.cache import cache
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.api.test_schema import assert_documented


@pytest.fixture
def low_rates(monkeypatch):
    """Rates low enough to reach in a test (DRF reads them once, at import: patch the class attribute)."""
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "5/minute"}
    )
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_anonymous_requests_past_the_rate_get_429(world, low_rates):
    api = APIClient()
    url = reverse("api:indicator-list")
    assert [api.get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = api.get(url)
    assert response.status_code == 429
    assert "Retry-After" in response.headers
    schema = yaml.safe_load(api.get(reverse("api:schema"), REMOTE_ADDR="192.0.2.99").content)
    assert_documented(schema, "/api/indicators/", "get", response)
    # Another address has its own count.
    assert api.get(url, REMOTE_ADDR="192.0.2.10").status_code == 200


@pytest.mark.django_db
def test_token_requests_past_the_rate_get_429(world, low_rates):
    token = Token.objects.create(user=world.users.prefecture)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    url = reverse("api:indicator-list")
    assert [api.get(url).status_code for _ in range(5)] == [200] * 5
    assert api.get(url).status_code == 429
    # The account is counted, not the address: the same token from elsewhere is still throttled.
    assert api.get(url, REMOTE_ADDR="192.0.2.10").status_code == 429
    # Another account from the same address is not.
    other = Token.objects.create(user=world.users.lot_prefecture)
    api.credentials(HTTP_AUTHORIZATION=f"Token {other.key}")
    assert api.get(url).status_code == 200
