"""Key rotation of the named cases, completed: after a new Fernet key is put first in VIGIE_CASEWORK_KEYS (the old
ones kept after it, so that everything still reads), `rotate_keys` rewrites every encrypted value under the first
key and recomputes each case's search hash with the current VIGIE_CASEWORK_SEARCH_KEY. Once it has run, the old
keys can be taken out of the environment.

One transaction: a value no key decrypts stops everything, nothing half-rewritten. Nothing named is printed or
logged: the report is a count per kind of row, and each group's history gets one audit entry with its counts.
"""

from django.db import transaction

from vigie.audit import services as audit
from vigie.audit.enums import AuditAction
from vigie.casework.crypto import SecretCharField, SecretTextField, name_hash
from vigie.casework.models import Case, CaseEntry, CaseGroup
from vigie.casework.rights_models import CaseRectification

ENCRYPTED_MODELS = (Case, CaseEntry, CaseRectification)


def _secret_fields(model) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, SecretCharField | SecretTextField)
    ]


@transaction.atomic
def rotate_keys(*, dry_run: bool = False, batch_size: int = 500) -> dict[str, int]:
    """{model label: rows rewritten (or that would be, with `dry_run`)}. Reading each row proves the keys open it."""
    counts = {}
    for model in ENCRYPTED_MODELS:
        fields = _secret_fields(model)
        # Read whole (not through a server-side cursor): a value no key opens raises while rows are read, and
        # the transaction must roll back cleanly. The groups' cases are counted in hundreds, not millions.
        rows = list(model.objects.order_by("pk").only("pk", *fields))
        if model is Case:
            for case in rows:
                case.name_hash = name_hash(f"{case.last_name} {case.first_name}")
            fields = [*fields, "name_hash"]
        if not dry_run and rows:
            # Saving goes through the fields' get_prep_value: encrypted again with the first key.
            model.objects.bulk_update(rows, fields, batch_size=batch_size)
        counts[model._meta.verbose_name_plural] = len(rows)
    if not dry_run:
        _audit_groups()
    return counts


def _audit_groups() -> None:
    """One entry per group that holds cases: its cases were rewritten under the first key (no name, a count)."""
    groups = CaseGroup.objects.filter(cases__isnull=False).distinct().select_related("department")
    for group in groups.order_by("pk"):
        audit.record(
            acting_user=None,
            action=AuditAction.UPDATE,
            instance=group,
            department=group.department,
            changes={
                "encryption": {
                    "label": "chiffrement des dossiers",
                    "old": "clés précédentes",
                    "new": f"première clé ({group.cases.count()} dossier(s) rechiffré(s))",
                }
            },
            reason="Rotation des clés du suivi individualisé",
        )
