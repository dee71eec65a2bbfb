"""The re-import row (issue 14): the corpus scraped again, every file restyled (new class names,
other spacing: the cleaned content is the same) and one article in ten changed (a figure
edited, a paragraph inserted, one deleted), imported over the labeled first import."""

import ast
import random
import re
import time
import uuid

from django.utils import timezone

from articles.imports.importers import import_paths
from articles.models import ImportRun, LabelEvent, Paragraph
from articles.models.labeling import relabel_rows
from bench.corpus import Corpus
from bench.machine import at_calibration, cpu_with_children
from bench.measure import BenchmarkError
from bench.report import TARGETS, Report, Row

CHANGED_SHARE = 0.1
LABELED_PER_ARTICLE = 8
_CLASS = re.compile(r'class="([^"]*)"')
_FIGURE = re.compile(r"\d+")


def _label_first_paragraphs(user) -> int:
    """The first LABELED_PER_ARTICLE paragraphs of every article labeled verified, through the
    shared bulk label write (events, counts, status): what a re-import must carry over."""
    rows = list(
        Paragraph.objects.filter(position__lte=LABELED_PER_ARTICLE).values_list(
            "pk", "article_id", "label"
        )
    )
    relabel_rows(
        rows=rows,
        label="verified",
        user=user,
        method=LabelEvent.Method.BULK,
        batch=uuid.uuid4(),
        now=timezone.now(),
    )
    return len(rows)


def _rescrape(corpus: Corpus, rng: random.Random) -> tuple[int, int]:
    """Write the scraped-again files beside the corpus; (files changed, paragraphs in all)."""
    target = corpus.directory / "rescrape"
    changed = paragraphs = 0
    for path in sorted(corpus.files.rglob("*.txt")):
        texts = ast.literal_eval(path.read_text(encoding="utf-8"))
        texts = [
            _CLASS.sub(lambda m: f'class="{m[1][::-1]} v2"', text).replace(" ", "  ")
            for text in texts
        ]
        if rng.random() < CHANGED_SHARE:
            changed += 1
            at = rng.randrange(1, len(texts) - 3)
            texts[at] = _FIGURE.sub(lambda m: str(int(m[0]) + 1), texts[at], count=1)
            if texts[at] == texts[at - 1]:  # no figure: another word instead
                texts[at] += " (updated)"
            del texts[rng.randrange(at + 1, len(texts) - 1)]
            texts.insert(rng.randrange(1, len(texts)), "A paragraph the editors added.")
        paragraphs += len(texts)
        out = target / path.relative_to(corpus.files)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(repr(texts), encoding="utf-8")
    return changed, paragraphs


def measure_reimport(corpus: Corpus, report: Report, *, user) -> None:
    """Label, scrape again, re-import with the real importer; append the re-import row."""
    labeled = _label_first_paragraphs(user)
    changed, paragraphs = _rescrape(corpus, random.Random(14))  # noqa: S311
    started, cpu_started = time.perf_counter(), cpu_with_children()
    result = import_paths(
        [corpus.directory / "rescrape"], origin=ImportRun.Origin.COMMAND
    )
    seconds = time.perf_counter() - started
    cpu = cpu_with_children() - cpu_started
    if (result.revised, result.unchanged, result.failed) != (
        changed,
        corpus.articles - changed,
        0,
    ):
        raise BenchmarkError(
            f"re-import: {result.revised} revised (expected {changed}), "
            f"{result.unchanged} unchanged, {result.failed} failed: {result.errors[:3]}"
        )
    kept = Paragraph.objects.filter(label="verified").count()
    rate = paragraphs / seconds
    report.rows.append(
        Row(
            "reimport",
            TARGETS["reimport"],
            n=corpus.articles,
            seconds=seconds,
            cpu_ms=cpu * 1000,
            note=(
                f"{rate:,.0f} ¶/s; {changed} revised, {result.unchanged} unchanged; "
                f"{kept:,} of {labeled:,} labels kept"
            ),
            met=rate / at_calibration(1.0) >= 10_000,
        )
    )
