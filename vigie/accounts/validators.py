"""Password rules for local accounts (CNIL, deliberation 2022-100 on passwords).

Vigie follows the CNIL's first example for an account protected by a password alone: at least 12 characters
mixing the four kinds (upper case, lower case, digit, special character), about 80 bits of entropy. The length
is checked by Django's MinimumLengthValidator (min_length 12); this module checks the four kinds. Passwords are
also refused when close to the account's name or e-mail, or among the 20,000 most common ones (settings).
"""

from django.core.exceptions import ValidationError

# Each kind of character: its test and how it is named in French.
CHARACTER_KINDS = [
    ("upper", str.isupper, "une lettre majuscule"),
    ("lower", str.islower, "une lettre minuscule"),
    ("digit", str.isdigit, "un chiffre"),
    ("special", lambda c: not c.isalnum(), "un caractère spécial (par exemple ! ? - _ & @ #)"),
]


class CharacterKindsValidator:
    """At least one upper-case letter, one lower-case letter, one digit and one special character."""

    def validate(self, password, user=None):
        missing = [
            label for _, test, label in CHARACTER_KINDS if not any(test(c) for c in password)
        ]
        if missing:
            raise ValidationError(
                "Le mot de passe doit contenir au moins %(missing)s.",
                code="password_missing_character_kinds",
                params={"missing": _join(missing)},
            )

    def get_help_text(self):
        return (
            "Votre mot de passe doit contenir au moins une lettre majuscule, une lettre minuscule, "
            "un chiffre et un caractère spécial."
        )


def _join(labels: list[str]) -> str:
    """« a », « a et b », « a, b et c »."""
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " et " + labels[-1]
