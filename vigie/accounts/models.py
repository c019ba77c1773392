"""Users and their role. One role per account, scoped to one department (except administrators)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django_otp.models import Device, ThrottlingMixin

from vigie.accounts import backup_codes
from vigie.accounts.enums import Role
from vigie.organisations.models import Organisation
from vigie.territories.models import Commune, Department, Epci


class User(AbstractUser):
    role = models.CharField("rôle", max_length=20, choices=Role.choices, default=Role.READER)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
        verbose_name="département",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        related_name="members",
        null=True,
        blank=True,
        verbose_name="organisation",
    )
    # Coordinators act for the territory of their local council: a commune (CLSPD) or an EPCI (CISPD).
    commune = models.ForeignKey(
        Commune,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="commune (CLSPD)",
    )
    epci = models.ForeignKey(
        Epci,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="intercommunalité (CISPD)",
    )

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            # Rules compare departments directly: an account without a role must not carry one.
            models.CheckConstraint(
                condition=~models.Q(role="none") | models.Q(department__isnull=True),
                name="account_without_role_has_no_department",
            )
        ]

    def __str__(self):
        full = self.get_full_name()
        return full or self.username

    @property
    def is_national_admin(self) -> bool:
        return self.is_active and (self.role == Role.ADMIN or self.is_superuser)

    def belongs_to(self, department_id: int | None) -> bool:
        """True when the user works in that department (administrators work everywhere).

        A project applicant (association, commune…) is attached to a department but does not work in it: it sees
        public pages and its own grant applications, never the department's private data.
        """
        if (
            not self.is_authenticated
            or not self.is_active
            or self.role in (Role.NONE, Role.APPLICANT)
        ):
            return False
        if self.is_national_admin:
            return True
        return department_id is not None and self.department_id == department_id


class Invitation(models.Model):
    """An e-mailed link to choose one's password, valid a few days and used once.

    Only a hash of the link's token is stored: the token itself is in the e-mail alone. Re-sending an
    invitation replaces the previous one, whose link then stops working.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="invitations", verbose_name="compte"
    )
    token_hash = models.CharField("empreinte du jeton", max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="invité par",
    )
    created_at = models.DateTimeField("envoyée le")
    expires_at = models.DateTimeField("valable jusqu'au")
    used_at = models.DateTimeField("utilisée le", null=True, blank=True)
    replaced_at = models.DateTimeField("remplacée le", null=True, blank=True)

    class Meta:
        verbose_name = "invitation"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Invitation de {self.user}"

    @property
    def is_open(self) -> bool:
        """Neither used nor replaced (it may still have expired)."""
        return self.used_at is None and self.replaced_at is None


class ProConnectIdentity(models.Model):
    """The ProConnect identity (OpenID Connect `sub`) an account signs in with, and what its last sign-in said.

    One identity per account and one account per identity. `last_acr` is the assurance level ProConnect reported
    at the last sign-in (eidas1, eidas2, eidas3, or a "-mfa" variant when a second factor was used).
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="proconnect_identity", verbose_name="compte"
    )
    sub = models.CharField("identifiant ProConnect (sub)", max_length=255, unique=True)
    email = models.EmailField("adresse électronique transmise", blank=True)
    siret = models.CharField("SIRET de la structure", max_length=14, blank=True)
    uid = models.CharField(
        "identifiant chez le fournisseur d'identité (uid)", max_length=255, blank=True
    )
    last_acr = models.CharField("niveau d'authentification (acr)", max_length=100, blank=True)
    created_at = models.DateTimeField("liée le")
    last_sign_in_at = models.DateTimeField("dernière connexion ProConnect")

    class Meta:
        verbose_name = "identité ProConnect"
        verbose_name_plural = "identités ProConnect"
        ordering = ["-last_sign_in_at"]

    def __str__(self):
        return f"Identité ProConnect de {self.user}"


class BackupCodeDevice(ThrottlingMixin, Device):
    """The backup codes of an account: a django-otp device, so that a code verifies the session like a TOTP code.

    It exists only beside a confirmed TOTP device (vigie.accounts.two_factor_services). Its codes are stored hashed
    (`BackupCode`); each is used once. Wrong codes are throttled (django-otp's exponential delay).
    """

    class Meta:
        verbose_name = "codes de secours"
        verbose_name_plural = "codes de secours"

    def get_throttle_factor(self):
        return settings.OTP_BACKUP_CODE_THROTTLE_FACTOR

    def verify_token(self, token):
        """Use up the unused code matching `token`. The caller holds this row locked (`for_verify`)."""
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        normalized = backup_codes.normalize(token)
        match = None
        if normalized:
            for code in self.codes.filter(used_at=None):
                if backup_codes.matches(normalized, code.salt, code.code_hash):
                    match = code
                    break
        if match is None:
            self.throttle_increment(commit=True)
            return False
        match.used_at = timezone.now()
        match.save(update_fields=["used_at"])
        self.throttle_reset(commit=True)
        return True


class BackupCode(models.Model):
    """One backup code: only its salted HMAC-SHA256 is stored; shown once, when generated."""

    device = models.ForeignKey(
        BackupCodeDevice, on_delete=models.CASCADE, related_name="codes", verbose_name="codes"
    )
    salt = models.CharField("sel", max_length=32)
    code_hash = models.CharField("empreinte", max_length=64)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    used_at = models.DateTimeField("utilisé le", null=True, blank=True)

    class Meta:
        verbose_name = "code de secours"
        ordering = ["pk"]

    def __str__(self):
        return f"Code de secours n° {self.pk}"
