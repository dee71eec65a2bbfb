"""`manage.py benchmark --boilerplate` (docs/boilerplate.md, "Measured"): recall and false
positives of the boilerplate suggestions against the corpus's ground truth, import throughput
with them on and off, and the suggestions on the real readability test pages."""

import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from bs4 import BeautifulSoup
from django.test.utils import override_settings

from articles.boilerplate.model import active_model
from articles.boilerplate.suggestions import (
    Thresholds,
    paragraph_signals,
    score_signals,
    suggest,
)
from articles.imports.importers import import_paths
from articles.models import Article
from articles.review.reads import article_paragraphs
from bench.corpus import generate_corpus
from bench.database import BENCH_SETTINGS, fresh_database
from bench.machine import cpu_with_children
from bench.measure import BenchmarkError

READABILITY_PAGES = (
    Path(__file__).resolve().parent.parent.parent
    / "shared/corpus/real-lists/readability-test-pages"
)


def _suggested(article_ids=None) -> Iterator[tuple[str, int, str, object]]:
    """(external_id, position, text, Suggestion or None, repeated_in) of every paragraph, with
    the suggestion the review page and the paragraphs CSV give (labeled paragraphs too): the
    rules and the learned model in use."""
    thresholds = Thresholds.from_settings()
    articles = Article.objects.all()  # the queue's order, newest import first
    if article_ids is not None:
        articles = articles.filter(pk__in=article_ids)
    model = active_model()
    for article in articles.iterator():
        paragraphs = article_paragraphs(article)
        scored = score_signals(
            [
                paragraph_signals(
                    paragraph,
                    source=article.source,
                    paragraph_count=article.paragraph_count,
                )
                for paragraph in paragraphs
            ],
            source=article.source,
            model=model,
        )
        for paragraph, signals in zip(paragraphs, scored, strict=True):
            yield (
                article.external_id,
                paragraph.position,
                paragraph.text,
                suggest(signals, thresholds),
                paragraph.repeated_in or 0,
            )


def _timed_import(files: Path, *, suggestions: bool) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of importing `files` into a fresh database."""
    with (
        tempfile.TemporaryDirectory(prefix="newsreview-bp-") as workdir,
        fresh_database(Path(workdir)),
        override_settings(NEWSREVIEW_BOILERPLATE_SUGGESTIONS=suggestions),
    ):
        started, cpu_started = time.perf_counter(), cpu_with_children()
        result = import_paths([files])
        seconds = time.perf_counter() - started
        cpu = cpu_with_children() - cpu_started
        if result.failed:
            raise BenchmarkError(f"boilerplate import: {result.errors[:3]}")
        return seconds, cpu


def _readability_articles(directory: Path) -> Path:
    """Each readability test page's expected.html as one article (its own source), in a .jsonl."""
    out = directory / "readability.jsonl"
    with open(out, "w", encoding="utf-8") as lines:
        for page in sorted(READABILITY_PAGES.glob("*/expected.html")):
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            paragraphs = [
                p.decode_contents()
                for p in soup.find_all("p")
                if p.get_text(strip=True)
            ]
            if paragraphs:
                name = page.parent.name
                record = {
                    "id": f"readability-{name}",
                    "source": f"{name}.readability.test",
                    "paragraphs": paragraphs,
                }
                lines.write(json.dumps(record) + "\n")
    return out


def run_boilerplate(
    *,
    articles: int,
    rounds: int = 2,
    log: Callable[[str], None] = lambda message: None,
) -> dict:
    """Recall and false positives of the boilerplate suggestions on a generated corpus whose
    boilerplate is known, import throughput with suggestions on and off (fresh database each
    time, `rounds` of each, alternating), and the suggestions on the real readability pages."""
    workdir = Path(tempfile.mkdtemp(prefix="newsreview-benchmark-bp-"))
    try:
        log(f"Generating {articles:,} articles …")
        corpus = generate_corpus(workdir / "corpus", articles=articles)
        truth_data = json.loads((workdir / "corpus" / "ground_truth.json").read_text())
        truth = {
            (external_id, position)
            for external_id, positions in truth_data["boilerplate"].items()
            for position in positions
        }
        timings: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
        for round_ in range(rounds):
            for on in (False, True):
                log(f"Import round {round_ + 1}, suggestions {'on' if on else 'off'} …")
                timings[on].append(_timed_import(corpus.files, suggestions=on))
        with fresh_database(workdir), override_settings(**BENCH_SETTINGS):
            log("Importing once more to score the suggestions …")
            import_paths([corpus.files])
            truth_repeated = found = suggested = wrong = found_all = 0
            wrong_samples: list[str] = []
            for external_id, position, text, suggestion, repeated_in in _suggested():
                key = (external_id, position)
                if key in truth:
                    found_all += suggestion is not None
                    if repeated_in >= 3:
                        truth_repeated += 1
                        found += suggestion is not None
                if suggestion is not None:
                    suggested += 1
                    if key not in truth:
                        wrong += 1
                        if len(wrong_samples) < 5:
                            wrong_samples.append(f"{text[:80]} ({suggestion.reason})")
            log("Real pages: readability test pages as articles …")
            result = import_paths([_readability_articles(workdir)])
            page_ids = list(
                Article.objects.filter(
                    external_id__startswith="readability-"
                ).values_list("pk", flat=True)
            )
            real = [
                (external_id, position, text, suggestion)
                for external_id, position, text, suggestion, _ in _suggested(page_ids)
            ]
            real_suggested = [row for row in real if row[3] is not None]
        off_cpu = statistics.median(cpu for _, cpu in timings[False])
        on_cpu = statistics.median(cpu for _, cpu in timings[True])
        off_wall = statistics.median(wall for wall, _ in timings[False])
        on_wall = statistics.median(wall for wall, _ in timings[True])
        return {
            "articles": corpus.articles,
            "paragraphs": corpus.paragraphs,
            "truth": len(truth),
            "truth_repeated_3": truth_repeated,
            "recall_repeated_3": found / truth_repeated if truth_repeated else None,
            "recall_all": found_all / len(truth) if truth else None,
            "suggested": suggested,
            "wrong": wrong,
            "false_positive_share": wrong / suggested if suggested else 0.0,
            "wrong_samples": wrong_samples,
            "import_off": {"wall": off_wall, "cpu": off_cpu, "runs": timings[False]},
            "import_on": {"wall": on_wall, "cpu": on_cpu, "runs": timings[True]},
            "paragraphs_per_s_off": corpus.paragraphs / off_wall,
            "paragraphs_per_s_on": corpus.paragraphs / on_wall,
            "cpu_slowdown": on_cpu / off_cpu - 1,
            "wall_slowdown": on_wall / off_wall - 1,
            "real_pages": len(page_ids),
            "real_paragraphs": result.paragraphs,
            "real_suggested": [
                {
                    "article": row[0],
                    "position": row[1],
                    "text": row[2][:160],
                    "reason": row[3].reason,
                }
                for row in real_suggested
            ],
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
