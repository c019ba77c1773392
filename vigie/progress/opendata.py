"""A plan's open data: a zip holding CSV files of its public measures, actions, indicators and validated
values, the plan in Vigie's import schema (JSON, docs/import-schema.md), and a
`datapackage.json` (Frictionless Data Package with a Table Schema per CSV), under Licence Ouverte 2.0.

Each column is declared once below (name, Table Schema type, French description, how to read it): the
CSV headers and the schemas are both written from these declarations. CSV files are French-style
(vigie.core.spreadsheets: ";" separator, decimal comma, formula triggers neutralised), which the
package's dialect and `decimalChar` say.
"""

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from vigie.core.spreadsheets import csv_bytes
from vigie.imports.exporting.plan_json import plan_to_import_json
from vigie.indicators import periods
from vigie.plans.perms import is_public_item
from vigie.progress import selectors

LICENSE = {
    "name": "etalab-2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "title": "Licence Ouverte / Open Licence version 2.0",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type: string, integer, number, date, datetime, boolean
    description: str
    read: Callable


@dataclass(frozen=True)
class Table:
    name: str  # resource name; the file is <name>.csv
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: str = "id"


def _decimal(value):
    return None if value is None else value.normalize()


MEASURES = Table(
    "mesures",
    "Mesures",
    "Mesures (fiches actions) publiques du plan.",
    (
        Column("id", "integer", "Identifiant de la mesure dans Vigie.", lambda m: m.pk),
        Column(
            "axe_numero", "string", "Numéro de l'axe (ou de l'annexe).", lambda m: m.axis.number
        ),
        Column("axe_intitule", "string", "Intitulé de l'axe.", lambda m: m.axis.title),
        Column("numero", "string", "Numéro de la mesure dans le plan.", lambda m: m.number),
        Column("intitule", "string", "Intitulé de la mesure.", lambda m: m.title),
        Column(
            "pilotes_partenaires",
            "string",
            "Pilotes et partenaires, tels que le plan les formule.",
            lambda m: m.actors_wording,
        ),
        Column("objectifs", "string", "Objectifs, un par ligne.", lambda m: m.objectives),
        Column("actions_total", "integer", "Nombre d'actions publiques.", lambda m: m.action_total),
        Column(
            "actions_realisees",
            "integer",
            "Nombre d'actions publiques réalisées.",
            lambda m: m.action_done,
        ),
    ),
)

ACTIONS = Table(
    "actions",
    "Actions",
    "Actions publiques des mesures du plan, avec leur état d'avancement.",
    (
        Column("id", "integer", "Identifiant de l'action dans Vigie.", lambda a: a.pk),
        Column(
            "mesure_id",
            "integer",
            "Identifiant de la mesure (mesures.csv).",
            lambda a: a.measure_id,
        ),
        Column("mesure_numero", "string", "Numéro de la mesure.", lambda a: a.measure.number),
        Column("intitule", "string", "Intitulé court de l'action.", lambda a: a.title),
        Column("texte", "string", "Texte de l'action.", lambda a: a.text),
        Column("etat", "string", "Code de l'état d'avancement.", lambda a: a.status),
        Column(
            "etat_libelle",
            "string",
            "État d'avancement (À venir, En cours, Réalisée, En pause, Abandonnée).",
            lambda a: a.get_status_display(),
        ),
        Column(
            "organisation_responsable",
            "string",
            "Organisation responsable de l'action.",
            lambda a: a.owner.name if a.owner_id else "",
        ),
        Column("echeance", "date", "Échéance de l'action (AAAA-MM-JJ).", lambda a: a.due_date),
        Column(
            "mise_a_jour",
            "datetime",
            "Date de la dernière modification de l'action.",
            lambda a: a.updated_at.isoformat(timespec="seconds"),
        ),
    ),
)

INDICATORS = Table(
    "indicateurs",
    "Indicateurs",
    "Indicateurs publics des mesures, avec leur référence et leur cible.",
    (
        Column("id", "integer", "Identifiant de l'indicateur dans Vigie.", lambda i: i.pk),
        Column(
            "mesure_id",
            "integer",
            "Identifiant de la mesure (mesures.csv).",
            lambda i: i.measure_id,
        ),
        Column("libelle", "string", "Libellé de l'indicateur.", lambda i: i.display_label),
        Column("unite", "string", "Unité.", lambda i: i.get_unit_display()),
        Column(
            "periodicite",
            "string",
            "Périodicité de collecte.",
            lambda i: i.get_periodicity_display(),
        ),
        Column(
            "sens_souhaite",
            "string",
            "Sens d'évolution souhaité.",
            lambda i: i.get_direction_display(),
        ),
        Column(
            "periode_reference",
            "string",
            "Période de la valeur de référence.",
            lambda i: i.baseline_period,
        ),
        Column(
            "valeur_reference",
            "number",
            "Valeur de référence.",
            lambda i: _decimal(i.baseline_value),
        ),
        Column("periode_cible", "string", "Échéance de la cible.", lambda i: i.target_period),
        Column("valeur_cible", "number", "Valeur cible.", lambda i: _decimal(i.target_value)),
        Column(
            "donnees_demonstration",
            "boolean",
            "Vrai si la définition est inventée pour la démonstration.",
            lambda i: "true" if i.is_demo else "false",
        ),
    ),
)

VALUES = Table(
    "valeurs",
    "Valeurs validées",
    "Valeurs des indicateurs publics validées par la préfecture, par territoire et par période.",
    (
        Column("id", "integer", "Identifiant de la valeur dans Vigie.", lambda v: v.pk),
        Column(
            "indicateur_id",
            "integer",
            "Identifiant de l'indicateur (indicateurs.csv).",
            lambda v: v.indicator_id,
        ),
        Column(
            "periode", "string", "Période (2025, 2025-S1, 2025-T2, 2025-03).", lambda v: v.period
        ),
        Column(
            "periode_libelle",
            "string",
            "Période en toutes lettres.",
            lambda v: periods.label(v.period),
        ),
        Column(
            "territoire_niveau",
            "string",
            "Niveau du territoire : departement, epci ou commune.",
            lambda v: _level(v),
        ),
        Column(
            "territoire_code",
            "string",
            "Code INSEE (département, commune) ou SIREN (EPCI).",
            lambda v: v.territory_key[1:],
        ),
        Column("territoire_nom", "string", "Nom du territoire.", lambda v: v.territory_name),
        Column(
            "valeur",
            "number",
            "Valeur validée (vide quand elle est inférieure à 5 personnes : non publiée).",
            lambda v: None if v.is_below_threshold else _decimal(v.value),
        ),
        Column(
            "inferieure_a_5",
            "boolean",
            "Vrai pour un nombre de personnes de 1 à 4, non publié (secret statistique).",
            lambda v: "true" if v.is_below_threshold else "false",
        ),
        Column(
            "date_validation",
            "datetime",
            "Date de validation par la préfecture.",
            lambda v: v.validated_at.isoformat(timespec="seconds") if v.validated_at else None,
        ),
        Column(
            "donnee_demonstration",
            "boolean",
            "Vrai si la valeur est inventée pour la démonstration.",
            lambda v: "true" if v.is_demo else "false",
        ),
    ),
)

TABLES = (MEASURES, ACTIONS, INDICATORS, VALUES)
LEVELS = {"D": "departement", "E": "epci", "C": "commune"}


def _level(value) -> str:
    return LEVELS.get(value.territory_key[:1], "")


def _rows(plan) -> dict[str, list]:
    """The public objects of each table (a fixed number of queries)."""
    actions = list(
        selectors.public_actions(plan)
        .select_related("measure", "owner")
        .order_by("measure__axis__order", "measure__order", "measure_id", "order", "pk")
    )
    counts: dict[int, list[int]] = {}
    for action in actions:
        total_done = counts.setdefault(action.measure_id, [0, 0])
        total_done[0] += 1
        total_done[1] += action.status == "done"
    measures = list(selectors.public_measures(plan))
    for measure in measures:
        measure.action_total, measure.action_done = counts.get(measure.pk, [0, 0])
    indicators = list(
        selectors.public_indicators(plan).order_by(
            "measure__axis__order", "measure__order", "measure_id", "order", "pk"
        )
    )
    values = list(
        selectors.public_values(plan)
        .select_related("department", "epci", "commune")
        .order_by("indicator_id", "period", "territory_key")
    )
    return {"mesures": measures, "actions": actions, "indicateurs": indicators, "valeurs": values}


def table_csv(table: Table, objects) -> bytes:
    rows = [[column.name for column in table.columns]]
    rows += [[column.read(obj) for column in table.columns] for obj in objects]
    return csv_bytes(rows)


def _schema(table: Table) -> dict:
    fields = []
    for column in table.columns:
        spec = {"name": column.name, "type": column.type, "description": column.description}
        if column.type == "number":
            spec["decimalChar"] = ","
        if column.type == "boolean":
            spec.update(trueValues=["true"], falseValues=["false"])
        fields.append(spec)
    return {"fields": fields, "primaryKey": table.primary_key, "missingValues": [""]}


def datapackage(plan, *, extra_resources=(), created: datetime | None = None) -> dict:
    created = created or timezone.now()
    resources = [
        {
            "name": table.name,
            "title": table.title,
            "description": table.description,
            "path": f"{table.name}.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",  # with a byte order mark, which readers skip
            "dialect": {"delimiter": ";", "lineTerminator": "\r\n", "header": True},
            "schema": _schema(table),
        }
        for table in TABLES
    ]
    return {
        "profile": "tabular-data-package",
        "name": f"vigie-plan-{plan.department.code}-{plan.period_label}".lower(),
        "title": f"Plan de prévention de la délinquance — {plan.department.name} {plan.period_label}",
        "description": "Mesures, actions, indicateurs et valeurs validées publics du plan, "
        "exportés par Vigie. Les éléments non publics (sites sensibles, radicalisation) "
        "et les données personnelles n'y figurent pas.",
        "created": created.isoformat(timespec="seconds"),
        "licenses": [LICENSE],
        "sources": [{"title": f"Vigie — préfecture ({plan.department.name})"}],
        "resources": resources + list(extra_resources),
    }


def plan_json(plan) -> bytes:
    """The plan as it stands in the documented import schema (docs/import-schema.md), public items
    only: a non-public measure goes with its actions and indicators."""
    data = plan_to_import_json(plan, include=is_public_item)
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


JSON_RESOURCE = {
    "name": "plan",
    "title": "Plan (schéma d'import de Vigie)",
    "description": "Le plan et ses éléments publics au format JSON du schéma d'import de Vigie "
    "(docs/import-schema.md).",
    "path": "plan.json",
    "format": "json",
    "mediatype": "application/json",
    "encoding": "utf-8",
}


def package_zip(plan) -> bytes:
    rows = _rows(plan)
    files = {f"{table.name}.csv": table_csv(table, rows[table.name]) for table in TABLES}
    files["plan.json"] = plan_json(plan)
    files["datapackage.json"] = json.dumps(
        datapackage(plan, extra_resources=[JSON_RESOURCE]), ensure_ascii=False, indent=2
    ).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def package_filename(plan) -> str:
    return f"vigie-plan-{plan.department.code}-{plan.period_label}.zip"
