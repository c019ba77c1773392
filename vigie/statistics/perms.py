"""Who may see, import, publish and withdraw statistics.

Statistics of published SSMSI editions and figures published in adopted plans are public: everyone reads
them, anonymous visitors included. Uploading a base is open to national administrators and to prefecture
agents: an upload is stored as an edition waiting for its preview to be confirmed, seen only by national
administrators and by the prefecture agents of the uploader's department.

Every SSMSI edition is national data: the statistics pages of every department choose among the same
published editions, and the newest one is the default of all of them. Publishing an edition, or
withdrawing a published one, is therefore for national administrators only. A prefecture agent may
abandon (withdraw) an upload of their department that is still waiting.
"""

from vigie.accounts.enums import Role
from vigie.statistics.enums import EditionStatus


def can_view_statistics(user) -> bool:
    return True


def can_import_statistics(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_national_admin or user.role == Role.PREFECTURE


def _is_uploaders_prefecture(user, edition) -> bool:
    return (
        can_import_statistics(user)
        and user.role == Role.PREFECTURE
        and edition.uploader_department_id is not None
        and user.department_id == edition.uploader_department_id
    )


def can_view_edition(user, edition) -> bool:
    """A published edition is public; a pending or withdrawn one is not."""
    if edition.status == EditionStatus.PUBLISHED:
        return True
    if not user.is_authenticated:
        return False
    return user.is_national_admin or _is_uploaders_prefecture(user, edition)


def can_publish_edition(user, edition) -> bool:
    """Confirm a pending edition after its preview: it becomes the default edition of every department."""
    return (
        edition.status == EditionStatus.PENDING and user.is_authenticated and user.is_national_admin
    )


def can_withdraw_edition(user, edition) -> bool:
    if not user.is_authenticated or edition.status == EditionStatus.WITHDRAWN:
        return False
    if user.is_national_admin:
        return True
    return edition.status == EditionStatus.PENDING and _is_uploaders_prefecture(user, edition)
