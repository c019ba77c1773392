"""Encryption of named data and the keyed hash that lets a group search a name without storing it in clear.

Fields come from django-fernet-encrypted-fields; their keys are ours: `settings.VIGIE_CASEWORK_KEYS` (Fernet keys
from the environment, read at each use so that a rotation needs no restart of the field machinery) rather than
keys derived from SECRET_KEY. The first key encrypts; every key decrypts (MultiFernet). A value that no key
decrypts raises instead of being shown as ciphertext.
"""

import hashlib
import hmac
import unicodedata

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from encrypted_fields.fields import EncryptedCharField, EncryptedTextField


def fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.VIGIE_CASEWORK_KEYS])


class _KeysFromSettings:
    @property
    def keys(self) -> list[bytes]:
        return [key.encode() for key in settings.VIGIE_CASEWORK_KEYS]

    @property
    def f(self) -> MultiFernet:
        return fernet()

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        # InvalidToken propagates: a wrong key is an error, never ciphertext shown as a name.
        return fernet().decrypt(value.encode()).decode()


class SecretCharField(_KeysFromSettings, EncryptedCharField):
    pass


class SecretTextField(_KeysFromSettings, EncryptedTextField):
    pass


def normalise_name(name: str) -> str:
    """Lower case, accents and punctuation removed, single spaces: "  Élodie-Marie " → "elodie marie"."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.lower().split())


def name_hash(name: str) -> str:
    """HMAC-SHA256 of the normalised name with VIGIE_CASEWORK_SEARCH_KEY (hex); "" for an empty name."""
    normalised = normalise_name(name)
    if not normalised:
        return ""
    key = settings.VIGIE_CASEWORK_SEARCH_KEY.encode()
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()
