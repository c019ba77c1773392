"""Forms of the second factor: the code that confirms an enrolment, the code that verifies a session."""

from django import forms
from dsfr.forms import DsfrBaseForm


class EnrolmentCodeForm(DsfrBaseForm):
    code = forms.CharField(
        label="Code à 6 chiffres affiché par l'application",
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": "Saisissez le code affiché par l'application."},
    )


class VerificationCodeForm(DsfrBaseForm):
    code = forms.CharField(
        label="Code à 6 chiffres de votre application, ou un code de secours",
        help_text="Un code de secours a 10 caractères (par exemple « k7m2p-x9qrt ») ; chacun ne sert qu'une fois.",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
        error_messages={"required": "Saisissez un code."},
    )
