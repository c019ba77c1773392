"""Fetching statistics editions for a user: 404 when not visible, 403 when visible but not allowed."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from vigie.statistics import perms
from vigie.statistics.enums import SourceKind
from vigie.statistics.models import Edition


def get_edition_for_user(user, pk, *, action: str = "view") -> Edition:
    """`action`: "view", "publish" or "withdraw"."""
    edition = get_object_or_404(
        Edition.objects.select_related("source", "uploaded_by", "uploader_department"),
        pk=pk,
        source__kind=SourceKind.SSMSI,
    )
    if not perms.can_view_edition(user, edition):
        raise Http404
    allowed = {
        "view": lambda: True,
        "publish": lambda: perms.can_publish_edition(user, edition),
        "withdraw": lambda: perms.can_withdraw_edition(user, edition),
    }[action]()
    if not allowed:
        raise PermissionDenied
    return edition
