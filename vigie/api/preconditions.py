"""ETag and If-Match on the API's versioned objects (see vigie.core.concurrency).

A GET of one object answers its version as a strong ETag (`"v3"`); a change (PATCH) must send it back
in If-Match: without it, 428; with another version, 412 and what others changed since (from the audit
log), nothing being written.
"""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.response import Response

from vigie.api.serializers import ErrorSerializer, StaleEditSerializer
from vigie.audit.services import changes_since
from vigie.core.concurrency import etag_for, parse_if_match

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


def stale_response(current, read_version: int | None) -> Response:
    """412 with the current version and the changes made since `read_version` (none if unknown)."""
    entries = changes_since(current, version=read_version) if read_version else []
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


def if_match_version(request) -> int | None:
    """The version named by If-Match (None: absent or not one of ours, see parse_if_match)."""
    return parse_if_match(request.headers.get("If-Match"))
