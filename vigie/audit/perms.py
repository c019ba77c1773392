"""Who may read the audit log as a whole. Small predicates, unit-tested one by one.

The audit app is the bottom layer: these rules look at the account only, never at plans.
"""


def can_export_audit(user) -> bool:
    """The CSV export of the log (every department, or one): national administrators only."""
    return bool(user.is_authenticated) and user.is_national_admin
