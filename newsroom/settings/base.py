"""Settings shared by every environment, safe for production.

The environment is read here and nowhere else, through the ``_env_*`` helpers
below, so that every variable is parsed the same way and a mistyped value
stops the start-up with the variable's name instead of silently meaning
"off". ``.env.example`` lists every variable. ``DATABASE_URL`` is a SQLite
file in the project folder when unset.

Defaults here are the production ones (HTTPS redirect, HSTS); ``dev.py``
relaxes them for ``runserver``.
"""

import os
import zoneinfo
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# django-environ's bool() reads any unknown word as False: a typo such as
# SECURE_SSL_REDIRECT=ture would quietly turn HTTPS off. These helpers refuse it.
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def _env_str(name, default=""):
    return os.environ.get(name, default).strip()


def _env_bool(name, default):
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be true/1/yes/on or false/0/no/off, not {value!r}."
    )


def _env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {value!r}."
        ) from None


def _env_list(name, default=()):
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or list(default)


SECRET_KEY = _env_str("SECRET_KEY")
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")

# wagtail_modeltranslation must come before the Wagtail apps, and the app that
# registers translations after them (see docs/ and PITFALLS: "DescendantRegistered").
# announcements comes before "wagtail" itself: Django runs the first app's
# command of a name, and the newsroom's publish_scheduled replaces Wagtail's.
INSTALLED_APPS = [
    # First: Django copies the tables app by app in this order (the tests'
    # serialized rollback), and Wagtail's pages and tasks need their content
    # types in place when they are read back.
    "django.contrib.contenttypes",
    "wagtail_modeltranslation",
    "wagtail_modeltranslation.makemigrations",
    "wagtail_modeltranslation.migrate",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "announcements",
    "press",
    "alerts",
    "wagtail",
    "modelcluster",
    "taggit",
    "csp",
    "corsheaders",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    # Wagtail's admin says "a minute ago" with humanize: installed, its
    # French ("il y a une minute") is loaded too.
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The read API may be read from any site's pages (CORS_* below).
    "corsheaders.middleware.CorsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages and feeds for anonymous readers, whole and compressed
    # (announcements/page_cache.py); outside GZip so that a hit is not
    # compressed again.
    "announcements.page_cache.PageCacheMiddleware",
    # Pages, feeds and the sitemap compressed (static files come compressed
    # from WhiteNoise; ZIPs, PDFs and pictures are left as they are). Django
    # masks CSRF tokens, which guards against BREACH.
    "newsroom.compression.CompressOnceMiddleware",
    # An ETag on every answer that has none (pages, the API), and 304 to a
    # client whose copy is still right: pages, feeds, sitemaps, the API.
    "newsroom.compression.WeakETagMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "announcements.redirects.PublicRedirectMiddleware",
    # An autosave and a Save creating one page at once: answered, not a 500.
    "announcements.concurrent_saves.ConcurrentCreateMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=_env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The development server, the scheduler and the worker write to one file.
    # Each transaction takes the write lock as it begins, waiting up to 20 s
    # for it, instead of failing with "database is locked" when it would
    # take it halfway through, while another process holds it.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache for every process: with REDIS_URL (production) all gunicorn
# workers, every app server and the scheduler's cron job share it, so that a
# publication anywhere expires the cached pages everywhere at the next
# request. Without it, each process has its own (development). A Redis that
# is down, or does not answer within half a second, is a miss: pages are then
# built uncached, never an error (newsroom/cache.py).
REDIS_URL = _env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.SoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": _env_str("CACHE_KEY_PREFIX", "newsroom"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Whether every process reads the same cache: what only public content
# decides may then be kept there until the next public change.
CACHE_IS_SHARED = bool(REDIS_URL)
# How long a public page or feed is kept for anonymous readers. Any public
# change expires it at once, in every process that shares the cache; so on by
# default only with Redis: a per-process cache would keep a withdrawn page in
# the other workers. 0 turns the page cache off.
PAGE_CACHE_SECONDS = _env_int("PAGE_CACHE_SECONDS", 3600 if CACHE_IS_SHARED else 0)

# Varnish in front of the app servers (deploy/varnish/newsroom.vcl): the
# address of its purge listener. Set, public pages tell Varnish it may keep
# them VARNISH_CACHE_SECONDS (s-maxage), and every public change bans its
# copies through wagtail.contrib.frontend_cache (newsroom/varnish.py). Unset:
# no answer lets a shared cache keep it.
VARNISH_URL = _env_str("VARNISH_URL")
VARNISH_CACHE_SECONDS = _env_int("VARNISH_CACHE_SECONDS", 3600 if VARNISH_URL else 0)
if VARNISH_URL:
    WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "newsroom.varnish.VarnishBanBackend",
            "LOCATION": VARNISH_URL,
        }
    }

# Background work (django-tasks). Mail that may go to many addresses, or wait
# on a slow mail server, is queued in the database and sent by the worker
# (`manage.py db_worker --backend background`; `make run` starts it): a
# publication only queues it, and what is queued waits, safe, while the worker
# is down (docs/production.md#the-worker). Wagtail's own short tasks (reference
# index, CDN purge, file deletion) stay on "default" and run at once, in the
# request, as before: a purge must not wait for the worker.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French first: the newsroom's institution publishes in French, and French is
# the language every page must have.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_LANGUAGES = ("fr", "en")
# An item written in one language only is shown in that language, marked, on
# the other language's site: never an empty page, never a machine translation.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("fr", "en")}
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = _env_str("TIME_ZONE", "Europe/Paris")
# Dates and times name their zone (newsroom/formats).
FORMAT_MODULE_PATH = ["newsroom.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "newsroom.storage.UnguessableImageStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Files browsers ask for at the site's root (/favicon.ico), served by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"

WAGTAIL_SITE_NAME = "Newsroom"
# Production requires it; dev.py falls back to the runserver address.
WAGTAILADMIN_BASE_URL = _env_str("WAGTAILADMIN_BASE_URL")
WAGTAIL_I18N_ENABLED = False
# An edit made while a page is in review sends it back to the first step: what
# the last reviewer approves is what the medical reviewer saw.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# A finished review publishes what it approved (announcements.review).
WAGTAIL_FINISH_WORKFLOW_ACTION = "announcements.finish_review.publish_approved"
# ASCII slugs ("resultats", not "résultats"): links survive e-mail and copy-paste.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILSEARCH_BACKENDS = {
    # Wagtail's database backend (PostgreSQL full-text search, SQLite's FTS5),
    # with per-language configurations on PostgreSQL.
    "default": {"BACKEND": "announcements.search_engine"},
}
# Documents are served by Wagtail's view, never straight from media/, so that
# the embargo rule (announcements.embargo) applies to them.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt", "csv", "xlsx", "pptx", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Editors' avatars are Wagtail's own image or an uploaded one: no request to
# gravatar.com with a hash of their address.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Wagtail offers every zone the system has; Debian's tzdata also has
# "localtime" (the machine's own, by a link), which browsers refuse: the
# account page's zone picker then fails in the browser.
WAGTAIL_USER_TIME_ZONES = sorted(zoneinfo.available_timezones() - {"localtime"})

WAGTAILMODELTRANSLATION_LOCALE_PICKER = False

# Uploaded documents: Wagtail refuses a larger file in the upload form, with
# its own translated message. The web server's body limit must be at least this.
WAGTAILDOCS_MAX_UPLOAD_SIZE = _env_int("WAGTAILDOCS_MAX_UPLOAD_SIZE", 20 * 1024 * 1024)

# The fonts of the share pictures the newsroom draws (announcements/
# share_cards.py): Debian's fonts-dejavu-core, which `make` installs.
SHARE_CARD_FONTS = _env_str("SHARE_CARD_FONTS", "/usr/share/fonts/truetype/dejavu")

# The read API is public and read-only: any site's pages may read it
# (django-cors-headers), without credentials; clients see its ETag.
CORS_URLS_REGEX = r"^/(?:(?:fr|en)/)?api/v2/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_HEADERS = ("accept", "accept-language", "if-none-match", "if-modified-since")
CORS_EXPOSE_HEADERS = ("ETag",)
CORS_PREFLIGHT_MAX_AGE = 86400

# ClinicalTrials.gov's public API (version 2): the registry import reads
# {CTGOV_API_URL}/studies/{NCT number}; a mirror or a test server may stand in.
CTGOV_API_URL = _env_str("CTGOV_API_URL", "https://clinicaltrials.gov/api/v2").rstrip(
    "/"
)
# Seconds the import waits for the registry before giving up (default 15).
CTGOV_API_TIMEOUT = _env_int("CTGOV_API_TIMEOUT", 15)

# HTTPS. The newsroom runs behind a reverse proxy that terminates TLS.
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", True)
# A load balancer probes /healthz over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = _env_int("SECURE_HSTS_SECONDS", 31536000)
# Off by default: the hospital's other subdomains (intranet, old services) are
# not all ours to force onto HTTPS, and preloading cannot be undone quickly.
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", False)

# Content-Security-Policy (django-csp 4) on the public site: everything from
# our own origin, no inline script or style, no third party. JSON-LD
# (<script type="application/ld+json">) is data, never executed, so it is not
# affected. The Wagtail admin and its previews (/admin/) use inline scripts
# and styles of their own: they are left without the header.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}

# Login lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# username from one address, that pair is refused, even with the right
# password, until the cool-off ends or `manage.py axes_reset` clears it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = _env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=_env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# No start-up banner: every management command (cron) would print it.
AXES_VERBOSE = False
# A translated page saying how long to wait (newsroom/lockout.py).
AXES_LOCKOUT_CALLABLE = "newsroom.lockout.lockout_response"
# Behind the reverse proxy every request comes from the proxy's address; the
# client's is the right-most entry of X-Forwarded-For that our own proxies
# wrote (what a client sends itself is further left and is not trusted).
# AXES_IPWARE_PROXY_COUNT is django-ipware's count of proxy addresses listed
# after the client's: 0 behind one nginx that appends $remote_addr, 1 behind
# a load balancer and nginx. Unset: no proxy, REMOTE_ADDR only.
AXES_IPWARE_PROXY_COUNT = _env_int("AXES_IPWARE_PROXY_COUNT", None)
AXES_IPWARE_META_PRECEDENCE_ORDER = _env_list(
    "AXES_IPWARE_META_PRECEDENCE_ORDER",
    ["REMOTE_ADDR"]
    if AXES_IPWARE_PROXY_COUNT is None
    else ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
)
# django-ipware is strict by default: a chain longer than expected (a client
# that sent its own X-Forwarded-For) is ignored and every such client gets the
# proxy's address. Not strict, it takes the right-most trusted entry instead.
IPWARE_STRICT = False

# Errors: JSON lines on stderr (one per record, tracebacks included), which
# the process manager or container runtime collects; mails to ADMINS on 500s.
# ADMINS is "Name <email>, Name <email>".
ADMINS = getaddresses(_env_list("ADMINS"))
if any("@" not in email for _name, email in ADMINS):
    raise ImproperlyConfigured('ADMINS must be comma-separated "Name <email>" entries.')
SERVER_EMAIL = _env_str("SERVER_EMAIL", "root@localhost")
# Review notifications and readers' e-mail alerts: sender and mail server.
DEFAULT_FROM_EMAIL = _env_str("DEFAULT_FROM_EMAIL", "newsroom@localhost")
EMAIL_HOST = _env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = _env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = _env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = _env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
# WARNING by default: cron mails whatever publish_scheduled prints each minute.
LOG_LEVEL = _env_str("LOG_LEVEL", "WARNING").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {"json": {"()": "newsroom.jsonlog.JsonLinesFormatter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "json",
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        "django": {
            "handlers": ["stderr", "mail_admins"],
            "level": LOG_LEVEL,
            "propagate": False,
        },
    },
}
# Public forms that send mail or try a password (newsroom/rate_limits.py):
# requests per address asked for, and per client (found as the lockout finds
# it, above), as django-ratelimit rates: "5/h" is five an hour ("s", "m",
# "h", "d"). A cache outage lifts them rather than closing the forms.
RATE_LIMIT_PER_ADDRESS = _env_str("RATE_LIMIT_PER_ADDRESS", "5/h")
RATE_LIMIT_PER_CLIENT = _env_str("RATE_LIMIT_PER_CLIENT", "30/h")
RATELIMIT_FAIL_OPEN = True

# Optional error reporting to Sentry (production.py initialises it when set).
SENTRY_DSN = _env_str("SENTRY_DSN")
SENTRY_ENVIRONMENT = _env_str("SENTRY_ENVIRONMENT", "production")
