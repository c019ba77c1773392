"""Reference data: the SSMSI source, its indicators and how names and units are spelled across editions."""

import re
import unicodedata

from django.utils.text import slugify

from vigie.statistics.enums import RateBase, SourceKind, Unit

SSMSI_SOURCE = {
    "kind": SourceKind.SSMSI,
    "name": "SSMSI — base statistique de la délinquance enregistrée par la police et la gendarmerie nationales",
    "publisher": "Service statistique ministériel de la sécurité intérieure (SSMSI), ministère de l'Intérieur",
    "url": "https://www.data.gouv.fr/fr/datasets/bases-statistiques-communale-departementale-et-regionale-de-la-delinquance-enregistree-par-la-police-et-la-gendarmerie-nationales/",
    "licence": "Licence Ouverte / Open Licence 2.0 (Etalab)",
}

_COMMON = (
    "Faits enregistrés par la police et la gendarmerie nationales (plaintes, signalements, procédures), "
    "localisés au lieu de commission. Le SSMSI révise les années passées à chaque édition et peut changer "
    "la définition d'un indicateur d'une édition à l'autre."
)

# (name in the January 2025 edition, rate base, short definition). Order = display order.
SSMSI_INDICATORS = [
    ("Homicides", RateBase.INHABITANTS, "Victimes d'homicide."),
    ("Tentatives d'homicides", RateBase.INHABITANTS, "Victimes de tentative d'homicide."),
    (
        "Coups et blessures volontaires",
        RateBase.INHABITANTS,
        "Victimes de coups et blessures volontaires (hors homicides), dans et hors du cadre familial.",
    ),
    (
        "Coups et blessures volontaires intrafamiliaux",
        RateBase.INHABITANTS,
        "Victimes de coups et blessures volontaires commis dans le cadre familial (partie du précédent).",
    ),
    (
        "Autres coups et blessures volontaires",
        RateBase.INHABITANTS,
        "Victimes de coups et blessures volontaires commis hors du cadre familial (partie du précédent).",
    ),
    (
        "Violences sexuelles",
        RateBase.INHABITANTS,
        "Victimes de violences sexuelles (viols, agressions sexuelles…).",
    ),
    (
        "Vols avec armes",
        RateBase.INHABITANTS,
        "Vols commis avec une arme (arme à feu, arme blanche…).",
    ),
    ("Vols violents sans arme", RateBase.INHABITANTS, "Vols avec violence commis sans arme."),
    (
        "Vols sans violence contre des personnes",
        RateBase.INHABITANTS,
        "Victimes entendues de vols sans violence (vols à la tire, à l'étalage exclus…).",
    ),
    (
        "Cambriolages de logement",
        RateBase.DWELLINGS,
        "Cambriolages de résidences principales et secondaires ; taux pour 1 000 logements.",
    ),
    (
        "Vols de véhicules",
        RateBase.INHABITANTS,
        "Véhicules volés (automobiles, deux-roues motorisés).",
    ),
    (
        "Vols dans les véhicules",
        RateBase.INHABITANTS,
        "Véhicules dans lesquels un vol a été commis.",
    ),
    (
        "Vols d'accessoires sur véhicules",
        RateBase.INHABITANTS,
        "Véhicules dont des accessoires ont été volés.",
    ),
    (
        "Destructions et dégradations volontaires",
        RateBase.INHABITANTS,
        "Destructions et dégradations volontaires de biens publics et privés.",
    ),
    ("Escroqueries", RateBase.INHABITANTS, "Victimes d'escroqueries et d'infractions assimilées."),
    (
        "Trafic de stupéfiants",
        RateBase.INHABITANTS,
        "Personnes mises en cause pour trafic de stupéfiants.",
    ),
    (
        "Usage de stupéfiants",
        RateBase.INHABITANTS,
        "Personnes mises en cause pour usage de stupéfiants.",
    ),
]

# Units as spelled by the bases (normalised: lower case, no accents, singular).
UNIT_SPELLINGS = {
    "victime": Unit.VICTIM,
    "infraction": Unit.INFRACTION,
    "vehicule": Unit.VEHICLE,
    "mis en cause": Unit.ACCUSED,
    "victime entendue": Unit.HEARD_VICTIM,
    "fait": Unit.FACT,
}


def normalise_key(text: str) -> str:
    """Lower case, accents removed, typographic apostrophes straightened, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("`", "'").lower()
    return re.sub(r"\s+", " ", text).strip()


def normalise_unit(raw: str) -> str | None:
    key = normalise_key(raw).replace(".", " ").replace("_", " ")
    key = re.sub(r"\s+", " ", key).strip()
    if key in UNIT_SPELLINGS:
        return UNIT_SPELLINGS[key]
    # Plurals of the legacy layout: "victimes", "victimes entendues", "véhicules", "infractions".
    words = [w[:-1] if w.endswith("s") and w != "mis" else w for w in key.split(" ")]
    return UNIT_SPELLINGS.get(" ".join(words))


def canonical_indicator_name(raw: str) -> str:
    """The catalogue's spelling of an indicator name (editions differ in case and accents)."""
    name = re.sub(r"\s+", " ", (raw or "").strip())
    for known, _base, _definition in SSMSI_INDICATORS:
        if normalise_key(known) == normalise_key(name):
            return known
    return name


def indicator_slug(name: str) -> str:
    return slugify(name.replace("'", " "))[:120]


def ssmsi_rate_base(name: str) -> str:
    for known, base, _definition in SSMSI_INDICATORS:
        if known == name:
            return base
    return RateBase.DWELLINGS if "logement" in normalise_key(name) else RateBase.INHABITANTS


def ensure_ssmsi_indicators():
    """Create (or complete) the indicators of the SSMSI base. Returns {name: StatisticalIndicator}."""
    from vigie.statistics.models import StatisticalIndicator

    existing = {
        i.slug: i
        for i in StatisticalIndicator.objects.filter(
            slug__in=[indicator_slug(n) for n, *_ in SSMSI_INDICATORS]
        )
    }
    result = {}
    for order, (name, base, definition) in enumerate(SSMSI_INDICATORS, start=1):
        slug = indicator_slug(name)
        indicator = existing.get(slug)
        full_definition = f"{definition} {_COMMON}"
        if indicator is None:
            indicator = StatisticalIndicator.objects.create(
                slug=slug,
                name=name,
                definition=full_definition,
                rate_base=base,
                is_ssmsi=True,
                order=order,
            )
        elif not indicator.is_ssmsi or not indicator.definition:
            indicator.is_ssmsi = True
            indicator.definition = indicator.definition or full_definition
            indicator.order = order
            indicator.save(update_fields=["is_ssmsi", "definition", "order"])
        result[name] = indicator
    return result


def ensure_source(**fields):
    from vigie.statistics.models import Source

    source, _ = Source.objects.get_or_create(
        kind=fields["kind"],
        name=fields["name"],
        defaults={k: v for k, v in fields.items() if k not in ("kind", "name")},
    )
    return source
