"""Password rules (CNIL 2022-100, first example): 12 characters or more, with the four kinds of character."""

import pytest
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError

from tests.factories import UserFactory


def _errors(password, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


@pytest.mark.parametrize("password", ["Vigie-Gers-2026", "Tr0mbone!Bleu", "Ça1ssette#verte"])
def test_strong_passwords_are_accepted(password):
    assert _errors(password) == []


def test_a_short_password_is_refused_in_french():
    errors = _errors("Ab1!defgh")
    assert any("trop court" in e and "12 caractères" in e for e in errors), errors


@pytest.mark.parametrize(
    ("password", "missing"),
    [
        ("vigie-gers-2026", "une lettre majuscule"),
        ("VIGIE-GERS-2026", "une lettre minuscule"),
        ("Vigie-Gers-deux", "un chiffre"),
        ("VigieGers2026ab", "un caractère spécial"),
    ],
)
def test_each_missing_kind_is_named(password, missing):
    errors = _errors(password)
    assert len(errors) == 1, errors
    assert errors[0].startswith("Le mot de passe doit contenir au moins ")
    assert missing in errors[0]


def test_several_missing_kinds_are_listed_together():
    (error,) = _errors("vigiegersdeuxmille")
    assert error == (
        "Le mot de passe doit contenir au moins une lettre majuscule, un chiffre et "
        "un caractère spécial (par exemple ! ? - _ & @ #)."
    )


@pytest.mark.django_db
def test_a_password_close_to_the_account_is_refused():
    user = UserFactory.build(username="claire.dupuy", first_name="Claire", last_name="Dupuy")
    errors = _errors("Claire.Dupuy1!", user)
    assert any("trop semblable" in e for e in errors), errors


def test_help_texts_are_in_french():
    texts = " ".join(password_validators_help_texts())
    assert "au minimum 12 caractères" in texts
    assert "une lettre majuscule, une lettre minuscule, un chiffre et un caractère spécial" in texts


def test_the_demo_password_meets_the_password_rules():
    from django.contrib.auth.password_validation import validate_password

    from vigie.accounts.services import DEMO_PASSWORD

    validate_password(DEMO_PASSWORD)
