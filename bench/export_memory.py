"""Time and peak memory of both CSV exports, end to end through the real views.

    .venv/bin/python bench/export_memory.py --articles 20000 --paragraphs 25

Fills a separate SQLite file (default /tmp/newsreview-export-bench.sqlite3; or any DATABASE_URL)
with seed-like articles once, then runs each export --repeat times, each in a fresh child
process: log in with the test Client, GET the CSV, read the whole stream. Reports the median
time, rows per second, queries, and the child's peak RSS growth over its state just before
the request (ru_maxrss), so the data generation never hides in the figure.
"""

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsreview.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/newsreview-export-bench.sqlite3")

SENTENCE = (
    "the minister said on Tuesday that government spending would rise by 3% next year "
    "according to figures published by the office for budget responsibility while critics "
    "argued Jürgen Müller's report — «sources close to» the talks — had not been verified "
    "and the council voted 7-2 to approve the plan despite protests outside city hall"
)
WORDS = SENTENCE.split()
NOTES = [
    "",
    "",
    "",
    "checked against the ONS release, table 3",
    'quote confirmed by "spokesperson", 12 May',
    "second source needed\nasked the desk; ü",
    "=HYPERLINK(not a formula)",
]
LABELS = ["verified", "unverified", "boilerplate", "", ""]


def setup_django() -> None:
    import django

    django.setup()


def fill(articles: int, per_article: int) -> None:
    """Generate the corpus with bulk_create, unless the database already holds exactly it."""
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from articles.models import COUNT_FIELD, Article, Label, Paragraph, derive_status

    call_command("migrate", verbosity=0)
    if (
        Article.objects.count() == articles
        and Paragraph.objects.count() == articles * per_article
    ):
        return
    started = time.perf_counter()
    rng = random.Random(42)  # noqa: S311  (test data, not security)
    with transaction.atomic():
        Paragraph.objects.all().delete()
        Article.objects.all().delete()
        reviewer, _ = User.objects.get_or_create(username="bench-reviewer")
        reviewer.groups.add(Group.objects.get(name="Reviewer"))
        people = [reviewer] + [
            User.objects.get_or_create(username=name)[0]
            for name in ("anna", "jürgen", "-minus", "@at")
        ]
        now = timezone.now()
        for first in range(0, articles, 1000):
            batch = []
            plans = []
            for number in range(first, min(first + 1000, articles)):
                labels = [rng.choice(LABELS) for _ in range(per_article)]
                if number % 3 == 0:
                    labels = [""] * per_article
                counts = dict.fromkeys(COUNT_FIELD.values(), 0)
                for label in labels:
                    if label:
                        counts[COUNT_FIELD[Label(label)]] += 1
                labeled = sum(counts.values())
                batch.append(
                    Article(
                        external_id=f"bench-{number:07d}",
                        title=" ".join(rng.choices(WORDS, k=10)).capitalize(),
                        source=rng.choice(["bbc.co.uk", "zeit.de", "reuters.com"]),
                        url=f"https://example.org/news/{number}",
                        content_hash=f"{number:064d}",
                        paragraph_count=per_article,
                        status=derive_status(labeled=labeled, total=per_article),
                        assigned_to=rng.choice([None, *people]),
                        last_reviewed_by=people[number % 5] if labeled else None,
                        last_reviewed_at=now if labeled else None,
                        **counts,
                    )
                )
                plans.append(labels)
            Article.objects.bulk_create(batch)  # sets pk on SQLite and PostgreSQL
            paragraphs = []
            for article, labels in zip(batch, plans, strict=True):
                for position, label in enumerate(labels, start=1):
                    text = " ".join(rng.choices(WORDS, k=45))  # ~300 characters
                    paragraphs.append(
                        Paragraph(
                            article=article,
                            position=position,
                            html=text,
                            text=text,
                            text_hash=f"{position:032d}",
                            label=label,
                            labeled_by=rng.choice(people) if label else None,
                            labeled_at=now if label else None,
                            note=rng.choice(NOTES),
                        )
                    )
            Paragraph.objects.bulk_create(paragraphs, batch_size=5000)
    sys.stderr.write(
        f"generated {articles} articles / {articles * per_article} paragraphs "
        f"in {time.perf_counter() - started:.0f} s\n"
    )


def measure(kind: str, *, trace: bool) -> dict:
    """One export through the real view; run in a fresh process by main()."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(User.objects.get(username="bench-reviewer"))
    url = reverse(f"articles:export_{kind}")
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    if trace:
        tracemalloc.start()
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(count):
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        size = rows = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            rows += chunk.count(b"\r\n")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    traced = tracemalloc.get_traced_memory()[1] if trace else 0
    return {
        "export": kind,
        "rows": rows - 1,
        "bytes": size,
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "queries": queries,
        "peak_rss_growth_mb": round((peak - baseline) / 1024, 1),
        "traced_peak_mb": round(traced / 2**20, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--paragraphs", type=int, default=25, help="per article")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--trace", action="store_true", help="internal")
    parser.add_argument(
        "--measure", choices=["articles", "paragraphs"], help="internal"
    )
    args = parser.parse_args()
    setup_django()
    if args.measure:
        sys.stdout.write(json.dumps(measure(args.measure, trace=args.trace)) + "\n")
        return
    fill(args.articles, args.paragraphs)
    for kind in ("articles", "paragraphs"):
        runs = [_child(kind) for _ in range(args.repeat)]
        # tracemalloc slows Python down, so the Python-heap peak comes from one extra run.
        traced = _child(kind, "--trace")["traced_peak_mb"]
        seconds = statistics.median(run["seconds"] for run in runs)
        cpu = statistics.median(run["cpu_seconds"] for run in runs)
        rows = runs[0]["rows"]
        sys.stdout.write(
            f"{kind}: {rows} rows, {runs[0]['bytes'] / 1e6:.1f} MB, {runs[0]['queries']} queries; "
            f"median {seconds:.2f} s wall ({rows / seconds:,.0f} rows/s) of "
            f"{[run['seconds'] for run in runs]}, median {cpu:.2f} s CPU; "
            f"peak RSS growth {max(run['peak_rss_growth_mb'] for run in runs)} MB, "
            f"Python heap peak {traced} MB\n"
        )


def _child(kind: str, *extra: str) -> dict:
    """One measurement in a fresh interpreter, so earlier runs never hide its peak memory."""
    done = subprocess.run(  # noqa: S603  (our own script, fixed arguments)
        [sys.executable, __file__, "--measure", kind, *extra],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout)


if __name__ == "__main__":
    main()
