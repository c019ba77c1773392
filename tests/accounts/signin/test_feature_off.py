"""ProConnect off (no VIGIE_PROCONNECT_* variable): no button; its configuration is parsed strictly."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import proconnect_settings

pytestmark = pytest.mark.django_db

VARIABLES = {
    "VIGIE_PROCONNECT_CLIENT_ID": "id",
    "VIGIE_PROCONNECT_CLIENT_SECRET": "secret",
    "VIGIE_PROCONNECT_DISCOVERY_URL": "https://auth.agentconnect.gouv.fr/api/v2/.well-known/openid-configuration",
}


def test_no_button_when_off(client, settings):
    settings.VIGIE_PROCONNECT = None
    page = client.get("/comptes/connexion/").content.decode()
    assert "ProConnect" not in page
    assert "Se connecter" in page


def test_button_when_on(client, proconnect):
    page = client.get("/comptes/connexion/?next=/comptes/mot-de-passe/").content.decode()
    assert "S’identifier avec" in page
    assert 'href="/comptes/proconnect/connexion/?next=/comptes/mot-de-passe/"' in page


@pytest.fixture
def environ(monkeypatch):
    for name in (*VARIABLES, "VIGIE_PROCONNECT_SCOPES"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_unset_means_off(environ):
    assert proconnect_settings() is None


def test_all_set_means_on_with_default_scopes(environ):
    for name, value in VARIABLES.items():
        environ.setenv(name, value)
    assert proconnect_settings() == {
        "client_id": "id",
        "client_secret": "secret",
        "discovery_url": VARIABLES["VIGIE_PROCONNECT_DISCOVERY_URL"],
        "scopes": "openid email given_name usual_name siret uid",
    }


@pytest.mark.parametrize("missing", sorted(VARIABLES))
def test_partial_configuration_is_refused(environ, missing):
    for name, value in VARIABLES.items():
        if name != missing:
            environ.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=missing):
        proconnect_settings()


@pytest.mark.parametrize(
    "url",
    ["http://auth.example.fr/.well-known/openid-configuration", "ftp://x", "auth.example.fr"],
)
def test_discovery_url_must_be_https(environ, url):
    for name, value in VARIABLES.items():
        environ.setenv(name, value)
    environ.setenv("VIGIE_PROCONNECT_DISCOVERY_URL", url)
    with pytest.raises(ImproperlyConfigured, match="https://"):
        proconnect_settings()


def test_plain_http_is_allowed_on_the_loopback_only(environ):
    for name, value in VARIABLES.items():
        environ.setenv(name, value)
    environ.setenv(
        "VIGIE_PROCONNECT_DISCOVERY_URL", "http://127.0.0.1:8123/.well-known/openid-configuration"
    )
    assert proconnect_settings()["discovery_url"].startswith("http://127.0.0.1:8123/")


def test_scopes_must_include_openid(environ):
    for name, value in VARIABLES.items():
        environ.setenv(name, value)
    environ.setenv("VIGIE_PROCONNECT_SCOPES", "email uid")
    with pytest.raises(ImproperlyConfigured, match="openid"):
        proconnect_settings()
