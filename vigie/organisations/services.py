"""The directory of organisations and the acronyms glossary: loading reference data and
linking the wordings of plans ("Service pénitentiaire d'insertion et de probation (SPIP)")
to organisations.

Reference data lives in ``vigie/organisations/data``: ``organisations.json`` (a list of
{department, name, acronym, kind, aliases}, department ``null`` for a national body) and
``glossary-<code>.json`` ({department, source, entries: [{acronym, definition}]}).
"""

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction

from vigie.audit.services import record_create, record_update, snapshot
from vigie.organisations.enums import OrganisationKind
from vigie.organisations.models import GlossaryEntry, Organisation
from vigie.territories.models import Department

DATA_DIR = Path(__file__).resolve().parent / "data"
ORGANISATIONS_FILE = "organisations.json"
GLOSSARY_PATTERN = "glossary-*.json"


class DirectoryDataError(Exception):
    """Invalid reference data file; the message is in French."""


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_departments: set[str] = field(default_factory=set)

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def __str__(self) -> str:
        return f"{self.created} créé(s), {self.updated} modifié(s), {self.unchanged} inchangé(s)"


# --- loading -------------------------------------------------------------------------------


def load_directory(*, acting_user, department: Department | None = None, data_dir: Path = DATA_DIR):
    """Loads organisations and glossaries (all known departments, or only ``department``,
    plus national bodies). Idempotent: a second run changes nothing and logs nothing."""
    with transaction.atomic():
        organisations = load_organisations(
            acting_user=acting_user, department=department, data_dir=data_dir
        )
        glossary = load_glossaries(
            acting_user=acting_user, department=department, data_dir=data_dir
        )
    return organisations, glossary


@transaction.atomic
def load_organisations(
    *, acting_user, department: Department | None = None, data_dir: Path = DATA_DIR
) -> LoadReport:
    report = LoadReport()
    for row in _read_json(data_dir / ORGANISATIONS_FILE):
        target = _target_department(row.get("department"), department, report)
        if target is False:
            continue
        values = _organisation_values(row)
        outcome = _upsert(
            Organisation,
            lookup={"department": target, "name": row["name"]},
            values=values,
            acting_user=acting_user,
            department=target,
        )
        report.count(outcome)
    return report


@transaction.atomic
def load_glossaries(
    *, acting_user, department: Department | None = None, data_dir: Path = DATA_DIR
) -> LoadReport:
    """Loads ``glossary-<code>.json`` files. An entry that came from another source (the
    glossary published with a plan) is left alone: published definitions take precedence."""
    report = LoadReport()
    for path in sorted(data_dir.glob(GLOSSARY_PATTERN)):
        data = _read_json(path)
        target = _target_department(data.get("department"), department, report)
        if not target:
            continue
        source = data.get("source", "")
        for entry in data.get("entries", []):
            lookup = {"department": target, "acronym": entry["acronym"]}
            if GlossaryEntry.objects.filter(**lookup).exclude(source__in=["", source]).exists():
                report.count("unchanged")
                continue
            outcome = _upsert(
                GlossaryEntry,
                lookup=lookup,
                values={"definition": entry["definition"], "source": source},
                acting_user=acting_user,
                department=target,
            )
            report.count(outcome)
    return report


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DirectoryDataError(
            f"Fichier de référence illisible : {path.name} ({error})."
        ) from None


def _target_department(code: str | None, only: Department | None, report: LoadReport):
    """The department a data row belongs to, None for a national body, False to skip it."""
    if code is None:
        return None
    if only is not None:
        return only if only.code == code else False
    found = Department.objects.filter(code=code).first()
    if found is None:
        report.skipped_departments.add(code)
        return False
    return found


def _organisation_values(row: dict) -> dict:
    if row["kind"] not in OrganisationKind.values:
        raise DirectoryDataError(
            f"Nature d'organisation inconnue pour « {row['name']} » : {row['kind']}."
        )
    return {
        "acronym": row.get("acronym", ""),
        "kind": row["kind"],
        "aliases": "\n".join(row.get("aliases", [])),
        "website": row.get("website", ""),
        "description": row.get("description", ""),
    }


def _upsert(model, *, lookup: dict, values: dict, acting_user, department) -> str:
    """Creates or updates one row with an audit entry; "created", "updated" or "unchanged"."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model.objects.create(**lookup, **values)
        record_create(acting_user=acting_user, instance=instance, department=department)
        return "created"
    before = snapshot(instance, list(values))
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if not changed:
        return "unchanged"
    for name in changed:
        setattr(instance, name, values[name])
    instance.save()
    record_update(acting_user=acting_user, instance=instance, before=before, department=department)
    return "updated"


# --- matching ------------------------------------------------------------------------------


def normalize_wording(text: str) -> str:
    """ " Service pénitentiaire d'insertion " → " service penitentiaire d insertion " (padded)."""
    decomposed = unicodedata.normalize("NFD", text)
    folded = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return " " + " ".join(re.findall(r"[a-z0-9]+", folded)) + " "


class OrganisationMatcher:
    """Links a plan's wording to one organisation of a department (or a national body).

    The acronym, as a whole word and in capitals, wins ("Acteurs de l'éducation nationale
    (DSDEN, établissements)" → DSDEN); otherwise the name or an alias, ignoring case and
    accents, contained in the wording ("Services sociaux du Conseil départemental"). When
    several match, the first in the wording wins, then the longest. Generic wordings
    ("Maires", "Associations") match nothing.
    """

    def __init__(self, organisations: Iterable[Organisation]):
        self._acronyms: list[tuple[re.Pattern, int, Organisation]] = []
        self._phrases: list[tuple[str, Organisation]] = []
        for organisation in organisations:
            if organisation.acronym:
                pattern = re.compile(rf"(?<!\w){re.escape(organisation.acronym)}(?!\w)")
                self._acronyms.append((pattern, len(organisation.acronym), organisation))
            for phrase in {organisation.name, *organisation.alias_list}:
                normalized = normalize_wording(phrase)
                if normalized.strip():
                    self._phrases.append((normalized, organisation))

    def match(self, wording: str) -> Organisation | None:
        return self._by_acronym(wording) or self._by_name(wording)

    def _by_acronym(self, wording: str) -> Organisation | None:
        found = [
            (match.start(), -length, organisation)
            for pattern, length, organisation in self._acronyms
            if (match := pattern.search(wording))
        ]
        return _first(found)

    def _by_name(self, wording: str) -> Organisation | None:
        normalized = normalize_wording(wording)
        found = [
            (position, -len(phrase), organisation)
            for phrase, organisation in self._phrases
            if (position := normalized.find(phrase)) >= 0
        ]
        return _first(found)


def _first(candidates: list[tuple[int, int, Organisation]]) -> Organisation | None:
    if not candidates:
        return None
    return min(candidates, key=lambda candidate: candidate[:2])[2]


def organisations_for(department: Department | None) -> models.QuerySet:
    """Organisations of a department and national bodies."""
    return Organisation.objects.filter(
        models.Q(department=department) | models.Q(department__isnull=True)
    )


def matcher_for(department: Department | None) -> OrganisationMatcher:
    return OrganisationMatcher(organisations_for(department))


def match_organisation(wording: str, department: Department | None) -> Organisation | None:
    """The organisation a plan's wording names in ``department``, or None."""
    return matcher_for(department).match(wording)
