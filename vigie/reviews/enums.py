from django.db import models


class ReviewKind(models.TextChoices):
    ANNUAL = "annual", "Bilan annuel"
    FINAL = "final", "Bilan de fin de plan"


class ReviewFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    ODT = "odt", "LibreOffice (.odt)"
    HTML = "html", "Page HTML"


CONTENT_TYPES = {
    ReviewFormat.PDF: "application/pdf",
    ReviewFormat.ODT: "application/vnd.oasis.opendocument.text",
    ReviewFormat.HTML: "text/html; charset=utf-8",
}
