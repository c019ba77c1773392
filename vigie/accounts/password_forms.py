"""Password forms (change, reset by e-mail, first password of an invitation), DSFR and in French.

The new password goes through AUTH_PASSWORD_VALIDATORS (CNIL rules); saving goes through the services, which
record the change in the account's history.
"""

from django.contrib.auth import forms as auth_forms
from dsfr.forms import DsfrBaseForm

from vigie.accounts import services

MISMATCH = "Les deux mots de passe saisis ne sont pas identiques."


def _french_labels(form) -> None:
    form.fields["new_password1"].label = "Nouveau mot de passe"
    form.fields["new_password2"].label = "Confirmation du nouveau mot de passe"
    form.fields["new_password2"].help_text = "Saisissez le même mot de passe, pour vérification."
    # Bound fields were built (and their labels cached) by the parent constructors.
    form._bound_fields_cache.clear()


class SavedThroughServices:
    """Save the new password through the services; `reason` is what the account's history says."""

    reason = ""

    def save(self, commit=True):
        services.set_account_password(
            self.user,
            acting_user=self.user,
            password=self.cleaned_data["new_password1"],
            reason=self.reason,
        )
        return self.user


class NewPasswordForm(SavedThroughServices, DsfrBaseForm, auth_forms.SetPasswordForm):
    """The new password twice, after following the link of a reset e-mail."""

    error_messages = {"password_mismatch": MISMATCH}
    reason = "Mot de passe réinitialisé par courriel"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _french_labels(self)


class ChangePasswordForm(SavedThroughServices, DsfrBaseForm, auth_forms.PasswordChangeForm):
    error_messages = {
        "password_mismatch": MISMATCH,
        "password_incorrect": "Le mot de passe actuel est incorrect. Saisissez-le de nouveau.",
    }
    reason = "Mot de passe changé par la personne"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Mot de passe actuel"
        _french_labels(self)


class ResetRequestForm(DsfrBaseForm, auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Adresse électronique de votre compte"
        self.fields["email"].error_messages = {
            "required": "Saisissez l'adresse électronique de votre compte.",
            "invalid": "Saisissez une adresse électronique valide, par exemple prenom.nom@exemple.gouv.fr.",
        }
        self._bound_fields_cache.clear()


class InvitationPasswordForm(DsfrBaseForm, auth_forms.SetPasswordForm):
    """The first password of an invited person (the view saves it through `services.accept_invitation`)."""

    error_messages = {"password_mismatch": MISMATCH}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _french_labels(self)
