"""Test settings: the real settings with a fixed key and fast, manifest-free static files."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret-" + "x" * 40)

from newsreview.settings import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests talk plain HTTP to the test client and the live server.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

# One PostgreSQL test database per checkout, so that two checkouts on one machine (a second
# worktree, a CI clone) never drop each other's test database mid-run.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    import hashlib

    _checkout = hashlib.sha1(str(BASE_DIR).encode()).hexdigest()[:8]  # noqa: F405, S324
    DATABASES["default"]["TEST"] = {"NAME": f"test_newsreview_{_checkout}"}  # noqa: F405

# Uploads waiting for their import job: a folder of this checkout's own, outside the repo.
import tempfile  # noqa: E402

NEWSREVIEW_UPLOAD_DIR = (
    Path(tempfile.gettempdir())  # noqa: F405
    / f"newsreview-test-uploads-{__import__('hashlib').sha1(str(BASE_DIR).encode()).hexdigest()[:8]}"  # noqa: F405
)
# A background training process would open the configured database, not the test one; the
# tests train in their own process (tests/boilerplate/test_training.py).
NEWSREVIEW_BOILERPLATE_RETRAIN = "off"
