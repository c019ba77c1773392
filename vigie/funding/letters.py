"""Letters of a grant application: notification letter, grant decision (arrêté attributif), refusal letter.

The prefecture edits one text per kind and department, with placeholders such as {porteur}, {montant} or
{mesure}; `check_placeholders` refuses a text naming an unknown placeholder (French message beside the field).
`generate_letter` fills the text with the application's data, builds a document of `vigie.core.documents` and
keeps the ODT and the PDF as generated; `attach_signed_copy` keeps the signed scan (checked by
`vigie.core.uploads`). Files live in the private storage and are served by permission-checked views.
"""

import re
import string
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from vigie.audit import services as audit
from vigie.core import uploads
from vigie.core.documents import Document, Paragraph, render_odt, render_pdf
from vigie.core.formatting import euros, french_date
from vigie.funding import perms
from vigie.funding.enums import GRANTED_STATES, ApplicationState, LetterKind
from vigie.funding.models import GrantApplication, GrantLetter, LetterTemplate

SIGNED_FORMATS = (uploads.PDF,)

# Placeholder → what it stands for (shown beside the template's text).
PLACEHOLDERS = {
    "porteur": "le nom de l'organisation qui porte le projet",
    "projet": "l'intitulé du projet",
    "montant": "le montant accordé (ou, avant décision, demandé), en euros",
    "montant_demande": "le montant demandé, en euros",
    "cout_total": "le coût total du projet, en euros",
    "mesure": "la ou les mesures du plan servies (numéro et intitulé)",
    "fonds": "le fonds et le programme (par exemple « FIPD D »)",
    "appel": "l'intitulé de l'appel à projets",
    "annee": "l'année de l'appel",
    "departement": "le nom du département",
    "date": "la date du jour",
    "motif": "le motif de la décision, tel qu'écrit à l'instruction",
}

DEFAULT_TEXTS = {
    LetterKind.NOTIFICATION: (
        "Notification d'une subvention",
        "Madame, Monsieur,\n\n"
        "J'ai l'honneur de vous informer qu'une subvention de {montant} est accordée à {porteur} au titre du "
        "{fonds} ({appel}) pour le projet « {projet} », qui sert la {mesure} du plan départemental de "
        "prévention de la délinquance.\n\n"
        "Le compte rendu financier (Cerfa 15059) est à remettre dans les six mois suivant la fin de "
        "l'exercice.\n\n"
        "Fait le {date}.",
    ),
    LetterKind.DECISION: (
        "Arrêté attributif de subvention",
        "Le préfet du département ({departement}),\n\n"
        "Vu la demande présentée par {porteur} pour le projet « {projet} » ;\n\n"
        "ARRÊTE\n\n"
        "Article 1er : une subvention de {montant} est attribuée à {porteur} au titre du {fonds}, pour un "
        "coût total de {cout_total}.\n\n"
        "Article 2 : le projet sert la {mesure} du plan départemental de prévention de la délinquance.\n\n"
        "Article 3 : le bénéficiaire remet un compte rendu financier (Cerfa 15059) dans les six mois suivant "
        "la fin de l'exercice.\n\n"
        "Fait le {date}.",
    ),
    LetterKind.REFUSAL: (
        "Refus d'une demande de subvention",
        "Madame, Monsieur,\n\n"
        "Votre demande présentée au titre du {fonds} ({appel}) pour le projet « {projet} » n'a pas pu être "
        "retenue.\n\n"
        "Motif : {motif}\n\n"
        "Fait le {date}.",
    ),
}

# The states in which each letter may be generated.
LETTER_STATES = {
    LetterKind.NOTIFICATION: GRANTED_STATES,
    LetterKind.DECISION: GRANTED_STATES,
    LetterKind.REFUSAL: (ApplicationState.REFUSED,),
}


def check_placeholders(text: str) -> None:
    """Refuse a text that names an unknown placeholder or has an unpaired brace (French, for the form)."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        raise ValidationError(
            "Une accolade n'est pas fermée : écrivez les champs sous la forme {porteur}."
        ) from None
    unknown = sorted({name for name in names if name not in PLACEHOLDERS})
    if unknown:
        listed = ", ".join(f"{{{name}}}" for name in unknown)
        known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        raise ValidationError(f"Champ inconnu : {listed}. Champs possibles : {known}.")


def template_for(department, kind: str) -> LetterTemplate:
    """The department's template of this kind, or an unsaved one holding the default text."""
    found = LetterTemplate.objects.filter(department=department, kind=kind).first()
    if found is not None:
        return found
    title, body = DEFAULT_TEXTS[LetterKind(kind)]
    return LetterTemplate(department=department, kind=kind, title=title, body=body)


@transaction.atomic
def save_template(*, acting_user, department, kind: str, title: str, body: str) -> LetterTemplate:
    """Create or change the department's text of one kind of letter."""
    if not perms.can_manage_calls(acting_user, department.pk):
        raise PermissionDenied
    if kind not in LetterKind.values:
        raise ValidationError({"kind": "Ce modèle de courrier n'existe pas."})
    errors = {}
    for name, value in (("title", title), ("body", body)):
        if not value.strip():
            errors[name] = "Ce champ est obligatoire."
            continue
        try:
            check_placeholders(value)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    template = LetterTemplate.objects.filter(department=department, kind=kind).first()
    if template is None:
        template = LetterTemplate.objects.create(
            department=department, kind=kind, title=title, body=body, updated_by=acting_user
        )
        audit.record_create(acting_user=acting_user, instance=template, department=department)
        return template
    before = audit.snapshot(template, ["title", "body"])
    template.title, template.body, template.updated_by = title, body, acting_user
    template.save()
    audit.record_update(
        acting_user=acting_user, instance=template, before=before, department=department
    )
    return template


def _measures_text(application: GrantApplication) -> str:
    measures = [f"mesure {m.number} « {m.title} »" for m in application.measures.all()]
    return " et ".join(measures) if measures else "mesure (aucune mesure indiquée)"


def _reason(application: GrantApplication) -> str:
    for change in reversed(list(application.state_changes.all())):
        if change.to_state == application.state and change.message:
            return change.message
    return ""


def values_for(application: GrantApplication) -> dict[str, str]:
    """Each placeholder's text for this application."""
    amount = application.granted_amount
    return {
        "porteur": application.organisation.name,
        "projet": application.title,
        "montant": euros(amount if amount is not None else application.requested_amount),
        "montant_demande": euros(application.requested_amount),
        "cout_total": euros(application.total_cost),
        "mesure": _measures_text(application),
        "fonds": str(application.call_programme.programme),
        "appel": application.call.title,
        "annee": str(application.call.year),
        "departement": application.call.department.name,
        "date": french_date(timezone.localdate()),
        "motif": _reason(application) or "—",
    }


def fill(text: str, values: dict[str, str]) -> str:
    """The text with its placeholders replaced (the text was checked when saved)."""
    return text.format_map(values)


def build_document(title: str, text: str, application: GrantApplication) -> Document:
    """One paragraph per block of text separated by a blank line; the header names the prefecture."""
    department = application.call.department
    blocks = [
        Paragraph.of(f"Préfecture du département : {department.name}", style="note"),
        Paragraph.of(title, style="title"),
    ]
    for block in re.split(r"\n\s*\n", text.strip()):
        blocks.append(Paragraph.of(block.strip()))
    return Document(title=title, blocks=blocks)


def can_generate(user, application: GrantApplication, kind: str) -> bool:
    return perms.can_instruct(user, application) and application.state in LETTER_STATES.get(
        kind, ()
    )


@transaction.atomic
def generate_letter(*, acting_user, application: GrantApplication, kind: str) -> GrantLetter:
    """Fill the department's template with the application's data; keep the ODT and the PDF."""
    if not perms.can_instruct(acting_user, application):
        raise PermissionDenied
    if kind not in LetterKind.values:
        raise ValidationError({"kind": "Ce modèle de courrier n'existe pas."})
    if application.state not in LETTER_STATES[LetterKind(kind)]:
        label = LetterKind(kind).label.lower()
        raise ValidationError(
            {
                "kind": f"Une demande « {application.get_state_display().lower()} » ne reçoit pas de {label}."
            }
        )
    template = template_for(application.call.department, kind)
    values = values_for(application)
    title, text = fill(template.title, values), fill(template.body, values)
    document = build_document(title, text, application)
    now = timezone.now()
    letter = GrantLetter(
        application=application,
        kind=kind,
        text=text,
        generated_by=acting_user,
        generated_at=now,
    )
    # Both renderings first: a renderer that fails leaves no file behind.
    odt, pdf = render_odt(document), render_pdf(document)
    stem = f"{kind}-{application.pk}-{now:%Y%m%d%H%M%S}"
    letter.odt_file.save(f"{stem}.odt", ContentFile(odt), save=False)
    letter.pdf_file.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    letter.save()
    audit.record_create(
        acting_user=acting_user,
        instance=letter,
        parent=application,
        department=application.call.department,
    )
    return letter


@transaction.atomic
def attach_signed_copy(*, acting_user, letter: GrantLetter, upload) -> GrantLetter:
    """Keep the signed scan of a generated letter (a PDF checked by vigie.core.uploads)."""
    application = letter.application
    if not perms.can_instruct(acting_user, application):
        raise PermissionDenied
    try:
        uploads.check_file(upload.name, upload.size, uploads.read_head(upload), SIGNED_FORMATS)
    except uploads.UploadRefused as error:
        raise ValidationError({"file": error.message}) from None
    before = audit.snapshot(letter, ["signed_name", "signed_at"])
    old_name, storage = letter.signed_file.name, letter.signed_file.storage
    name = PurePath(upload.name).name
    letter.signed_file.save(f"signe-{letter.pk}-{name}", upload, save=False)
    letter.signed_name = name[:255]
    letter.signed_at = timezone.now()
    letter.signed_by = acting_user
    letter.save()
    audit.record_update(
        acting_user=acting_user,
        instance=letter,
        before=before,
        parent=application,
        department=application.call.department,
    )
    if old_name:
        transaction.on_commit(lambda: storage.delete(old_name))
    return letter
