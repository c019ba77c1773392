"""Generated plan documents kept in private storage, so that a download is generated once per content.

A PDF of a plan takes about ten seconds of CPU (WeasyPrint); the download link is open to anyone who sees the
plan, anonymous visitors included for a public plan. So the documents are generated once and kept:

- **key**: plan, edition, format, audience (``public``: without the non-public measures, actions and
  indicators, for whoever is not of the department; ``full`` for its people) and a *fingerprint* of the content: the SHA-256 of the very data the
  document is written from (``export_data``: the plan, its axes, measures, actions, indicators, pilots,
  partners, glossary…), of the cover's department name and version notes, and of ``LAYOUT_VERSION``. Any
  change that would change the document changes the fingerprint (there is no list of fields to forget);
  computing it costs the data queries only, not the rendering. The "written on" date of the cover is the
  date the document was generated: the text it carries is unchanged since then.
- **where**: ``private_storage()`` (S3 on two web nodes: nothing kept in a process), under
  ``exports/plans/<plan id>/``, served only by the permission-checked view; older documents of the same
  plan, edition and format are deleted when a new one is stored.
- **first generation**: a django-tasks task (``vigie.imports.tasks.prepare_plan_export``), run by the
  ``db_worker`` (one PDF at a time, never in a web worker); the view answers "being prepared" and the page
  polls (HTMX) until the file is there, then offers the download link. A marker in the shared cache (``cache.add``: atomic with the
  database cache of production) makes concurrent requests enqueue one task; it expires after
  ``PENDING_SECONDS`` so that a lost task is enqueued again, and the task does nothing if the document
  already exists.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.core.files.base import ContentFile

from vigie.core.storage import private_storage
from vigie.imports.exporting.export import (
    FORMATS,
    department_title,
    export_data,
    export_filename,
    render_export,
    version_notes,
)
from vigie.plans.models import Plan
from vigie.plans.perms import is_public_item

# Raise when the layout of the documents changes: every stored document is then generated again.
LAYOUT_VERSION = 1
PENDING_SECONDS = 120
_NOTES_DATE = date(2000, 1, 1)  # the version notes minus the day they are written


@dataclass(frozen=True)
class StoredExport:
    plan: Plan
    fmt: str
    edition: str
    fingerprint: str
    data: dict
    public_only: bool = False

    @property
    def directory(self) -> str:
        return f"exports/plans/{self.plan.pk}"

    @property
    def prefix(self) -> str:
        audience = "public" if self.public_only else "full"
        return f"{self.edition}-{audience}-"

    @property
    def name(self) -> str:
        return f"{self.directory}/{self.prefix}{self.fingerprint}.{self.fmt}"

    @property
    def filename(self) -> str:
        return export_filename(self.plan, fmt=self.fmt, edition=self.edition)

    @property
    def content_type(self) -> str:
        return FORMATS[self.fmt][0]

    @property
    def pending_key(self) -> str:
        return f"vigie:plan-export-pending:{self.name}"

    def exists(self) -> bool:
        return private_storage().exists(self.name)

    def open(self):
        return private_storage().open(self.name, "rb")


def fingerprint(plan: Plan, data: dict, edition: str) -> str:
    content = {
        "layout": LAYOUT_VERSION,
        "department": department_title(plan),
        "notes": version_notes(plan, edition, _NOTES_DATE),
        "data": data,
    }
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:40]


def stored_export(plan: Plan, *, fmt: str, edition: str, public_only: bool = False) -> StoredExport:
    """The stored document for the plan as it is now (ValueError for an unknown format or edition);
    `public_only`: without its non-public items (`vigie.plans.perms.is_public_item`)."""
    data = export_data(
        plan, fmt=fmt, edition=edition, include=is_public_item if public_only else None
    )
    return StoredExport(plan, fmt, edition, fingerprint(plan, data, edition), data, public_only)


def store_export(stored: StoredExport) -> None:
    """Render and keep the document (nothing if it is already there), then delete the older ones."""
    storage = private_storage()
    if not storage.exists(stored.name):
        exported = render_export(stored.plan, stored.data, fmt=stored.fmt, edition=stored.edition)
        storage.save(stored.name, ContentFile(exported.content))
    _delete_older(stored)
    cache.delete(stored.pending_key)


def _delete_older(stored: StoredExport) -> None:
    storage = private_storage()
    try:
        _dirs, files = storage.listdir(stored.directory)
    except FileNotFoundError:
        return
    current = stored.name.rsplit("/", 1)[1]
    for name in files:
        if name != current and name.startswith(stored.prefix) and name.endswith(f".{stored.fmt}"):
            storage.delete(f"{stored.directory}/{name}")


def claim_generation(stored: StoredExport) -> bool:
    """True for the one request that should enqueue the generation (until the marker expires)."""
    return cache.add(stored.pending_key, 1, timeout=PENDING_SECONDS)


def prepare_plan_export(plan_pk: int, edition: str, fmt: str, public_only: bool = False) -> None:
    """The task's work: the document of the plan as it is when the task runs."""
    plan = Plan.objects.select_related("department").filter(pk=plan_pk).first()
    if plan is None:
        return
    store_export(stored_export(plan, fmt=fmt, edition=edition, public_only=public_only))
