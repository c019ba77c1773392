"""Settings shared by every environment. Configuration comes from the environment."""

from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    env_bool,
    env_fernet_keys,
    env_int,
    env_list,
    env_secret,
    env_str,
    parse_database_url,
    proconnect_settings,
    s3_storages,
    url_origin,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-dev-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "widget_tweaks",
    "dsfr",
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "vigie.core",
    "vigie.audit",
    "vigie.territories",
    "vigie.organisations",
    "vigie.accounts",
    "vigie.plans",
    "vigie.imports",
    "vigie.funding",
    "vigie.casework",
    "vigie.indicators",
    "vigie.statistics",
    "vigie.governance",
    "vigie.progress",
    "vigie.reviews",
    "vigie.overview",
    "vigie.api",
    "vigie.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A NUL character in the address is a 400 before any view (PostgreSQL would refuse it with a 500).
    "vigie.core.middleware.RejectNulCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): verified with a second factor in this session (django-otp).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signs out a session idle or open too long (see "Sessions" below); after auth and messages.
    "vigie.accounts.sessions.SessionTimeoutMiddleware",
    # Sends a signed-in person who owes a second factor to its verification (or enrolment) page.
    "vigie.accounts.two_factor_middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "vigie.core.middleware.SecurityHeadersMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vigie.core.context_processors.site_config",
                "vigie.core.context_processors.navigation",
                "vigie.accounts.context_processors.account_links",
            ],
        },
    },
]

DATABASES = {
    "default": parse_database_url(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# CNIL deliberation 2022-100, first example: at least 12 characters with upper case, lower case, digit and special
# character (vigie/accounts/validators.py); nothing close to the account's name, nothing common.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "vigie.accounts.validators.CharacterKindsValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked account before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Loads the account of a session signed in through ProConnect; authenticates nothing itself.
    "vigie.accounts.proconnect_backend.ProConnectSessionBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "plans:home"
LOGOUT_REDIRECT_URL = "plans:home"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    # Files that must only be served through a permission-checked view (e.g. restricted minutes).
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env_str("VIGIE_PRIVATE_ROOT", str(BASE_DIR / "private")),
            "base_url": None,
        },
    },
}
# Object storage on S3 (django-storages) when every VIGIE_S3_* variable is set; the local disk otherwise.
_S3_STORAGES = s3_storages()
if _S3_STORAGES:
    STORAGES = {**STORAGES, **_S3_STORAGES}

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("VIGIE_MEDIA_ROOT", str(BASE_DIR / "media")))

# Uploads: keep requests bounded (individual upload views enforce their own limits too).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
VIGIE_MAX_UPLOAD_BYTES = 20 * 1024 * 1024

DSFR_USE_INTEGRITY_CHECKSUMS = False

# Absolute address of the site, for links in e-mails.
VIGIE_SITE_URL = env_str("VIGIE_SITE_URL", "http://127.0.0.1:8000")
EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "Vigie <ne-pas-repondre@vigie.localhost>")

# --- Sessions, invitations and password reset (vigie.accounts) -------------------------------------------------
# A signed-in session ends after VIGIE_SESSION_IDLE_MINUTES without a request, and in any case
# VIGIE_SESSION_MAX_HOURS after sign-in (vigie.accounts.sessions.SessionTimeoutMiddleware); the next page is the
# sign-in page, saying why. Sessions live in the database (Django's default engine): deactivating an account
# deletes them. The cookie lasts until the browser closes.


def _positive(name: str, default: int) -> int:
    value = env_int(name, default)
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be a positive integer, got {value}.")
    return value


VIGIE_SESSION_IDLE_MINUTES = _positive("VIGIE_SESSION_IDLE_MINUTES", 30)
VIGIE_SESSION_MAX_HOURS = _positive("VIGIE_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = VIGIE_SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# The link of an invitation e-mail is valid this many days, and only once.
VIGIE_INVITATION_DAYS = _positive("VIGIE_INVITATION_DAYS", 3)
# The link of a password reset e-mail is valid 2 hours, and only once (it depends on the password).
PASSWORD_RESET_TIMEOUT = 2 * 3600

# --- Two-factor authentication (django-otp; rules in vigie.accounts.two_factor) ---------------------------------
# On (the default, as in production): national administrators and prefecture agents signing in with a password,
# and anyone signing in through ProConnect without a second factor there, give a TOTP code (or a backup code)
# after signing in, and enrol first if they have no device. Anyone who enrolled gives it, whatever this setting.
VIGIE_TWO_FACTOR_REQUIRED = env_bool("VIGIE_TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = "Vigie"
# Exponential delay after wrong codes (1, 2, 4, 8… seconds) on the TOTP device and on the backup codes.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_BACKUP_CODE_THROTTLE_FACTOR = 1
# The Django admin site never shows a TOTP secret.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    # Per client: the IP address for anonymous requests, the account for signed-in or token requests. The
    # counts live in the default cache, which must be shared by every process in production (prod.py).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": "60/minute",
        "user": "600/minute",
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Vigie",
    "DESCRIPTION": "Plans départementaux de prévention de la délinquance : plans, indicateurs, statistiques.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Several serializers have a field named "kind" with different choices: name each set.
    "ENUM_NAME_OVERRIDES": {"GrantAttachmentKindEnum": "vigie.funding.enums.AttachmentKind"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}
DSFR_MARK_OPTIONAL_FIELDS = True

# Password guessing (django-axes): ten wrong passwords for one username lock that account, whatever the IP
# address. The IP is deliberately not part of the key: a prefecture's agents share one outgoing address, so
# locking by IP would lock a whole prefecture, and combining username + IP would let a guesser just change
# address. Only an administrator unlocks (no cool-off): vigie.accounts "Comptes verrouillés". Attempts live in
# the database, so the count is shared by every process.
AXES_FAILURE_LIMIT = 10
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_COOLOFF_TIME = None
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "vigie.accounts.views.lockout_response"
AXES_VERBOSE = False
# No log of successful sign-ins (IP address, browser) kept without a retention period: only failures are counted.
AXES_DISABLE_ACCESS_LOG = True
# axes.W006 warns that a lockout without the IP address can be bypassed by rotating User-Agents or cookies: not
# here, the username alone is the key, so the account stays locked whatever the address, cookie or browser.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Content-Security-Policy (django-csp 4). Scripts only from Vigie itself (DSFR, htmx, vigie.js are served locally)
# or carrying the page's nonce: no 'unsafe-inline', no 'unsafe-eval', no inline event handler. Styles only from
# style sheets (no <style> element, no style attribute): htmx's indicator <style> is switched off in base.html.
# Images may be data: URIs (the DSFR's CSS uses some). Nothing may frame Vigie, forms post only to Vigie.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- ProConnect (OpenID Connect) sign-in (vigie.accounts.proconnect*) ------------------------------------------
# On when VIGIE_PROCONNECT_CLIENT_ID, VIGIE_PROCONNECT_CLIENT_SECRET and VIGIE_PROCONNECT_DISCOVERY_URL are set
# (VIGIE_PROCONNECT_SCOPES optional); off (no button, its addresses answer 404) when none is. The endpoints come
# from the discovery document. mozilla-django-oidc settings: 48-character state and nonce (ProConnect asks for
# at least 32), both checked; the callback's URL name.
VIGIE_PROCONNECT = proconnect_settings()
OIDC_STATE_SIZE = 48
OIDC_NONCE_SIZE = 48
OIDC_USE_NONCE = True
OIDC_MAX_STATES = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:proconnect_callback"
OIDC_TIMEOUT = 10
OIDC_VERIFY_SSL = True
if VIGIE_PROCONNECT:
    # Signing out is a form posted to Vigie that redirects to ProConnect's end of session: form-action must allow
    # ProConnect (browsers check the redirect against it). Its endpoints share the discovery document's origin.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] = [
        SELF,
        url_origin(VIGIE_PROCONNECT["discovery_url"]),
    ]

# --- Named cases (vigie.casework) ------------------------------------------------------------------------------------
# Identities and texts are encrypted with Fernet (django-fernet-encrypted-fields, keys from the environment): the
# first key encrypts, every key decrypts (rotation). Names are searched through a keyed hash (HMAC-SHA256) whose key
# is VIGIE_CASEWORK_SEARCH_KEY. The defaults below are for development only: `check --deploy` refuses them
# (vigie/casework/checks.py).
CASEWORK_DEV_KEY = "ZGV2LW9ubHktY2FzZXdvcmsta2V5LWNoYW5nZS1tZSE="
CASEWORK_DEV_SEARCH_KEY = "dev-only-casework-search-key-change-me"
VIGIE_CASEWORK_KEYS = env_fernet_keys("VIGIE_CASEWORK_KEYS", [CASEWORK_DEV_KEY])
VIGIE_CASEWORK_SEARCH_KEY = env_secret("VIGIE_CASEWORK_SEARCH_KEY", CASEWORK_DEV_SEARCH_KEY)
