"""What a refused concurrent edit shows: the other people's changes, from the audit log."""

from vigie.audit.services import changes_since
from vigie.core.concurrency import StaleEdit

STALE_EDIT_STATUS = 409


def stale_edit_context(error: StaleEdit) -> dict:
    """Context of `templates/includes/stale_edit.html` (`stale_edit`): object, its kind, the changes."""
    current = error.current
    return {
        "stale_edit": {
            "object": str(current),
            "kind": str(current._meta.verbose_name),
            "entries": changes_since(current, version=error.read_version),
            "version": current.version,
        }
    }


def refuse_stale_form(form, error: StaleEdit) -> dict:
    """A refused edit form: it keeps the person's input under the current version; the context to add."""
    form.show_current_version(error.current_version)
    return stale_edit_context(error)
