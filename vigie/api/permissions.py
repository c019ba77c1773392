"""API permissions: reading follows the site's visibility rules; writing needs an entry role."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from vigie.indicators import perms


class ReadOrEntryRole(BasePermission):
    message = "Seuls les comptes autorisés à saisir des valeurs peuvent écrire par l'API."

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return perms.can_have_api_token(request.user)
