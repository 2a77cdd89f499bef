"""Settings for harrow-inspection: one module, configured from the environment.

HARROW_ENV chooses between two sets of defaults:

* ``development`` (the default): safe for a laptop. DEBUG is off unless DEBUG=1,
  only localhost is served, the secret key is generated once per checkout and kept
  in .local/, and without DATABASE_URL the app starts its own embedded PostgreSQL.
* ``production``: SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL must be set (startup
  fails with a message saying how otherwise), HTTPS-only cookies, HSTS and an HTTPS
  redirect are on, and ``manage.py check --deploy`` is clean.

Every variable is documented in README.md, "Configuration".
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from harrow_inspection.release import release

BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL_DIR = BASE_DIR / ".local"  # project-local state, never committed

ENVIRONMENTS = ("development", "production")
HARROW_ENV = os.environ.get("HARROW_ENV", "development")
if HARROW_ENV not in ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"HARROW_ENV={HARROW_ENV!r} is not one of {', '.join(ENVIRONMENTS)}. "
        "Unset it for development, or set HARROW_ENV=production on a server."
    )
PRODUCTION = HARROW_ENV == "production"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a yes/no value: use 1 or 0.")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_required(name: str, hint: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when HARROW_ENV=production. {hint}")
    return value


def _development_secret_key() -> str:
    """A random key made once per checkout, so that no two installs share one."""
    key_file = LOCAL_DIR / "secret_key"
    if not key_file.exists():
        LOCAL_DIR.mkdir(parents=True, exist_ok=True)
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


DEBUG = env_bool("DEBUG", default=False)

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured(
            "DEBUG=1 shows tracebacks and settings to the public: unset DEBUG in production."
        )
    SECRET_KEY = env_required(
        "SECRET_KEY",
        'Generate one with: python3 -c "import secrets; print(secrets.token_urlsafe(50))"',
    )
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must be set when HARROW_ENV=production: the site's host names, "
            "comma-separated, e.g. ALLOWED_HOSTS=inspections.example.org"
        )
    DATABASES = {
        "default": dj_database_url.parse(
            env_required(
                "DATABASE_URL",
                "Point it at your PostgreSQL server, "
                "e.g. DATABASE_URL=postgres://user:password@db.example.org:5432/harrow",
            ),
            conn_max_age=60,
            conn_health_checks=True,
        )
    }
else:
    SECRET_KEY = os.environ.get("SECRET_KEY") or _development_secret_key()
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
    if os.environ.get("DATABASE_URL"):
        DATABASES = {
            "default": dj_database_url.parse(
                os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True
            )
        }
    else:
        # Started by the first connection, not here (harrow_inspection/embedded_db/).
        from harrow_inspection import embedded_db

        DATABASES = {"default": embedded_db.settings(LOCAL_DIR / "pgdata")}

# Give up on an unreachable database after a few seconds, so that while it is away each
# request gets the 503 page quickly instead of hanging (harrow_inspection/operations.py).
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", 3))
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = DATABASE_CONNECT_TIMEOUT

# PostgreSQL compiles a query with LLVM (JIT) when its estimated cost is high, as a large
# list's counts and facets are. For this site's queries, asked again on every change, the
# compiling costs more than it saves: at 1M findings a text search's facets took 7.7-9.2 s
# with it (5.1-5.9 s of it compiling) and 5.8 s without, its count 565 ms and 437 ms
# (bench/README.md, "PostgreSQL's JIT"). Off for the site's connections, unless
# DATABASE_JIT=1, which sends nothing, or a DATABASE_URL whose own ?options= sets jit.
# (A pooler may refuse this `options` startup parameter: docs/deployment.md.)
_options = DATABASES["default"]["OPTIONS"].get("options", "")
if not env_bool("DATABASE_JIT", default=False) and "jit" not in _options:
    DATABASES["default"]["OPTIONS"]["options"] = f"{_options} -c jit=off".strip()

POSTGRESQL_ENGINES = ("django.db.backends.postgresql", "harrow_inspection.embedded_db")
if not DATABASES["default"]["ENGINE"].startswith(POSTGRESQL_ENGINES):
    raise ImproperlyConfigured(
        "DATABASE_URL must point at PostgreSQL (postgres://...): the app uses PostgreSQL "
        "features (full-text search, constraints) and has no other SQL dialect."
    )

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# HTTPS. On by default in production; `manage.py check --deploy` is clean with them.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
# Load balancers probe over plain HTTP: the health checks answer there, never redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
if env_bool("SECURE_PROXY_SSL_HEADER", default=False):
    # Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A form refused by the CSRF check gets the site's own page, not Django's bare one.
CSRF_FAILURE_VIEW = "harrow_inspection.errors.csrf_failure"
# A staff sign-in lasts a working day (SESSION_HOURS), not Django's two weeks.
SESSION_COOKIE_AGE = int(float(os.environ.get("SESSION_HOURS", 10)) * 3600)

# Request limits (harrow_inspection/limits.py; README, "Security"): a body over the
# limit is refused with 413 before it is read. A report upload may be UPLOAD_MAX_BYTES;
# any other request REQUEST_MAX_BYTES (forms are a few KB).
UPLOAD_MAX_BYTES = int(float(os.environ.get("UPLOAD_MAX_MB", 20)) * 1024 * 1024)
REQUEST_MAX_BYTES = int(float(os.environ.get("REQUEST_MAX_MB", 1)) * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES  # Django's own check of non-file fields
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_HANDLERS = [
    "harrow_inspection.limits.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Reading a report PDF (reports/importing/sandbox.py): in a child process that is killed
# past REPORT_PARSE_SECONDS (well under gunicorn's 30 s worker timeout, so the admin
# preview always answers) or REPORT_PARSE_MEMORY_MB of address space, and refused over
# REPORT_MAX_PAGES pages. An Ofsted report takes 1-3 s, about 120 MB and 10-40 pages.
REPORT_PARSE_SECONDS = int(os.environ.get("REPORT_PARSE_SECONDS", 20))
REPORT_PARSE_MEMORY_MB = int(os.environ.get("REPORT_PARSE_MEMORY_MB", 512))
REPORT_MAX_PAGES = int(os.environ.get("REPORT_MAX_PAGES", 150))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",  # intcomma: "30,818 findings", as the descriptions print counts
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "axes",
    "reports",
    "judgements",
]

# The one-row table that database triggers bump on every write to report data
# (harrow_inspection/data_version.py), named as AUTH_USER_MODEL is.
DATA_VERSION_MODEL = "reports.DataVersion"
# Right after a change, counts and facets of the version before (at most this many seconds
# behind the data) are shown while the new ones are computed in the background, once
# (harrow_inspection/data_version.py, docs/decisions/counts-version.md). 0: every first
# request after a change computes them itself.
COUNTS_STALE_SECONDS = int(os.environ.get("COUNTS_STALE_SECONDS", 30))

MIDDLEWARE = [
    # First: every response, redirects and errors included, carries the request's id.
    "harrow_inspection.operations.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # ETag, Last-Modified and Cache-Control on public pages, and their 304s, before the
    # page cache and the views: an unchanged page costs one query (http_cache.py).
    "harrow_inspection.http_cache.HttpCacheMiddleware",
    # Before sessions, CSRF and the views: a kept page is answered from here. The
    # headers of the middleware above are added to every answer, kept or not.
    "harrow_inspection.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
    # Innermost, so it sees a view's database error first: a 503 page, not a 500.
    "harrow_inspection.operations.DatabaseUnavailableMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username and address is refused before the password
    # is even checked. It needs the request: the admin's login form passes it.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Where the staff admin lives, e.g. ADMIN_PATH=staff-7f3a/ to move it off the
# well-known address. No leading slash; a trailing one is added.
ADMIN_PATH = os.environ.get("ADMIN_PATH", "admin/").strip().strip("/") + "/"
if ADMIN_PATH == "/":
    raise ImproperlyConfigured("ADMIN_PATH cannot be empty: leave it unset for admin/.")

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for the same
# username from the same address, that pair is locked out for AXES_COOLOFF_TIME hours
# (or until `manage.py axes_reset_username NAME`). Locking the pair rather than the
# address alone keeps one mistyping colleague behind a shared proxy from locking out
# everyone else. Every failure and lockout is logged (logger "axes") and kept in the
# database, visible in the admin.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_TIME", 1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind TRUSTED_PROXY_COUNT proxies (e.g. 1 for the TLS-terminating proxy in front of
# gunicorn), the client's address is read from the X-Forwarded-For entries those proxies
# appended, never from what the client wrote (harrow_inspection/client_address.py).
# Without it, every visitor has the proxy's address and anyone could lock anyone out.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", 0))
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT is a number of proxies: 0 or more.")
AXES_CLIENT_IP_CALLABLE = "harrow_inspection.client_address.client_address"
AXES_VERBOSE = False  # no start-up banner in every manage.py command; failures still logged

# Content Security Policy (django-csp 4): our pages and the admin load scripts, styles,
# images and fonts only from this site (/static/), with no inline scripts or styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# History of staff edits (django-simple-history): docs/decisions/history.md.
SIMPLE_HISTORY_REVERT_DISABLED = False

ROOT_URLCONF = "harrow_inspection.urls"
WSGI_APPLICATION = "harrow_inspection.wsgi.application"

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
                "reports.context_processors.site",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", LOCAL_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Caches: "default" for computed counts and facets, "pages" for whole public pages
# (harrow_inspection/page_cache.py). Their keys carry the data version, so a write
# anywhere makes every kept answer unreachable. Without CACHE_URL (or REDIS_URL) both
# are in each process's memory: nothing more to run, but every worker computes and keeps
# its own. With CACHE_URL=redis://host:6379/0 both live in that Redis (Django's own
# RedisCache), shared by every worker on every machine, so a count, facet or page is
# computed once per data change (docs/decisions/shared-cache.md). CACHE_KEY_PREFIX keeps
# two sites (or test runs) sharing one Redis apart.
# PAGE_CACHE_ENTRIES pages of at most PAGE_CACHE_MAX_BYTES each bound the memory in
# the per-process cache (500 x 256 KB, though most pages are 10-60 KB); Redis is bounded
# by its own maxmemory. PAGE_CACHE_SECONDS=0 turns the page cache off.
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 600))
PAGE_CACHE_MAX_BYTES = int(os.environ.get("PAGE_CACHE_MAX_BYTES", 256 * 1024))
# How long a shared proxy or CDN may serve a public page without asking the site again
# (harrow_inspection/http_cache.py): 0, the default, means it keeps pages but revalidates
# every time (a 304 until the data changes), so it never serves one staler than the last
# edit. N accepts pages up to N seconds old from the proxy.
PROXY_CACHE_SECONDS = int(os.environ.get("PROXY_CACHE_SECONDS", 0))
CACHE_URL = (os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or "").strip()
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "harrow")
# The running code (RELEASE, or a digest of the project's code and templates): part of
# every cache key and ETag, so a deploy never serves what the previous release rendered
# (harrow_inspection/release.py).
RELEASE = release(BASE_DIR)


def shared_caches(url: str, prefix: str) -> dict:
    """Both caches in the Redis at `url`, their keys starting with `prefix`."""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"CACHE_URL={url!r} is not a Redis address: use redis://host:6379/0 "
            "(or rediss:// for TLS), or unset it to keep the caches in each process."
        )
    options = {
        # A Redis that is away must not hang every page: give up quickly, and the page
        # is computed without the cache (harrow_inspection/data_version.py).
        "socket_connect_timeout": float(os.environ.get("CACHE_TIMEOUT", 0.5)),
        "socket_timeout": float(os.environ.get("CACHE_TIMEOUT", 0.5)),
    }
    backend = "django.core.cache.backends.redis.RedisCache"
    return {
        "default": {"BACKEND": backend, "LOCATION": url, "OPTIONS": options,
                    "KEY_PREFIX": f"{prefix}:{RELEASE}:data"},
        PAGE_CACHE_ALIAS: {"BACKEND": backend, "LOCATION": url, "OPTIONS": options,
                           "KEY_PREFIX": f"{prefix}:{RELEASE}:pages"},
    }  # fmt: skip


if CACHE_URL:
    CACHES = shared_caches(CACHE_URL, CACHE_KEY_PREFIX)
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        PAGE_CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PAGE_CACHE_ENTRIES", 500))},
        },
    }

# The whole database as /findings.csv and /findings.json: files written once per data
# change (judgements/downloads.py), kept here on each app server's own disk.
DOWNLOADS_DIR = Path(os.environ.get("DOWNLOADS_DIR", LOCAL_DIR / "downloads"))

# A search matching more findings than this lists them newest first instead of ranking
# them all by relevance (judgements/filters.py): ranking reads every match.
SEARCH_RANK_LIMIT = int(os.environ.get("SEARCH_RANK_LIMIT", 5000))

# The open-data API: read-only, public, JSON (and DRF's browsable HTML).
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "harrow_inspection.api_schema.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Children's social care inspections API",
    "DESCRIPTION": (
        "Ofsted's inspection reports of local authority children's social care services as "
        "open data: inspections, judgements and grades, numbered findings (verbatim), "
        "improvement actions and service areas. Read-only. Findings take the same filters "
        "as the website's /findings/ page. Report text: Ofsted, under the Open Government "
        "Licence v3.0."
    ),
    "VERSION": "1.0.0",
    # One name for the choice set that judgement areas' `judged` and actions' `addressed_to`
    # share (a dotted path: the ground floor imports no app).
    "ENUM_NAME_OVERRIDES": {"JudgedBodyEnum": "judgements.models.JudgedBody"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from our own static files, not a CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Public data: any site may GET it from a browser.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One JSON object per line on standard error, each with the request's id
# (harrow_inspection/operations.py): never passwords, cookies or email addresses.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "harrow_inspection.operations.RequestIdFilter"},
        "forbidden_is_not_an_error": {"()": "harrow_inspection.operations.ForbiddenFilter"},
    },
    "formatters": {"json": {"()": "harrow_inspection.operations.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "pgserver": {"level": "WARNING"},
        "axes": {"level": "INFO"},
        # A refused request (403) is the permission system working: one INFO line.
        "django.request": {"filters": ["forbidden_is_not_an_error"]},
    },
}

# Where Ofsted's report PDFs are kept (`manage.py fetch_reports` downloads them there, and
# the run command imports every PDF under it): the shared folder beside the project,
# never the repository.
REPORTS_DIR = Path(os.environ.get("REPORTS_DIR", BASE_DIR.parent / "shared"))
