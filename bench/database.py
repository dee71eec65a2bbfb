"""A fresh, migrated database for each run, and the settings in-process requests need."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection


@contextmanager
def fresh_database(workdir: Path) -> Iterator[str]:
    """A new, migrated database for one run (a file in `workdir` on SQLite), dropped afterwards.

    Yields its name. A file, not SQLite's in-memory database, so WAL and disk I/O are real.
    """
    db = settings.DATABASES["default"]
    old_name = db["NAME"]
    test = db.setdefault("TEST", {})
    old_test_name = test.get("NAME")
    if connection.vendor == "sqlite":
        test["NAME"] = str(workdir / "benchmark.sqlite3")
    else:
        # Our own name, so a benchmark never collides with a test run's test_<name> database.
        test["NAME"] = f"test_newsreview_benchmark_{os.getpid()}"
    name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False
    )
    try:
        yield name
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        test["NAME"] = old_test_name


# Settings for in-process requests: Django's test client speaks plain HTTP to "testserver", and
# the manifest storage needs a collectstatic run the benchmark should not depend on.
BENCH_SETTINGS = {
    "ALLOWED_HOSTS": ["testserver"],
    "SECURE_SSL_REDIRECT": False,
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    },
}
