"""riskpath settings. Every value that differs between machines is read from the environment
(see ``riskpath.config.env`` and the README's Configuration section). The defaults are the safe,
production ones: DEBUG off, secure cookies, HSTS, a strict Content-Security-Policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from riskpath.config import env
from riskpath.config.database import owner_database

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = env.data_dir()

DEBUG = env.get_bool("DEBUG", False)

SECRET_KEY = env.get_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set (a long random string) unless DEBUG is true."
        )
    SECRET_KEY = "riskpath-development-only-key-never-use-in-production-0123456789"

# Keys retired by a rotation, newest first: sessions and signed links made with them stay valid
# until they expire (docs/operations.md, "Rotating keys").
SECRET_KEY_FALLBACKS = env.get_list("SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    # riskpath.web first: its templates give allauth's pages the GOV.UK layout.
    "riskpath.web",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "drf_spectacular",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "riskpath.core",
    "riskpath.accounts",
    "riskpath.access",
    "riskpath.audit",
    "riskpath.auditlog",
    "riskpath.jobs",
    "riskpath.notifications",
    "riskpath.people",
    "riskpath.locations",
    "riskpath.groups",
    "riskpath.intelligence",
    "riskpath.links",
    "riskpath.referrals",
    "riskpath.cohort",
    "riskpath.imports",
    "riskpath.meetings",
    "riskpath.network",
    "riskpath.pathway",
    "riskpath.governance",
    "riskpath.search",
    "riskpath.administration",
    "riskpath.work",
    "riskpath.api",
]

MIDDLEWARE = [
    "riskpath.core.middleware.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "riskpath.web.middleware.RejectNulCharactersMiddleware",
    "riskpath.accounts.middleware.SessionLimitsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "riskpath.accounts.middleware.RequireMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "riskpath.access.middleware.DefaultDenyMiddleware",
    "riskpath.web.middleware.NoStoreForSignedInMiddleware",
]

ROOT_URLCONF = "riskpath.config.urls"
WSGI_APPLICATION = "riskpath.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "riskpath.web.context_processors.navigation",
            ],
        },
    },
]
FORM_RENDERER = "riskpath.web.forms.GovukFormRenderer"

# --- Database -----------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env.get_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'riskpath.sqlite3'}"),
        conn_max_age=env.get_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so concurrent writers queue rather
    # than deadlock; WAL lets readers carry on while one writer works.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-riskpath.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # riskpath's queries are short and many; PostgreSQL's JIT compilation costs more than it
    # saves on them (measured in benchmarks/README.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# The role that owns the tables, for `riskpath migrate` and `riskpath db grant-app-role` only: the
# application itself connects as a role that owns nothing (docs/audit.md, "Database roles").
_owner_url = env.get_str("DATABASE_OWNER_URL", "")
if _owner_url:
    DATABASES["owner"] = owner_database(DATABASES["default"], _owner_url)
    # Migrations' own queries go to the owner's connection too (riskpath migrate sets it).
    DATABASE_ROUTERS = ["riskpath.core.db_roles.MigrationRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Audit checkpoints ----------------------------------------------------------------------
# The HMAC key that signs checkpoints of the audit chain: held outside the database, only where
# `riskpath audit checkpoint` and `verify --checkpoints` run (docs/audit.md, "Checkpoints").
AUDIT_CHECKPOINT_KEY = env.get_str("AUDIT_CHECKPOINT_KEY", "")
AUDIT_CHECKPOINT_KEY_FILE = env.get_str("AUDIT_CHECKPOINT_KEY_FILE", "")

# --- Cache (rate limits, sessions are in the database) ------------------------------------
_cache_url = env.get_str("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Users, sign-in, sessions -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "account_login"

# Inactivity and absolute session limits, enforced by SessionLimitsMiddleware.
SESSION_IDLE_TIMEOUT = env.get_int("SESSION_IDLE_TIMEOUT_MINUTES", 30) * 60
SESSION_ABSOLUTE_TIMEOUT = env.get_int("SESSION_ABSOLUTE_TIMEOUT_HOURS", 10) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_NAME = "riskpath_session"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"

# Per-account lockout: after this many failures within the window the account is refused
# for the lockout period, whatever password is given.
SIGN_IN_MAX_FAILURES = env.get_int("SIGN_IN_MAX_FAILURES", 5)
SIGN_IN_FAILURE_WINDOW = env.get_int("SIGN_IN_FAILURE_WINDOW_MINUTES", 15) * 60
SIGN_IN_LOCKOUT = env.get_int("SIGN_IN_LOCKOUT_MINUTES", 15) * 60

# Per-account limit on wrong second-factor codes: after this many within the window the
# code page refuses every code for that account for the lockout period (counted in the cache,
# shared by every server when REDIS_URL is set).
SECOND_FACTOR_MAX_FAILURES = env.get_int("SECOND_FACTOR_MAX_FAILURES", 5)
SECOND_FACTOR_FAILURE_WINDOW = env.get_int("SECOND_FACTOR_FAILURE_WINDOW_MINUTES", 15) * 60
SECOND_FACTOR_LOCKOUT = env.get_int("SECOND_FACTOR_LOCKOUT_MINUTES", 15) * 60

# How long an emergency ("break glass") access grant lasts.
BREAK_GLASS_HOURS = env.get_int("BREAK_GLASS_HOURS", 8)

ACCOUNT_ADAPTER = "riskpath.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[riskpath] "
# Per-account lockout is riskpath's own (audited); allauth keeps a per-address limit.
ACCOUNT_RATE_LIMITS = {"login_failed": "30/m/ip", "reset_password": "5/m/ip,3/m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "riskpath"
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
# allauth limits wrong codes through the login_failed rate above, per address only; the
# per-account limit and its audit events are riskpath's (riskpath.accounts.second_factor).
MFA_FORMS = {
    "authenticate": "riskpath.accounts.second_factor.SecondFactorForm",
    "reauthenticate": "riskpath.accounts.second_factor.SecondFactorReauthenticateForm",
}

# --- E-mail ---------------------------------------------------------------------------------
# A development machine (DEBUG) has no mail server: e-mails are printed to the console.
EMAIL_BACKEND = env.get_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.get_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env.get_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env.get_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.get_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.get_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env.get_str("DEFAULT_FROM_EMAIL", "riskpath <noreply@riskpath.invalid>")

# --- Security headers -------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", not DEBUG)
if env.get_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.get_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env.get_bool("RISKPATH_PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- API ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "riskpath.api.authentication.ServiceTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["riskpath.api.permissions.PolicyPermission"],
    "DEFAULT_THROTTLE_CLASSES": ["riskpath.api.throttling.ApiRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "riskpath.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["riskpath.api.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "riskpath.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Rate limits of the API, counted in the cache (shared by every server when REDIS_URL is
# set): per service token, per signed-in user (the browser's session), and per address for
# requests with neither. Past one, the API answers 429 with Retry-After.
API_RATE_LIMITS = {
    "token": env.get_rate("API_RATE_TOKEN", "600/minute"),
    "user": env.get_rate("API_RATE_USER", "300/minute"),
    "anon": env.get_rate("API_RATE_ANON", "60/minute"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "riskpath API",
    "DESCRIPTION": (
        "Version 1 of riskpath's JSON API for partner-system integrations. Every call is "
        "checked by the same access policy as the web pages and leaves the same audit events. "
        "Calls are rate-limited per service token, per signed-in user and per address for "
        "calls with neither; past the limit the answer is 429 with a Retry-After header."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["riskpath.api.permissions.PolicyPermission"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "riskpath.api.schema.add_rate_limit_responses",
    ],
    # Several models have a field called "kind"; give each its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "SearchKindEnum": "riskpath.search.models.Kind",
        "AgencyKindEnum": "riskpath.accounts.enums.AgencyKind",
        "LocationKindEnum": "riskpath.locations.models.LocationKind",
        "GroupKindEnum": "riskpath.groups.models.GroupKind",
        "LinkKindEnum": "riskpath.links.models.LinkKind",
        "DisruptionKindEnum": "riskpath.people.enums.DisruptionKind",
        "DuplicateKindEnum": "riskpath.people.models.DuplicateKind",
        "EpisodeKindEnum": "riskpath.people.enums.EpisodeKind",
        "LinkEndTypeEnum": "riskpath.links.models.ENDS",
        "DecisionKindEnum": "riskpath.meetings.models.DecisionKind",
        "ReferralStatusEnum": "riskpath.referrals.models.ReferralStatus",
        "MeetingKindEnum": "riskpath.meetings.models.MeetingKind",
        "MeetingStatusEnum": "riskpath.meetings.models.MeetingStatus",
        "AgendaSectionEnum": "riskpath.meetings.models.AgendaSection",
        "PathwayEpisodeKindEnum": "riskpath.pathway.models.EpisodeKind",
        "PathwayEpisodeStatusEnum": "riskpath.pathway.models.EpisodeStatus",
        "PathwayRouteEnum": "riskpath.pathway.models.Route",
        "MarmmKindEnum": "riskpath.pathway.models.MarmmKind",
        "PlanSectionEnum": "riskpath.pathway.models.PlanSection",
        "GroundsDecisionEnum": "riskpath.pathway.models.GroundsDecision",
        "FlagSystemEnum": "riskpath.pathway.models.FlagSystem",
        "FlagPurposeEnum": "riskpath.pathway.models.FlagPurpose",
        "FlagStateEnum": "riskpath.api.v1_episodes_serializers.FlagState",
        "SubjectAccessRequestStatusEnum": "riskpath.governance.enums.RequestStatus",
        "RetentionReviewStatusEnum": "riskpath.governance.enums.ReviewStatus",
    },
}

# --- Logging: JSON lines with request ids, never record content -----------------------------
LOG_LEVEL = env.get_str("LOG_LEVEL", "INFO")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "riskpath.core.logging.RequestContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's request logger puts the full path (which can hold search terms) in its
        # message; riskpath logs its own request line without query strings instead.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}

# The address users reach riskpath at, for links in e-mails.
RISKPATH_BASE_URL = env.get_str("RISKPATH_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
ACCOUNT_FORMS = {
    "login": "riskpath.accounts.forms_auth.SignInForm",
    "reset_password": "riskpath.accounts.forms_auth.PasswordResetRequestForm",
}
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False

# Background jobs: django-tasks with its database backend, on the same database as everything
# else (SQLite or PostgreSQL). `riskpath db_worker` runs them; `riskpath scheduler` enqueues
# the periodic ones below. See docs/jobs.md.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# The schedule, in one place: (cron expression in TIME_ZONE, dotted path of a job).
RISKPATH_SCHEDULE = [
    ("0 7 * * 1-5", "riskpath.work.notices.pathway_reminders"),
    ("5 7 * * 1-5", "riskpath.work.notices.daily_reminders"),
    ("0 8 * * *", "riskpath.notifications.services.send_digests"),
    ("30 2 * * *", "riskpath.governance.retention.retention_daily"),
]
