"""Health check for load balancers and supervision: GET /sante/.

200 {"database": "ok", "storage": "ok"} when the database answers a query and the default and private storages
can write, read back and delete a small probe file; 503 otherwise, naming the part that failed and nothing else (no
stack trace, no secret: the details go to the logs). Public, never cached, and it never touches the session.
"""

import logging
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from vigie.core.storage import private_storage

logger = logging.getLogger(__name__)

OK = "ok"
ERROR = "erreur"


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Contrôle de santé : la base de données ne répond pas.")
        return False


def check_storage(storage) -> bool:
    """Write a probe file, read it back, delete it: True when all three work and the bytes are the same."""
    payload = uuid.uuid4().hex.encode()
    name = None
    try:
        name = storage.save(f"sante/sonde-{uuid.uuid4().hex}.txt", ContentFile(payload))
        with storage.open(name, "rb") as probe:
            read_back = probe.read()
        storage.delete(name)
        name = None
        return read_back == payload
    except Exception:
        logger.exception("Contrôle de santé : le stockage de fichiers ne répond pas.")
        return False
    finally:
        if name is not None:
            try:
                storage.delete(name)
            except Exception:
                logger.warning("Contrôle de santé : fichier sonde %s non supprimé.", name)


@never_cache
@require_GET
def health(request):
    body = {"database": OK if check_database() else ERROR}
    failed = [
        label
        for label, storage in (("default", storages["default"]), ("private", private_storage()))
        if not check_storage(storage)
    ]
    body["storage"] = OK if not failed else ERROR
    if failed:
        body["storage_failed"] = failed
    healthy = body["database"] == OK and not failed
    return JsonResponse(body, status=200 if healthy else 503)
