"""`manage.py benchmark --pipeline` (docs/benchmarks.md, "Pipeline"): the issue-17 figures.

1. API ingest: the generated corpus as JSON article objects, POSTed in batches to
   /api/v1/articles over real HTTP (http.client against a threaded WSGI server on loopback),
   paragraphs per second of wall time, whole run;
2. the events feed: LabelEvents made by one bulk INSERT … SELECT to `events` rows, then
   GET /api/v1/events?limit=1000 at cursors spread over the table (in-process client, server time);
3. an upload request (the Import page's POST) of zips of 1, 20 and 50 MB: the time until the
   page answers (in-process client; the import itself runs later, in a job).

Every time is also given scaled to the calibration loop of 8 ms, with the loop timed just before
each of the three (the machine's load moves within a run).
"""

import ast
import http.client
import io
import json
import random
import shutil
import statistics
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application
from django.db import connection, connections
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.test.utils import override_settings
from django.utils import timezone

from articles.api import tokens
from articles.models import ImportRun, LabelEvent, Paragraph
from bench.corpus import generate_corpus
from bench.database import BENCH_SETTINGS, fresh_database
from bench.machine import REFERENCE_CALIBRATION_MS, calibration_ms, environment
from bench.measure import BenchmarkError, percentile


def _scaled(ms: float, calibration: float) -> float:
    """`ms` at the reference calibration loop of 8 ms, with the loop timed just before (the
    load moves within a run; bench.machine.at_calibration keeps the first reading)."""
    return ms * REFERENCE_CALIBRATION_MS / calibration


PIPELINE_SETTINGS = {
    **BENCH_SETTINGS,
    "ALLOWED_HOSTS": ["testserver", "127.0.0.1"],
    "NEWSREVIEW_API_RATE_PER_MINUTE": 10**9,
    "NEWSREVIEW_EVENTS_SETTLE_SECONDS": 0,
}
BATCH = 100  # articles per POST


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def run_pipeline(
    *, articles: int, events: int, requests: int, log: Callable[[str], None]
) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="newsreview-pipeline-"))
    try:
        with (
            fresh_database(workdir),
            override_settings(
                **PIPELINE_SETTINGS, NEWSREVIEW_UPLOAD_DIR=workdir / "uploads"
            ),
        ):
            user = get_user_model().objects.create_user("benchmark-lead")
            user.groups.add(Group.objects.get(name="Lead"))
            result = {"environment": environment(), "calibration_ms": calibration_ms()}
            log(f"Generating {articles:,} articles …")
            corpus = generate_corpus(workdir / "corpus", articles=articles)
            log("API ingest over HTTP …")
            result["ingest"] = _ingest(workdir / "corpus" / "files", user)
            log(f"Making {events:,} label events …")
            result["events"] = _events(user, events=events, requests=requests)
            log("Upload requests …")
            result["uploads"] = _uploads(user, requests=max(3, requests // 20))
            result["corpus_paragraphs"] = corpus.paragraphs
            return result
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _ingest(files: Path, user) -> dict:
    records = [
        {
            "id": path.stem,
            "source": path.parent.name,
            "paragraphs": ast.literal_eval(path.read_text(encoding="utf-8")),
        }
        for path in sorted(files.rglob("*.txt"))
    ]
    bodies = [
        json.dumps(records[i : i + BATCH]).encode()
        for i in range(0, len(records), BATCH)
    ]
    token = tokens.create(user=user, name="benchmark")[1]
    connection.close()  # the server's threads open their own
    server = ThreadedWSGIServer(
        ("127.0.0.1", 0), _QuietHandler, allow_reuse_address=True
    )
    server.set_app(get_wsgi_application())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        paragraphs, created = 0, 0
        calibration = calibration_ms()
        started, cpu_started = time.perf_counter(), time.process_time()
        for body in bodies:
            http_connection = http.client.HTTPConnection(
                "127.0.0.1", server.server_port
            )
            http_connection.request(
                "POST",
                "/api/v1/articles",
                body=body,
                headers={
                    "Authorization": f"Bearer {token}",
                    "Content-Type": "application/json",
                },
            )
            response = http_connection.getresponse()
            answer = response.read()
            http_connection.close()
            if response.status != 200:
                raise BenchmarkError(
                    f"API ingest: HTTP {response.status} {answer[:300]!r}"
                )
            answer = json.loads(answer)
            paragraphs += answer["paragraphs"]
            created += answer["created"]
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
    finally:
        server.shutdown()
        server.server_close()
        connections.close_all()
    if created != len(records):
        raise BenchmarkError(f"API ingest created {created} of {len(records)} articles")
    return {
        "articles": created,
        "paragraphs": paragraphs,
        "requests": len(bodies),
        "seconds": seconds,
        "cpu_seconds": cpu,
        "paragraphs_per_second": paragraphs / seconds,
        "calibration_ms": calibration,
        "paragraphs_per_second_at_calibration": paragraphs
        / (_scaled(seconds * 1000, calibration) / 1000),
    }


def _events(user, *, events: int, requests: int) -> dict:
    first = Paragraph.objects.order_by("pk").values_list("pk", flat=True).first()
    count = Paragraph.objects.count()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # Every paragraph in turn, `events` rows, one statement (paragraph ids are contiguous
        # after a bulk import into a fresh database).
        numbers = (
            "SELECT generate_series(0, %s - 1) AS i"
            if connection.vendor == "postgresql"
            else "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n "
            "WHERE i < %s - 1) SELECT i FROM n"
        )
        # Only our own constant SQL is formatted in; every value is a parameter.
        cursor.execute(
            "INSERT INTO articles_labelevent (paragraph_id, article_id, user_id, field, "  # noqa: S608
            "old_value, new_value, method, created_at) "
            "SELECT p.id, p.article_id, %s, 'label', '', 'verified', 'click', %s "
            f"FROM ({numbers}) AS n JOIN articles_paragraph p ON p.id = %s + n.i %% %s",
            [
                user.pk,
                connection.ops.adapt_datetimefield_value(timezone.now()),
                events,
                first,
                count,
            ],
        )
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE articles_labelevent")
        else:
            # What SQLite's automatic checkpoints do soon after a bulk load: without it every
            # read looks through a 300 MB write-ahead log (20 ms a page instead of 5).
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    made_seconds = time.perf_counter() - started
    total = LabelEvent.objects.count()
    last = LabelEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    client = Client()
    token = tokens.create(user=user, name="events")[1]
    headers = {"Authorization": f"Bearer {token}"}
    # Reproducible cursors spread over the table (test data, not secrets).
    cursors = [random.Random(i).randrange(0, last - 1000) for i in range(requests)]  # noqa: S311
    for after in cursors[:3]:  # warm-up
        client.get("/api/v1/events", {"after": after, "limit": 1000}, headers=headers)
    timings, cpu = [], []
    calibration = calibration_ms()
    for after in cursors:
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(
            "/api/v1/events", {"after": after, "limit": 1000}, headers=headers
        )
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        if response.status_code != 200 or len(response.json()["results"]) != 1000:
            raise BenchmarkError(f"events page: HTTP {response.status_code}")
    median = statistics.median(timings)
    return {
        "events": total,
        "made_seconds": made_seconds,
        "requests": requests,
        "median_ms": median,
        "p95_ms": percentile(timings, 0.95),
        "cpu_ms": statistics.median(cpu),
        "calibration_ms": calibration,
        "median_ms_at_calibration": _scaled(median, calibration),
        "cpu_ms_at_calibration": _scaled(statistics.median(cpu), calibration),
    }


def _zip_of(megabytes: int) -> bytes:
    rng = random.Random(megabytes)  # noqa: S311 (test data)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        number = 0
        while buffer.tell() < megabytes * 2**20:
            words = " ".join(f"w{rng.randrange(10**9)}" for _ in range(1000))
            archive.writestr(f"example.net/s{number:06d}.txt", repr([words]))
            number += 1
    return buffer.getvalue()


def _uploads(user, *, requests: int) -> dict:
    client = Client()
    client.force_login(user)
    rows = {}
    for megabytes in (1, 20, 50):
        data = _zip_of(megabytes) if megabytes < 50 else _zip_of(49)
        # The browser's side (encoding the form) is not the server's time: encoded once.
        body = encode_multipart(
            BOUNDARY, {"files": [SimpleUploadedFile("batch.zip", data)]}
        )
        timings, cpu = [], []
        calibration = calibration_ms()
        for _ in range(requests):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.generic(
                "POST", "/import/", body, content_type=MULTIPART_CONTENT
            )
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
            if response.status_code != 302:
                raise BenchmarkError(f"upload: HTTP {response.status_code}")
        median = statistics.median(timings)
        rows[f"{len(data) / 2**20:.0f} MB"] = {
            "requests": requests,
            "median_ms": median,
            "max_ms": max(timings),
            "cpu_ms": statistics.median(cpu),
            "calibration_ms": calibration,
            "median_ms_at_calibration": _scaled(median, calibration),
            "cpu_ms_at_calibration": _scaled(statistics.median(cpu), calibration),
        }
    ImportRun.objects.all().delete()
    return rows


def pipeline_table(result: dict) -> str:
    ingest, events = result["ingest"], result["events"]
    lines = [
        f"calibration loop: {result['calibration_ms']} ms; load "
        f"{result['environment'].get('load')}; {result['environment'].get('database')}",
        f"API ingest: {ingest['paragraphs']:,} paragraphs, {ingest['articles']:,} articles "
        f"in {ingest['requests']} POSTs of {BATCH}, {ingest['seconds']:.2f} s "
        f"(loop {ingest['calibration_ms']} ms): "
        f"{ingest['paragraphs_per_second']:,.0f} ¶/s "
        f"({ingest['paragraphs_per_second_at_calibration']:,.0f} ¶/s at 8 ms; target ≥ 5,000)",
        f"events page of 1,000 at {events['events']:,} events: median "
        f"{events['median_ms']:.1f} ms, p95 {events['p95_ms']:.1f} ms (loop "
        f"{events['calibration_ms']} ms), CPU "
        f"{events['cpu_ms']:.1f} ms ({events['median_ms_at_calibration']:.1f} ms wall, "
        f"{events['cpu_ms_at_calibration']:.1f} ms CPU at 8 ms; target ≤ 50 ms); "
        f"made in {events['made_seconds']:.0f} s",
    ]
    for size, row in result["uploads"].items():
        lines.append(
            f"upload request, {size} zip: median {row['median_ms']:.0f} ms, max "
            f"{row['max_ms']:.0f} ms (loop {row['calibration_ms']} ms), CPU {row['cpu_ms']:.0f} ms "
            f"({row['median_ms_at_calibration']:.0f} ms wall, "
            f"{row['cpu_ms_at_calibration']:.0f} ms CPU at 8 ms; target ≤ 300 ms)"
        )
    return "\n".join(lines)
