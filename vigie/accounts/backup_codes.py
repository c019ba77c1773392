"""Backup codes of the second factor: generated at random, stored as a salted HMAC-SHA256, each used once.

A code is 10 characters from an alphabet without look-alikes (about 49 bits), shown as two groups of five
("k7m2p-x9qrt"). Only an HMAC-SHA256 keyed with the site's secret key and a random salt of its own is stored: a
copy of the database alone does not let anyone test guesses. Typing is forgiving: case, spaces and dashes are
ignored.
"""

import hmac
import secrets

from django.utils.crypto import salted_hmac

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
LENGTH = 10
COUNT = 10
_KEY_SALT = "vigie.accounts.backup_codes"


def generate(count: int = COUNT) -> list[str]:
    """New codes in their displayed form."""
    return [display(_random_code()) for _ in range(count)]


def _random_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def display(code: str) -> str:
    code = normalize(code)
    return f"{code[:5]}-{code[5:]}"


def normalize(typed) -> str:
    """The code as stored, from what a person typed; "" when it cannot be a backup code."""
    if not isinstance(typed, str):
        return ""
    code = "".join(typed.split()).replace("-", "").lower()
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return ""
    return code


def new_salt() -> str:
    return secrets.token_hex(16)


def digest(code: str, salt: str, *, secret=None) -> str:
    return salted_hmac(
        _KEY_SALT + salt, normalize(code), secret=secret, algorithm="sha256"
    ).hexdigest()


def matches(code: str, salt: str, code_hash: str) -> bool:
    """True when `code` is the one hashed, with the secret key or one of its fallbacks (key rotation)."""
    from django.conf import settings

    if not normalize(code):
        return False
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        if hmac.compare_digest(digest(code, salt, secret=secret), code_hash):
            return True
    return False
