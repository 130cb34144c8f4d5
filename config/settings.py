"""Motcua settings: one module, everything from the environment.

SQLite (embedded, WAL) unless ``DATABASE_URL`` is set. Production mode (``MOTCUA_PRODUCTION=1``)
refuses to start without a secret key and allowed hosts, and turns on every transport-security
setting that ``manage.py check --deploy`` asks for. See docs/operations.md.
"""

from __future__ import annotations

import json
import secrets
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MOTCUA_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

PRODUCTION = env_bool("MOTCUA_PRODUCTION", False)
# Off unless asked for, in the demo too (issue #12 item 3): no traceback or URL list is ever shown
# to a user. A developer sets MOTCUA_DEBUG=1.
DEBUG = env_bool("MOTCUA_DEBUG", False)


def _secret_key() -> str:
    key = env_secret("MOTCUA_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "MOTCUA_SECRET_KEY (or MOTCUA_SECRET_KEY_FILE) is required when MOTCUA_PRODUCTION=1"
        )
    # Development: a random key kept outside the repository, stable across restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list(
    "MOTCUA_ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("MOTCUA_ALLOWED_HOSTS is required when MOTCUA_PRODUCTION=1")
CSRF_TRUSTED_ORIGINS = env_list("MOTCUA_CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "motcua.web.errors.csrf_failure"

# The province this deployment serves (vietnam-provinces code; 92 = Thành phố Cần Thơ).
MOTCUA_PROVINCE_CODE = env_int("MOTCUA_PROVINCE_CODE", 92)
# The operations-centre board (/ioc/) keeps its assembled figures and rendered sections this
# many seconds per worker process, per period, day and language (decision 0028); 0: never.
MOTCUA_BOARD_CACHE_SECONDS = env_int("MOTCUA_BOARD_CACHE_SECONDS", 30)
MOTCUA_PUBLIC_URL = env_str("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000")
MOTCUA_SHARED_DIR = Path(env_str("MOTCUA_SHARED_DIR", str(BASE_DIR.parent / "shared")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # Swagger UI's assets served from the product, not a CDN (works on an intranet)
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    # Motcua, bottom-up (an app imports only apps listed before it; see .importlinter).
    "motcua.core",
    "motcua.geo",
    "motcua.agencies",
    "motcua.worktime",
    "motcua.accounts",
    "motcua.catalog",
    "motcua.exchange",
    "motcua.documents",
    "motcua.notify",
    "motcua.dossiers",
    "motcua.payments",
    "motcua.feedback",
    "motcua.petitions",
    "motcua.correspondence",
    "motcua.insights",
    "motcua.assistant",
    "motcua.opendata",
    "motcua.web",
    "motcua.portal",
    "motcua.desk",
    "motcua.ioc",
]

MIDDLEWARE = [
    "motcua.core.middleware.RequestIdMiddleware",
    "motcua.web.middleware.RequestSizeLimitMiddleware",  # before anything reads the body
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.middleware.SessionRenewalMiddleware",  # the idle timeout (see its docstring)
    "motcua.web.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "motcua.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "motcua.web.middleware.MotcuaErrorMiddleware",  # last: sees the views' exceptions first
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "motcua.web.context.shell",
            ],
        },
    },
]


def _postgres_options() -> dict[str, Any]:
    """Server-side parameter binding and prepared statements (docs/decisions/0007): parameters
    travel apart from the SQL (no quoting in Python), and a statement run
    ``MOTCUA_PG_PREPARE_THRESHOLD`` times on a connection is prepared once (parsed and planned
    once). Behind a transaction-pooling PgBouncer without ``max_prepared_statements`` set the
    threshold to 0 (never prepare) — or turn binding off with ``MOTCUA_PG_SERVER_BINDING=0``."""
    options: dict[str, Any] = {}
    if env_bool("MOTCUA_PG_SERVER_BINDING", True):
        options["server_side_binding"] = True
        threshold = env_int("MOTCUA_PG_PREPARE_THRESHOLD", 5)
        options["prepare_threshold"] = threshold if threshold > 0 else None
    return options


def _database() -> dict[str, Any]:
    url = env_str("DATABASE_URL", "")
    if url:
        config: dict[str, Any] = dict(
            dj_database_url.parse(url, conn_max_age=env_int("MOTCUA_DB_CONN_MAX_AGE", 60))
        )
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config["OPTIONS"] = _sqlite_options()
        else:
            config["OPTIONS"] = _postgres_options()
        return config
    path = Path(env_str("MOTCUA_SQLITE_PATH", str(VAR_DIR / "motcua.sqlite3")))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": _sqlite_options(),
        # A file, not Django's shared in-memory default: concurrency tests need real locking.
        "TEST": {"NAME": str(path.with_name(f"test-{path.name}"))},
    }


def _sqlite_options() -> dict[str, Any]:
    # WAL + IMMEDIATE: concurrent writers wait for the lock instead of failing mid-transaction,
    # which the state-conditional UPDATE of the transition core relies on (DESIGN §4).
    return {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=20000;"
        ),
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("MOTCUA_PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "motcua.accounts.passwords.CharacterClassValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "after-login"
LOGOUT_REDIRECT_URL = "portal:home"
SESSION_COOKIE_AGE = env_int("MOTCUA_SESSION_SECONDS", 30 * 60)
# Idle timeout, not absolute: SessionRenewalMiddleware renews a session once a tenth of its age
# has passed since its last save (SESSION_SAVE_EVERY_REQUEST wrote it on every request).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lockout after repeated failures (django-axes). Behind a reverse proxy set MOTCUA_PROXY_COUNT so
# the client address (not the proxy's) is counted.
AXES_FAILURE_LIMIT = env_int("MOTCUA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("MOTCUA_LOGIN_COOLOFF_MINUTES", 15))
# The username-and-address PAIR is locked (issue #12 item 6): five wrong passwords for one officer
# must not lock every officer behind the same service-centre address out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Trusted reverse proxies in front of the web server (0: none, X-Forwarded-For is ignored); the
# client address is read by core.limits.client_ip for the lockout and every rate limit.
MOTCUA_PROXY_COUNT = env_int("MOTCUA_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "motcua.core.limits.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "motcua.accounts.views.locked_out"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Motcua"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns about a missing root before collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = not PRODUCTION

# One cache shared by the web workers of a machine (rate limits of the public tracking page).
# A multi-machine deployment points MOTCUA_CACHE_URL-style settings at Redis instead.
# The operations-centre board's kept figures (decision 0028): per worker process, at most
# MOTCUA_BOARD_CACHE_SECONDS old; when full, the least recently used board goes (one at a time).
_board_cache = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "motcua-board",
    "TIMEOUT": MOTCUA_BOARD_CACHE_SECONDS,
    "OPTIONS": {"MAX_ENTRIES": 32, "CULL_FREQUENCY": 32},
}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    },
    "board": _board_cache,
}
MOTCUA_TRACKING_ATTEMPTS = env_int("MOTCUA_TRACKING_ATTEMPTS", 10)  # per address per 15 minutes

TASKS = {
    "default": {
        "BACKEND": env_str("MOTCUA_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# The worker writes a heartbeat this often; /healthz calls it stale after three missed beats.
MOTCUA_WORKER_HEARTBEAT_SECONDS = env_int("MOTCUA_WORKER_HEARTBEAT_SECONDS", 10)
# Background work never blocks a user (issue #12): the worker yields the CPU to the web processes
# and starts its rare scheduled jobs (reports, reconciliation) this long after boot.
MOTCUA_WORKER_NICE = env_int("MOTCUA_WORKER_NICE", 10)
MOTCUA_WORKER_STARTUP_DELAY_S = env_int("MOTCUA_WORKER_STARTUP_DELAY_S", 60)
# A scheduled job that calls a national system (config/jobs.py NEEDS) first runs once the system's
# port answers, waiting at most this many seconds after boot (motcua/core/startup.py).
MOTCUA_WORKER_DEPENDENCY_WAIT_S = env_int("MOTCUA_WORKER_DEPENDENCY_WAIT_S", 60)

NINJA_PAGINATION_PER_PAGE = 50

# Transport security: all on in production; `manage.py check --deploy` must be clean.
# Content-Security-Policy (django-csp, issue #12 item 7): every script, style, image and font
# comes from the product itself, no third-party origin; no inline script; nothing may frame it.
# Inline style attributes are allowed (the templates use them for layout; they cannot run code).
# MOTCUA_CSP_EXTRA_IMG adds origins for images (e.g. a map tile server).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *env_list("MOTCUA_CSP_EXTRA_IMG", [])],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("MOTCUA_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("MOTCUA_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOG_LEVEL = env_str("MOTCUA_LOG_LEVEL", "INFO")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "motcua.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # One handler for Django too (its default config would print every line twice).
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # The worker runs the task queue in short batches; its per-batch lines are noise.
        "django_tasks_db": {"level": "WARNING"},
    },
}

# Under pytest (or MOTCUA_TESTING=1): a fast password hasher, since hashing is not what the
# suite tests. Never in production.
TESTING = env_bool("MOTCUA_TESTING", "pytest" in sys.modules) and not PRODUCTION
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "board": _board_cache,
    }
    # Tests change the data between two requests of the board: no kept figures unless a test
    # turns them on (motcua/ioc/tests/test_board_cost.py).
    MOTCUA_BOARD_CACHE_SECONDS = 0

# Benchmarks only (bench/receipt.py): exposes POST /api/v1/_bench/write, a trivial one-row write.
MOTCUA_BENCH_ENDPOINTS = env_bool("MOTCUA_BENCH_ENDPOINTS", False)

# Citizen portal (issue #6): VNeID login through OpenID Connect (R-AUTH-01/02), online
# applications with uploads (R-ONL-*), satisfaction ratings (R-SAT-01).
MOTCUA_VNEID_ISSUER = env_str("MOTCUA_VNEID_ISSUER", "http://127.0.0.1:8106").rstrip("/")
MOTCUA_VNEID_CLIENT_ID = env_str("MOTCUA_VNEID_CLIENT_ID", "motcua-dev")
_vneid_secret = env_secret("MOTCUA_VNEID_CLIENT_SECRET")
if PRODUCTION and not _vneid_secret:
    raise ImproperlyConfigured("MOTCUA_VNEID_CLIENT_SECRET is required when MOTCUA_PRODUCTION=1")
MOTCUA_VNEID_CLIENT_SECRET = _vneid_secret or "motcua-dev-secret"  # the simulator's dev client
# Empty: built from the request (http://HOST/auth/vneid/callback); set it behind a proxy.
MOTCUA_VNEID_REDIRECT_URI = env_str("MOTCUA_VNEID_REDIRECT_URI", "")
MOTCUA_VNEID_TIMEOUT_SECONDS = env_int("MOTCUA_VNEID_TIMEOUT_SECONDS", 10)
# A citizen's session ends after this much inactivity (SessionRenewalMiddleware renews it).
MOTCUA_CITIZEN_SESSION_SECONDS = env_int("MOTCUA_CITIZEN_SESSION_SECONDS", 30 * 60)
MOTCUA_UPLOAD_MAX_BYTES = env_int("MOTCUA_UPLOAD_MAX_MB", 10) * 1024 * 1024
# A virus scanner run on every uploaded file through its standard input, where one is installed
# (ClamAV convention: exit 0 clean, 1 infected), e.g. "clamdscan --no-summary -". Empty: none.
MOTCUA_VIRUS_SCAN_COMMAND = env_str("MOTCUA_VIRUS_SCAN_COMMAND", "")
MOTCUA_VIRUS_SCAN_TIMEOUT_S = env_int("MOTCUA_VIRUS_SCAN_TIMEOUT_S", 60)
MOTCUA_UPLOAD_MAX_PAGES = env_int("MOTCUA_UPLOAD_MAX_PAGES", 200)
# A whole request body (issue #12 item 6): checked from Content-Length before it is read. An
# e-form sends at most about a dozen files of MOTCUA_UPLOAD_MAX_BYTES.
MOTCUA_REQUEST_MAX_BYTES = env_int("MOTCUA_REQUEST_MAX_MB", 60) * 1024 * 1024
MOTCUA_RATING_LINK_DAYS = env_int("MOTCUA_RATING_LINK_DAYS", 180)
# Handling deadline of feedback and petitions (PAKN), in working days of the province calendar.
# DOMAIN.md does not state it: configurable, unverified (docs/decisions/0005).
MOTCUA_PETITION_HANDLING_DAYS = env_int("MOTCUA_PETITION_HANDLING_DAYS", 10)
MOTCUA_PETITION_LINK_DAYS = env_int("MOTCUA_PETITION_LINK_DAYS", 180)  # signed response links
# Forwarding a petition that is not the unit's (issue #18): due within the working day of
# receipt, or the next working day when received after the calendar's cut-off (0, R-TRF-03 and
# R-ORG-05 read for petitions, computed as R-TIME-10); N > 0 gives N working days (R-TIME-05).
MOTCUA_PETITION_FORWARD_WORKING_DAYS = env_int("MOTCUA_PETITION_FORWARD_WORKING_DAYS", 0)
# Publication deadline of a procedure version: this many working days of the province calendar
# before it takes effect (766 "TTHC published on time"). Unverified, to be confirmed from Decree
# 63/2010/NĐ-CP as amended by Decree 92/2017/NĐ-CP (docs/decisions/0006).
MOTCUA_PUBLICATION_LEAD_WORKING_DAYS = env_int("MOTCUA_PUBLICATION_LEAD_WORKING_DAYS", 5)
# Procedures (national codes) that need a VNeID level-2 login to submit online (DOMAIN §VNeID
# loAs, marked unverified per procedure: configurable). Default: the judicial record.
MOTCUA_VNEID_LOA2_PROCEDURES = tuple(env_list("MOTCUA_VNEID_LOA2_PROCEDURES", ["3.000333"]))

# National data exchange (motcua/exchange, docs/integration.md). Each national system is reached
# at MOTCUA_EXCHANGE_<SYSTEM>_URL with the caller key MOTCUA_EXCHANGE_<SYSTEM>_KEY; the defaults
# are the local simulators and their dev keys (never secrets). A province points a system at the
# real endpoint (or its LGSP, R-XCH-02) by configuration only.
_EXCHANGE_PORTS = {
    "portal": 8101,
    "population": 8102,
    "sms": 8103,
    "payment": 8104,
    "business": 8105,
    "vneid": 8106,
    "civil_status": 8107,
    "land": 8108,
    "judicial": 8109,
    "docaxis": 8111,
}
MOTCUA_EXCHANGE: dict[str, dict[str, str]] = {
    name: {
        "url": env_str(f"MOTCUA_EXCHANGE_{name.upper()}_URL", f"http://127.0.0.1:{port}"),
        "key": env_secret(f"MOTCUA_EXCHANGE_{name.upper()}_KEY") or f"dev-{name}-key",
    }
    for name, port in _EXCHANGE_PORTS.items()
}
if PRODUCTION and any(c["key"].startswith("dev-") for c in MOTCUA_EXCHANGE.values()):
    raise ImproperlyConfigured(
        "MOTCUA_EXCHANGE_<SYSTEM>_KEY is required for every national system in production"
    )
# R-DOC-14: status codes of the national document axis [I — defining instrument not found]:
# the defaults seen in public implementations, overridable as JSON (contracts/docaxis.py).
MOTCUA_DOCAXIS_STATUS_CODES: dict[str, str] = {
    "arrived": "01",
    "refused": "02",
    "registered": "03",
    "assigned": "04",
    "handling": "05",
    "completed": "06",
    "taken_back": "13",
    "agreed": "15",
    "declined": "16",
    **json.loads(env_str("MOTCUA_DOCAXIS_STATUS_CODES", "{}")),
}
# R-STATE-02: the portal is told states 5/6/8 (paused) as 9 with the production step wording.
MOTCUA_PORTAL_PAUSES_AS_RELEASED = env_bool("MOTCUA_PORTAL_PAUSES_AS_RELEASED", True)
# One HTTP call: seconds before giving up (a counter officer waits for lookups, not for sync).
MOTCUA_EXCHANGE_TIMEOUT_MS = env_int("MOTCUA_EXCHANGE_TIMEOUT_MS", 5000)
# Interactive lookups retry a failed call this many times (backoff with jitter) before failing.
MOTCUA_EXCHANGE_LOOKUP_RETRIES = env_int("MOTCUA_EXCHANGE_LOOKUP_RETRIES", 2)
# Circuit breaker: after N consecutive failures a system is skipped for the cool-down.
MOTCUA_EXCHANGE_BREAKER_FAILURES = env_int("MOTCUA_EXCHANGE_BREAKER_FAILURES", 5)
MOTCUA_EXCHANGE_BREAKER_COOLDOWN_S = env_int("MOTCUA_EXCHANGE_BREAKER_COOLDOWN_S", 30)
# Outbox delivery: attempts before the dead letter, exponential backoff base and cap, lease of a
# claimed row (longer than any call), and how many HTTP calls one worker runs at once.
MOTCUA_OUTBOX_MAX_ATTEMPTS = env_int("MOTCUA_OUTBOX_MAX_ATTEMPTS", 12)
MOTCUA_OUTBOX_BACKOFF_BASE_S = env_int("MOTCUA_OUTBOX_BACKOFF_BASE_S", 5)
MOTCUA_OUTBOX_BACKOFF_CAP_S = env_int("MOTCUA_OUTBOX_BACKOFF_CAP_S", 3600)
MOTCUA_OUTBOX_LEASE_S = env_int("MOTCUA_OUTBOX_LEASE_S", 120)
MOTCUA_OUTBOX_CONCURRENCY = env_int("MOTCUA_OUTBOX_CONCURRENCY", 8)

# Signed results and payments (documents/, payments/). The demo CA lives outside the repository;
# a province points MOTCUA_PKI_DIR at its own keys. Payment platform: base URL, API key and the
# checksum secret of R-PAY-06 (dev defaults match simulators/payment.py; never real secrets).
MOTCUA_PKI_DIR = Path(env_str("MOTCUA_PKI_DIR", str(VAR_DIR / "pki")))
MOTCUA_PAYMENT_URL = env_str("MOTCUA_PAYMENT_URL", "http://127.0.0.1:8104")
MOTCUA_PAYMENT_KEY = env_secret("MOTCUA_PAYMENT_KEY") or "dev-payment-key"
MOTCUA_PAYMENT_SECRET = env_secret("MOTCUA_PAYMENT_SECRET") or "dev-paygov-secret"
MOTCUA_PAYMENT_MERCHANT = env_str("MOTCUA_PAYMENT_MERCHANT", "MOTCUA92")  # MaDoiTac
MOTCUA_PAYMENT_TIMEOUT_SECONDS = env_int("MOTCUA_PAYMENT_TIMEOUT_SECONDS", 10)
# VietQR (NAPAS 247) transfer to the fee account: bank BIN, account number and holder.
MOTCUA_FEE_BANK_BIN = env_str("MOTCUA_FEE_BANK_BIN", "970415")
MOTCUA_FEE_ACCOUNT = env_str("MOTCUA_FEE_ACCOUNT", "113000092026")
MOTCUA_FEE_ACCOUNT_NAME = env_str("MOTCUA_FEE_ACCOUNT_NAME", "TRUNG TAM PHUC VU HANH CHINH CONG")
if PRODUCTION and MOTCUA_PAYMENT_SECRET == "dev-paygov-secret":  # noqa: S105 - the dev default
    raise ImproperlyConfigured("MOTCUA_PAYMENT_SECRET is required when MOTCUA_PRODUCTION=1")

# --- resilience ---
# /healthz: for this many seconds after the web process starts, a worker not seen yet (or a
# stale beat left by a previous run) reads "starting" and does not fail the check (the worker
# boots alongside the web server); after that a missing or stale worker answers 503.
MOTCUA_WORKER_STARTUP_GRACE_SECONDS = env_int("MOTCUA_WORKER_STARTUP_GRACE_SECONDS", 120)
# A task marked running whose worker has not beaten for this many seconds (it died: kill -9,
# lost machine) is put back in the queue, or marked failed once it has been claimed
# MOTCUA_TASK_MAX_CLAIMS times (a task that kills its worker must not loop forever).
MOTCUA_TASK_LEASE_SECONDS = env_int("MOTCUA_TASK_LEASE_SECONDS", 300)
MOTCUA_TASK_MAX_CLAIMS = env_int("MOTCUA_TASK_MAX_CLAIMS", 3)
# --- opendata ---
# Decision 766 scoring (issue #14 item 7): whether a rate of 0 % earns the partial points of a
# threshold rule ("else 1.6", DOMAIN §10.4 [IMPL]); by default it earns nothing [I].
MOTCUA_766_ZERO_EARNS_PARTIAL = env_bool("MOTCUA_766_ZERO_EARNS_PARTIAL", False)

# Open data (issue #17, docs/opendata.md). Small-count rule: a published count of people or their
# dossiers, petitions or ratings from 1 to MIN_COUNT - 1 is left empty (R-PDP-04).
MOTCUA_OPENDATA_MIN_COUNT = env_int("MOTCUA_OPENDATA_MIN_COUNT", 5)
# How far back the statistics go: months (dossier statistics) and quarters (766, feedback).
MOTCUA_OPENDATA_MONTHS = env_int("MOTCUA_OPENDATA_MONTHS", 24)
MOTCUA_OPENDATA_QUARTERS = env_int("MOTCUA_OPENDATA_QUARTERS", 4)
# The scheduled publication job (config/jobs.py) runs only when enabled.
MOTCUA_OPENDATA_ENABLED = env_bool("MOTCUA_OPENDATA_ENABLED", True)
# Licence of every dataset (an SPDX-style id and its URL, as CKAN's license_id / license_url).
MOTCUA_OPENDATA_LICENSE_ID = env_str("MOTCUA_OPENDATA_LICENSE_ID", "CC-BY-4.0")
MOTCUA_OPENDATA_LICENSE_URL = env_str(
    "MOTCUA_OPENDATA_LICENSE_URL", "https://creativecommons.org/licenses/by/4.0/"
)
# --- assistant ---
# The procedure assistant (motcua/assistant, docs/assistant.md). The retrieval index is saved
# here so a cold web process loads it instead of building it.
MOTCUA_ASSISTANT_INDEX_DIR = Path(env_str("MOTCUA_ASSISTANT_INDEX_DIR", str(VAR_DIR / "assistant")))
# Rebuild a stale index in the request instead of a background thread (tests only).
MOTCUA_ASSISTANT_SYNC_REBUILD = False
# Load the saved index in a background thread when a process starts (not under tests).
MOTCUA_ASSISTANT_PRELOAD = env_bool("MOTCUA_ASSISTANT_PRELOAD", not TESTING)
# A web process warms itself up in a background thread at start (motcua/web/warmup.py).
MOTCUA_WARM_UP = env_bool("MOTCUA_WARM_UP", not TESTING)
# The hotline offered when a question is not an administrative procedure of the province.
MOTCUA_ASSISTANT_HOTLINE = env_str("MOTCUA_ASSISTANT_HOTLINE", "1022")
# Optional language model (OpenAI-compatible /chat/completions), off when the URL is empty.
MOTCUA_ASSISTANT_LLM_URL = env_str("MOTCUA_ASSISTANT_LLM_URL", "")
MOTCUA_ASSISTANT_LLM_MODEL = env_str("MOTCUA_ASSISTANT_LLM_MODEL", "")
MOTCUA_ASSISTANT_LLM_KEY = env_str("MOTCUA_ASSISTANT_LLM_KEY", "")
MOTCUA_ASSISTANT_LLM_TIMEOUT = 8.0
# --- open311 ---
# Open311 GeoReport v2 (issue #18): photos an app may send with one report.
MOTCUA_OPEN311_MAX_PHOTOS = env_int("MOTCUA_OPEN311_MAX_PHOTOS", 3)
# Reports one app may file per hour from one address (a runaway app cannot flood the desks).
MOTCUA_OPEN311_POSTS_PER_HOUR = env_int("MOTCUA_OPEN311_POSTS_PER_HOUR", 600)
# A report's coordinates route to the commune whose centre (operator-loaded) is nearest, if
# within this distance (km); farther (at sea, abroad) it goes to the provincial People's
# Committee. docs/decisions/0021.
MOTCUA_GEO_CENTRE_MAX_KM = float(env_str("MOTCUA_GEO_CENTRE_MAX_KM", "15"))
# Commune boundaries `make demo` loads (GeoJSON, or .geojson.gz; property ma_xa): a file the
# operator provides. Empty: geo/data/communes-<province code>.geojson.gz when that file exists,
# else none (Motcua ships no boundaries: docs/decisions/0026).
MOTCUA_DEMO_BOUNDARIES_FILE = env_str("MOTCUA_DEMO_BOUNDARIES_FILE", "")
