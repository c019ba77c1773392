"""Writing statistics: importing an SSMSI base, loading the figures of the plans. Each write is one
transaction with one audit entry per batch."""

import json
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import DataError, connection, transaction
from django.utils import timezone

from vigie.audit.enums import AuditAction
from vigie.audit.services import record, record_create, record_update, snapshot
from vigie.core.formatting import french_date
from vigie.statistics.catalogue import (
    SSMSI_SOURCE,
    ensure_source,
    ensure_ssmsi_indicators,
    indicator_slug,
)
from vigie.statistics.enums import (
    Breakdown,
    EditionStatus,
    Measure,
    RateBase,
    SourceKind,
    StatedFigureKind,
    TerritoryLevel,
    Unit,
    Zone,
)
from vigie.statistics.importers.layouts import (
    MAX_ERRORS,
    ImportRefused,
    detect_layout,
    edition_from_file_name,
)
from vigie.statistics.importers.ssmsi import run_import
from vigie.statistics.models import (
    CommuneIndicatorLabel,
    Edition,
    ImportBatch,
    Observation,
    Series,
    Source,
    StatedFigure,
    StatisticalIndicator,
)
from vigie.statistics.tasks import warm_statistics

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_SSMSI_FILE = DATA_DIR / "donnee-dep-data.gouv-2024-geographie2024-produit-le2025-01-26.csv"
PLAN_FIGURES_FILE = DATA_DIR / "plan-figures.json"


def default_engine() -> str:
    return "copy" if connection.vendor == "postgresql" else "orm"


def ssmsi_edition_label(published_on: date, geography_year: int | None) -> str:
    label = f"édition du {french_date(published_on)}"
    return f"{label} (géographie {geography_year})" if geography_year else label


class EditionStateError(Exception):
    """The edition is not in a state that allows the change (French message)."""


def _edition_date(file_name: str, published_on: date | None) -> date:
    """The edition's production date: given, or read in the file name; never in the future."""
    file_date, _geography = edition_from_file_name(file_name)
    published_on = published_on or file_date
    if published_on is None:
        raise ImportRefused(
            [
                "Date de l'édition inconnue : le nom du fichier ne contient pas « produit-leAAAA-MM-JJ » ; "
                "indiquez la date de publication de l'édition."
            ]
        )
    if published_on > timezone.localdate():
        where = (
            f"lue dans le nom du fichier « {file_name[:120]} »"
            if published_on == file_date
            else "indiquée"
        )
        raise ImportRefused(
            [
                f"Date de l'édition ({where}) : le {french_date(published_on)} est dans le futur ; une "
                "édition du SSMSI est datée du jour où elle a été produite."
            ]
        )
    return published_on


def _target_edition(*, acting_user, source, published_on, geography, publish, partial) -> Edition:
    """Published directly (operator's command): the published edition of that date, created if need be,
    re-imported in place. Otherwise a new edition waiting for its preview to be confirmed."""
    label = ssmsi_edition_label(published_on, geography)
    if publish:
        edition = Edition.objects.filter(
            source=source, published_on=published_on, status=EditionStatus.PUBLISHED
        ).first()
        if edition is not None:
            return edition
    department = getattr(acting_user, "department", None) if acting_user is not None else None
    edition = Edition.objects.create(
        source=source,
        published_on=published_on,
        label=label,
        geography_year=geography,
        status=EditionStatus.PUBLISHED if publish else EditionStatus.PENDING,
        is_partial=partial,
        uploaded_by=acting_user
        if acting_user is not None and acting_user.is_authenticated
        else None,
        uploader_department=department,
    )
    record_create(
        acting_user=acting_user,
        instance=edition,
        department=department,
        reason="Édition publiée par la commande d'import"
        if publish
        else "Édition déposée, en attente de publication après aperçu",
    )
    return edition


@transaction.atomic
def import_ssmsi_file(
    *,
    acting_user,
    path,
    file_name: str | None = None,
    published_on: date | None = None,
    engine: str | None = None,
    partial: bool = False,
    publish: bool = True,
) -> ImportBatch:
    """Import an SSMSI base (departmental, legacy departmental or communal layout) as one edition.

    `publish`: the operator's command publishes the edition at once (a re-import of the same edition
    updates it in place); the upload page (`publish=False`) stores a new edition waiting for its preview
    to be confirmed (`publish_edition`). The edition must be plausible: dated no later than today, known
    departments only, and every indicator of its layout for each territory and year unless `partial`.
    Raises ImportRefused (French, located messages) and writes nothing when anything is wrong.
    """
    started = time.perf_counter()
    path = Path(path)
    file_name = file_name or path.name
    with open(path, "rb") as handle:
        first_line = handle.readline(1 << 16)
    if not first_line.strip():
        raise ImportRefused(["Le fichier est vide."])
    info = detect_layout(first_line)
    published_on = _edition_date(file_name, published_on)
    geography = info.layout.geography_year or edition_from_file_name(file_name)[1]
    edition = _target_edition(
        acting_user=acting_user,
        source=ensure_source(**SSMSI_SOURCE),
        published_on=published_on,
        geography=geography,
        publish=publish,
        partial=partial,
    )
    engine = engine or default_engine()
    try:
        stats, sha256 = run_import(path, info, edition, engine)
    except DataError as exc:
        raise ImportRefused(
            [
                "Une valeur numérique dépasse la taille admise (nombre, population ou logements) : "
                "rien n'a été importé."
            ]
        ) from exc
    if not partial:
        missing = missing_indicators(edition, info.layout)
        if missing:
            raise ImportRefused(missing)
    # Once committed, the France and region totals of the edition are computed in the background (they
    # are cached until the next import): the first statistics page or review does not wait for them.
    transaction.on_commit(lambda pk=edition.pk: warm_statistics.enqueue(pk))
    return _record_batch(
        acting_user=acting_user,
        edition=edition,
        layout=info.layout,
        file_name=file_name,
        sha256=sha256,
        engine=engine,
        stats=stats,
        started=started,
    )


def _record_batch(
    *, acting_user, edition, layout, file_name, sha256, engine, stats, started
) -> ImportBatch:
    """The import's batch and its audit entry; nothing stored when the same file changed nothing."""
    batch_fields = dict(
        edition=edition,
        layout=layout.kind,
        file_name=file_name[:300],
        sha256=sha256,
        engine=engine,
        row_count=stats.rows,
        created_count=stats.created,
        updated_count=stats.updated,
        unchanged_count=stats.unchanged,
        duration_ms=int((time.perf_counter() - started) * 1000),
        imported_by=acting_user
        if acting_user is not None and acting_user.is_authenticated
        else None,
    )
    if (
        stats.created == 0
        and stats.updated == 0
        and ImportBatch.objects.filter(edition=edition, sha256=sha256).exists()
    ):
        # The same file again, and no value changed: nothing to store or log.
        return ImportBatch(**batch_fields)
    batch = ImportBatch.objects.create(**batch_fields)
    record_create(
        acting_user=acting_user,
        instance=batch,
        department=getattr(acting_user, "department", None),
        reason=f"Import de la {layout.label} SSMSI, {edition.label}",
    )
    return batch


def missing_indicators(edition: Edition, layout) -> list[str]:
    """Messages for what an edition lacks against its layout's indicators (empty when complete).

    Departmental layouts: every department and year of the file has each indicator of the layout.
    Communal layout: the edition has each indicator of the layout.
    """
    expected = set(layout.indicators)
    if not expected:
        return []
    hint = "Si le fichier ne contient volontairement qu'une partie de la base, cochez « édition partielle »."
    if layout.level == TerritoryLevel.COMMUNE:
        present = set(
            CommuneIndicatorLabel.objects.filter(edition=edition).values_list(
                "indicator__name", flat=True
            )
        )
        lacking = sorted(expected - present)
        if not lacking:
            return []
        return [
            f"Édition incomplète : il manque {len(lacking)} indicateur(s) de la {layout.label} "
            f"({', '.join(lacking)}). {hint}"
        ]
    present: dict[tuple[str, int], set[str]] = {}
    for code, year, name in Observation.objects.filter(
        series__edition=edition, series__level=layout.level, month=0
    ).values_list("series__code", "year", "series__indicator__name"):
        present.setdefault((code, year), set()).add(name)
    errors = []
    for (code, year), names in sorted(present.items()):
        lacking = sorted(expected - names)
        if lacking:
            errors.append(
                f"Édition incomplète : département {code}, année {year} : il manque {len(lacking)} "
                f"indicateur(s) de la {layout.label} ({', '.join(lacking)})."
            )
    if not errors:
        return []
    return [*errors[: MAX_ERRORS - 1], hint]


@transaction.atomic
def publish_edition(*, acting_user, edition: Edition) -> Edition:
    """Publish an edition after its preview: it becomes the default edition of its pages. A published
    edition of the same source and date is withdrawn (replaced)."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.status != EditionStatus.PENDING:
        raise EditionStateError(
            f"Seule une édition en attente peut être publiée (cette édition est « {edition.get_status_display()} »)."
        )
    replaced = Edition.objects.filter(
        source=edition.source_id, published_on=edition.published_on, status=EditionStatus.PUBLISHED
    ).first()
    if replaced is not None:
        _set_status(
            acting_user,
            replaced,
            EditionStatus.WITHDRAWN,
            f"Remplacée par l'édition déposée le {french_date(timezone.localdate())} (même date)",
        )
    _set_status(acting_user, edition, EditionStatus.PUBLISHED, "Publication après aperçu")
    return edition


@transaction.atomic
def withdraw_edition(*, acting_user, edition: Edition, reason: str = "") -> Edition:
    """Withdraw an edition: no page shows it any more; the newest published edition left is the default."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.status == EditionStatus.WITHDRAWN:
        raise EditionStateError("Cette édition est déjà retirée.")
    default = (
        "Dépôt abandonné après aperçu"
        if edition.status == EditionStatus.PENDING
        else "Retrait de l'édition publiée"
    )
    _set_status(acting_user, edition, EditionStatus.WITHDRAWN, reason or default)
    return edition


def _set_status(acting_user, edition: Edition, status: str, reason: str) -> None:
    before = snapshot(edition, ["status"])
    edition.status = status
    edition.save(update_fields=["status"])
    record_update(
        acting_user=acting_user,
        instance=edition,
        before=before,
        department=edition.uploader_department,
        reason=reason,
    )


# ------------------------------------------------------------------------------------------ plans


class PlanFiguresError(Exception):
    pass


@dataclass
class PlanLoadResult:
    editions: int = 0
    series: int = 0
    observations_created: int = 0
    observations_updated: int = 0
    stated_figures: int = 0


def _choice(enum, value, what, ref):
    value = value or ""
    if value not in enum.values:
        raise PlanFiguresError(
            f"{ref} : {what} « {value} » inconnu(e) (valeurs possibles : {', '.join(enum.values)})."
        )
    return value


def _value(raw, ref, year) -> Decimal:
    try:
        return Decimal(str(raw))
    except InvalidOperation as exc:
        raise PlanFiguresError(f"{ref} : valeur « {raw} » de {year} non numérique.") from exc


@transaction.atomic
def load_plan_figures(*, acting_user, path=PLAN_FIGURES_FILE) -> PlanLoadResult:
    """Load (or refresh) the figures of the plans from plan-figures.json. Idempotent."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PlanFiguresError(f"Fichier de chiffres des plans illisible : {exc}") from exc
    reference = ensure_ssmsi_indicators()
    by_name = {name: indicator for name, indicator in reference.items()}
    result = PlanLoadResult()
    for plan in data["plans"]:
        source, _ = Source.objects.update_or_create(
            kind=SourceKind.PLAN,
            name=plan["title"],
            defaults={
                "department_code": plan["department"],
                "publisher": f"Préfecture ({plan['department']})",
                "url": plan.get("url", ""),
                "licence": "",
            },
        )
        signed_on = date.fromisoformat(plan["signed_on"])
        edition, created = Edition.objects.update_or_create(
            source=source,
            published_on=signed_on,
            defaults={
                "label": f"signé à {plan['signed_at']} le {french_date(signed_on)}",
                "notes": plan.get("document", ""),
            },
        )
        result.editions += 1
        changes = _load_plan_series(edition, plan, by_name, result)
        if created or changes:
            record(
                acting_user=acting_user,
                action=AuditAction.CREATE if created else AuditAction.UPDATE,
                instance=edition,
                changes={
                    "chiffres": {
                        "label": "chiffres du plan",
                        "old": "",
                        "new": f"{len(plan['series'])} séries, {len(plan.get('stated_figures', []))} chiffres annoncés",
                    }
                },
                reason="Chargement des chiffres du plan (plan-figures.json)",
            )
    return result


def _load_plan_series(edition, plan, by_name, result: PlanLoadResult) -> int:
    """Series, observations and stated figures of one plan; returns the number of changes."""
    changes = 0
    series_by_ref = {}
    for item in plan["series"]:
        series = _plan_series(edition, plan, item, by_name)
        series_by_ref[item["ref"]] = series
        result.series += 1
        changes += _sync_plan_observations(series, item, result)
    stale_series = edition.series.exclude(ref__in=series_by_ref.keys())
    if stale_series.exists():
        changes += stale_series.count()
        stale_series.delete()
    return changes + _load_stated_figures(edition, plan, series_by_ref, result)


def _plan_series(edition, plan, item, by_name) -> Series:
    ref = item["ref"]
    name = item["indicator"]
    indicator = by_name.get(name)
    if indicator is None:
        indicator, _ = StatisticalIndicator.objects.get_or_create(
            slug=indicator_slug(name),
            defaults={"name": name, "rate_base": RateBase.INHABITANTS, "order": 500},
        )
        by_name[name] = indicator
    compare_with = None
    if item.get("compare_with"):
        compare_with = by_name.get(item["compare_with"])
        if compare_with is None:
            raise PlanFiguresError(f"{ref} : indicateur SSMSI « {item['compare_with']} » inconnu.")
    territory = item["territory"]
    level = _choice(TerritoryLevel, territory["level"], "niveau de territoire", ref)
    code = territory["code"]
    department_code = plan["department"] if level != TerritoryLevel.COUNTRY else ""
    series, _ = Series.objects.update_or_create(
        edition=edition,
        ref=ref,
        defaults={
            "indicator": indicator,
            "unit": _choice(Unit, item.get("unit"), "unité", ref),
            "measure": _choice(Measure, item.get("measure", Measure.COUNT), "mesure", ref),
            "level": level,
            "code": code,
            "name": territory.get("name", ""),
            "department_code": department_code,
            "zone": _choice(Zone, item.get("zone", ""), "zone", ref),
            "breakdown": _choice(Breakdown, item.get("breakdown", ""), "ventilation", ref),
            "original_producer": _choice(SourceKind, item.get("producer", ""), "producteur", ref)
            if item.get("producer")
            else "",
            "section": item.get("section", ""),
            "context": item.get("context", ""),
            "note": item.get("note", ""),
            "compare_with": compare_with,
            "comparison_note": item.get("comparison_note", ""),
        },
    )
    return series


def _sync_plan_observations(series, item, result: PlanLoadResult) -> int:
    """The series' yearly values as the plan gives them: created, updated, stale years deleted."""
    changes = 0
    existing = {o.year: o for o in series.observations.filter(month=0)}
    years = set()
    for year_text, raw in item["values"].items():
        year = int(year_text)
        years.add(year)
        value = _value(raw, item["ref"], year)
        current = existing.get(year)
        if current is None:
            Observation.objects.create(series=series, year=year, month=0, value=value)
            result.observations_created += 1
            changes += 1
        elif current.value != value:
            current.value = value
            current.save(update_fields=["value"])
            result.observations_updated += 1
            changes += 1
    stale = [year for year in existing if year not in years]
    if stale:
        Observation.objects.filter(series=series, month=0, year__in=stale).delete()
        changes += len(stale)
    return changes


def _load_stated_figures(edition, plan, series_by_ref, result: PlanLoadResult) -> int:
    changes = 0
    kept = []
    for order, figure in enumerate(plan.get("stated_figures", []), start=1):
        ref = figure.get("series")
        if ref and ref not in series_by_ref:
            raise PlanFiguresError(
                f"Chiffre annoncé « {figure['label']} » : série « {ref} » inconnue."
            )
        stated, created = StatedFigure.objects.update_or_create(
            edition=edition,
            order=order,
            defaults={
                "series": series_by_ref.get(ref) if ref else None,
                "kind": _choice(
                    StatedFigureKind, figure["kind"], "nature de chiffre", figure["label"]
                ),
                "label": figure["label"],
                "from_year": figure.get("from"),
                "to_year": figure.get("to"),
                "stated_value": _value(figure["stated"], figure["label"], ""),
                "decimals": figure["decimals"],
                "population": figure.get("population"),
                "quote": figure["quote"],
                "context": figure["context"],
            },
        )
        changes += int(created)
        kept.append(stated.pk)
        result.stated_figures += 1
    StatedFigure.objects.filter(edition=edition).exclude(pk__in=kept).delete()
    return changes


def load_statistics_demo(*, acting_user=None) -> tuple[ImportBatch, PlanLoadResult]:
    """The demo data: the SSMSI departmental base of January 2025 and the figures of both seed plans."""
    batch = import_ssmsi_file(acting_user=acting_user, path=DEMO_SSMSI_FILE)
    return batch, load_plan_figures(acting_user=acting_user)


__all__ = [
    "EditionStateError",
    "ImportRefused",
    "PlanFiguresError",
    "import_ssmsi_file",
    "load_plan_figures",
    "load_statistics_demo",
    "publish_edition",
    "withdraw_edition",
]
