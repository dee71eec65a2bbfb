"""`manage.py benchmark --quality`: the agreement page and the sign-off POST at N articles with
10% double-reviewed (issue 15: ≤ 100 ms and ≤ 5 ms at 100,000 articles, calibration 8 ms).

The data is written with bulk inserts, not through the importer (100,000 articles through it
take minutes): every article reviewed, 10% of them with their 30 paragraphs, a submitted
second review (SecondReview, one SecondOpinion per paragraph, ~80% agreeing) and the
agreement tally as submitting makes it. Paragraph rows exist only for the double-reviewed
articles: the measured paths (the tally, one article row) never read the others'.

Besides the pages, one row times what the agreement page would cost without the tally: the
same figures grouped from every stored opinion on each request (the design decision in
docs/design.md rests on it).
"""

import hashlib
import random
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from articles.models import (
    AgreementTally,
    Article,
    Label,
    Paragraph,
    ReviewStatus,
    SecondOpinion,
    SecondReview,
    SignOff,
)
from articles.search.index import bulk_index
from bench.database import BENCH_SETTINGS, fresh_database
from bench.machine import at_calibration, environment
from bench.measure import BenchmarkError, measure
from bench.report import TARGETS, Report, Row

PARAGRAPHS = 30
SOURCES = 20
REVIEWERS = 8
SHARE = 0.10
# 15 verified, 10 unverified, 5 boilerplate: every generated article's labels.
LABELS = [Label.VERIFIED] * 15 + [Label.UNVERIFIED] * 10 + [Label.BOILERPLATE] * 5
BATCH = 2000


def _people():
    User = get_user_model()
    reviewers = []
    for i in range(REVIEWERS):
        user = User.objects.create_user(f"bench-reviewer-{i}")
        user.groups.add(Group.objects.get(name="Reviewer"))
        reviewers.append(user)
    lead = User.objects.create_user("bench-lead")
    lead.groups.add(Group.objects.get(name="Lead"))
    return reviewers, lead


def _articles(n: int, reviewers, rng: random.Random) -> list[tuple[int, int, str]]:
    """n reviewed articles; returns (id, first reviewer id, source) of each."""
    now = timezone.now()
    for start in range(0, n, BATCH):
        Article.objects.bulk_create(
            Article(
                external_id=f"bench-{i:07d}",
                title=f"Generated article {i} about talks and budgets",
                source=f"site{i % SOURCES}.example",
                url=f"https://site{i % SOURCES}.example/news/{i}",
                content_hash=hashlib.sha256(str(i).encode()).hexdigest(),
                status=ReviewStatus.REVIEWED,
                paragraph_count=PARAGRAPHS,
                verified_count=15,
                unverified_count=10,
                boilerplate_count=5,
                last_reviewed_by=reviewers[i % REVIEWERS],
                last_reviewed_at=now,
            )
            for i in range(start, min(n, start + BATCH))
        )
    return list(
        Article.objects.order_by("pk").values_list(
            "pk", "last_reviewed_by_id", "source"
        )
    )


def _double_review(sample, reviewers, lead, rng: random.Random) -> int:
    """Paragraphs, a submitted second review and its opinions for each sampled article;
    returns how many opinions."""
    now = timezone.now()
    opinions = 0
    for start in range(0, len(sample), 200):
        chunk = sample[start : start + 200]
        Paragraph.objects.bulk_create(
            (
                Paragraph(
                    article_id=pk,
                    position=position,
                    html=f"Paragraph {position} of article {pk}.",
                    text=f"Paragraph {position} of article {pk}.",
                    text_hash=f"{pk:016x}{position:016x}",
                    label=label,
                    labeled_by_id=first_by,
                    labeled_at=now,
                )
                for pk, first_by, _ in chunk
                for position, label in enumerate(LABELS, start=1)
            ),
            batch_size=BATCH,
        )
        seconds = {
            pk: next(r for r in rng.sample(reviewers, 2) if r.pk != first_by)
            for pk, first_by, _ in chunk
        }
        reviews = SecondReview.objects.bulk_create(
            SecondReview(
                article_id=pk,
                of_article_id=pk,
                reviewer=seconds[pk],
                requested_by=lead,
                requested_at=now,
                finished_at=now,
            )
            for pk, _, _ in chunk
        )
        review_of = {review.article_id: review for review in reviews}
        rows = []
        for paragraph_id, pk, first, first_by in Paragraph.objects.filter(
            article_id__in=[pk for pk, _, _ in chunk]
        ).values_list("pk", "article_id", "label", "labeled_by_id"):
            second = first if rng.random() < 0.8 else rng.choice(Label.values)
            review = review_of[pk]
            review.compared += 1
            review.agreed += second == first
            rows.append(
                SecondOpinion(
                    review=review,
                    paragraph_id=paragraph_id,
                    article_id=pk,
                    label=second,
                    labeled_at=now,
                    first_label=first,
                    first_by_id=first_by,
                )
            )
        SecondOpinion.objects.bulk_create(rows, batch_size=BATCH)
        SecondReview.objects.bulk_update(reviews, ["compared", "agreed"])
        opinions += len(rows)
    return opinions


def _tally() -> None:
    """The tally as submitting keeps it, made in one go from the stored opinions."""
    cells = (
        SecondOpinion.objects.values(
            "article__source", "first_by", "review__reviewer", "first_label", "label"
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    AgreementTally.objects.bulk_create(
        AgreementTally(
            source=cell["article__source"],
            first_user_id=cell["first_by"],
            second_user_id=cell["review__reviewer"],
            first_label=cell["first_label"],
            second_label=cell["label"],
            paragraphs=cell["n"],
        )
        for cell in cells
    )


def _scan_without_tally() -> int:
    """The agreement figures' input read from every opinion (what the tally saves)."""
    return len(
        list(
            SecondOpinion.objects.filter(review__finished_at__isnull=False)
            .values_list(
                "article__source",
                "first_by__username",
                "review__reviewer__username",
                "first_label",
                "label",
            )
            .annotate(n=Count("pk"))
            .order_by()
        )
    )


def _timed(name: str, work: Callable[[], object], *, n: int, limit_ms: float) -> Row:
    walls, cpus = [], []
    for _ in range(n):
        started, cpu_started = time.perf_counter(), time.process_time()
        work()
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu_started) * 1000)
    walls.sort()
    cpus.sort()
    cpu = cpus[len(cpus) // 2]
    # A database scan: SQLite runs in this process, so CPU time is its time too.
    return Row(
        name,
        f"≤ {limit_ms:g} ms",
        n=n,
        median_ms=walls[len(walls) // 2],
        p95_ms=walls[min(n - 1, round(0.95 * (n - 1)))],
        cpu_ms=cpu,
        queries=1,
        met=at_calibration(cpu) <= limit_ms,
        note="not used: the page reads the tally",
    )


def _redirected(response, what: str):
    """A sign-off answers with a redirect to the article; the benchmark's check wants 200."""
    if response.status_code != 302 or "/articles/" not in response["Location"]:
        raise BenchmarkError(f"{what}: HTTP {response.status_code}")
    return SimpleNamespace(status_code=200, streaming=False, content=b"")


def measure_quality(
    report: Report, *, requests: int, lead, signable: list[int]
) -> None:
    client = Client()
    client.force_login(lead)
    for name, page in (
        ("agreement page", "articles:agreement"),
        ("agreement CSV", "articles:agreement_csv"),
    ):
        report.rows.append(
            measure(
                name,
                TARGETS["agreement"],
                lambda i, page=page: client.get(reverse(page)),
                n=requests,
                limit_ms=100,
            )
        )
    report.rows.append(
        _timed("agreement from every opinion", _scan_without_tally, n=20, limit_ms=100)
    )
    seen = dict(
        Article.objects.filter(pk__in=signable).values_list("pk", "content_hash")
    )
    stamp = {
        pk: at.isoformat()
        for pk, at in Article.objects.filter(pk__in=signable).values_list(
            "pk", "last_reviewed_at"
        )
    }

    def sign_off(i):
        # A new article each time: every POST really signs one off.
        pk = signable[i]
        return _redirected(
            client.post(
                reverse("articles:sign_off", args=[pk]),
                {"seen_reviewed_at": stamp[pk], "seen_hash": seen[pk]},
            ),
            "sign-off POST",
        )

    before = SignOff.objects.count()
    report.rows.append(
        measure("sign-off POST", TARGETS["sign_off"], sign_off, n=requests, limit_ms=5)
    )
    made = SignOff.objects.count() - before
    if made != requests + 4:  # warm-up 3, timed n, counted 1
        raise BenchmarkError(
            f"sign-off POST: {made} sign-offs for {requests + 4} POSTs"
        )
    double = SecondReview.objects.values_list("article_id", flat=True).first()
    second = SecondReview.objects.get(article_id=double).reviewer
    report.rows.append(
        measure(
            "review page, double-reviewed (30 ¶)",
            TARGETS["review"],
            lambda i: client.get(reverse("articles:detail", args=[double])),
            n=requests,
            limit_ms=8,
        )
    )
    other = Client()
    other.force_login(second)
    report.rows.append(
        measure(
            "queue first page (a second reviewer)",
            TARGETS["queue"],
            lambda i: other.get(reverse("articles:queue")),
            n=requests,
            limit_ms=12,
        )
    )


def run_quality(
    *, articles: int, requests: int, log: Callable[[str], None] = lambda m: None
) -> Report:
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    workdir = Path(tempfile.mkdtemp(prefix="newsreview-quality-"))
    rng = random.Random(15)  # noqa: S311 (generated data, not a secret)
    try:
        with fresh_database(workdir), override_settings(**BENCH_SETTINGS):
            reviewers, lead = _people()
            started = time.perf_counter()
            log(f"Writing {articles:,} reviewed articles …")
            with transaction.atomic(), bulk_index():
                rows = _articles(articles, reviewers, rng)
                sample = rng.sample(rows, max(1, round(len(rows) * SHARE)))
                log(f"Double-reviewing {len(sample):,} of them …")
                opinions = _double_review(sample, reviewers, lead, rng)
                _tally()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            sampled = {pk for pk, _, _ in sample}
            signable = [pk for pk, _, _ in rows if pk not in sampled][: requests + 4]
            report = Report(
                environment=environment(),
                corpus={
                    "articles": articles,
                    "paragraphs": opinions,
                    "boilerplate": 0,
                    "mb": 0.0,
                    "generated_seconds": time.perf_counter() - started,
                    "double_reviewed": len(sample),
                    "opinions": opinions,
                    "tally_rows": AgreementTally.objects.count(),
                },
            )
            log("Measuring …")
            measure_quality(report, requests=requests, lead=lead, signable=signable)
            return report
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def quality_table(report: Report) -> str:
    corpus = report.corpus
    head = (
        f"{corpus['articles']:,} reviewed articles, {corpus['double_reviewed']:,} "
        f"double-reviewed ({corpus['opinions']:,} second opinions, {corpus['tally_rows']:,} "
        f"tally rows), written in {corpus['generated_seconds']:.0f} s"
    )
    table = report.as_table().split("\n")
    # as_table()'s second line describes an imported corpus; this one was written directly.
    return "\n".join([table[0], head, *table[2:]]) + "\n"
