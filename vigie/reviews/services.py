"""Every write of the reviews: the prefecture's texts, and the generated reviews (stored once, never changed)."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from vigie.audit import services as audit
from vigie.reviews.enums import ReviewFormat
from vigie.reviews.models import Review, ReviewText
from vigie.reviews.params import ReviewParams

MAX_TEXT_LENGTH = 20000


@transaction.atomic
def save_review_text(*, acting_user, plan, axis=None, body: str) -> ReviewText:
    """Write the introduction (no axis) or the comment on an axis of the plan's reviews."""
    if axis is not None and axis.plan_id != plan.pk:
        raise ValidationError("Cet axe n'appartient pas au plan.")
    body = (body or "").strip()
    if len(body) > MAX_TEXT_LENGTH:
        raise ValidationError(
            {"body": f"Le texte ne doit pas dépasser {MAX_TEXT_LENGTH} caractères."},
            code="max_length",
        )
    text = ReviewText.objects.select_for_update().filter(plan=plan, axis=axis).first()
    if text is None:
        text = ReviewText.objects.create(plan=plan, axis=axis, body=body, updated_by=acting_user)
        audit.record_create(
            acting_user=acting_user, instance=text, parent=plan, department=plan.department
        )
        return text
    before = audit.snapshot(text, ["body"])
    text.body = body
    text.updated_by = acting_user
    text.save()
    audit.record_update(
        acting_user=acting_user,
        instance=text,
        before=before,
        parent=plan,
        department=plan.department,
    )
    return text


def render(params: ReviewParams, output_format: str, *, author: str = "") -> bytes:
    """The review's file in the given format (no database write): used by `generate_review` and the command."""
    from vigie.reviews import document

    doc = document.assemble(params, author=author)
    if output_format == ReviewFormat.PDF:
        return document.render_pdf(doc)
    if output_format == ReviewFormat.ODT:
        from vigie.reviews import odt

        return odt.render_odt(doc)
    if output_format == ReviewFormat.HTML:
        return document.render_html(doc).encode("utf-8")
    raise ValidationError({"output_format": "Format inconnu."}, code="format")


def _author(user) -> str:
    if user is None or not user.is_authenticated:
        return ""
    return user.get_full_name() or user.username


def generate_review(*, acting_user, params: ReviewParams, output_format: str) -> Review:
    """Build the review from today's data and store it, frozen, with its checksum. Each call makes a new one."""
    content = render(params, output_format, author=_author(acting_user))
    return _store(
        acting_user=acting_user, params=params, output_format=output_format, content=content
    )


def _store(*, acting_user, params: ReviewParams, output_format: str, content: bytes) -> Review:
    """Write the file, then its row and audit entry in one transaction; if that fails, the file goes too."""
    filename = f"{params.slug()}.{output_format}"
    review = Review(
        plan=params.plan,
        kind=params.kind,
        date_from=params.date_from,
        date_to=params.date_to,
        output_format=output_format,
        title=params.title[:300],
        parameters=params.as_json(),
        filename=filename,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        created_by=acting_user
        if acting_user is not None and acting_user.is_authenticated
        else None,
    )
    review.file.save(filename, ContentFile(content), save=False)
    try:
        with transaction.atomic():
            review.save()
            audit.record_create(
                acting_user=acting_user,
                instance=review,
                parent=params.plan,
                department=params.plan.department,
            )
    except Exception:
        review.file.storage.delete(review.file.name)
        raise
    return review
