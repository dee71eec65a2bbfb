"""Uploads become jobs: the page answers at once, its progress moves and survives a reload, a
worker (the database backend's, run here for real) imports them, an interrupted one says so and
runs again without duplicating anything."""

import io
import os
import random
import socket
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.jobs.tasks import run_import
from articles.models import Article, ImportRun
from tests.conftest import run_queued_jobs

URL = "/import/"
WORDS = [
    "desk",
    "river",
    "council",
    "budget",
    "report",
    "minister",
    "harbour",
    "storm",
    "vote",
    "market",
]


def article_zip(n: int, *, words: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for i in range(n):
            paragraphs = [
                " ".join(
                    rng.choice(WORDS) + str(rng.randrange(10**6)) for _ in range(words)
                )
                for _ in range(5)
            ]
            archive.writestr(f"example.net/story-{i:05d}.txt", repr(paragraphs))
    return buffer.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


def test_a_20_mb_zip_answers_at_once_and_its_progress_reaches_100_with_the_commands_articles(
    lead_client, tmp_path
):
    data = article_zip(2000, words=170)
    assert len(data) > 20 * 1024 * 1024
    response = lead_client.post(URL, {"files": [upload("batch.zip", data)]})
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.QUEUED
    assert not Article.objects.exists()  # nothing imported inside the request
    page = lead_client.get(response["Location"]).content.decode()
    assert "Waiting for a worker" in page
    assert 'hx-trigger="every 1s"' in page

    assert run_queued_jobs() == 1
    run.refresh_from_db()
    assert run.state == ImportRun.State.FINISHED
    assert (run.files_total, run.files_seen, run.articles_created) == (2000, 2000, 2000)
    poll = lead_client.get(response["Location"], headers={"HX-Request": "true"})
    html = poll.content.decode()
    assert '<progress max="100" value="100"' in html
    assert "hx-trigger" not in html  # the poll stops
    assert "<strong>2000</strong> articles created" in html
    assert "<html" not in html  # the card alone

    # The command, on the same zip, finds every article in and identical.
    path = tmp_path / "batch.zip"
    path.write_bytes(data)
    call_command("import_articles", str(path), stdout=io.StringIO())
    by_command = ImportRun.objects.exclude(pk=run.pk).get()
    assert (by_command.articles_created, by_command.articles_unchanged) == (0, 2000)
    assert Article.objects.count() == 2000


def test_progress_survives_a_reload(lead_client, lead):
    run = ImportRun.objects.create(
        state=ImportRun.State.RUNNING,
        origin=ImportRun.Origin.UPLOAD,
        started_by=lead,
        worker=f"{socket.gethostname()}:{os.getpid()}",
        heartbeat_at=timezone.now(),
        files_total=10,
        files_seen=4,
        articles_created=37,
    )
    page = lead_client.get(
        reverse("articles:import_run", args=[run.pk])
    ).content.decode()
    assert 'value="40"' in page
    assert "4 of 10 files read · 37 articles created so far" in page
    assert f'hx-get="/import/{run.pk}/"' in page


def test_a_job_delivered_twice_imports_once(lead_client):
    lead_client.post(URL, {"files": [upload("a.zip", article_zip(3, words=5))]})
    run = ImportRun.objects.get()
    run_import.enqueue(run.pk)
    assert run_queued_jobs() == 2
    assert Article.objects.count() == 3
    results = sorted(
        r.return_value.get("skipped", "") for r in DBTaskResult.objects.all()
    )
    assert results == ["", "not waiting"]


def test_an_interrupted_upload_says_so_and_runs_again_without_duplicates(
    lead_client, tmp_path
):
    data = article_zip(3, words=5)
    lead_client.post(URL, {"files": [upload("batch.zip", data)]})
    run = ImportRun.objects.get()
    # A worker took it, wrote one article, and was killed (SIGKILL: it could say nothing).
    DBTaskResult.objects.all().delete()
    first = tmp_path / "first.zip"
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(first, "w") as out,
    ):
        name = source.namelist()[0]
        out.writestr(name, source.read(name))
    call_command("import_articles", str(first), stdout=io.StringIO())
    ImportRun.objects.filter(pk=run.pk).update(
        state=ImportRun.State.RUNNING,
        worker=f"{socket.gethostname()}:{_dead_pid()}",
        files_total=3,
        files_seen=1,
    )
    page = lead_client.get(
        reverse("articles:import_run", args=[run.pk])
    ).content.decode()
    assert "This import did not finish" in page
    assert "Run this import again" in page

    response = lead_client.post(reverse("articles:import_run_again", args=[run.pk]))
    again = ImportRun.objects.get(retry_of=run)
    assert response["Location"] == reverse("articles:import_run", args=[again.pk])
    assert run_queued_jobs() == 1
    again.refresh_from_db()
    assert (again.state, again.articles_created, again.articles_unchanged) == (
        ImportRun.State.FINISHED,
        2,
        1,
    )
    assert Article.objects.count() == 3
    # The upload is gone once it is in; the old run no longer offers to run again.
    page = lead_client.get(
        reverse("articles:import_run", args=[run.pk])
    ).content.decode()
    assert "Run this import again" not in page
    refused = lead_client.post(reverse("articles:import_run_again", args=[run.pk]))
    assert refused.status_code == 302
    assert ImportRun.objects.filter(retry_of=run).count() == 1


def test_a_finished_run_cannot_run_again(lead_client, lead):
    run = ImportRun.objects.create(state="finished", started_by=lead, upload_dir="x")
    lead_client.post(reverse("articles:import_run_again", args=[run.pk]))
    assert ImportRun.objects.count() == 1


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.txt", "..\\..\\x.txt", ".hidden.txt", "", "a\x00b.txt"]
)
def test_uploaded_names_never_leave_the_upload_folder(lead_client, settings, name):
    lead_client.post(URL, {"files": [upload(name or "x", b"['A']")]})
    run = ImportRun.objects.get()
    folder = settings.NEWSREVIEW_UPLOAD_DIR / run.upload_dir
    saved = [p for p in folder.rglob("*") if p.is_file()]
    assert len(saved) == 1
    assert saved[0].resolve().is_relative_to(folder.resolve())
    assert not saved[0].name.startswith(".")
    run_queued_jobs()


def _dead_pid() -> int:
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1
