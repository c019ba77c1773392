"""Where uploaded files that must never be reachable by URL are stored.

Restricted minutes and uploaded plan documents are only ever served through permission-checked views: they go
to the "private" storage when the project declares one (outside MEDIA_ROOT, no base URL), else to the default one.
"""

from django.conf import settings
from django.core.files.storage import default_storage, storages


def private_storage():
    if "private" in settings.STORAGES:
        return storages["private"]
    return default_storage
