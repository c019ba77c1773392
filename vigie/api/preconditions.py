"""ETag and If-Match on the API's versioned objects (see vigie.core.concurrency).

A GET of one object answers its version as a strong ETag (`"v3"`); a change (PATCH) must send it back
in If-Match: without it, 428; not an ETag of ours (a weak one, "*", anything else), 400; with another
version, 412 and what others changed since (from the audit log), nothing being written. The request
content is checked (400) before the version, so that an invalid change is told as such.
"""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, status
from rest_framework.response import Response

from vigie.api.serializers import ErrorSerializer, StaleEditSerializer
from vigie.audit.services import changes_since
from vigie.core.concurrency import etag_for, parse_if_match

IF_MATCH_PATTERN = r'^"v[0-9]{1,18}"$'
MALFORMED_IF_MATCH = (
    "En-tête If-Match invalide : donnez l'ETag reçu en lisant cet objet (GET), tel quel, par "
    'exemple « "v3" » (ni « * » ni étiquette faible W/).'
)
MISSING_IF_MATCH = (
    "Indiquez dans l'en-tête If-Match la version que vous modifiez : l'ETag reçu en lisant cet "
    'objet (GET), par exemple « "v3" ».'
)
STALE = (
    "L'objet a changé depuis la version que vous avez lue : rien n'a été enregistré. Voyez ce qui "
    "a changé, relisez l'objet (GET) puis renvoyez votre modification avec le nouvel ETag."
)

ETAG_HEADER = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    response=[200],
    description='Version de l\'objet, à renvoyer dans If-Match pour le modifier (ex. "v3").',
)
IF_MATCH_HEADER = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    pattern=IF_MATCH_PATTERN,
    description='L\'ETag de la version lue (ex. "v3") : une version dépassée est refusée (412).',
)
PRECONDITION_RESPONSES = {
    412: OpenApiResponse(
        StaleEditSerializer,
        description="Version dépassée : rien n'est enregistré ; ce que d'autres ont changé depuis.",
    ),
    428: OpenApiResponse(ErrorSerializer, description="En-tête If-Match absent."),
}


def with_etag(response: Response, instance) -> Response:
    response["ETag"] = etag_for(instance)
    return response


def missing_if_match() -> Response:
    return Response({"detail": MISSING_IF_MATCH}, status=status.HTTP_428_PRECONDITION_REQUIRED)


def stale_response(current, read_version: int) -> Response:
    """412 with the current version and the changes made since `read_version`."""
    entries = changes_since(current, version=read_version)
    changes = [
        {
            "date": entry.created_at,
            "author": entry.actor_repr or "système",
            "field": name,
            "label": str(change.get("label", name)),
            "old": str(change.get("old", "")),
            "new": str(change.get("new", "")),
        }
        for entry in entries
        for name, change in (entry.changes or {}).items()
        if isinstance(change, dict)
    ]
    body = StaleEditSerializer(
        {"detail": STALE, "current_version": current.version, "changes": changes}
    ).data
    return with_etag(Response(body, status=status.HTTP_412_PRECONDITION_FAILED), current)


def if_match_version(request) -> int:
    """The version named by If-Match; a French 400 when it is not an ETag of ours (parse_if_match)."""
    version = parse_if_match(request.headers.get("If-Match"))
    if version is None:
        raise exceptions.ValidationError({"If-Match": [MALFORMED_IF_MATCH]})
    return version
