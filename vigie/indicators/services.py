"""Every write to indicators, campaigns, values and action reports goes through here.

Each write records its audit entry in the same transaction, with the measure as parent so that the
measure's history shows it; status transitions appear as a change of "statut" (old → new).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, models, router, transaction
from django.utils import timezone

from vigie.audit import services as audit
from vigie.audit.enums import AuditAction
from vigie.audit.models import AuditEntry
from vigie.core.formatting import number
from vigie.indicators import perms
from vigie.indicators.enums import CampaignStatus, ValueSource, ValueStatus
from vigie.indicators.models import ActionReport, Campaign, Indicator, IndicatorValue
from vigie.indicators.periods import label as period_label
from vigie.indicators.territory import Territory
from vigie.plans import services as plan_services

TRACKED_FIELDS = ["value", "comment", "status", "review_comment"]


def _department_of(indicator):
    return indicator.measure.axis.plan.department


# ---------------------------------------------------------------- definitions and campaigns


@transaction.atomic
def update_indicator(*, acting_user, indicator: Indicator, data: dict) -> Indicator:
    before = audit.snapshot(indicator, list(data))
    for name, value in data.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    indicator.save()
    audit.record_update(
        acting_user=acting_user,
        instance=indicator,
        before=before,
        parent=indicator.measure,
        department=_department_of(indicator),
    )
    return indicator


@transaction.atomic
def open_campaign(*, acting_user, plan, data: dict) -> Campaign:
    campaign = Campaign(
        plan=plan, created_by=acting_user if acting_user.is_authenticated else None, **data
    )
    campaign.full_clean()
    campaign.save()
    audit.record_create(
        acting_user=acting_user, instance=campaign, parent=plan, department=plan.department
    )
    return campaign


@transaction.atomic
def update_campaign(*, acting_user, campaign: Campaign, data: dict) -> Campaign:
    before = audit.snapshot(campaign, list(data))
    for name, value in data.items():
        setattr(campaign, name, value)
    campaign.full_clean()
    campaign.save()
    audit.record_update(
        acting_user=acting_user,
        instance=campaign,
        before=before,
        parent=campaign.plan,
        department=campaign.plan.department,
    )
    return campaign


def close_campaign(*, acting_user, campaign: Campaign) -> Campaign:
    return update_campaign(
        acting_user=acting_user, campaign=campaign, data={"status": CampaignStatus.CLOSED}
    )


def reopen_campaign(*, acting_user, campaign: Campaign) -> Campaign:
    return update_campaign(
        acting_user=acting_user, campaign=campaign, data={"status": CampaignStatus.OPEN}
    )


# ---------------------------------------------------------------- values


def _value_changes(before: dict, value: IndicatorValue) -> dict:
    return audit.diff(value, before, audit.snapshot(value, TRACKED_FIELDS))


def _record_value(
    *, acting_user, value: IndicatorValue, action: str, changes: dict, reason: str = ""
):
    audit.record(
        acting_user=acting_user,
        action=action,
        instance=value,
        changes=changes,
        parent=value.indicator.measure,
        department=value.department,
        reason=reason,
    )


def _creation_changes(value: IndicatorValue) -> dict:
    meta = IndicatorValue._meta
    changes = {
        "period": {"label": "période", "old": "", "new": period_label(value.period)},
        "territory_key": {"label": "territoire", "old": "", "new": value.territory_name},
    }
    for name, new in audit.snapshot(value, TRACKED_FIELDS).items():
        if new != "":
            changes[name] = {"label": str(meta.get_field(name).verbose_name), "old": "", "new": new}
    return changes


def check_entry(
    *,
    acting_user,
    campaign: Campaign,
    indicator: Indicator,
    territory: Territory | None,
    period: str,
    scope: perms.EntryScope | None = None,
) -> None:
    """Raise PermissionDenied (outside scope) or ValidationError (campaign, period) with French messages."""
    scope = scope or perms.EntryScope(acting_user, campaign.plan)
    if indicator.measure.axis.plan_id != campaign.plan_id:
        raise ValidationError("Cet indicateur n'appartient pas au plan de la campagne.")
    if indicator.is_computed:
        raise ValidationError("Cet indicateur est calculé : il ne se saisit pas.")
    if not scope.allows(indicator, territory):
        raise PermissionDenied("Vous ne pouvez pas saisir cet indicateur pour ce territoire.")
    if not campaign.is_open:
        raise ValidationError("La campagne est close : plus aucune saisie n'est possible.")
    if not campaign.accepts(indicator.periodicity, period):
        raise ValidationError(
            f"La période « {period} » n'appartient pas à la campagne « {campaign} » "
            f"(périodes attendues : {', '.join(campaign.periods_for(indicator.periodicity)) or 'aucune'})."
        )


@dataclass
class SaveResult:
    value: IndicatorValue | None
    created: bool = False
    changed: bool = False


@transaction.atomic
def save_value(
    *,
    acting_user,
    campaign: Campaign,
    indicator: Indicator,
    territory: Territory,
    period: str,
    value: Decimal,
    comment: str = "",
    submit: bool = False,
    reason: str = "",
    source: str = ValueSource.FORM,
    scope: perms.EntryScope | None = None,
) -> SaveResult:
    """Enter (or correct) one value. A validated value is corrected only with a reason; a correction
    by someone who cannot validate sends it back to "submitted"."""
    scope = scope or perms.EntryScope(acting_user, campaign.plan)
    check_entry(
        acting_user=acting_user,
        campaign=campaign,
        indicator=indicator,
        territory=territory,
        period=period,
        scope=scope,
    )
    if value is None:
        raise ValidationError("Indiquez une valeur.")
    now = timezone.now()
    existing = (
        IndicatorValue.objects.select_for_update(of=("self",))
        .select_related("indicator__measure", "department", "epci", "commune")
        .filter(indicator=indicator, period=period, territory_key=territory.key)
        .first()
    )
    if existing is None:
        new = IndicatorValue(
            indicator=indicator,
            campaign=campaign,
            period=period,
            department_id=territory.department_id,
            epci_id=territory.epci_id,
            commune_id=territory.commune_id,
            territory_key=territory.key,
            value=value,
            comment=comment,
            source=source,
            entered_by=acting_user,
            status=ValueStatus.SUBMITTED if submit else ValueStatus.DRAFT,
            submitted_at=now if submit else None,
        )
        new.save()
        _record_value(
            acting_user=acting_user,
            value=new,
            action=AuditAction.CREATE,
            changes=_creation_changes(new),
            reason=reason,
        )
        return SaveResult(new, created=True, changed=True)

    unchanged = existing.value == value and existing.comment == comment
    before = audit.snapshot(existing, TRACKED_FIELDS)
    if existing.status == ValueStatus.VALIDATED:
        if unchanged:
            return SaveResult(existing)
        if not reason.strip():
            raise ValidationError("Cette valeur est validée : indiquez le motif de la correction.")
        if not scope.is_validator:
            existing.status = ValueStatus.SUBMITTED
            existing.submitted_at = now
    elif existing.status == ValueStatus.SUBMITTED and not submit and unchanged:
        return SaveResult(existing)
    else:
        if (
            unchanged
            and not submit
            and existing.status in (ValueStatus.DRAFT, ValueStatus.RETURNED)
        ):
            return SaveResult(existing)
        existing.status = ValueStatus.SUBMITTED if submit else ValueStatus.DRAFT
        existing.submitted_at = now if submit else existing.submitted_at
    existing.value = value
    existing.comment = comment
    existing.campaign = campaign
    existing.source = source
    existing.entered_by = acting_user
    existing.save()
    _record_value(
        acting_user=acting_user,
        value=existing,
        action=AuditAction.UPDATE,
        changes=_value_changes(before, existing),
        reason=reason,
    )
    return SaveResult(existing, changed=True)


def _check_can_submit(acting_user, value: IndicatorValue, scope: perms.EntryScope):
    from vigie.indicators.territory import territory_of_value

    if not scope.allows(value.indicator, territory_of_value(value)):
        raise PermissionDenied("Vous ne pouvez pas soumettre cette valeur.")
    if not value.campaign.is_open:
        raise ValidationError("La campagne est close : plus aucune saisie n'est possible.")


@transaction.atomic
def submit_value(
    *, acting_user, value: IndicatorValue, scope: perms.EntryScope | None = None
) -> IndicatorValue:
    scope = scope or perms.EntryScope(acting_user, value.campaign.plan)
    _check_can_submit(acting_user, value, scope)
    if value.status not in (ValueStatus.DRAFT, ValueStatus.RETURNED):
        raise ValidationError("Seule une valeur en brouillon ou renvoyée peut être soumise.")
    before = audit.snapshot(value, TRACKED_FIELDS)
    value.status = ValueStatus.SUBMITTED
    value.submitted_at = timezone.now()
    value.save(update_fields=["status", "submitted_at", "updated_at"])
    _record_value(
        acting_user=acting_user,
        value=value,
        action=AuditAction.UPDATE,
        changes=_value_changes(before, value),
    )
    return value


def submit_values(*, acting_user, values, scope: perms.EntryScope | None = None) -> int:
    count = 0
    with transaction.atomic():
        for value in values:
            scope = scope or perms.EntryScope(acting_user, value.campaign.plan)
            submit_value(acting_user=acting_user, value=value, scope=scope)
            count += 1
    return count


def _check_validator(acting_user, value: IndicatorValue):
    if not perms.can_validate(acting_user, value.campaign.plan):
        raise PermissionDenied("Seule la préfecture valide les valeurs.")


@transaction.atomic
def validate_value(*, acting_user, value: IndicatorValue) -> IndicatorValue:
    _check_validator(acting_user, value)
    if value.status != ValueStatus.SUBMITTED:
        raise ValidationError("Seule une valeur soumise peut être validée.")
    before = audit.snapshot(value, TRACKED_FIELDS)
    value.status = ValueStatus.VALIDATED
    value.review_comment = ""
    value.validated_by = acting_user
    value.validated_at = timezone.now()
    value.save(
        update_fields=["status", "review_comment", "validated_by", "validated_at", "updated_at"]
    )
    _record_value(
        acting_user=acting_user,
        value=value,
        action=AuditAction.UPDATE,
        changes=_value_changes(before, value),
    )
    return value


@transaction.atomic
def return_value(*, acting_user, value: IndicatorValue, comment: str) -> IndicatorValue:
    _check_validator(acting_user, value)
    if value.status != ValueStatus.SUBMITTED:
        raise ValidationError("Seule une valeur soumise peut être renvoyée.")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError("Expliquez ce qui doit être corrigé.")
    before = audit.snapshot(value, TRACKED_FIELDS)
    value.status = ValueStatus.RETURNED
    value.review_comment = comment[:2000]
    value.save(update_fields=["status", "review_comment", "updated_at"])
    _record_value(
        acting_user=acting_user,
        value=value,
        action=AuditAction.UPDATE,
        changes=_value_changes(before, value),
        reason=comment,
    )
    return value


# ---------------------------------------------------------------- bulk import


@dataclass
class ImportLine:
    indicator: Indicator
    territory: Territory
    period: str
    value: Decimal
    comment: str


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _converter(field, ops):
    """The database adaptation of one column (the same as the field's own, without its per-call overhead)."""
    if isinstance(field, models.DateTimeField):
        cache = {}

        def convert(value):
            if value not in cache:
                cache[value] = ops.adapt_datetimefield_value(value)
            return cache[value]

        return convert
    if isinstance(field, models.DecimalField):
        return lambda value: ops.adapt_decimalfield_value(
            value, field.max_digits, field.decimal_places
        )
    if isinstance(field, models.JSONField):
        return lambda value: ops.adapt_json_value(value, field.encoder)
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    return None


def _insert_rows(model, field_names: list[str], rows: list[tuple], batch: int = 2000) -> None:
    """Plain INSERTs in batches: the ORM's bulk_create spends most of its time compiling SQL per object,
    which matters at 100,000 rows. Values go through the database adaptation of their field type."""
    db = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in field_names]
    converters = [_converter(f, db.ops) for f in fields]
    quote = db.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with db.cursor() as cursor:
        for start in range(0, len(rows), batch):
            cursor.executemany(
                sql,
                [
                    tuple(
                        v if c is None or v is None else c(v)
                        for c, v in zip(converters, row, strict=True)
                    )
                    for row in rows[start : start + batch]
                ],
            )


VALUE_COLUMNS = [
    "indicator",
    "campaign",
    "period",
    "department",
    "epci",
    "commune",
    "territory_key",
    "value",
    "comment",
    "status",
    "review_comment",
    "source",
    "is_demo",
    "entered_by",
    "validated_by",
    "submitted_at",
    "validated_at",
    "created_at",
    "updated_at",
]
AUDIT_COLUMNS = [
    "created_at",
    "actor",
    "actor_repr",
    "action",
    "content_type",
    "object_id",
    "object_repr",
    "parent_content_type",
    "parent_object_id",
    "department",
    "changes",
    "reason",
]


@transaction.atomic
def import_values(
    *,
    acting_user,
    campaign: Campaign,
    lines: list[ImportLine],
    submit: bool,
    source: str = ValueSource.IMPORT,
    filename: str = "",
) -> ImportSummary:
    """Write lines already checked by vigie.indicators.spreadsheets (scope, period, numbers) in bulk.

    Validated values are never changed here (the check refuses them unless unchanged); one audit entry
    per created or changed value (parent: the measure), plus one for the import on the campaign.
    """
    summary = ImportSummary()
    if not lines:
        return summary
    now = timezone.now()
    status = ValueStatus.SUBMITTED if submit else ValueStatus.DRAFT
    status_label = ValueStatus(status).label
    indicator_ids = {line.indicator.pk for line in lines}
    period_codes = {line.period for line in lines}
    existing = {
        (v.indicator_id, v.period, v.territory_key): v
        for v in IndicatorValue.objects.select_for_update(of=("self",))
        .filter(indicator_id__in=indicator_ids, period__in=period_codes)
        .only(
            "pk",
            "indicator_id",
            "period",
            "territory_key",
            "value",
            "comment",
            "status",
            "submitted_at",
        )
    }
    actor = acting_user if acting_user is not None and acting_user.is_authenticated else None
    actor_id = actor.pk if actor else None
    actor_repr = f"{actor} ({actor.username})" if actor else "système"
    value_ct = ContentType.objects.get_for_model(IndicatorValue).pk
    measure_ct = ContentType.objects.get_for_model(
        Indicator._meta.get_field("measure").related_model
    ).pk
    department_id = campaign.plan.department_id
    reason = f"Import du fichier {filename}"[:500]
    labels = {pk: str(line.indicator)[:150] for line in lines for pk in [line.indicator.pk]}

    new_rows, new_audit, to_update, update_audit = [], [], [], []
    for line in lines:
        key = (line.indicator.pk, line.period, line.territory.key)
        current = existing.get(key)
        repr_ = (
            f"{labels[line.indicator.pk]} — {line.territory.name} — {period_label(line.period)}"[
                :300
            ]
        )
        if current is None:
            t = line.territory
            new_rows.append(
                (
                    line.indicator.pk,
                    campaign.pk,
                    line.period,
                    t.department_id,
                    t.epci_id,
                    t.commune_id,
                    t.key,
                    line.value,
                    line.comment,
                    status,
                    "",
                    source,
                    False,
                    actor_id,
                    None,
                    now if submit else None,
                    None,
                    now,
                    now,
                )
            )
            changes = {
                "period": {"label": "période", "old": "", "new": period_label(line.period)},
                "territory_key": {"label": "territoire", "old": "", "new": t.name},
                "value": {"label": "valeur", "old": "", "new": format(line.value.normalize(), "f")},
                "status": {"label": "statut", "old": "", "new": status_label},
            }
            if line.comment:
                changes["comment"] = {"label": "commentaire", "old": "", "new": line.comment}
            new_audit.append((key, repr_, line.indicator.measure_id, changes))
            summary.created += 1
            continue
        if current.status == ValueStatus.VALIDATED or (
            current.value == line.value
            and current.comment == line.comment
            and current.status == status
        ):
            summary.unchanged += 1
            continue
        changes = {}
        if current.value != line.value:
            changes["value"] = {
                "label": "valeur",
                "old": format(current.value.normalize(), "f"),
                "new": format(line.value.normalize(), "f"),
            }
        if current.comment != line.comment:
            changes["comment"] = {
                "label": "commentaire",
                "old": current.comment,
                "new": line.comment,
            }
        if current.status != status:
            changes["status"] = {
                "label": "statut",
                "old": ValueStatus(current.status).label,
                "new": status_label,
            }
        current.value, current.comment, current.status = line.value, line.comment, status
        current.campaign_id, current.source, current.entered_by_id, current.updated_at = (
            campaign.pk,
            source,
            actor_id,
            now,
        )
        if submit:
            current.submitted_at = now
        to_update.append(current)
        update_audit.append((current.pk, repr_, line.indicator.measure_id, changes))
        summary.updated += 1

    _insert_rows(IndicatorValue, VALUE_COLUMNS, new_rows)
    IndicatorValue.objects.bulk_update(
        to_update,
        [
            "value",
            "comment",
            "status",
            "campaign",
            "source",
            "entered_by",
            "updated_at",
            "submitted_at",
        ],
        batch_size=2000,
    )
    ids = {}
    if new_audit:
        ids = {
            (i, p, k): pk
            for i, p, k, pk in IndicatorValue.objects.filter(
                indicator_id__in=indicator_ids, period__in=period_codes
            ).values_list("indicator_id", "period", "territory_key", "pk")
        }
    audit_rows = [
        (
            now,
            actor_id,
            actor_repr,
            AuditAction.CREATE,
            value_ct,
            str(ids[key]),
            repr_,
            measure_ct,
            str(measure_id),
            department_id,
            changes,
            reason,
        )
        for key, repr_, measure_id, changes in new_audit
    ] + [
        (
            now,
            actor_id,
            actor_repr,
            AuditAction.UPDATE,
            value_ct,
            str(pk),
            repr_,
            measure_ct,
            str(measure_id),
            department_id,
            changes,
            reason,
        )
        for pk, repr_, measure_id, changes in update_audit
    ]
    _insert_rows(AuditEntry, AUDIT_COLUMNS, audit_rows)
    audit.record(
        acting_user=acting_user,
        action=AuditAction.UPDATE,
        instance=campaign,
        parent=campaign.plan,
        department=campaign.plan.department,
        changes={
            "import": {
                "label": "import de tableur",
                "old": "",
                "new": f"{filename} : {summary.created} créée(s), {summary.updated} modifiée(s), "
                f"{summary.unchanged} inchangée(s)",
            }
        },
    )
    return summary


# ---------------------------------------------------------------- actions


@transaction.atomic
def report_action(
    *, acting_user, campaign: Campaign, action, status: str, note: str
) -> ActionReport:
    """Record an action's progress in the campaign, and update the action itself (plans service)."""
    if action.measure.axis.plan_id != campaign.plan_id:
        raise ValidationError("Cette action n'appartient pas au plan de la campagne.")
    if not perms.can_report_action(acting_user, action):
        raise PermissionDenied("Vous ne pouvez pas déclarer l'avancement de cette action.")
    if not campaign.is_open:
        raise ValidationError("La campagne est close : plus aucune saisie n'est possible.")
    report = (
        ActionReport.objects.select_for_update(of=("self",))
        .filter(campaign=campaign, action=action)
        .first()
    )
    measure = action.measure
    department = measure.axis.plan.department
    if report is None:
        report = ActionReport(
            campaign=campaign, action=action, status=status, note=note, reported_by=acting_user
        )
        report.full_clean()
        report.save()
        audit.record_create(
            acting_user=acting_user, instance=report, parent=measure, department=department
        )
    else:
        before = audit.snapshot(report, ["status", "note"])
        report.status, report.note, report.reported_by = status, note, acting_user
        report.full_clean()
        report.save()
        audit.record_update(
            acting_user=acting_user,
            instance=report,
            before=before,
            parent=measure,
            department=department,
        )
    plan_services.update_action(
        acting_user=acting_user, action=action, data={"status": status, "progress_note": note}
    )
    return report


def describe_value(value: IndicatorValue) -> str:
    return f"{number(value.value)} ({value.get_status_display().lower()})"
