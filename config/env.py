"""Strict parsing of configuration from environment variables."""

import os
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
SUPPORTED_DB_SCHEMES = ("sqlite", "postgres", "postgresql")


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def parse_database_url(url: str) -> dict:
    """Parse DATABASE_URL, refusing anything but SQLite and PostgreSQL."""
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in SUPPORTED_DB_SCHEMES:
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with one of {', '.join(s + '://' for s in SUPPORTED_DB_SCHEMES)}; got {url!r}."
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60 if scheme != "sqlite" else 0)
    except ValueError as exc:  # malformed URL
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from exc
    if scheme != "sqlite" and not config.get("NAME"):
        raise ImproperlyConfigured(
            "DATABASE_URL must name a database (postgres://user@host:port/name)."
        )
    if scheme == "sqlite":
        config.setdefault("OPTIONS", {})["timeout"] = 20
    return config


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}.") from exc


def env_fernet_keys(name: str, default: list[str] | None = None) -> list[str]:
    """Fernet keys (URL-safe base64 of 32 bytes), comma-separated: the first encrypts, all decrypt (rotation: put
    the new key first, keep the old ones until every row has been written again)."""
    from cryptography.fernet import Fernet

    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    keys = [item.strip() for item in value.split(",") if item.strip()]
    if not keys:
        raise ImproperlyConfigured(f"{name} must list at least one Fernet key.")
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: key {position} is not a Fernet key (32 bytes in URL-safe base64)."
            ) from None
    return keys


def env_secret(name: str, default: str | None = None, *, min_length: int = 32) -> str:
    """A secret string (a keyed-hash key): required unless a default is given, and long enough."""
    value = env_str(name, default)
    if len(value) < min_length:
        raise ImproperlyConfigured(f"{name} must be at least {min_length} characters long.")
    return value


# S3-compatible object storage (django-storages). All or nothing: either none of the required variables is set
# (files stay on the local disk) or all of them are.
S3_REQUIRED = (
    "VIGIE_S3_BUCKET",
    "VIGIE_S3_ENDPOINT_URL",
    "VIGIE_S3_ACCESS_KEY_ID",
    "VIGIE_S3_SECRET_ACCESS_KEY",
    "VIGIE_S3_REGION",
)
S3_OPTIONAL = ("VIGIE_S3_PRIVATE_BUCKET",)
S3_BACKEND = "storages.backends.s3.S3Storage"


def s3_storages() -> dict | None:
    """The "default" and "private" STORAGES entries on S3, or None when no VIGIE_S3_* variable is set.

    Both storages are private (no public ACL, no public URL): private files are only served through
    permission-checked views, which stream them. The private storage uses VIGIE_S3_PRIVATE_BUCKET when set, else
    the same bucket; either way its files live under their own prefix.
    """
    present = [name for name in (*S3_REQUIRED, *S3_OPTIONAL) if name in os.environ]
    if not present:
        return None
    missing = [name for name in S3_REQUIRED if not os.environ.get(name, "").strip()]
    if missing:
        raise ImproperlyConfigured(
            "Configuration du stockage S3 incomplète : il manque "
            + ", ".join(missing)
            + " (définissez toutes les variables VIGIE_S3_* requises, ou aucune pour le disque local)."
        )
    values = {name: os.environ[name].strip() for name in S3_REQUIRED}
    endpoint = values["VIGIE_S3_ENDPOINT_URL"]
    parsed = urlsplit(endpoint)
    if parsed.scheme not in ("https", "http") or not parsed.netloc:
        raise ImproperlyConfigured(
            f"VIGIE_S3_ENDPOINT_URL doit commencer par https:// ou http:// ; reçu {endpoint!r}."
        )
    if (
        "VIGIE_S3_PRIVATE_BUCKET" in os.environ
        and not os.environ["VIGIE_S3_PRIVATE_BUCKET"].strip()
    ):
        raise ImproperlyConfigured(
            "VIGIE_S3_PRIVATE_BUCKET est vide : donnez un nom de bucket ou retirez-la."
        )
    for name in ("VIGIE_S3_BUCKET", "VIGIE_S3_PRIVATE_BUCKET"):
        bucket = os.environ.get(name, "").strip()
        if bucket and not _is_bucket_name(bucket):
            raise ImproperlyConfigured(
                f"{name} n'est pas un nom de bucket valide (3 à 63 caractères : minuscules, chiffres, "
                f"points, tirets) ; reçu {bucket!r}."
            )
    common = {
        "endpoint_url": endpoint,
        "access_key": values["VIGIE_S3_ACCESS_KEY_ID"],
        "secret_key": values["VIGIE_S3_SECRET_ACCESS_KEY"],
        "region_name": values["VIGIE_S3_REGION"],
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 60,
        "file_overwrite": False,
        "addressing_style": "path",
    }
    private_bucket = (
        os.environ.get("VIGIE_S3_PRIVATE_BUCKET", "").strip() or values["VIGIE_S3_BUCKET"]
    )
    return {
        "default": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {**common, "bucket_name": values["VIGIE_S3_BUCKET"], "location": "media"},
        },
        "private": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {**common, "bucket_name": private_bucket, "location": "private"},
        },
    }


def _is_bucket_name(name: str) -> bool:
    allowed = set("abcdefghijklmnopqrstuvwxyz0123456789.-")
    return (
        3 <= len(name) <= 63 and set(name) <= allowed and name[0].isalnum() and name[-1].isalnum()
    )


# ProConnect (OpenID Connect) sign-in. All or nothing: either none of the required variables is set (no
# ProConnect button, its addresses answer 404) or all of them are.
PROCONNECT_REQUIRED = (
    "VIGIE_PROCONNECT_CLIENT_ID",
    "VIGIE_PROCONNECT_CLIENT_SECRET",
    "VIGIE_PROCONNECT_DISCOVERY_URL",
)
PROCONNECT_DEFAULT_SCOPES = "openid email given_name usual_name siret uid"
_LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}


def proconnect_settings() -> dict | None:
    """Client id, secret, discovery URL and scopes of ProConnect, or None when no VIGIE_PROCONNECT_* is set.

    The discovery URL must be https (plain http only on the loopback, for tests and local providers); the
    scopes (VIGIE_PROCONNECT_SCOPES, optional) must include "openid".
    """
    names = (*PROCONNECT_REQUIRED, "VIGIE_PROCONNECT_SCOPES")
    if not any(name in os.environ for name in names):
        return None
    missing = [name for name in PROCONNECT_REQUIRED if not os.environ.get(name, "").strip()]
    if missing:
        raise ImproperlyConfigured(
            "Configuration de ProConnect incomplète : il manque "
            + ", ".join(missing)
            + " (définissez toutes les variables VIGIE_PROCONNECT_* requises, ou aucune sans ProConnect)."
        )
    url = os.environ["VIGIE_PROCONNECT_DISCOVERY_URL"].strip()
    parsed = urlsplit(url)
    loopback = parsed.hostname in _LOOPBACK_HOSTS
    allowed_scheme = parsed.scheme == "https" or (parsed.scheme == "http" and loopback)
    if not allowed_scheme or not parsed.netloc:
        raise ImproperlyConfigured(
            "VIGIE_PROCONNECT_DISCOVERY_URL doit être une adresse https:// (http:// seulement sur la boucle "
            f"locale) ; reçu {url!r}."
        )
    scopes = " ".join(os.environ.get("VIGIE_PROCONNECT_SCOPES", PROCONNECT_DEFAULT_SCOPES).split())
    if "openid" not in scopes.split():
        raise ImproperlyConfigured(
            f"VIGIE_PROCONNECT_SCOPES doit contenir « openid » ; reçu {scopes!r}."
        )
    return {
        "client_id": os.environ["VIGIE_PROCONNECT_CLIENT_ID"].strip(),
        "client_secret": os.environ["VIGIE_PROCONNECT_CLIENT_SECRET"].strip(),
        "discovery_url": url,
        "scopes": scopes,
    }


def url_origin(url: str) -> str:
    """scheme://host[:port] of an address (for the Content-Security-Policy)."""
    parsed = urlsplit(url)
    return f"{parsed.scheme}://{parsed.netloc}"
