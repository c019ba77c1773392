"""REST API of the funding app: calls and grant applications (read), and an applicant's application
(project and Cerfa 12156 budget) created, its attachments joined, and submitted through the same services as the
web pages.

Visibility is the pages' own (vigie.funding.perms): an applicant sees its organisation's applications, the
department's prefecture agents see them all, nobody else sees any (404 on a detail).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from vigie.api.params import MAX_ID
from vigie.api.views import ID_PARAMETER, IdLookupMixin, responses
from vigie.funding import access, budget, perms, services, transitions
from vigie.funding.enums import (
    ApplicantKind,
    ApplicationState,
    AttachmentKind,
    BudgetAccount,
    FunderCategory,
)
from vigie.funding.models import CallProgramme, Fund, FundingCall, GrantApplication, GrantAttachment
from vigie.plans.models import Measure

PROJECT_FIELDS = [
    "title",
    "summary",
    "public",
    "applicant_kind",
    "starts_on",
    "ends_on",
    "includes_equipment",
    "share_justification",
    "is_renewal",
    "previous_years",
    "previous_report_filed",
]


class SignedIn(BasePermission):
    message = "Connectez-vous (jeton personnel) pour écrire par l'API."

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or bool(request.user.is_authenticated)


# --- serializers -----------------------------------------------------------------------------------


class CallProgrammeSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="programme.code", read_only=True)
    name = serializers.CharField(source="programme.name", read_only=True)

    class Meta:
        model = CallProgramme
        fields = ["id", "code", "name", "envelope", "max_share", "min_amount"]
        read_only_fields = fields


class CallSerializer(serializers.ModelSerializer):
    fund = serializers.CharField(source="fund.code", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)
    programmes = CallProgrammeSerializer(many=True, read_only=True)
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = FundingCall
        fields = [
            "id",
            "fund",
            "department",
            "year",
            "title",
            "description",
            "opens_on",
            "closes_on",
            "is_open",
            "eligible_applicant_kinds",
            "required_attachments",
            "programmes",
            "is_demo",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField)
    def get_is_open(self, obj) -> bool:
        return obj.is_open_on(timezone.localdate())


class BudgetLineSerializer(serializers.Serializer):
    account = serializers.ChoiceField(choices=BudgetAccount.choices)
    label = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    funder_category = serializers.ChoiceField(
        choices=FunderCategory.choices, required=False, allow_blank=True, default=""
    )
    fund = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=MAX_ID
    )
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class ApplicationSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    budget = serializers.SerializerMethodField()

    class Meta:
        model = GrantApplication
        fields = [
            "id",
            "call",
            "call_programme",
            "organisation",
            "organisation_name",
            "state",
            *PROJECT_FIELDS,
            "measures",
            "requested_amount",
            "total_cost",
            "granted_amount",
            "submitted_at",
            "is_demo",
            "budget",
        ]
        read_only_fields = fields

    @extend_schema_field(BudgetLineSerializer(many=True))
    def get_budget(self, obj) -> list:
        return [
            {
                "account": line.account,
                "label": line.label,
                "funder_category": line.funder_category,
                "fund": line.fund_id,
                "amount": f"{line.amount:.2f}",
            }
            for line in obj.budget_lines.all()
        ]


class ApplicationCreateSerializer(serializers.Serializer):
    call_programme = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Programme de l'appel (identifiant)"
    )
    title = serializers.CharField(max_length=300)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    public = serializers.CharField(required=False, allow_blank=True, default="")
    applicant_kind = serializers.ChoiceField(choices=ApplicantKind.choices)
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    includes_equipment = serializers.BooleanField(required=False, default=False)
    share_justification = serializers.CharField(required=False, allow_blank=True, default="")
    is_renewal = serializers.BooleanField(required=False, default=False)
    previous_years = serializers.IntegerField(required=False, default=0, min_value=0, max_value=100)
    previous_report_filed = serializers.BooleanField(required=False, default=False)
    measures = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        min_length=1,
        max_length=50,
        help_text="Mesures du plan servies (identifiants, au moins une)",
    )
    budget = BudgetLineSerializer(many=True, help_text="Budget prévisionnel (Cerfa 12156)")

    def validate_budget(self, lines):
        if not lines:
            raise serializers.ValidationError("Saisissez au moins une ligne de budget.")
        if len(lines) > 200:
            raise serializers.ValidationError("Un budget compte au plus 200 lignes.")
        return lines


ATTACH_REFUSED = "Seul le porteur de la demande y joint des pièces, tant qu'elle est modifiable."


class AttachmentCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AttachmentKind.choices, help_text="Nature de la pièce")
    file = serializers.FileField(
        help_text="Le fichier : PDF, ODT, DOCX, ODS ou XLSX (taille, format et contenu vérifiés)"
    )


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = GrantAttachment
        fields = ["id", "kind", "original_name", "size"]
        read_only_fields = fields


# --- views -----------------------------------------------------------------------------------------


LINE_FIELDS = {
    "account": "compte",
    "amount": "montant",
    "funder_category": "financeur",
    "fund": "fonds",
    "label": "détail",
}


def _flat_messages(errors, where: str = "") -> list[str]:
    """The French messages of a nested serializer error (a budget line, an item of a list), each located."""
    if isinstance(errors, dict):
        return [
            message
            for key, value in errors.items()
            for message in _flat_messages(value, _place(where, key))
        ]
    if isinstance(errors, list) and all(isinstance(item, str) for item in errors):
        return [f"{where} : {message}" if where else str(message) for message in errors]
    if isinstance(errors, list):
        return [
            message
            for index, item in enumerate(errors)
            for message in _flat_messages(item, _place(where, index))
        ]
    return [f"{where} : {errors}" if where else str(errors)]


def _place(where: str, key) -> str:
    if isinstance(key, int) or str(key).isdigit():
        part = f"ligne {int(key) + 1}"
    else:
        part = LINE_FIELDS.get(str(key), str(key))
    return f"{where}, {part}" if where else part.capitalize()


def _valid_data(serializer_class, data) -> dict:
    """The request's validated data, or a 400 whose every field carries a list of French messages."""
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise exceptions.ValidationError(
            {name: _flat_messages(value) for name, value in serializer.errors.items()}
        )
    return serializer.validated_data


def _drf_error(exc: ValidationError, default_key: str) -> exceptions.ValidationError:
    """A service's French refusal as a 400, by field; its general messages under `default_key`."""
    if not hasattr(exc, "error_dict"):
        return exceptions.ValidationError({default_key: exc.messages})
    errors = {}
    for name, messages in exc.message_dict.items():
        errors[default_key if name == "__all__" else name] = messages
    return exceptions.ValidationError(errors)


@extend_schema_view(
    list=extend_schema(
        summary="Appels à projets visibles",
        description="Les appels de votre département ; pour un porteur, ceux qui ont ouvert.",
        responses=responses({200: CallSerializer(many=True)}, 403, 404),
    ),
    retrieve=extend_schema(
        summary="Un appel à projets",
        parameters=[ID_PARAMETER],
        responses=responses({200: CallSerializer}, 400, 403, 404),
    ),
)
class FundingCallViewSet(IdLookupMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CallSerializer
    not_found = "Aucun appel à projets visible ne porte cet identifiant."

    def get_queryset(self):
        visible = perms.visible_calls(self.request.user, timezone.localdate())
        return access.call_queryset().filter(pk__in=visible.values("pk")).order_by("-year", "pk")


@extend_schema_view(
    list=extend_schema(
        summary="Demandes de subvention visibles",
        description="Un porteur voit les demandes de son organisme ; la préfecture, celles de son département.",
        responses=responses({200: ApplicationSerializer(many=True)}, 403, 404),
    ),
    retrieve=extend_schema(
        summary="Une demande de subvention",
        parameters=[ID_PARAMETER],
        responses=responses({200: ApplicationSerializer}, 400, 403, 404),
    ),
    create=extend_schema(
        summary="Créer une demande (brouillon) avec son budget",
        description="Par un porteur, avec son jeton personnel, sur un appel ouvert de son département. Le "
        "projet et le budget sont vérifiés comme sur le site (budget équilibré, montants positifs, appel "
        "ouvert) ; en cas d'erreur, rien n'est enregistré.",
        request=ApplicationCreateSerializer,
        responses=responses({201: ApplicationSerializer}, 400, 403),
    ),
)
class GrantApplicationViewSet(
    IdLookupMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = ApplicationSerializer
    permission_classes = [SignedIn]
    not_found = "Aucune demande visible ne porte cet identifiant."

    def get_queryset(self):
        visible = perms.visible_applications(self.request.user)
        return (
            GrantApplication.objects.filter(pk__in=visible.values("pk"))
            .select_related("organisation")
            .prefetch_related("measures", "budget_lines")
            .order_by("-created_at", "-pk")
        )

    def _call_programme(self, pk: int) -> CallProgramme:
        visible = perms.visible_calls(self.request.user, timezone.localdate())
        found = (
            CallProgramme.objects.select_related("call__department", "call__fund", "programme")
            .filter(pk=pk, call__in=visible)
            .first()
        )
        if found is None:
            raise exceptions.ValidationError(
                {"call_programme": ["Aucun programme d'un appel visible ne porte cet identifiant."]}
            )
        return found

    def _measures(self, call: FundingCall, ids: list[int]) -> list:
        measures = list(
            Measure.objects.select_related("axis__plan").filter(
                pk__in=ids, axis__plan__department_id=call.department_id
            )
        )
        if len(measures) != len(set(ids)):
            raise exceptions.ValidationError(
                {"measures": ["Choisissez des mesures du plan du département."]}
            )
        return measures

    def _lines(self, rows: list[dict]) -> list[budget.Line]:
        fund_ids = {row["fund"] for row in rows if row["fund"] is not None}
        if fund_ids and Fund.objects.filter(pk__in=fund_ids).count() != len(fund_ids):
            raise exceptions.ValidationError({"budget": ["Un fonds du budget est inconnu."]})
        return [
            budget.Line(
                account=row["account"],
                amount=row["amount"],
                funder_category=row["funder_category"],
                fund_id=row["fund"],
                label=row["label"],
            )
            for row in rows
        ]

    def create(self, request, *args, **kwargs):
        if not perms.is_applicant(request.user):
            raise exceptions.PermissionDenied(
                "Seul un porteur de projet peut déposer une demande de subvention."
            )
        data = _valid_data(ApplicationCreateSerializer, request.data)
        call_programme = self._call_programme(data["call_programme"])
        measures = self._measures(call_programme.call, data["measures"])
        lines = self._lines(data["budget"])
        try:
            with transaction.atomic():
                application = services.create_application(
                    acting_user=request.user,
                    call_programme=call_programme,
                    data={name: data[name] for name in PROJECT_FIELDS},
                    measures=measures,
                )
                try:
                    services.save_budget(
                        acting_user=request.user, application=application, lines=lines
                    )
                except ValidationError as exc:
                    raise _drf_error(exc, "budget") from exc
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(
                "Vous ne pouvez pas déposer de demande sur cet appel."
            ) from exc
        except ValidationError as exc:
            raise _drf_error(exc, "non_field_errors") from exc
        application = self.get_queryset().get(pk=application.pk)
        return Response(ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Joindre une pièce à une demande",
        description="Par son porteur, pour un brouillon ou une demande à corriger (envoi multipart/form-data). "
        "Le fichier est vérifié comme sur le site (taille, format, contenu) ; en cas d'erreur (400, en "
        "français), rien n'est enregistré.",
        request={"multipart/form-data": AttachmentCreateSerializer},
        parameters=[ID_PARAMETER],
        responses=responses({201: AttachmentSerializer}, 400, 403, 404),
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def attachments(self, request, pk=None):
        application = self.get_object()
        if not perms.can_edit_application(request.user, application):
            raise exceptions.PermissionDenied(ATTACH_REFUSED)
        data = _valid_data(AttachmentCreateSerializer, request.data)
        try:
            attachment = services.add_attachment(
                acting_user=request.user,
                application=application,
                kind=data["kind"],
                upload=data["file"],
            )
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(ATTACH_REFUSED) from exc
        except ValidationError as exc:
            raise _drf_error(exc, "non_field_errors") from exc
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Déposer une demande",
        description="Par son porteur, pour un brouillon ou une demande à corriger. Les règles de l'appel "
        "sont vérifiées comme sur le site ; en cas d'erreur (400, en français), rien n'est enregistré.",
        request=None,
        parameters=[ID_PARAMETER],
        responses=responses({200: ApplicationSerializer}, 400, 403, 404),
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        application = self.get_object()
        try:
            transitions.change_state(
                acting_user=request.user,
                application=application,
                target=ApplicationState.SUBMITTED,
            )
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(
                "Seul le porteur de la demande peut la déposer."
            ) from exc
        except ValidationError as exc:
            raise _drf_error(exc, "non_field_errors") from exc
        return Response(ApplicationSerializer(self.get_queryset().get(pk=application.pk)).data)
