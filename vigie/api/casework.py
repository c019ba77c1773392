"""REST API of the nominative groups (vigie.casework): a group's cases, and one case with the entries its reader
may see. Read only.

Who: a current member of the group who accepted its current charter, as on the pages. The pages also want a second
factor given in the session; a personal token carries no session, so a token is accepted only from a person who has
a confirmed TOTP device (the second factor they give on the site), and a session only once its second factor is
given (vigie.accounts.two_factor). Anyone else — the group's data controller, national administrators, prefecture
agents, council members outside the group, other groups' members, anonymous callers — gets 404: nobody learns that
a group or a case exists. A member who has not accepted the current charter, or whose token comes without a
confirmed device, gets 403.

Every answer is `Cache-Control: no-store`. Every read is written in the group's access log, channel API: one row
per page of the list (without a case), one row per case read.
"""

from uuid import UUID

from django.http import Http404
from django.utils.cache import add_never_cache_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.authtoken.models import Token
from rest_framework.response import Response

from vigie.accounts import two_factor
from vigie.api.params import id_parameter, parse_id
from vigie.api.views import responses
from vigie.casework import access, access_log, case_services
from vigie.casework.enums import AccessChannel
from vigie.casework.models import Case

NOT_FOUND = "Aucun objet visible ne porte cet identifiant."
NO_DEVICE = (
    "Les dossiers nominatifs ne se lisent par l'API qu'avec une double authentification : "
    "activez-la dans Vigie (application d'authentification)."
)
NO_SECOND_FACTOR = "Double authentification requise : validez votre code dans Vigie."
CHARTER = "Acceptez la charte de confidentialité du groupe dans Vigie avant de lire ses dossiers."
WHO = (
    "Pour un membre actuel du groupe qui a accepté sa charte de confidentialité en vigueur, avec un jeton "
    "personnel seulement s'il a activé la double authentification (application TOTP), ou une session "
    "qui a donné son second facteur. Pour toute autre personne (responsable du traitement compris) : "
    "404. Charte non acceptée ou double authentification absente : 403. Chaque lecture est inscrite au "
    "journal des accès du groupe (canal API). Réponses jamais mises en cache (no-store)."
)


def second_factor_ok(request) -> bool:
    """A token: its owner has a confirmed TOTP device; a session: it gave its second factor."""
    if isinstance(request.auth, Token):
        return two_factor.has_confirmed_device(request.user)
    return two_factor.second_factor_given(request.user, request._request.session)


def member_access(request, fetch):
    """`fetch()` under the API's rules: 404 outside the group, 403 without second factor or charter."""
    if not request.user.is_authenticated:
        raise exceptions.NotFound(NOT_FOUND)
    try:
        result = fetch()
    except Http404 as exc:
        raise exceptions.NotFound(NOT_FOUND) from exc
    except access.CharterNotAccepted as exc:
        if not second_factor_ok(request):
            raise exceptions.PermissionDenied(NO_DEVICE) from exc
        raise exceptions.PermissionDenied(CHARTER) from exc
    if not second_factor_ok(request):
        message = NO_DEVICE if isinstance(request.auth, Token) else NO_SECOND_FACTOR
        raise exceptions.PermissionDenied(message)
    return result


class NoStoreMixin:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response


# --- serializers -----------------------------------------------------------------------------------


class CaseSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    last_name = serializers.CharField(read_only=True)
    first_name = serializers.CharField(read_only=True)
    birth_date = serializers.CharField(read_only=True, allow_null=True)
    commune = serializers.CharField(source="commune.code", read_only=True)
    commune_name = serializers.CharField(source="commune.name", read_only=True)
    referral_reason = serializers.CharField(read_only=True)
    referral_source = serializers.CharField(read_only=True)
    referent = serializers.CharField(source="referent.user", read_only=True)
    opened_on = serializers.DateField(read_only=True)
    informed_on = serializers.DateField(read_only=True, allow_null=True)
    informed_how = serializers.CharField(read_only=True)
    closed_on = serializers.DateField(read_only=True, allow_null=True)
    closure_reason = serializers.CharField(read_only=True)


class EntrySerializer(serializers.Serializer):
    date = serializers.DateField(read_only=True)
    level = serializers.CharField(read_only=True)
    situation = serializers.CharField(read_only=True, allow_null=True)
    orientation = serializers.CharField(read_only=True, allow_null=True)
    actions = serializers.CharField(read_only=True, allow_null=True)
    next_review_on = serializers.DateField(read_only=True, allow_null=True)
    author = serializers.CharField(read_only=True, allow_null=True)


class CaseDetailSerializer(CaseSerializer):
    assigned = serializers.ListField(
        child=serializers.CharField(), source="assigned_names", read_only=True
    )
    entries = EntrySerializer(many=True, source="visible_entry_list", read_only=True)


# --- views -----------------------------------------------------------------------------------------


GROUP_PARAMETER = id_parameter(
    "group", "Identifiant du groupe (entier de 1 à 2⁶³ − 1)", location=OpenApiParameter.PATH
)
CASE_PARAMETER = OpenApiParameter(
    "case",
    OpenApiTypes.UUID,
    OpenApiParameter.PATH,
    description="Identifiant opaque du dossier (UUID) ; jamais un nom.",
)


class GroupCasesView(NoStoreMixin, generics.ListAPIView):
    serializer_class = CaseSerializer

    @extend_schema(
        summary="Dossiers d'un groupe de suivi individualisé",
        description=WHO,
        parameters=[GROUP_PARAMETER],
        responses=responses({200: CaseSerializer(many=True)}, 400, 403, 404),
    )
    def get(self, request, *args, **kwargs):
        pk = parse_id(self.kwargs["group"], "group")
        self.group, self.member = member_access(
            request, lambda: access.get_group_for_user(request.user, pk, for_cases=True)
        )
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        """Each case listed is read (its identity is in the answer): one access-log row per case."""
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        access_log.record_list_access(
            user=request.user, group=self.group, cases=rows, channel=AccessChannel.API
        )
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def get_queryset(self):
        return (
            Case.objects.filter(group=self.group)
            .select_related("commune", "referent__user")
            .order_by("-opened_on", "pk")
        )


class CaseView(NoStoreMixin, generics.RetrieveAPIView):
    serializer_class = CaseDetailSerializer

    @extend_schema(
        summary="Un dossier et ses entrées",
        description=f"{WHO} Les entrées de niveau secret ne sont données qu'aux professionnels de "
        "l'action sociale désignés pour ce dossier et au coordonnateur.",
        parameters=[CASE_PARAMETER],
        responses=responses({200: CaseDetailSerializer}, 400, 403, 404),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        try:
            code = UUID(str(self.kwargs["case"]))
        except ValueError as exc:
            raise exceptions.ValidationError(
                {"case": ["Le paramètre « case » doit être l'identifiant d'un dossier (UUID)."]}
            ) from exc
        case, member = member_access(
            self.request, lambda: access.get_case_for_user(self.request.user, code)
        )
        case.visible_entry_list = list(access.visible_entries(member, case))
        case.assigned_names = [str(item.user) for item in case.assigned.select_related("user")]
        case_services.read_case(user=self.request.user, case=case, channel=AccessChannel.API)
        return case
