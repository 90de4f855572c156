"""Settings for Collaborative Commissioning: one file, driven by environment variables.

With no environment set, everything runs embedded on one machine: a SQLite file, a Celery
broker on the filesystem (no server), the console email backend and DEBUG on. Production sets
DJANGO_DEBUG=false, DATABASE_URL (PostgreSQL), CELERY_BROKER_URL (Redis), DJANGO_SECRET_KEY and
DJANGO_ALLOWED_HOSTS; `manage.py check --deploy` is then clean.
"""

import os
import sys
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Local state for the embedded set-up: SQLite file, filesystem broker, media, email files.
VAR_DIR = Path(env("COMMISSIONING_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env(
    "DJANGO_SECRET_KEY",
    default="local-development-only-secret-key-never-use-in-production-0123456789",
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "rules",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_celery_beat",
    "commissioning",
    "accounts",
    "hubs",
    "oversight",
    "priorities",
    "reviews",
    "cocommissioning",
    "places",
    "exemplars",
    "national",
    "ideas",
    "evaluations",
    "arrangements",
    "exports",
    "meetings",
    "governance",
    "accountability",
    "timeline",
    "workspace",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "commissioning.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before the API cache, so that an idle session is ended before anything is served (issue 19).
    "accounts.sessions.IdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.otp.SecondFactorMiddleware",  # issue 19: two-step sign-in
    "django.contrib.messages.middleware.MessageMiddleware",
    "commissioning.pagecache.ApiReadCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the outcome of authentication (django-axes' rule).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "commissioning.urls"
WSGI_APPLICATION = "commissioning.wsgi.application"

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
                "workspace.context_processors.navigation",
            ],
            # NHS-style date filters (nhs_date, nhs_datetime, wait…) in every template.
            "builtins": [
                "commissioning.templatetags.nhs_dates",
                # Money and counts: {{ amount|money }} "£250,000" (issue 18, finding 8).
                "commissioning.templatetags.nhs_numbers",
                # {% scrolltable %}: wide tables in a labelled scroll region (issue 18).
                "commissioning.templatetags.tables",
                # {{ "app:name"|url_for_id:row.pk }}: rows' links, reversed once (issue 20).
                "commissioning.templatetags.links",
            ],
        },
    },
]


def conn_max_age(argv: list[str]) -> int:
    """Seconds a PostgreSQL connection is kept between requests: none under `runserver`."""
    if len(argv) > 1 and argv[1] == "runserver":
        return 0
    return env.int("DATABASE_CONN_MAX_AGE", default=60)


DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'commissioning.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend, batching bulk writes by this SQLite's real parameter limit.
    DATABASES["default"]["ENGINE"] = "commissioning.sqlite3"
    # Tests run on an in-memory database; a run with system tests, whose worker process must
    # share it, moves it to a file of its own (tests/conftest.py).
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
else:
    # The development server answers each request in a new thread, so a connection kept open
    # per thread is never reused: ~1,200 requests left 72 open (issue 14, finding 9). It closes
    # every connection at the end of its request; gunicorn's long-lived workers keep theirs.
    DATABASES["default"]["CONN_MAX_AGE"] = conn_max_age(sys.argv)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# The connection budget (issue 14): each gunicorn worker thread and each Celery worker process
# holds at most one connection, beat one, and a few are kept for migrations and psql. The check
# commissioning.E002 refuses a configuration whose total exceeds PostgreSQL's max_connections.
DATABASE_MAX_CONNECTIONS = env.int("DATABASE_MAX_CONNECTIONS", default=100)  # PostgreSQL's own
WEB_WORKERS = env.int("WEB_CONCURRENCY", default=3)  # gunicorn reads WEB_CONCURRENCY itself
WEB_THREADS = env.int("GUNICORN_THREADS", default=1)
# Celery's own default is one process per core; naming it here makes the budget see it.
CELERY_WORKER_CONCURRENCY = env.int("CELERY_WORKER_CONCURRENCY", default=os.cpu_count() or 1)
# Scaled out (docs/scale-out.md, `docker compose up --scale web=N --scale worker=M`): how many web
# and worker containers share the database, each with the processes above.
WEB_REPLICAS = env.int("WEB_REPLICAS", default=1)
WORKER_REPLICAS = env.int("WORKER_REPLICAS", default=1)
DATABASE_RESERVED_CONNECTIONS = 5  # beat, migrations, a psql session, headroom

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on (issue 19): only ever used by the SSO callback, which calls it directly;
    # its keyword-only authenticate() never takes a password, so django-axes and the password
    # sign-in above are untouched. Inert while no provider is configured.
    "accounts.sso.SSOBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Issue 19, personal API tokens (accounts/tokens.py, docs/api-tokens.md): how many days ahead
# a token's expiry may be set (a year by default).
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace:my-work"
# Who may use Django's admin site (named here so the kernel imports no app).
ADMIN_ACCESS_CHECK = "accounts.permissions.can_use_admin"
LOGOUT_REDIRECT_URL = "accounts:login"

# Single sign-on over OpenID Connect (issue 19; docs/sign-in-sso.md). Nothing configured: no
# button, and the SSO addresses answer 404. OIDC_PROVIDERS=nhsmail,acme names the providers;
# each reads OIDC_<KEY>_DISCOVERY_URL, _CLIENT_ID, _CLIENT_SECRET, _ALLOWED_DOMAINS (comma
# separated), and optionally _LABEL, _EMAIL_CLAIM (default "email"), _SCOPES, _SIGN_ALGO
# (default RS256) and _TRUST_EMAIL (trust an email claim the provider does not mark verified;
# default false). accounts/sso.py checks them (check accounts.E019).
OIDC_PROVIDERS = {
    key.lower(): {
        name: env.str(f"OIDC_{key.upper()}_{name.upper()}", default="")
        for name in (
            "label",
            "discovery_url",
            "client_id",
            "client_secret",
            "allowed_domains",
            "email_claim",
            "scopes",
            "sign_algo",
            "trust_email",
        )
    }
    for key in env.list("OIDC_PROVIDERS", default=[])
}
# How long a started SSO sign-in may take at the provider before it must be started again.
OIDC_STATE_MAX_AGE = env.int("OIDC_STATE_MAX_AGE", default=10 * 60)
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=10)

# Login throttling (django-axes): lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
# Sign-in ignores the email address's case (issue 14), so the lockout does too.
AXES_USERNAME_CALLABLE = "accounts.models.lockout_username"

# Two-step sign-in (issue 19, accounts/otp.py): an authenticator app (TOTP) and recovery codes,
# required of national admins, staff and superusers (Django's admin site), optional for others.
# Only the test suite turns SECOND_FACTOR_ENFORCED off (tests/conftest.py); it is not read from
# the environment, so no deployment can switch the check off by mistake.
SECOND_FACTOR_ENFORCED = True
OTP_REQUIRED_FOR_EVERYONE = env.bool("OTP_REQUIRED_FOR_EVERYONE", default=False)
OTP_TOTP_ISSUER = "Collaborative Commissioning"
# django-otp's growing delays are off: wrong codes lock out after AXES_FAILURE_LIMIT instead.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# Issue 19, sign-in sessions: signed out after SESSION_IDLE_TIMEOUT_MINUTES without activity
# (0 turns it off), warned SESSION_TIMEOUT_WARNING_MINUTES before; fractions of a minute are
# allowed. The last-activity time is written to the session at most once a minute
# (accounts/sessions.py), never on every request.
SESSION_IDLE_TIMEOUT_MINUTES = env.float("SESSION_IDLE_TIMEOUT_MINUTES", default=30)
SESSION_TIMEOUT_WARNING_MINUTES = env.float("SESSION_TIMEOUT_WARNING_MINUTES", default=2)
SESSION_ACTIVITY_WRITE_SECONDS = 60

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# Dates read "1 April 2015" (NHS style, issue 13 §8): commissioning/formats/en_GB/formats.py.
FORMAT_MODULE_PATH = ["commissioning.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# Where the file-based email backend (EMAIL_BACKEND=...filebased.EmailBackend) writes.
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Collaborative Commissioning <no-reply@localhost>"
)
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
# Seconds an SMTP connection waits on the mail server before giving up, so that a server that
# stalls (say, after accepting a message) cannot hold a worker forever (issue 14).
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=30)

# Celery. Embedded default: a filesystem broker in var/ (no server to install); `make run`
# starts one worker with beat beside the web server. Production: Redis.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Synced into django-celery-beat's tables by the scheduler, where admins can see them.
CELERY_BEAT_SCHEDULE = {
    "outbox-relay": {"task": "commissioning.outbox_relay", "schedule": 60.0},
    "exports-requeue-stale": {"task": "exports.tasks.exports_requeue_stale", "schedule": 300.0},
    "plan-pdfs-requeue": {"task": "priorities.tasks.plan_version_pdfs_requeue", "schedule": 300.0},
    "reminders-sweep": {"task": "timeline.tasks.reminders_sweep", "schedule": 900.0},
    "co-commissioning-go-live": {
        "task": "cocommissioning.tasks.applications_go_live",
        "schedule": crontab(hour=0, minute=30),
    },
    "footprints-bring-forward": {
        "task": "oversight.tasks.footprints_bring_forward",
        "schedule": crontab(hour=1, minute=0),
    },
    "reminders-digest": {
        "task": "timeline.tasks.reminders_digest",
        "schedule": crontab(hour=7, minute=0),
    },
    "arrangement-reviews-due": {
        "task": "arrangements.tasks.reviews_due_remind",
        "schedule": crontab(hour=6, minute=30),
    },
    "crg-seat-terms-remind": {
        "task": "national.tasks.seat_terms_remind",
        "schedule": crontab(hour=6, minute=45),
    },
    "consultations-remind": {
        "task": "national.tasks.consultations_remind",
        "schedule": crontab(hour=6, minute=50),
    },
}
# A request that queues work never waits on the broker for much more than this (issue 14):
# commissioning.queueing publishes on a connection of its own with these socket timeouts and one
# quick reconnection try, and leaves the work owed if the broker does not answer in time. (The
# worker's own connection keeps kombu's defaults: its polling reads must outlast them.)
BROKER_WAIT_SECONDS = env.float("BROKER_WAIT_SECONDS", default=1.0)
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    # The broker's folders must exist before any command queues a task (say, the demo data's
    # invitation emails), not only once the worker has started.
    for _folder in ("queue", "processed", "control"):
        (VAR_DIR / "celery" / _folder).mkdir(parents=True, exist_ok=True)

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# Heavy read pages are cached per session until any record changes (commissioning/pagecache.py);
# only with a cache every process shares.
PAGE_CACHE_SECONDS = env.int(
    "PAGE_CACHE_SECONDS",
    default=300 if CACHES["default"]["BACKEND"].endswith("RedisCache") else 0,
)
# false: every write invalidates every cached page, as before issue 20 (the benchmark compares).
PAGE_CACHE_SCOPED = env.bool("PAGE_CACHE_SCOPED", default=True)
# Invalidate at each write as well as after its commit: only for the test suite, where each test
# is one transaction that never commits and its requests read its uncommitted writes.
PAGE_CACHE_INVALIDATE_ON_WRITE = False

REST_FRAMEWORK = {
    # Tokens first, so that an unauthenticated request gets 401 with WWW-Authenticate: personal
    # tokens (issue 19), then the admin-made ones they fall back to.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "commissioning.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "commissioning.schema.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"user": "2000/hour", "anon": "100/hour"},
    # Services' refusals (RuleError, ConflictError) become 400/403/409 here, and only here.
    "EXCEPTION_HANDLER": "commissioning.api_errors.handle",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Collaborative Commissioning API",
    "DESCRIPTION": (
        "The organisation register (regions, hubs, CCGs, Programmes of Care) and the "
        "current user. Session or token authentication (a personal token, "
        "`Authorization: Bearer cc_...`, or an admin-made `Token`); every endpoint requires a "
        "login. "
        "`/api/v1/ccgs/` keeps its historic name but lists every statutory local commissioner: "
        "the CCGs (1 April 2013 to 30 June 2022) and the ICBs that took over their functions "
        'on 1 July 2022. Each record\'s `kind` is `ccg` or `icb` (`kind_label` "CCG" or '
        '"ICB"); filter with `?kind=icb`. A `ccg` field elsewhere in the API (memberships, '
        "proposals, role assignments) may likewise name an ICB; a role assignment's `role` "
        'stays `ccg_lead` and its `role_label` reads "ICB lead" for an ICB.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "status" or "kind"; name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "MeetingStatusEnum": "meetings.models.Meeting.Status",
        "ApiTokenStatusEnum": "accounts.token_api.STATUSES",  # issue 19
        "RecommendationStatusEnum": "meetings.models.Recommendation.Status",
        "ActionStatusEnum": "meetings.models.Action.Status",
        "AttendanceStatusEnum": "meetings.models.Attendance.Status",
        "AgendaItemPurposeEnum": "meetings.models.AgendaItem.Purpose",
        "ExportStatusEnum": "exports.models.Export.Status",
        "ExportKindEnum": "exports.models.Export.Kind",
        "InterestKindEnum": "oversight.models.Interest.Kind",
        "GovernanceDocumentKindEnum": "governance.models.GovernanceDocument.Kind",
        "SubGroupFocusKindEnum": "oversight.models.SubGroup.FocusKind",
        "SubGroupStatusEnum": "oversight.models.SubGroup.Status",
        "DocumentVersionStatusEnum": "governance.models.DocumentVersion.Status",
        "PlanStatusEnum": "priorities.models.PrioritiesPlan.Status",
        "ProposalStatusEnum": "priorities.models.Proposal.Status",
        "MilestoneStatusEnum": "priorities.models.Milestone.Status",
        "RagEnum": "priorities.models.DeliveryUpdate.Rag",
        "CCGKindEnum": "hubs.models.CCG.Kind",
        "SystemKindEnum": "hubs.models.IntegratedCareSystem.Kind",
        "FormalArrangementKindEnum": "arrangements.models.Arrangement.Kind",
        "FormalArrangementStatusEnum": "arrangements.models.Arrangement.Status",
        "LegalBasisEnum": "arrangements.models.Arrangement.LegalBasis",
        "LeadershipSeatEnum": "national.models.LeadershipSeat",
        "CRGDocumentKindEnum": "national.models.CRGDocument.Kind",
        "NominationStatusEnum": "national.models.Nomination.Status",
        "ConsultationPositionEnum": "national.models.ConsultationResponse.Position",
        "ConsultationStateEnum": "national.models.Consultation.State",
        "ServiceReviewStatusEnum": "national.models.ServiceReview.Status",
        "WayForwardEnum": "priorities.models.OverlapDecision.WayForward",
    },
}

# Security: strict in production, relaxed only where local HTTP needs it.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Largest governance document upload accepted (bytes).
DOCUMENT_MAX_UPLOAD_BYTES = env.int("DOCUMENT_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)

# Whether the demo accounts (documented passwords) may be created: local use only.
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=DEBUG)
