"""Reference data of the funding app: the funds and their programmes, and the default rules of a new call.

Sources: the Lot plan's chapter on funds, the FIPD circulars' usual settings and prefectures' calls (see
/docs and the domain primer). Loaded by a data migration and by the demo, without audit entries (reference data,
not a change made by someone). Idempotent: an existing fund or programme is updated in place.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from vigie.funding.enums import ApplicantKind, AttachmentKind, FunderCategory, FundKind, GrantNature


@dataclass(frozen=True)
class ProgrammeSpec:
    code: str
    name: str
    nature: str
    max_share: Decimal | None = None
    share_justification_allowed: bool = False
    min_amount: Decimal | None = None


@dataclass(frozen=True)
class FundSpec:
    code: str
    name: str
    kind: str = FundKind.STATE_FUND
    funder_category: str = FunderCategory.STATE
    description: str = ""
    programmes: tuple[ProgrammeSpec, ...] = ()
    # Call-level defaults (see vigie.funding.models.Call).
    automatic_renewal: bool = True
    max_years: int | None = None
    required_attachments: tuple[str, ...] = (AttachmentKind.BANK_DETAILS,)
    eligible_applicant_kinds: tuple[str, ...] = field(
        default_factory=lambda: tuple(ApplicantKind.values)
    )


OPERATING = GrantNature.OPERATING
INVESTMENT = GrantNature.INVESTMENT
FIFTY = Decimal("50")
EIGHTY = Decimal("80")

FUNDS: tuple[FundSpec, ...] = (
    FundSpec(
        "FIPD",
        "Fonds interministériel de prévention de la délinquance",
        description="Principal fonds de l'État : il ne se substitue pas aux financements de droit commun "
        "et ne finance pas l'équipement des services de l'État.",
        programmes=(
            ProgrammeSpec("D", "Prévention de la délinquance", OPERATING, FIFTY, True),
            ProgrammeSpec(
                "R", "Prévention de la radicalisation et du séparatisme", OPERATING, FIFTY, True
            ),
            ProgrammeSpec(
                "S",
                "Sécurisation (vidéoprotection, établissements scolaires, équipement des polices "
                "municipales)",
                INVESTMENT,
                EIGHTY,
                False,
                Decimal("3000"),
            ),
            ProgrammeSpec("K", "Sécurisation des sites sensibles", INVESTMENT, EIGHTY),
        ),
        required_attachments=(AttachmentKind.BANK_DETAILS, AttachmentKind.ACTIVITY_REPORT),
    ),
    FundSpec(
        "MILDECA",
        "Mission interministérielle de lutte contre les drogues et les conduites addictives",
        description="Au plus 80 % du coût total de l'action ; pas de reconduction automatique ; une même "
        "action financée trois ans au plus.",
        programmes=(ProgrammeSpec("", "Crédits MILDECA", OPERATING, EIGHTY),),
        automatic_renewal=False,
        max_years=3,
        required_attachments=(AttachmentKind.BANK_DETAILS, AttachmentKind.ACTIVITY_REPORT),
    ),
    FundSpec(
        "PDASR",
        "Plan départemental d'actions de sécurité routière",
        programmes=(ProgrammeSpec("", "Actions de sécurité routière", OPERATING),),
    ),
    FundSpec(
        "DILCRAH",
        "Délégation interministérielle à la lutte contre le racisme, l'antisémitisme et la haine anti-LGBT",
        programmes=(
            ProgrammeSpec(
                "", "Lutte contre le racisme, l'antisémitisme et la haine anti-LGBT", OPERATING
            ),
        ),
    ),
    FundSpec(
        "DETR",
        "Dotation d'équipement des territoires ruraux",
        programmes=(ProgrammeSpec("", "Vidéoprotection", INVESTMENT, EIGHTY),),
        required_attachments=(AttachmentKind.QUOTE, AttachmentKind.DELIBERATION),
        eligible_applicant_kinds=(ApplicantKind.COMMUNE, ApplicantKind.EPCI),
    ),
    FundSpec("ARS", "Agence régionale de santé", FundKind.CO_FUNDER, FunderCategory.STATE),
    FundSpec(
        "POLVILLE",
        "Politique de la ville (ANCT)",
        FundKind.CO_FUNDER,
        FunderCategory.STATE,
    ),
    FundSpec("CAF", "Caisse d'allocations familiales", FundKind.CO_FUNDER, FunderCategory.SOCIAL),
    FundSpec("REGION", "Conseil régional", FundKind.CO_FUNDER, FunderCategory.REGION),
    FundSpec("CD", "Conseil départemental", FundKind.CO_FUNDER, FunderCategory.DEPARTMENT),
    FundSpec("EPCI", "Intercommunalités", FundKind.CO_FUNDER, FunderCategory.EPCI),
    FundSpec("COMMUNE", "Communes", FundKind.CO_FUNDER, FunderCategory.COMMUNE),
    FundSpec("FSE", "Fonds social européen", FundKind.CO_FUNDER, FunderCategory.EUROPE),
)

FUNDS_BY_CODE = {spec.code: spec for spec in FUNDS}


def load_funds(fund_model, programme_model) -> int:
    """Create or update the funds and programmes (the models are passed so a migration can use its own)."""
    for order, spec in enumerate(FUNDS):
        fund, _ = fund_model.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "kind": spec.kind,
                "funder_category": spec.funder_category,
                "description": spec.description,
                "order": order,
            },
        )
        for position, programme in enumerate(spec.programmes):
            programme_model.objects.update_or_create(
                fund=fund,
                code=programme.code,
                defaults={"name": programme.name, "nature": programme.nature, "order": position},
            )
    return len(FUNDS)


def default_call_rules(fund_code: str) -> dict:
    """The call-level settings a new call of this fund starts with."""
    spec = FUNDS_BY_CODE[fund_code]
    return {
        "eligible_applicant_kinds": list(spec.eligible_applicant_kinds),
        "state_service_equipment_allowed": False,
        "in_kind_counted": False,
        "required_attachments": list(spec.required_attachments),
        "automatic_renewal": spec.automatic_renewal,
        "max_years": spec.max_years,
        "renewal_requires_final_report": True,
    }


def default_programme_rules(fund_code: str, programme_code: str) -> dict:
    """The share, minimum and justification settings a programme of a new call starts with."""
    for programme in FUNDS_BY_CODE[fund_code].programmes:
        if programme.code == programme_code:
            return {
                "max_share": programme.max_share,
                "share_justification_allowed": programme.share_justification_allowed,
                "min_amount": programme.min_amount,
            }
    return {"max_share": None, "share_justification_allowed": False, "min_amount": None}
