from django.db import models


class AuditAction(models.TextChoices):
    CREATE = "create", "Création"
    UPDATE = "update", "Modification"
    DELETE = "delete", "Suppression"
    # A logged read of sensitive data (e.g. restricted minutes downloaded): nothing changed.
    READ = "read", "Consultation"
