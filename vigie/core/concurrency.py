"""Concurrent edits: an edited object carries the version it was read at; a stale write is refused.

Each versioned model has a `version` field (PositiveIntegerField, default 1). An edit form carries the
version it was read at (`VersionedFormMixin`, a hidden field), the API an ETag / If-Match pair
(`etag_for`, `parse_if_match`). A service that changes the object calls `claim` inside its transaction:
one `UPDATE … SET version = version + 1 WHERE id = %s AND version = %s`, so that of two edits read at
the same version exactly one passes, with no read-then-write race; the other gets `StaleEdit` and
writes nothing. A write by the system (import, management command) passes `read_version=None`: it
bumps the version without a check, so that an edit read before it is refused in turn.

Services bump the version only when they change something, and record that change in the audit log:
one version, one audit entry, which is how the refusal says what the other person changed
(`vigie.audit.services.changes_since`).
"""

import re

from django import forms
from django.db import models, transaction

MISSING_VERSION_MESSAGE = (
    "Ce formulaire ne dit pas quelle version il modifie : rechargez la page puis recommencez."
)


class StaleEdit(Exception):
    """An edit read at `read_version` while the object is now at `current.version`: nothing written."""

    def __init__(self, current: models.Model, read_version: int):
        self.current = current
        self.read_version = read_version
        super().__init__(
            f"{type(current).__name__} {current.pk} read at version {read_version}, "
            f"now at version {current.version}"
        )

    @property
    def current_version(self) -> int:
        return self.current.version


def claim_version(model: type[models.Model], pk, read_version: int) -> int:
    """Move the object from `read_version` to the next version; the number of rows matched (0 or 1).

    A single conditional UPDATE: 0 means someone else wrote since `read_version` (or the object is
    gone), and nothing was changed.
    """
    return model._base_manager.filter(pk=pk, version=read_version).update(
        version=models.F("version") + 1
    )


def claim(instance: models.Model, read_version: int | None) -> None:
    """For services, inside their transaction: take the next version of `instance` or raise StaleEdit.

    On success `instance.version` is the new version, so that saving the instance keeps it.
    `read_version=None` is a write by the system: the version is bumped without a check.
    """
    model = type(instance)
    if read_version is None:
        bump_version(instance)
        return
    if claim_version(model, instance.pk, read_version) != 1:
        raise StaleEdit(model._base_manager.get(pk=instance.pk), read_version)
    instance.version = read_version + 1


def bump_version(instance: models.Model) -> None:
    """A write by the system (import, command): next version, whatever version was read."""
    model = type(instance)
    manager = model._base_manager
    with transaction.atomic():
        manager.filter(pk=instance.pk).update(version=models.F("version") + 1)
        instance.version = manager.filter(pk=instance.pk).values_list("version", flat=True).get()


# ---------------------------------------------------------------- forms


class VersionedFormMixin:
    """A hidden `version` field: the version of the edited object when the form was displayed.

    Put it before the form class (`class XForm(VersionedFormMixin, DsfrBaseForm, forms.ModelForm)`).
    After validation, `form.read_version` holds it (None for a new object) and `cleaned_data` no longer
    does, so that views can pass `cleaned_data` to services as before. `versioned_instance` names the
    object when the form has none of its own (e.g. a form about an action that is not a ModelForm).
    """

    read_version: int | None = None

    def __init__(self, *args, versioned_instance: models.Model | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        target = versioned_instance or getattr(self, "instance", None)
        if target is not None and target.pk is not None:
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput,
                min_value=1,
                initial=target.version,
                error_messages={
                    "required": MISSING_VERSION_MESSAGE,
                    "invalid": MISSING_VERSION_MESSAGE,
                    "min_value": MISSING_VERSION_MESSAGE,
                },
            )

    def full_clean(self):
        super().full_clean()
        if hasattr(self, "cleaned_data"):
            self.read_version = self.cleaned_data.pop("version", None)
        if self._errors and "version" in self._errors:
            # A hidden field's error is not shown beside it: say it above the form.
            del self._errors["version"]
            self.add_error(None, MISSING_VERSION_MESSAGE)

    def show_current_version(self, version: int) -> None:
        """After a refusal: keep the person's input, but carry the current version for a new try."""
        data = self.data.copy()
        data[self.add_prefix("version")] = str(version)
        self.data = data


# ---------------------------------------------------------------- HTTP (API)

_ETAG = re.compile(r'^(W/)?"v([0-9]{1,18})"$')


def etag_for(instance: models.Model) -> str:
    """A strong entity tag naming the version: `"v3"`."""
    return f'"v{instance.version}"'


def parse_if_match(header: str | None) -> int | None:
    """The version an If-Match header names, or None when it names none that Vigie gave.

    Only a single strong tag of ours is accepted: a weak tag never matches (RFC 9110, strong
    comparison) and "*" would overwrite whatever is stored, which is what the header is there to stop.
    """
    if not header:
        return None
    match = _ETAG.match(header.strip())
    if match is None or match.group(1):
        return None
    return int(match.group(2))


class VersionForm(VersionedFormMixin, forms.Form):
    """Nothing but the version: the confirmation of a deletion, a one-button state change."""

    def __init__(self, *args, versioned_instance: models.Model, **kwargs):
        super().__init__(*args, versioned_instance=versioned_instance, **kwargs)
