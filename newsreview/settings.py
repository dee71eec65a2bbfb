"""Settings for newsreview, all driven by environment variables.

Safe by default: DEBUG is off unless DJANGO_DEBUG=1, and the process refuses to start without
DJANGO_SECRET_KEY. `make run` sets both for local development (the key lives in the ignored
file `.secret_key`). The README lists every variable.
"""

import importlib.util
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
    }


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. Set it to a long random string in the environment "
        "(python -c 'from django.core.management.utils import get_random_secret_key as g; print(g())'); "
        "`make run` generates one into .secret_key for local development."
    )
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    # The HTTP API (articles.api); listed so its docs page is served from our static files.
    "ninja",
    # The job system (articles.jobs): django-tasks, Django 6's django.tasks for 5.2, with its
    # database backend; `manage.py db_worker` runs the jobs.
    "django_tasks",
    "django_tasks_db",
    "articles",
]
# The benchmark (bench/, `manage.py benchmark`) is a development-only app: a checkout has it, the
# wheel does not ship it, so a production install starts without it. Only the checkout's own
# bench/ counts, never an unrelated installed package of that name.
if (BASE_DIR / "bench" / "apps.py").is_file() and importlib.util.find_spec("bench"):
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view is marked @login_not_required (the login page).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # ... and `articles.view_article` (a role) except the account pages and the admin.
    "articles.middleware.ViewPermissionMiddleware",
    # Pages for logged-in users are never cached; their sessions end after an idle time.
    "articles.middleware.PrivatePagesMiddleware",
    "articles.middleware.SlidingSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # django-axes must come last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsreview.urls"
WSGI_APPLICATION = "newsreview.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["template_partials.templatetags.partials"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a reviewer writes; IMMEDIATE takes the write lock at BEGIN so
    # two concurrent label POSTs queue up instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with a user's permissions read in one query instead of two.
    "articles.auth.ModelBackendOneQuery",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "articles:queue"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if DEBUG:
    STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }

# --- Security: on by default, loosened only by DEBUG or explicit variables -------------------
SECURE = env_bool("DJANGO_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = SECURE
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_HSTS_SECONDS", 31536000 if SECURE else 0)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# A session ends after this long without a request (not two weeks after log-in, Django's
# default); articles/middleware.py slides the expiry at most once every few minutes.
NEWSREVIEW_SESSION_IDLE_MINUTES = int(
    os.environ.get("NEWSREVIEW_SESSION_IDLE_MINUTES", "480")
)
SESSION_COOKIE_AGE = NEWSREVIEW_SESSION_IDLE_MINUTES * 60
X_FRAME_OPTIONS = "DENY"
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Preloading HSTS is a one-way decision for the operator's whole domain; DJANGO_HSTS_PRELOAD opts in.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Scripts and styles come from our own origin only: no inline code, no eval (htmx is configured
# with allowEval=false and includeIndicatorStyles=false in base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Login lockout: 5 failures per username and address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# Axes records the POST of a failed attempt; the password-change form's fields are masked too
# (articles/accounts.py reports a wrong old password as a failed log-in).
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "old_password",
    "new_password1",
    "new_password2",
]
# The address the lockout is keyed on (django-axes through django-ipware). Directly exposed,
# REMOTE_ADDR only. Behind the proxy (DJANGO_BEHIND_PROXY) REMOTE_ADDR is the proxy for everyone:
# the client is X-Forwarded-For's entry DJANGO_PROXY_COUNT - 1 places from its end (each proxy
# appends what it saw); entries further left are the client's own and never read.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
if BEHIND_PROXY:
    PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "1"))
    if PROXY_COUNT < 1:
        raise ImproperlyConfigured(
            "DJANGO_PROXY_COUNT must be 1 or more with DJANGO_BEHIND_PROXY."
        )
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_ORDER = "left-most"
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT - 1
    IPWARE_STRICT = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
    },
}

# --- newsreview -------------------------------------------------------------------------------
# Upload and import limits: every one has a clear message when it is exceeded.
NEWSREVIEW_MAX_UPLOAD_BYTES = int(
    os.environ.get("NEWSREVIEW_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
)
NEWSREVIEW_MAX_ZIP_MEMBERS = int(os.environ.get("NEWSREVIEW_MAX_ZIP_MEMBERS", "10000"))
NEWSREVIEW_MAX_ZIP_UNCOMPRESSED_BYTES = int(
    os.environ.get("NEWSREVIEW_MAX_ZIP_UNCOMPRESSED_BYTES", 500 * 1024 * 1024)
)
NEWSREVIEW_MAX_FILE_BYTES = int(
    os.environ.get("NEWSREVIEW_MAX_FILE_BYTES", 20 * 1024 * 1024)
)
NEWSREVIEW_MAX_LITERAL_DEPTH = int(os.environ.get("NEWSREVIEW_MAX_LITERAL_DEPTH", "50"))
NEWSREVIEW_MAX_PARAGRAPHS_PER_ARTICLE = int(
    os.environ.get("NEWSREVIEW_MAX_PARAGRAPHS_PER_ARTICLE", "5000")
)
# Refusal reasons kept per file and per run (the rest are counted): a file of a million bad
# records made a 67 MB result page and a session every request of that Lead loaded.
NEWSREVIEW_MAX_REASONS_PER_FILE = int(
    os.environ.get("NEWSREVIEW_MAX_REASONS_PER_FILE", "20")
)
NEWSREVIEW_MAX_REASONS_PER_RUN = int(
    os.environ.get("NEWSREVIEW_MAX_REASONS_PER_RUN", "1000")
)
# Values (texts, numbers, lists, objects) in one .json file or .jsonl line: json.loads costs
# up to ~70 bytes of memory per byte of `{},` (articles/imports/reading.py).
NEWSREVIEW_MAX_JSON_VALUES = int(os.environ.get("NEWSREVIEW_MAX_JSON_VALUES", "500000"))
# An import that has not shown it is alive (after each batch of articles) for this long is
# reported "failed — interrupted": its process was killed or its machine restarted. On the
# machine that ran it, a run whose process is gone is reported at once (articles/imports/runs.py).
NEWSREVIEW_IMPORT_STALE_MINUTES = int(
    os.environ.get("NEWSREVIEW_IMPORT_STALE_MINUTES", "10")
)
# A queue search counts and lists at most this many matches, the most recently imported
# (articles/views/queue.py): a word in most articles must not cost a count of all of them.
NEWSREVIEW_SEARCH_CAP = int(os.environ.get("NEWSREVIEW_SEARCH_CAP", "1000"))
# Someone else's label in the last N minutes shows a "someone is working here" notice.
NEWSREVIEW_RECENT_ACTIVITY_MINUTES = int(
    os.environ.get("NEWSREVIEW_RECENT_ACTIVITY_MINUTES", "10")
)
# Boilerplate suggestions (docs/boilerplate.md). A text repeated in MIN_ARTICLES articles of a
# source and in MIN_SHARE percent of them is suggested; so is one repeated in MIN_ARTICLES with
# a copyright sign, a call to action or LINK_SHARE percent link text and at most MAX_CHARS
# characters; the learned model suggests the rest.
NEWSREVIEW_BOILERPLATE_SUGGESTIONS = os.environ.get(
    "NEWSREVIEW_BOILERPLATE_SUGGESTIONS", "on"
).lower() not in {"off", "0", "false", "no"}
NEWSREVIEW_BOILERPLATE_MIN_ARTICLES = int(
    os.environ.get("NEWSREVIEW_BOILERPLATE_MIN_ARTICLES", "3")
)
NEWSREVIEW_BOILERPLATE_MIN_SHARE = int(
    os.environ.get("NEWSREVIEW_BOILERPLATE_MIN_SHARE", "50")
)
NEWSREVIEW_BOILERPLATE_LINK_SHARE = int(
    os.environ.get("NEWSREVIEW_BOILERPLATE_LINK_SHARE", "60")
)
NEWSREVIEW_BOILERPLATE_MAX_CHARS = int(
    os.environ.get("NEWSREVIEW_BOILERPLATE_MAX_CHARS", "200")
)
# The learned model (docs/boilerplate.md, "Learning from labels"): a web process re-reads the
# newest trained model at most every MODEL_TTL seconds; RETRAIN "background" enqueues a job
# (the worker runs `train_boilerplate --if-due`) after every RETRAIN_EVERY label changes once
# RETRAIN_MIN_LABELS boilerplate and other labels exist ("off": cron or by hand).
NEWSREVIEW_BOILERPLATE_MODEL_TTL = int(
    os.environ.get("NEWSREVIEW_BOILERPLATE_MODEL_TTL", "60")
)
NEWSREVIEW_BOILERPLATE_RETRAIN = os.environ.get(
    "NEWSREVIEW_BOILERPLATE_RETRAIN", "background"
)
NEWSREVIEW_BOILERPLATE_RETRAIN_EVERY = int(
    os.environ.get("NEWSREVIEW_BOILERPLATE_RETRAIN_EVERY", "20")
)
NEWSREVIEW_BOILERPLATE_RETRAIN_MIN_LABELS = int(
    os.environ.get("NEWSREVIEW_BOILERPLATE_RETRAIN_MIN_LABELS", "20")
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Quality control (articles.quality): below this many compared paragraphs an agreement figure
# says "not enough data" instead of a number.
NEWSREVIEW_AGREEMENT_MIN_PARAGRAPHS = int(
    os.environ.get("NEWSREVIEW_AGREEMENT_MIN_PARAGRAPHS", "20")
)
# The dashboard flags a hand label "fast" when it ends a run of this many hand labels within
# this many seconds (no time to read); `manage.py rebuild_dashboard` recounts under a new rule.
NEWSREVIEW_FAST_RUN_LABELS = int(os.environ.get("NEWSREVIEW_FAST_RUN_LABELS", "6"))
NEWSREVIEW_FAST_RUN_SECONDS = int(os.environ.get("NEWSREVIEW_FAST_RUN_SECONDS", "5"))
# Gaps between hand labels longer than this are breaks, not reading time: the pace's median
# leaves them out (at most an hour; longer gaps are not kept).
NEWSREVIEW_PACE_BREAK_SECONDS = int(
    os.environ.get("NEWSREVIEW_PACE_BREAK_SECONDS", "300")
)
if not (
    NEWSREVIEW_FAST_RUN_LABELS >= 2
    and NEWSREVIEW_FAST_RUN_SECONDS >= 1
    and 1 <= NEWSREVIEW_PACE_BREAK_SECONDS <= 3600
):
    raise ImproperlyConfigured(
        "NEWSREVIEW_FAST_RUN_LABELS must be at least 2, NEWSREVIEW_FAST_RUN_SECONDS at least 1"
        " and NEWSREVIEW_PACE_BREAK_SECONDS between 1 and 3600."
    )
# --- The pipeline: the HTTP API, background jobs, webhooks (docs/design.md) -----------------------
# Jobs (background imports, webhook deliveries) are rows in the database; `manage.py db_worker`
# runs them: no broker, and any number of workers on PostgreSQL.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Where uploads wait for their import job: private (never served), on a disk every worker sees.
NEWSREVIEW_UPLOAD_DIR = Path(
    os.environ.get("NEWSREVIEW_UPLOAD_DIR", BASE_DIR / "uploads")
)
# The API's limits: a request body, records per POST, rows per page, requests per token and
# minute.
NEWSREVIEW_API_MAX_BODY_BYTES = int(
    os.environ.get("NEWSREVIEW_API_MAX_BODY_BYTES", 10 * 1024 * 1024)
)
NEWSREVIEW_API_MAX_RECORDS = int(os.environ.get("NEWSREVIEW_API_MAX_RECORDS", "1000"))
# Larger posts are imported by a background job (202 and the run to follow).
NEWSREVIEW_API_SYNC_MAX_RECORDS = int(
    os.environ.get("NEWSREVIEW_API_SYNC_MAX_RECORDS", "200")
)
NEWSREVIEW_API_MAX_PAGE = int(os.environ.get("NEWSREVIEW_API_MAX_PAGE", "1000"))
NEWSREVIEW_API_RATE_PER_MINUTE = int(
    os.environ.get("NEWSREVIEW_API_RATE_PER_MINUTE", "600")
)
# The label events feed serves only events older than this, so that a transaction that took an
# event id and commits after a later one is never skipped by a follower (articles.api.events).
# SQLite commits one writer at a time, in id order: no wait is needed there.
NEWSREVIEW_EVENTS_SETTLE_SECONDS = float(
    os.environ.get(
        "NEWSREVIEW_EVENTS_SETTLE_SECONDS",
        "0" if DATABASES["default"]["ENGINE"].endswith("sqlite3") else "2",
    )
)
# Webhooks may target loopback, private and link-local addresses only with this on (a test
# receiver, a CMS on the same private network); off, a hook could make the server reach its own
# network (server-side request forgery). Checked when a hook is saved and at every delivery.
NEWSREVIEW_WEBHOOK_ALLOW_PRIVATE = env_bool("NEWSREVIEW_WEBHOOK_ALLOW_PRIVATE")
NEWSREVIEW_WEBHOOK_TIMEOUT_SECONDS = float(
    os.environ.get("NEWSREVIEW_WEBHOOK_TIMEOUT_SECONDS", "10")
)
# Attempts per delivery: the first, then retries after 30 s, 1, 2, 4 and 8 minutes.
NEWSREVIEW_WEBHOOK_MAX_ATTEMPTS = int(
    os.environ.get("NEWSREVIEW_WEBHOOK_MAX_ATTEMPTS", "6")
)
