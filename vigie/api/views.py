"""REST API: indicators, campaigns and values (read), and value submission with a personal token."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.response import Response

from vigie.api import services as api_services
from vigie.api.params import id_param, id_parameter, parse_id, text_param
from vigie.api.permissions import ReadOrEntryRole
from vigie.api.preconditions import (
    ETAG_HEADER,
    IF_MATCH_HEADER,
    PRECONDITION_RESPONSES,
    if_match_version,
    missing_if_match,
    stale_response,
    with_etag,
)
from vigie.api.serializers import (
    VALIDATION_ERROR_SCHEMA,
    CampaignSerializer,
    ErrorSerializer,
    IndicatorDefinitionSerializer,
    IndicatorSerializer,
    ValueSerializer,
    ValueSubmitSerializer,
)
from vigie.core.concurrency import StaleEdit
from vigie.indicators import periods, perms, services
from vigie.indicators.enums import ValueSource, ValueStatus
from vigie.indicators.models import IndicatorValue
from vigie.indicators.territory import level_of_code, make_key, normalize_code, resolve_key

ERRORS = {
    400: OpenApiResponse(
        VALIDATION_ERROR_SCHEMA, description="Paramètre ou donnée invalide (message en français)."
    ),
    403: OpenApiResponse(
        ErrorSerializer, description="Jeton invalide, ou action non permise à ce compte."
    ),
    404: OpenApiResponse(
        ErrorSerializer, description="Objet inexistant ou non visible ; page inexistante."
    ),
    429: OpenApiResponse(
        ErrorSerializer,
        description="Trop de requêtes (par adresse sans jeton, par compte avec) : réessayer après le "
        "nombre de secondes de l'en-tête Retry-After.",
    ),
}


def responses(ok: dict, *codes: int) -> dict:
    """The documented responses of one operation: its successes and the errors it can give (any
    operation can be throttled: 429)."""
    return {**ok, **{code: ERRORS[code] for code in (*codes, 429)}}


ID_PARAMETER = id_parameter(
    "id", "Identifiant (entier de 1 à 2⁶³ − 1)", location=OpenApiParameter.PATH
)


class IdLookupMixin:
    # The `id` of the path is checked (400 naming it) before the lookup; a miss is a French 404. The
    # router's pattern takes any segment, dots included (its default, `[^/.]+`, leaves `/api/values/1.5/`
    # to Django's HTML 404 page).
    # (A comment, not a docstring: drf-spectacular would publish a docstring as each operation's description.)

    lookup_value_regex = "[^/]+"
    not_found = "Aucun objet visible ne porte cet identifiant."

    def get_object(self):
        kwarg = self.lookup_url_kwarg or self.lookup_field
        self.kwargs[kwarg] = parse_id(self.kwargs[kwarg], "id")
        try:
            return super().get_object()
        except Http404 as exc:
            raise exceptions.NotFound(self.not_found) from exc


@extend_schema_view(
    list=extend_schema(
        summary="Indicateurs des plans visibles",
        parameters=[
            id_parameter("plan", "Identifiant du plan"),
            id_parameter("measure", "Identifiant de la mesure"),
        ],
        responses=responses({200: IndicatorSerializer(many=True)}, 400, 403, 404),
    ),
    retrieve=extend_schema(
        summary="Un indicateur",
        description="L'en-tête ETag donne sa version, à renvoyer dans If-Match pour le modifier.",
        parameters=[ID_PARAMETER, ETAG_HEADER],
        responses=responses({200: IndicatorSerializer}, 400, 403, 404),
    ),
    partial_update=extend_schema(
        summary="Modifier la définition d'un indicateur",
        description="Avec un jeton personnel, par qui peut modifier la mesure. L'en-tête If-Match porte "
        "l'ETag lu (GET) : absent, 428 ; mal formé, 400 ; dépassé (quelqu'un a modifié l'indicateur "
        "depuis), 412 avec ce qui a changé, et rien n'est enregistré.",
        request=IndicatorDefinitionSerializer,
        parameters=[ID_PARAMETER, IF_MATCH_HEADER, ETAG_HEADER],
        responses={
            **responses({200: IndicatorSerializer}, 400, 403, 404),
            **PRECONDITION_RESPONSES,
        },
    ),
)
class IndicatorViewSet(IdLookupMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = IndicatorSerializer
    permission_classes = [ReadOrEntryRole]
    not_found = "Aucun indicateur visible ne porte cet identifiant."

    def retrieve(self, request, *args, **kwargs):
        indicator = self.get_object()
        return with_etag(Response(self.get_serializer(indicator).data), indicator)

    def partial_update(self, request, *args, **kwargs):
        indicator = self.get_object()
        if not perms.can_edit_definition(request.user, indicator):
            raise exceptions.PermissionDenied(
                "Vous ne pouvez pas modifier la définition de cet indicateur."
            )
        if not request.headers.get("If-Match"):
            return missing_if_match()
        read_version = if_match_version(request)
        serializer = IndicatorDefinitionSerializer(indicator, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if read_version != indicator.version:
            return stale_response(indicator, read_version)
        try:
            services.update_indicator(
                acting_user=request.user,
                indicator=indicator,
                data=serializer.validated_data,
                read_version=read_version,
            )
        except StaleEdit as stale:
            return stale_response(stale.current, read_version)
        except ValidationError as exc:
            raise exceptions.ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
            ) from exc
        return self.retrieve(request, *args, **kwargs)

    def get_queryset(self):
        queryset = (
            perms.visible_indicators(self.request.user)
            .select_related("measure__axis", "responsible_organisation")
            .order_by(
                "measure__axis__plan_id", "measure__axis__order", "measure__order", "order", "pk"
            )
        )
        plan = id_param(self.request, "plan")
        if plan is not None:
            queryset = queryset.filter(measure__axis__plan_id=plan)
        measure = id_param(self.request, "measure")
        if measure is not None:
            queryset = queryset.filter(measure_id=measure)
        return queryset


@extend_schema_view(
    list=extend_schema(
        summary="Campagnes de collecte (personnes du département)",
        responses=responses({200: CampaignSerializer(many=True)}, 403, 404),
    ),
    retrieve=extend_schema(
        summary="Une campagne de collecte",
        parameters=[ID_PARAMETER],
        responses=responses({200: CampaignSerializer}, 400, 403, 404),
    ),
)
class CampaignViewSet(IdLookupMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CampaignSerializer
    not_found = "Aucune campagne visible ne porte cet identifiant."

    def get_queryset(self):
        return perms.visible_campaigns(self.request.user).order_by("-period_start", "-pk")


@extend_schema_view(
    list=extend_schema(
        summary="Valeurs d'indicateurs",
        description="Valeurs validées des plans publics ; toutes les valeurs de votre département si vous y "
        "travaillez.",
        parameters=[
            id_parameter("indicator", "Identifiant de l'indicateur"),
            id_parameter("plan", "Identifiant du plan"),
            id_parameter("campaign", "Identifiant de la campagne"),
            OpenApiParameter(
                "period", str, description="Période : 2025, 2025-S1, 2025-T2, 2025-03"
            ),
            OpenApiParameter(
                "territory", str, description="Code du territoire (32, 32013, 200066926)"
            ),
            OpenApiParameter("status", str, enum=ValueStatus.values, description="Statut"),
        ],
        responses=responses({200: ValueSerializer(many=True)}, 400, 403, 404),
    ),
    retrieve=extend_schema(
        summary="Une valeur",
        parameters=[ID_PARAMETER],
        responses=responses({200: ValueSerializer}, 400, 403, 404),
    ),
    create=extend_schema(
        summary="Saisir ou corriger une valeur",
        description="Avec un jeton personnel (en-tête « Authorization: Token … »). Réservé aux comptes qui "
        "peuvent saisir (préfecture, pilotes, coordonnateurs) et limité à leur périmètre. Une valeur validée "
        "ne se corrige qu'avec un motif (`reason`).",
        request=ValueSubmitSerializer,
        responses=responses({201: ValueSerializer, 200: ValueSerializer}, 400, 403),
    ),
)
class ValueViewSet(IdLookupMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ValueSerializer
    permission_classes = [ReadOrEntryRole]
    not_found = "Aucune valeur visible ne porte cet identifiant."

    def get_serializer_class(self):
        if self.action == "create":
            return ValueSubmitSerializer
        return ValueSerializer

    def get_queryset(self):
        queryset = perms.visible_values(self.request.user).select_related(
            "department", "epci", "commune"
        )
        for name, lookup in (
            ("indicator", "indicator_id"),
            ("plan", "indicator__measure__axis__plan_id"),
            ("campaign", "campaign_id"),
        ):
            value = id_param(self.request, name)
            if value is not None:
                queryset = queryset.filter(**{lookup: value})
        period, territory = (
            text_param(self.request, "period"),
            text_param(self.request, "territory"),
        )
        if period:
            queryset = queryset.filter(period=periods.normalize(period))
        if territory:
            code = normalize_code(territory)
            level = level_of_code(code)
            queryset = (
                queryset.filter(territory_key=make_key(level, code)) if level else queryset.none()
            )
        status_ = text_param(self.request, "status")
        if status_:
            if status_ not in ValueStatus.values:
                raise exceptions.ValidationError(
                    {
                        "status": [
                            f"Statut inconnu « {status_[:50]} » : "
                            f"{', '.join(ValueStatus.values)} attendu."
                        ]
                    }
                )
            queryset = queryset.filter(status=status_)
        return queryset.order_by("indicator_id", "period", "territory_key")

    def create(self, request, *args, **kwargs):
        serializer = ValueSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        campaign, indicator = data["campaign"], data["indicator"]
        plan = campaign.plan
        if not perms.can_collect(request.user, plan):
            raise exceptions.PermissionDenied("Vous ne pouvez pas saisir de valeurs pour ce plan.")
        code = normalize_code(data["territory"])
        level = level_of_code(code)
        territory = resolve_key(make_key(level, code), plan.department) if level else None
        if territory is None:
            raise exceptions.ValidationError(
                {"territory": f"Territoire inconnu « {code} » dans ce département."}
            )
        try:
            result = services.save_value(
                acting_user=request.user,
                campaign=campaign,
                indicator=indicator,
                territory=territory,
                period=periods.normalize(data["period"]),
                value=data["value"],
                comment=data["comment"],
                submit=data["submit"],
                reason=data["reason"],
                source=ValueSource.API,
            )
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            raise exceptions.ValidationError({"detail": exc.messages}) from exc
        value = IndicatorValue.objects.select_related("department", "epci", "commune").get(
            pk=result.value.pk
        )
        code_ = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(ValueSerializer(value, context={"request": request}).data, status=code_)

    @extend_schema(
        summary="Soumettre une valeur en brouillon",
        request=None,
        parameters=[ID_PARAMETER],
        responses=responses({200: ValueSerializer}, 400, 403, 404),
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        value = self.get_object()
        value = IndicatorValue.objects.select_related(
            "indicator__measure__axis__plan",
            "campaign__plan__department",
            "department",
            "epci",
            "commune",
        ).get(pk=value.pk)
        try:
            services.submit_value(acting_user=request.user, value=value)
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            raise exceptions.ValidationError({"detail": exc.messages}) from exc
        return Response(ValueSerializer(value, context={"request": request}).data)


def docs(request):
    """A plain page listing the endpoints (no Swagger UI: it would need a CDN or an extra package)."""
    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    endpoints = []
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                }
            )
    context = {
        "page_title": "API de Vigie",
        "endpoints": endpoints,
        "can_have_token": api_services.may_have_token(request.user),
    }
    return render(request, "indicators/api_docs.html", context)


@login_required
def token(request):
    """Create, show or revoke one's personal API token."""
    if not api_services.may_have_token(request.user):
        raise PermissionDenied
    if request.method == "POST":
        intent = request.POST.get("intent")
        if intent == "create":
            api_services.create_api_token(acting_user=request.user)
            messages.success(
                request, "Un nouveau jeton est créé ; l'ancien, s'il existait, ne fonctionne plus."
            )
        elif intent == "revoke" and api_services.revoke_api_token(acting_user=request.user):
            messages.success(request, "Votre jeton est révoqué.")
        return redirect("api:token")
    current = Token.objects.filter(user=request.user).first()
    context = {"page_title": "Mon jeton d'API", "token": current}
    return render(request, "indicators/api_token.html", context)
