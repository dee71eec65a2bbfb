"""`manage.py benchmark --boilerplate`: a tiny run scores the suggestions against the ground truth."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def benchmark_run(tmp_path_factory):
    """One tiny run for the module: (exit code, stdout, stderr, the JSON result or None)."""
    result_file = tmp_path_factory.mktemp("benchmark") / "boilerplate.json"
    run = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "benchmark",
            "--boilerplate",
            "--articles=30",
            f"--json={result_file}",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    result = json.loads(result_file.read_text()) if result_file.exists() else None
    return run, result


def test_a_tiny_boilerplate_benchmark_scores_recall_and_false_positives(
    benchmark_run,
):
    run, result = benchmark_run
    assert run.returncode == 0, run.stderr
    # 30 articles over 9 sites: every footer line is in 3 or more articles of its site.
    assert result["articles"] == 30
    assert result["truth_repeated_3"] > 0
    assert result["recall_repeated_3"] == 1.0
    assert result["false_positive_share"] == 0.0
    assert result["suggested"] >= result["truth_repeated_3"]
    assert len(result["import_off"]["runs"]) == len(result["import_on"]["runs"]) == 2
    assert "recall, lines repeated in ≥ 3 articles: 100.00%" in run.stdout


def test_the_benchmark_reads_the_real_readability_pages(benchmark_run, corpus):
    # The benchmark reads them from ../shared/corpus itself (articles/benchmark.py).
    run, result = benchmark_run
    assert run.returncode == 0, run.stderr
    assert result["real_pages"] == 50
    reasons = [row["reason"] for row in result["real_suggested"]]
    assert reasons
    assert not any(
        reason.startswith("appears in") for reason in reasons
    )  # nothing repeats
    assert "Real pages: 50 readability test pages" in run.stdout
