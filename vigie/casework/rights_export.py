"""What an access request receives: everything held on the person followed, as data (JSON) and as a document to
hand over (PDF through vigie.core.documents). Built from the reader's view of the case: secret entries only for
someone who reads them (the coordinator, who answers access requests, does)."""

import datetime
import json

from django.utils import timezone
from django.utils.text import capfirst

from vigie.casework import access
from vigie.core.documents import Document, Heading, Paragraph, Table
from vigie.core.documents import render_pdf as render_document
from vigie.core.formatting import short_date

FIELD_LABELS = {
    "last_name": "Nom",
    "first_name": "Prénom",
    "birth_date": "Date de naissance",
    "commune": "Commune",
    "reference": "Référence du dossier",
    "referral_reason": "Motif de l'orientation",
    "referral_source": "Origine de l'orientation",
    "referent": "Référent de parcours",
    "assigned": "Professionnels de l'action sociale désignés",
    "opened_on": "Date d'ouverture",
    "informed_on": "Personne informée le",
    "informed_how": "Moyen d'information",
    "closed_on": "Date de clôture",
    "closure_reason": "Motif de clôture",
}


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _case_fields(case) -> dict:
    return {
        "reference": str(case.public_id),
        "referral_reason": case.get_referral_reason_display(),
        "referral_source": case.get_referral_source_display(),
        "referent": str(case.referent.user),
        "assigned": [str(m.user) for m in case.assigned.select_related("user")],
        "opened_on": _iso(case.opened_on),
        "informed_on": _iso(case.informed_on),
        "informed_how": case.get_informed_how_display() if case.informed_how else None,
        "closed_on": _iso(case.closed_on),
        "closure_reason": case.get_closure_reason_display() if case.closure_reason else None,
    }


def case_data(member, case, *, request) -> dict:
    """Everything held on the person: the group that holds it, identity, case, entries, rectifications, requests."""
    group = case.group
    entries = access.visible_entries(member, case).order_by("date", "pk")
    return {
        "document": "Données détenues sur une personne suivie (droit d'accès)",
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "request": {"requested_on": _iso(request.requested_on)},
        "holder": {
            "group": group.name,
            "body": group.body.name,
            "controller": group.controller_title,
            "legal_basis": "Article L132-5 du code de la sécurité intérieure ; "
            "article L121-6-2 du code de l'action sociale et des familles",
            "retention": f"{group.retention_months} mois après la clôture du dossier",
        },
        "identity": {
            "last_name": case.last_name,
            "first_name": case.first_name,
            "birth_date": case.birth_date or None,
            "commune": {"name": case.commune.name, "insee_code": case.commune.code},
        },
        "case": _case_fields(case),
        "entries": [
            {
                "date": _iso(entry.date),
                "level": entry.get_level_display(),
                "situation": entry.situation or "",
                "orientation": entry.orientation or "",
                "actions": entry.actions or "",
                "next_review_on": _iso(entry.next_review_on),
            }
            for entry in entries
        ],
        "rectifications": [
            {
                "field": capfirst(row.label),
                "old": row.old_value or "",
                "new": row.new_value or "",
                "rectified_at": row.rectified_at.isoformat(timespec="seconds"),
                "requested_on": _iso(row.requested_on),
            }
            for row in case.rectifications.order_by("rectified_at", "pk")
        ],
        "access_requests": [
            {"requested_on": _iso(row.requested_on), "answered_at": _iso(row.answered_at.date())}
            for row in case.access_requests.order_by("answered_at", "pk")
        ],
    }


def render_json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def _date(text: str | None) -> str:
    return short_date(datetime.date.fromisoformat(text[:10])) if text else "—"


def _facts(rows: list[tuple[str, str]], caption: str) -> Table:
    return Table(header=("Donnée", "Valeur"), rows=rows, caption=caption)


def render_pdf(data: dict) -> bytes:
    identity, case, holder = data["identity"], data["case"], data["holder"]
    blocks = [
        Paragraph.of(data["document"], style="title"),
        Paragraph.of(
            f"Demande reçue le {_date(data['request']['requested_on'])} ; "
            f"document établi le {_date(data['generated_at'])}.",
            style="subtitle",
        ),
        Heading(1, "Qui détient ces données"),
        _facts(
            [
                ("Groupe", holder["group"]),
                ("Instance", holder["body"]),
                ("Responsable du traitement", holder["controller"]),
                ("Fondement", holder["legal_basis"]),
                ("Durée de conservation", holder["retention"]),
            ],
            "Responsable et conservation",
        ),
        Heading(1, "Identité"),
        _facts(
            [
                ("Nom", identity["last_name"]),
                ("Prénom", identity["first_name"]),
                ("Date de naissance", _date(identity["birth_date"])),
                (
                    "Commune",
                    f"{identity['commune']['name']} ({identity['commune']['insee_code']})",
                ),
            ],
            "Identité",
        ),
        Heading(1, "Dossier"),
        _facts(_case_rows(case), "Dossier de suivi"),
        Heading(1, "Entrées du suivi"),
        *_entry_blocks(data["entries"]),
        Heading(1, "Rectifications"),
        *_rectification_blocks(data["rectifications"]),
        Heading(1, "Demandes d'accès"),
        Table(
            header=("Demande reçue le", "Réponse le"),
            rows=[
                (_date(r["requested_on"]), _date(r["answered_at"])) for r in data["access_requests"]
            ],
            caption="Demandes d'accès de la personne",
        ),
    ]
    return render_document(Document(title="Droit d'accès : données détenues", blocks=blocks))


def _case_rows(case: dict) -> list[tuple[str, str]]:
    rows = []
    for key, value in case.items():
        if key.endswith("_on"):
            value = _date(value)
        elif isinstance(value, list):
            value = ", ".join(value) or "—"
        rows.append((FIELD_LABELS[key], value or "—"))
    return rows


def _entry_blocks(entries: list[dict]) -> list:
    if not entries:
        return [Paragraph.of("Aucune entrée.")]
    blocks = []
    for entry in entries:
        blocks.append(Heading(2, f"{_date(entry['date'])} — {entry['level']}"))
        for key, label in (
            ("situation", "Situation"),
            ("orientation", "Orientation"),
            ("actions", "Actions engagées"),
        ):
            if entry[key]:
                blocks.append(Paragraph.of(f"{label} : {entry[key]}"))
        if entry["next_review_on"]:
            blocks.append(Paragraph.of(f"Prochain point : {_date(entry['next_review_on'])}"))
    return blocks


def _rectification_blocks(rows: list[dict]) -> list:
    if not rows:
        return [Paragraph.of("Aucune rectification.")]
    return [
        Table(
            header=("Date", "Donnée", "Ancienne valeur", "Nouvelle valeur"),
            rows=[(_date(r["rectified_at"]), r["field"], r["old"], r["new"]) for r in rows],
            caption="Rectifications",
        )
    ]
