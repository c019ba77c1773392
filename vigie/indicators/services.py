"""Every write to indicators, campaigns, values and action reports goes through here.

Each write records its audit entry in the same transaction, with the measure as parent so that the
measure's history shows it; status transitions appear as a change of "statut" (old → new).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vigie.audit import services as audit
from vigie.audit.enums import AuditAction
from vigie.core.bulk import insert_rows
from vigie.core.concurrency import claim
from vigie.core.formatting import number
from vigie.indicators import perms
from vigie.indicators.enums import CampaignStatus, ValueSource, ValueStatus
from vigie.indicators.models import ActionReport, Campaign, Indicator, IndicatorValue
from vigie.indicators.periods import label as period_label
from vigie.indicators.territory import Territory
from vigie.plans import services as plan_services

TRACKED_FIELDS = ["value", "is_below_threshold", "comment", "status", "review_comment"]


def _department_of(indicator):
    return indicator.measure.axis.plan.department


# ---------------------------------------------------------------- definitions and campaigns


@transaction.atomic
def update_indicator(
    *, acting_user, indicator: Indicator, data: dict, read_version: int | None = None
) -> Indicator:
    """Change a definition read at `read_version` (StaleEdit when someone changed it since)."""
    before = audit.snapshot(indicator, list(data))
    for name, value in data.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    if audit.snapshot(indicator, list(data)) == before:
        return indicator
    claim(indicator, read_version)
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
    below_threshold: bool = False,
) -> SaveResult:
    """Enter (or correct) one value. A validated value is corrected only with a reason; a correction
    by someone who cannot validate sends it back to "submitted".

    `below_threshold`: a count of 1 to 4 people that must not be published; the caller gives no count (the
    value is stored as 0 and shown « < 5 » everywhere, see IndicatorValue.is_below_threshold)."""
    scope = scope or perms.EntryScope(acting_user, campaign.plan)
    check_entry(
        acting_user=acting_user,
        campaign=campaign,
        indicator=indicator,
        territory=territory,
        period=period,
        scope=scope,
    )
    if below_threshold:
        value = Decimal(0)
    if value is None:
        raise ValidationError("Indiquez une valeur.")
    existing = (
        IndicatorValue.objects.select_for_update(of=("self",))
        .select_related("indicator__measure", "department", "epci", "commune")
        .filter(indicator=indicator, period=period, territory_key=territory.key)
        .first()
    )
    entry = {
        "value": value,
        "comment": comment,
        "source": source,
        "is_below_threshold": below_threshold,
    }
    if existing is None:
        new = _create_value(
            acting_user, campaign, indicator, territory, period, submit=submit, **entry
        )
        _record_value(
            acting_user=acting_user,
            value=new,
            action=AuditAction.CREATE,
            changes=_creation_changes(new),
            reason=reason,
        )
        return SaveResult(new, created=True, changed=True)
    before = audit.snapshot(existing, TRACKED_FIELDS)
    same_flag = existing.is_below_threshold == below_threshold
    if not _apply_new_status(
        existing, value, comment, submit=submit, reason=reason, scope=scope, same_flag=same_flag
    ):
        return SaveResult(existing)
    existing.value, existing.comment, existing.source = value, comment, source
    existing.is_below_threshold = below_threshold
    existing.campaign, existing.entered_by = campaign, acting_user
    existing.save()
    _record_value(
        acting_user=acting_user,
        value=existing,
        action=AuditAction.UPDATE,
        changes=_value_changes(before, existing),
        reason=reason,
    )
    return SaveResult(existing, changed=True)


def _create_value(
    acting_user,
    campaign,
    indicator,
    territory,
    period,
    *,
    value,
    comment,
    source,
    submit,
    is_below_threshold,
) -> IndicatorValue:
    new = IndicatorValue(
        indicator=indicator,
        campaign=campaign,
        period=period,
        department_id=territory.department_id,
        epci_id=territory.epci_id,
        commune_id=territory.commune_id,
        territory_key=territory.key,
        value=value,
        is_below_threshold=is_below_threshold,
        comment=comment,
        source=source,
        entered_by=acting_user,
        status=ValueStatus.SUBMITTED if submit else ValueStatus.DRAFT,
        submitted_at=timezone.now() if submit else None,
    )
    new.save()
    return new


def _apply_new_status(
    existing: IndicatorValue, value, comment, *, submit: bool, reason: str, scope, same_flag=True
) -> bool:
    """Set the status a new entry gives an existing value; False when the entry changes nothing.

    A validated value is corrected only with a reason, and goes back to "submitted" when corrected by
    someone who cannot validate; otherwise the value becomes submitted (`submit`) or a draft.
    """
    unchanged = existing.value == value and existing.comment == comment and same_flag
    now = timezone.now()
    if existing.status == ValueStatus.VALIDATED:
        if unchanged:
            return False
        if not reason.strip():
            raise ValidationError("Cette valeur est validée : indiquez le motif de la correction.")
        if not scope.is_validator:
            existing.status = ValueStatus.SUBMITTED
            existing.submitted_at = now
        return True
    if unchanged and not submit:
        # A submitted value sent again as a draft stays submitted; a draft or returned one, unchanged.
        return False
    existing.status = ValueStatus.SUBMITTED if submit else ValueStatus.DRAFT
    existing.submitted_at = now if submit else existing.submitted_at
    return True


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
UPDATED_COLUMNS = [
    "value",
    "is_below_threshold",
    "comment",
    "status",
    "campaign",
    "source",
    "entered_by",
    "updated_at",
    "submitted_at",
]


def _decimal_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


@dataclass
class _ImportPlan:
    """What an import writes: rows to insert, values to update, and their audit entries."""

    campaign: Campaign
    status: str
    submit: bool
    source: str
    actor_id: int | None
    now: object
    summary: ImportSummary = field(default_factory=ImportSummary)
    new_rows: list[tuple] = field(default_factory=list)
    # (indicator, period, territory key), text, measure id, changes: the id is known after the insert.
    new_audit: list[tuple] = field(default_factory=list)
    to_update: list[IndicatorValue] = field(default_factory=list)
    update_audit: list[audit.PendingEntry] = field(default_factory=list)

    def add(self, line: ImportLine, current: IndicatorValue | None, text: str) -> None:
        if current is None:
            self._create(line, text)
        elif current.status == ValueStatus.VALIDATED or (
            current.value == line.value
            and current.comment == line.comment
            and current.status == self.status
            and not current.is_below_threshold
        ):
            self.summary.unchanged += 1
        else:
            self._update(line, current, text)

    def _create(self, line: ImportLine, text: str) -> None:
        t = line.territory
        self.new_rows.append(
            (
                line.indicator.pk,
                self.campaign.pk,
                line.period,
                t.department_id,
                t.epci_id,
                t.commune_id,
                t.key,
                line.value,
                line.comment,
                self.status,
                "",
                self.source,
                False,
                self.actor_id,
                None,
                self.now if self.submit else None,
                None,
                self.now,
                self.now,
            )
        )
        changes = {
            "period": {"label": "période", "old": "", "new": period_label(line.period)},
            "territory_key": {"label": "territoire", "old": "", "new": t.name},
            "value": {"label": "valeur", "old": "", "new": _decimal_text(line.value)},
            "status": {"label": "statut", "old": "", "new": ValueStatus(self.status).label},
        }
        if line.comment:
            changes["comment"] = {"label": "commentaire", "old": "", "new": line.comment}
        key = (line.indicator.pk, line.period, t.key)
        self.new_audit.append((key, text, line.indicator.measure_id, changes))
        self.summary.created += 1

    def _update(self, line: ImportLine, current: IndicatorValue, text: str) -> None:
        changes = {}
        if current.value != line.value:
            changes["value"] = {
                "label": "valeur",
                "old": _decimal_text(current.value),
                "new": _decimal_text(line.value),
            }
        if current.comment != line.comment:
            changes["comment"] = {
                "label": "commentaire",
                "old": current.comment,
                "new": line.comment,
            }
        if current.status != self.status:
            changes["status"] = {
                "label": "statut",
                "old": ValueStatus(current.status).label,
                "new": ValueStatus(self.status).label,
            }
        if current.is_below_threshold:  # a typed figure replaces a « < 5 » count
            changes["is_below_threshold"] = {"label": "inférieure à 5", "old": "oui", "new": "non"}
            current.is_below_threshold = False
        current.value, current.comment, current.status = line.value, line.comment, self.status
        current.campaign_id, current.source = self.campaign.pk, self.source
        current.entered_by_id, current.updated_at = self.actor_id, self.now
        if self.submit:
            current.submitted_at = self.now
        self.to_update.append(current)
        self.update_audit.append(
            audit.PendingEntry(
                AuditAction.UPDATE, current.pk, text, changes, line.indicator.measure_id
            )
        )
        self.summary.updated += 1


def _lock_existing(lines: list[ImportLine]) -> dict[tuple, IndicatorValue]:
    """The values the lines may replace, locked until the end of the import."""
    return {
        (v.indicator_id, v.period, v.territory_key): v
        for v in IndicatorValue.objects.select_for_update(of=("self",))
        .filter(
            indicator_id__in={line.indicator.pk for line in lines},
            period__in={line.period for line in lines},
        )
        .only(
            "pk",
            "indicator_id",
            "period",
            "territory_key",
            "value",
            "is_below_threshold",
            "comment",
            "status",
            "submitted_at",
        )
    }


def _write_values(plan: _ImportPlan) -> None:
    insert_rows(IndicatorValue, VALUE_COLUMNS, plan.new_rows)
    IndicatorValue.objects.bulk_update(plan.to_update, UPDATED_COLUMNS, batch_size=2000)


def _audit_import(acting_user, plan: _ImportPlan, lines: list[ImportLine], filename: str) -> None:
    """One entry per created or changed value (parent: the measure), one for the import itself."""
    campaign, summary = plan.campaign, plan.summary
    ids = {}
    if plan.new_audit:
        ids = {
            (i, p, k): pk
            for i, p, k, pk in IndicatorValue.objects.filter(
                indicator_id__in={line.indicator.pk for line in lines},
                period__in={line.period for line in lines},
            ).values_list("indicator_id", "period", "territory_key", "pk")
        }
    created = [
        audit.PendingEntry(AuditAction.CREATE, ids[key], text, changes, measure_id)
        for key, text, measure_id, changes in plan.new_audit
    ]
    audit.record_many(
        acting_user=acting_user,
        model=IndicatorValue,
        entries=created + plan.update_audit,
        parent_model=Indicator._meta.get_field("measure").related_model,
        department_id=campaign.plan.department_id,
        reason=f"Import du fichier {filename}",
    )
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
    if not lines:
        return ImportSummary()
    actor = acting_user if acting_user is not None and acting_user.is_authenticated else None
    plan = _ImportPlan(
        campaign=campaign,
        status=ValueStatus.SUBMITTED if submit else ValueStatus.DRAFT,
        submit=submit,
        source=source,
        actor_id=actor.pk if actor else None,
        now=timezone.now(),
    )
    existing = _lock_existing(lines)
    labels = {line.indicator.pk: str(line.indicator)[:150] for line in lines}
    for line in lines:
        text = f"{labels[line.indicator.pk]} — {line.territory.name} — {period_label(line.period)}"
        plan.add(
            line, existing.get((line.indicator.pk, line.period, line.territory.key)), text[:300]
        )
    _write_values(plan)
    _audit_import(acting_user, plan, lines, filename)
    return plan.summary


@dataclass
class SpreadsheetImport:
    """The outcome of `import_spreadsheet`: the check of every row, and what was written (if any)."""

    check: object  # vigie.indicators.spreadsheets.CheckResult
    summary: ImportSummary | None = None


@transaction.atomic
def import_spreadsheet(
    *,
    acting_user,
    campaign: Campaign,
    filename: str,
    data: bytes,
    submit: bool = False,
    dry_run: bool,
) -> SpreadsheetImport:
    """Read a filled-in template and check every row (scope, period, number); unless `dry_run` (the
    preview), write them all when every row is valid (all or nothing, audited like `import_values`).

    Raises PermissionDenied outside the campaign's people who enter values, and ValidationError (French
    message) when the file cannot be read. Rows with errors: nothing written, `summary` is None.
    """
    # Imported here: the spreadsheets module imports ImportLine from this one.
    from vigie.indicators import spreadsheets

    if not perms.can_collect(acting_user, campaign.plan):
        raise PermissionDenied("Vous ne pouvez pas saisir de valeurs pour ce plan.")
    try:
        sheet, rows = spreadsheets.read_upload(filename, data)
    except spreadsheets.UnreadableFile as exc:
        raise ValidationError(str(exc)) from exc
    check = spreadsheets.check_rows(campaign, acting_user, sheet, rows)
    if dry_run or not check.ok:
        return SpreadsheetImport(check)
    summary = import_values(
        acting_user=acting_user,
        campaign=campaign,
        lines=check.lines,
        submit=submit,
        filename=filename,
    )
    return SpreadsheetImport(check, summary)


# ---------------------------------------------------------------- actions


@transaction.atomic
def report_action(
    *,
    acting_user,
    campaign: Campaign,
    action,
    status: str,
    note: str,
    read_version: int | None = None,
) -> ActionReport:
    """Record an action's progress in the campaign, and update the action itself (plans service).

    `read_version` is the action's version the person read: StaleEdit, and nothing written, when
    someone changed the action since."""
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
        acting_user=acting_user,
        action=action,
        data={"status": status, "progress_note": note},
        read_version=read_version,
    )
    return report


def describe_value(value: IndicatorValue) -> str:
    return f"{number(value.value)} ({value.get_status_display().lower()})"
