"""One import: who started it, from where, what it created and what it refused."""

from django.conf import settings
from django.db import models


class ImportRun(models.Model):
    class Origin(models.TextChoices):
        COMMAND = "command", "Command line"
        UPLOAD = "upload", "Upload"
        API = "api", "API"

    class State(models.TextChoices):
        # An upload saved and waiting for a job worker (articles.jobs) to take it.
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        # The process stopped before finish(): killed, crashed, restarted, or an error the
        # import did not expect. What it wrote before that is kept (articles.imports.runs).
        INTERRUPTED = "interrupted", "Failed — interrupted"

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    origin = models.CharField(
        max_length=10, choices=Origin.choices, default=Origin.COMMAND
    )
    started_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(
        max_length=12, choices=State.choices, default=State.RUNNING, db_index=True
    )
    # "host:pid" of the process writing the run, and when it last showed it was alive (after
    # every batch): how a run whose process died is told from one still going.
    worker = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    files_seen = models.PositiveIntegerField(default=0)
    # A background import's progress and what it needs to run again (articles.jobs): the files
    # it will read (zip members counted one by one), the folder under NEWSREVIEW_UPLOAD_DIR
    # holding its upload until it finishes, the source the upload gave, and the run it repeats.
    files_total = models.PositiveIntegerField(default=0)
    upload_dir = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=253, blank=True)
    retry_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries"
    )
    articles_created = models.PositiveIntegerField(default=0)
    paragraphs_created = models.PositiveIntegerField(default=0)
    articles_unchanged = models.PositiveIntegerField(default=0)
    # Articles a re-import gave a new revision (articles.revisions).
    articles_revised = models.PositiveIntegerField(default=0, db_default=0)
    articles_failed = models.PositiveIntegerField(default=0)
    empty_paragraphs_dropped = models.PositiveIntegerField(default=0)
    # One entry per failure: {"file": "batch/a.txt", "reason": "not a list of strings"}, at
    # most NEWSREVIEW_MAX_REASONS_PER_FILE per file and about NEWSREVIEW_MAX_REASONS_PER_RUN in
    # all, then one line counting the rest ("… and 999,980 more refusals in this file").
    # Lists never load it (.defer("errors", "files")).
    errors = models.JSONField(default=list, blank=True)
    # [name, created, unchanged, failed, revised, "2 edited, 1 added"] of the files the result page lists (writer.py's
    # ImportResult.files: every file with a failure, up to a cap, and the first others).
    files = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Import #{self.pk} ({self.get_origin_display()})"
