"""How fast the learned boilerplate model retrains (`benchmark --learned --labels N`).

Split from bench/learned.py (the accuracy measure and the scoring speed) to keep modules short.
"""

import json
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from articles.boilerplate import training
from bench.corpus import generate_corpus
from bench.machine import REFERENCE_CALIBRATION_MS, at_calibration


def calibration_used() -> float:
    """The calibration loop's time that at_calibration() scales by (measured once a run)."""
    return round(REFERENCE_CALIBRATION_MS / at_calibration(1.0), 1)


def _recount(article_model, paragraph_model) -> None:
    """Every article's label counts and status from its paragraphs (the bench's bulk labels
    bypass the label services that keep them)."""
    from django.db.models import Count

    from articles.models import COUNT_FIELD, Label, derive_status

    counts: dict[int, dict[str, int]] = {}
    for article_id, label, n in (
        paragraph_model.objects.exclude(label="")
        .order_by()
        .values_list("article_id", "label")
        .annotate(n=Count("pk"))
    ):
        counts.setdefault(article_id, {})[label] = n
    articles = list(article_model.objects.only("pk", "paragraph_count"))
    for article in articles:
        mine = counts.get(article.pk, {})
        for label in Label.values:
            setattr(article, COUNT_FIELD[Label(label)], mine.get(label, 0))
        article.status = derive_status(
            labeled=sum(mine.values()), total=article.paragraph_count
        )
    article_model.objects.bulk_update(
        articles, [*COUNT_FIELD.values(), "status"], batch_size=500
    )


def training_speed(*, labels: int, log: Callable[[str], None]) -> dict:
    """Seconds to retrain on `labels` labeled paragraphs, as train_boilerplate does (read
    them from the database with their articles and repetition, features, one model across
    sources and one per source, cross-validation), and to re-score the unlabeled ones.

    A generated corpus of about `labels` paragraphs is imported into a fresh database and
    every paragraph labeled from the ground truth with plain UPDATEs (the app's label services
    would take long for 100,000 labels and are not what is timed)."""
    from django.db import transaction

    from articles.boilerplate.model import starting_model
    from articles.boilerplate.rescoring import rescore_unlabeled
    from articles.models import Article, Label, Paragraph
    from bench.database import fresh_database

    # The generator writes 27.7 paragraphs an article, and one article in ten stays unlabeled.
    articles = max(10, round(labels / 27.7 / 0.9))
    workdir = Path(tempfile.mkdtemp(prefix="newsreview-learned-train-"))
    try:
        log(f"Training speed: generating {articles:,} articles …")
        corpus = generate_corpus(workdir / "corpus", articles=articles)
        truth = json.loads((workdir / "corpus" / "ground_truth.json").read_text())
        with fresh_database(workdir):
            from articles.imports.importers import import_paths

            import_paths([corpus.files])
            log("Labeling every paragraph from the ground truth …")
            pks = dict(Article.objects.values_list("external_id", "pk"))
            with transaction.atomic():
                for external_id, positions in truth["boilerplate"].items():
                    Paragraph.objects.filter(
                        article_id=pks[external_id], position__in=positions
                    ).update(label=Label.BOILERPLATE)
            Paragraph.objects.filter(label="").update(label=Label.VERIFIED)
            # Unlabel one article in ten, for the re-scoring pass.
            ids = list(Article.objects.values_list("pk", flat=True)[::10])
            Paragraph.objects.filter(article_id__in=ids).update(label="")
            _recount(Article, Paragraph)  # training picks the articles by their counts
            labeled = Paragraph.objects.exclude(label="").count()
            log(f"Training on {labeled:,} labels …")
            cpu, wall = time.process_time(), time.perf_counter()
            row = training.train_from_labels(trigger="command")
            train_cpu = time.process_time() - cpu
            train_wall = time.perf_counter() - wall
            cpu, wall = time.process_time(), time.perf_counter()
            rescored = rescore_unlabeled(starting_model(), starting_model())
            rescore_cpu = time.process_time() - cpu
            rescore_wall = time.perf_counter() - wall
        return {
            "labels": row.examples,
            "boilerplate": row.boilerplate,
            "sources": row.sources,
            "train_wall_s": round(train_wall, 2),
            "train_cpu_s": round(train_cpu, 2),
            "train_cpu_s_at_8ms": round(at_calibration(train_cpu * 1000) / 1000, 2),
            "rescored_paragraphs": rescored.paragraphs,
            "rescore_wall_s": round(rescore_wall, 2),
            "rescore_cpu_s_at_8ms": round(at_calibration(rescore_cpu * 1000) / 1000, 2),
            "precision": row.precision,
            "calibration_ms": calibration_used(),
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
