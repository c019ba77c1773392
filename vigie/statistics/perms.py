"""Who may see and import statistics.

Statistics of the SSMSI bases and figures published in adopted plans are public: everyone reads them,
anonymous visitors included. The departmental base covers every department, so importing it is open to
national administrators and to prefecture agents (of any department); the import is logged.
"""

from vigie.accounts.enums import Role


def can_view_statistics(user) -> bool:
    return True


def can_import_statistics(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_national_admin or user.role == Role.PREFECTURE
