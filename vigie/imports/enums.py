from django.db import models


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", "Déposé"
    PARSING = "parsing", "Analyse en cours"
    REVIEW = "review", "À vérifier"
    CONFIRMED = "confirmed", "Enregistré"
    FAILED = "failed", "Échec"
    CANCELLED = "cancelled", "Abandonné"


class FileFormat(models.TextChoices):
    DOCX = "docx", "Word (.docx)"
    ODT = "odt", "LibreOffice (.odt)"
    PDF = "pdf", "PDF"
    MARKDOWN = "md", "Markdown (.md)"
    TEXT = "txt", "Texte (.txt)"
