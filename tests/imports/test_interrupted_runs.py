"""An import whose process stops before it finishes says so: "failed — interrupted" (issue 18).

Two ways a run stops: an exception in its own process (Ctrl-C, a lost database), which the run
records at once; and a process killed outright, which cannot say anything — the pages that list
runs find it (a gone process on this machine, or a heartbeat older than the setting).
"""

import socket
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.imports.importers import import_paths
from articles.imports.writer import EARLY_BATCH
from articles.models import Article, ImportRun

pytestmark = pytest.mark.django_db

HOST = socket.gethostname()


def a_dead_pid() -> int:
    """The pid of a process of this machine that has ended (a real one, waited for)."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def running_run(lead, *, worker: str, beat_minutes_ago: float) -> ImportRun:
    return ImportRun.objects.create(
        started_by=lead,
        origin=ImportRun.Origin.UPLOAD,
        worker=worker,
        heartbeat_at=timezone.now() - timedelta(minutes=beat_minutes_ago),
        files_seen=3,
        articles_created=2,
        errors=[{"file": "c.txt", "reason": "not a list of strings"}],
    )


def test_a_run_whose_process_is_gone_is_reported_interrupted(lead_client, lead):
    run = running_run(lead, worker=f"{HOST}:{a_dead_pid()}", beat_minutes_ago=0.1)

    page = lead_client.get(f"/import/{run.pk}/").content.decode()

    run.refresh_from_db()
    assert run.state == ImportRun.State.INTERRUPTED
    assert run.finished_at == run.heartbeat_at  # when it was last seen alive
    assert "Failed — interrupted" in page
    assert "This import did not finish" in page
    # What it wrote is kept and shown, and its earlier refusal is still there before the reason.
    assert [e["file"] for e in run.errors] == ["c.txt", ""]
    assert "its process ended" in run.errors[-1]["reason"]
    assert "its process ended" in page
    assert "<strong>2</strong> articles created" in page


def test_a_run_silent_past_the_setting_is_interrupted_wherever_it_ran(
    lead_client, lead, settings
):
    settings.NEWSREVIEW_IMPORT_STALE_MINUTES = 10
    stale = running_run(lead, worker="another-host:4242", beat_minutes_ago=11)
    recent = running_run(lead, worker="another-host:4243", beat_minutes_ago=2)

    page = lead_client.get("/import/").content.decode()

    stale.refresh_from_db()
    recent.refresh_from_db()
    assert stale.state == ImportRun.State.INTERRUPTED
    # Another machine's run that reported two minutes ago may still be going.
    assert recent.state == ImportRun.State.RUNNING
    assert page.count("Failed — interrupted") == 1
    assert page.count('class="status-badge run-running"') == 1


def test_a_live_run_of_this_machine_stays_running_and_says_so(lead_client, lead):
    import os

    run = running_run(lead, worker=f"{HOST}:{os.getpid()}", beat_minutes_ago=0.2)

    page = lead_client.get(f"/import/{run.pk}/").content.decode()

    run.refresh_from_db()
    assert run.state == ImportRun.State.RUNNING
    assert "This import is still running" in page
    assert "Failed — interrupted" not in page


def test_the_admin_lists_a_dead_run_as_interrupted(client, staff, lead):
    client.force_login(staff)
    run = running_run(lead, worker=f"{HOST}:{a_dead_pid()}", beat_minutes_ago=1)

    page = client.get("/admin/articles/importrun/").content.decode()

    assert "Failed — interrupted" in page
    run.refresh_from_db()
    assert run.state == ImportRun.State.INTERRUPTED


def test_ctrl_c_marks_the_run_at_once_and_keeps_the_batches_written(tmp_path, lead):
    for n in range(260):
        (tmp_path / f"{n:03}.txt").write_text(repr([f"Paragraph of article {n}."]))

    def ctrl_c_at_file_230(done, total):
        if done == 230:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_paths([tmp_path], user=lead, progress=ctrl_c_at_file_230)

    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.INTERRUPTED
    assert run.finished_at is not None
    # The batches committed before the interruption are kept: by file 200 at least one was
    # (a batch holds 200 articles, or EARLY_BATCH written while the worker was still cleaning);
    # the run's counts are what was written, and the reason is the run's last line.
    written = Article.objects.count()
    assert EARLY_BATCH <= written < 230
    assert run.articles_created == written
    assert run.files_seen >= written
    assert run.errors[-1]["reason"].startswith(
        "The import stopped before it finished because it was stopped by hand (Ctrl-C)."
    )

    # Importing the same files again finishes the job: the 200 are unchanged, the rest new.
    result = import_paths([tmp_path], user=lead)
    assert (result.created, result.unchanged) == (260 - written, written)
    assert result.run.state == ImportRun.State.FINISHED


def test_a_finished_import_is_finished_with_a_heartbeat_and_its_worker(tmp_path, lead):
    (tmp_path / "a.txt").write_text(repr(["One paragraph."]))

    run = import_paths([tmp_path], user=lead).run

    run.refresh_from_db()
    assert run.state == ImportRun.State.FINISHED
    assert run.worker.startswith(f"{HOST}:")
    assert run.heartbeat_at is not None
    assert run.finished_at >= run.heartbeat_at
