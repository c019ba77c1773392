"""Keys of the named cases: strict parsing from the environment, and the deployment check refusing dev keys."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from config.env import env_fernet_keys, env_secret
from vigie.casework.checks import casework_keys_check


def test_fernet_keys_are_parsed_strictly(monkeypatch):
    first, second = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("VIGIE_TEST_KEYS", f" {first} , {second} ")
    assert env_fernet_keys("VIGIE_TEST_KEYS") == [first, second]
    monkeypatch.setenv("VIGIE_TEST_KEYS", f"{first},not-a-key")
    with pytest.raises(ImproperlyConfigured, match="key 2 is not a Fernet key"):
        env_fernet_keys("VIGIE_TEST_KEYS")
    monkeypatch.setenv("VIGIE_TEST_KEYS", " , ")
    with pytest.raises(ImproperlyConfigured, match="at least one"):
        env_fernet_keys("VIGIE_TEST_KEYS")
    monkeypatch.delenv("VIGIE_TEST_KEYS")
    with pytest.raises(ImproperlyConfigured, match="required"):
        env_fernet_keys("VIGIE_TEST_KEYS")


def test_the_search_key_must_be_long_enough(monkeypatch):
    monkeypatch.setenv("VIGIE_TEST_SEARCH", "short")
    with pytest.raises(ImproperlyConfigured, match="at least 32"):
        env_secret("VIGIE_TEST_SEARCH")


def test_the_deployment_check_refuses_the_development_keys(settings):
    settings.VIGIE_CASEWORK_KEYS = [settings.CASEWORK_DEV_KEY]
    settings.VIGIE_CASEWORK_SEARCH_KEY = settings.CASEWORK_DEV_SEARCH_KEY
    assert {error.id for error in casework_keys_check(None)} == {"casework.E001", "casework.E002"}
    settings.VIGIE_CASEWORK_KEYS = [Fernet.generate_key().decode()]
    settings.VIGIE_CASEWORK_SEARCH_KEY = "a-real-search-key-0123456789-abcdefgh"
    assert casework_keys_check(None) == []
