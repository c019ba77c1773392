"""Personal API tokens: created and revoked by services, each change audited without the key."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.authtoken.models import Token

from vigie.api import services
from vigie.audit.models import AuditEntry


def token_entries(user):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk)
    ).order_by("pk")


def test_creation_replacement_and_revocation_are_audited(world):
    user = world.users.coordinator
    first = services.create_api_token(acting_user=user)
    second = services.create_api_token(acting_user=user)
    assert list(Token.objects.filter(user=user)) == [second] and first.key != second.key
    assert services.revoke_api_token(acting_user=user) is True
    assert not Token.objects.filter(user=user).exists()
    assert services.revoke_api_token(acting_user=user) is False  # nothing to revoke: no entry
    entries = list(token_entries(user))
    assert [e.reason for e in entries] == [
        "Nouveau jeton d'API",
        "Jeton d'API remplacé",
        "Jeton d'API révoqué",
    ]
    assert all(e.actor == user and e.department == world.gers for e in entries)
    assert entries[0].changes["api_token"]["old"] == "aucun"
    assert entries[1].changes["api_token"]["old"].startswith("jeton créé le ")
    assert entries[2].changes["api_token"]["new"] == "aucun"
    # The key is a secret: it appears nowhere in the log.
    for entry in entries:
        text = f"{entry.object_id} {entry.object_repr} {entry.changes} {entry.reason}"
        assert first.key not in text and second.key not in text


def test_only_entry_roles_get_a_token(world):
    with pytest.raises(PermissionDenied):
        services.create_api_token(acting_user=world.users.reader)
    assert not Token.objects.exists() and not token_entries(world.users.reader).exists()


def test_token_page_goes_through_the_services(world, client):
    user = world.users.pilot
    client.force_login(user)
    client.post(reverse("api:token"), {"intent": "create"})
    client.post(reverse("api:token"), {"intent": "revoke"})
    client.post(reverse("api:token"), {"intent": "revoke"})
    assert token_entries(user).count() == 2
