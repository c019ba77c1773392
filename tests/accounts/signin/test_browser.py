"""End to end against a real OpenID provider on loopback (oidc-provider-mock, started by the test on a free port).

Issue #11's acceptance: the person signs in through ProConnect (the provider's consent page); the provider
reports `acr: eidas1` (no second factor), so Vigie asks for a TOTP code: the person enrols an application, then
reaches the department page, signs out, and the provider's end of session receives Vigie's `id_token_hint` and
`state` and sends the browser back.
"""

import io
import re
import threading
from base64 import b32decode
from urllib.parse import parse_qs

import oidc_provider_mock
import pytest
import werkzeug.serving
from playwright.sync_api import expect

from tests.accounts.two_factor.helpers import code
from tests.factories import DepartmentFactory, UserFactory
from vigie.accounts.enums import Role
from vigie.accounts.models import ProConnectIdentity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AGENT_SUB = "agent-claire-dupuy"
AGENT_CLAIMS = {
    "email": "claire.dupuy@gers.gouv.fr",
    "given_name": "Claire",
    "usual_name": "Dupuy",
    "siret": "17320001200011",
    "uid": "cdupuy",
    "acr": "eidas1",
}


class Recorder:
    """WSGI middleware: the query and form of every request the provider receives, by path."""

    def __init__(self, app):
        self.app = app
        self.requests: list[tuple[str, dict]] = []

    def __call__(self, environ, start_response):
        params = parse_qs(environ.get("QUERY_STRING", ""))
        if environ.get("REQUEST_METHOD") == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length)
            params.update(parse_qs(body.decode()))

            environ["wsgi.input"] = io.BytesIO(body)
        self.requests.append(
            (environ["PATH_INFO"], {name: values[0] for name, values in params.items()})
        )
        return self.app(environ, start_response)

    def hits(self, path: str) -> list[dict]:
        return [params for hit_path, params in self.requests if hit_path == path]


@pytest.fixture
def provider():
    app = oidc_provider_mock.app(
        require_nonce=True,
        user_claims=[oidc_provider_mock.User(sub=AGENT_SUB, claims=AGENT_CLAIMS)],
    )
    recorder = Recorder(app.wsgi_app)
    app.wsgi_app = recorder
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        server.url = f"http://127.0.0.1:{server.server_port}"
        server.recorder = recorder
        yield server
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


@pytest.fixture
def proconnect_on(settings, provider):
    from csp.constants import SELF
    from django.core.cache import cache

    settings.VIGIE_PROCONNECT = {
        "client_id": "vigie-test",
        "client_secret": "vigie-test-secret",
        "discovery_url": f"{provider.url}/.well-known/openid-configuration",
        "scopes": "openid email given_name usual_name siret uid",
    }
    # As config/settings/base.py does when ProConnect is configured.
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = {
        **policy,
        "DIRECTIVES": {**policy["DIRECTIVES"], "form-action": [SELF, provider.url]},
    }
    cache.clear()
    yield provider
    cache.clear()


def test_agent_signs_in_with_proconnect_enrols_a_second_factor_and_signs_out_of_both(
    page, live_server, assert_accessible, proconnect_on, settings
):
    settings.VIGIE_TWO_FACTOR_REQUIRED = True
    gers = DepartmentFactory(code="32", name="Gers")
    agent = UserFactory(
        username="cdupuy",
        email="claire.dupuy@gers.gouv.fr",
        first_name="Claire",
        last_name="Dupuy",
        role=Role.PREFECTURE,
        department=gers,
    )
    violations = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security" in msg.text else None,
    )

    page.goto(f"{live_server.url}/comptes/connexion/?next=/departements/32/")
    assert_accessible(page)
    page.get_by_role("link", name="S’identifier avec ProConnect").click()

    # The provider's consent page: the agent chooses their identity.
    expect(page).to_have_url(re.compile(re.escape(proconnect_on.url) + r"/oauth2/authorize"))
    page.get_by_role("button", name=AGENT_SUB).click()

    # eidas1 has no second factor: Vigie asks for one, and the agent, who has none yet, enrols an application.
    expect(page.get_by_role("heading", name="Activer la double authentification")).to_be_visible()
    assert_accessible(page)
    key = b32decode(page.locator("#totp-secret").inner_text().replace(" ", "")).hex()
    page.get_by_label("Code à 6 chiffres affiché par l'application").fill(code(key))
    page.get_by_role("button", name="Activer la double authentification").click()
    expect(page.get_by_role("heading", name="Vos codes de secours")).to_be_visible()
    page.get_by_role("link", name="J'ai noté mes codes, continuer").click()

    expect(page).to_have_url(f"{live_server.url}/departements/32/")
    expect(page.locator("#current-user")).to_contain_text("Claire Dupuy")
    expect(page.locator("#current-user")).to_contain_text("Agent de préfecture")
    assert_accessible(page)
    identity = ProConnectIdentity.objects.get(user=agent)
    assert (identity.sub, identity.last_acr, identity.siret) == (
        AGENT_SUB,
        "eidas1",
        "17320001200011",
    )
    authorize = proconnect_on.recorder.hits("/oauth2/authorize")[0]
    assert len(authorize["state"]) == 48 and len(authorize["nonce"]) == 48

    page.get_by_role("button", name="Se déconnecter").click()
    # The provider's end of session page (the mock asks for a confirmation).
    expect(page).to_have_url(re.compile(re.escape(proconnect_on.url) + r"/oauth2/end_session"))
    page.get_by_role("button", name="End session").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_text("Vous êtes déconnecté de Vigie et de ProConnect.")).to_be_visible()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    assert_accessible(page)

    ended = proconnect_on.recorder.hits("/oauth2/end_session")
    assert len(ended) == 1
    token_hint = ended[0]["id_token_hint"]
    assert token_hint.count(".") == 2  # the ID token the provider issued at sign-in
    assert (
        ended[0]["post_logout_redirect_uri"] == f"{live_server.url}/comptes/proconnect/deconnecte/"
    )
    confirmed = proconnect_on.recorder.hits("/oauth2/end_session/confirm")
    assert len(confirmed) == 1
    assert confirmed[0]["redirect_uri"].endswith("state=" + ended[0]["state"])
    assert violations == []
