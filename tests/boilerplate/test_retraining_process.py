"""Background retraining for real: label changes in one process enqueue a job that the job
worker, another process, runs.

The test database lives in this process's memory, where a child process cannot see it, so the
whole story runs in processes of their own against a SQLite file: `migrate`, then a shell that
imports a site and labels it with set_label() as the review page does, with retraining in the
background as deployed. The 60th label change is the first at which training is due (20
boilerplate labels); retraining.start_training() then enqueues train_when_due(), and the shell
exits without training. `manage.py db_worker --batch` (what `make run` runs beside the server,
here until the queue is empty) then trains.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

LABEL_A_SITE = """
import json, os, pathlib
from django.contrib.auth.models import User
from articles.imports.importers import import_paths
from articles.models import Article, LearnedModel
from articles.review.labels import set_label

path = pathlib.Path(os.environ["WIRE_PATH"])
path.write_text("\\n".join(json.dumps({
    "id": f"wire-{k}", "title": f"Wire story {k}", "source": "wire.example",
    "paragraphs": [
        f"The council said on Tuesday that bridge {k} would reopen by the end of the month.",
        f"Residents near bridge {k} said the detour had added an hour to their journeys.",
        f"The mayor said a public meeting about bridge {k} would be held on Thursday.",
        f"Reporting by Jane Doe; editing by John Roe ({k}).",
        f"© 2024 Wire Example Ltd. All rights reserved. Story {k}.",
    ],
}) for k in range(14)), encoding="utf-8")
assert import_paths([path]).failed == 0
user = User.objects.create_user("maria")
for article in Article.objects.order_by("pk")[:12]:
    for position, label in enumerate(["verified"] * 3 + ["boilerplate"] * 2, 1):
        set_label(article_id=article.pk, position=position, label=label, user=user)
assert not LearnedModel.objects.exists()  # the shell does not train: its child does
print("labeled")
"""


def _learned_models(database: Path) -> list[tuple]:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT examples, boilerplate, trigger, sources FROM articles_learnedmodel"
        ).fetchall()


def _jobs(database: Path) -> list[tuple]:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT task_path, status FROM django_tasks_database_dbtaskresult"
        ).fetchall()


def _training_claimed(database: Path) -> bool:
    with sqlite3.connect(database) as connection:
        row = connection.execute(
            "SELECT training_since FROM articles_suggestionsettings WHERE id = 1"
        ).fetchone()
    return bool(row and row[0])


def test_the_60th_label_change_enqueues_a_training_the_worker_runs(
    tmp_path,
):
    database = tmp_path / "db.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsreview.settings",
        "DJANGO_SECRET_KEY": "test-only-not-secret-" + "x" * 40,
        "DATABASE_URL": f"sqlite:///{database}",
        "NEWSREVIEW_BOILERPLATE_RETRAIN": "background",
        "NEWSREVIEW_BOILERPLATE_RETRAIN_EVERY": "20",
        "NEWSREVIEW_BOILERPLATE_RETRAIN_MIN_LABELS": "20",
    }

    def manage(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    migrated = manage("migrate", "--verbosity", "0")
    assert migrated.returncode == 0, migrated.stderr
    env["WIRE_PATH"] = str(tmp_path / "wire.jsonl")
    shell = manage("shell", "-c", LABEL_A_SITE)
    assert shell.returncode == 0, shell.stderr
    assert shell.stdout.splitlines()[-1] == "labeled"

    # One job, enqueued at the 60th change (at the 20th and 40th nothing was due).
    job = "articles.boilerplate.retraining.train_when_due"
    assert _jobs(database) == [(job, "READY")]
    assert not _learned_models(database)

    worker = manage("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*")
    assert worker.returncode == 0, worker.stderr
    assert _jobs(database) == [(job, "SUCCESSFUL")]
    # One training, started by the labels (the job ran "--trigger labels"), after the 60th
    # change: it saw all 12 articles, 5 labels each. (Had one
    # started at the 20th or 40th change, when nothing was due, it would have stored a model
    # of 20 or 40.) wire.example has 60 < 200 labels: no model of its own.
    assert _learned_models(database) == [(60, 24, "labels", 0)]
    assert not _training_claimed(database)  # the guard was released
