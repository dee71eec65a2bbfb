"""The benchmark: its generator is deterministic and truthful; a tiny run produces every row."""

import ast
import json
import os
import shutil
import subprocess
import sys

import pytest

from bench.corpus import SOURCES, generate_corpus
from tests.conftest import ROOT

ROWS = [
    "import",
    "reimport",
    "review page (30 ¶)",
    "label POST",
    "next article, whole queue",
    "next article, source filter",
    "queue first page",
    "queue status filter",
    "queue source filter",
    "queue text search",
    "queue search, common word",
    "articles CSV",
    "paragraphs CSV",
]


def test_generated_articles_are_seed_like_and_the_ground_truth_names_their_boilerplate(
    tmp_path,
):
    corpus = generate_corpus(tmp_path, articles=16)

    files = sorted((tmp_path / "files").glob("*/*.txt"))
    assert len(files) == corpus.articles == 16
    assert {f.parent.name for f in files} == {domain for domain, *_ in SOURCES}
    truth = json.loads((tmp_path / "ground_truth.json").read_text())["boilerplate"]
    assert set(truth) == {f.stem for f in files}
    total = 0
    for file in files:
        paragraphs = ast.literal_eval(file.read_text())
        total += len(paragraphs)
        assert 20 <= len(paragraphs) <= 35
        assert all(isinstance(p, str) for p in paragraphs)
        assert paragraphs[0].startswith('<b class="')
        footer = next(s[3] for s in SOURCES if s[0] == file.parent.name)
        assert paragraphs[-len(footer) :] == footer
        positions = truth[file.stem]
        assert positions[-len(footer) :] == list(
            range(len(paragraphs) - len(footer) + 1, len(paragraphs) + 1)
        )
        # A mid-article boilerplate line is a "Read more" link.
        assert all(
            paragraphs[p - 1].startswith("Read more: ")
            for p in positions[: -len(footer)]
        )
    assert corpus.paragraphs == total
    assert corpus.boilerplate == sum(len(p) for p in truth.values())
    text = "".join(f.read_text() for f in files)
    assert "<a href=" in text
    assert "“" in text
    assert any(c in text for c in "üéłç")


def test_the_generator_is_deterministic(tmp_path):
    one = generate_corpus(tmp_path / "one", articles=3)
    two = generate_corpus(tmp_path / "two", articles=3)

    def contents(directory):
        return {
            p.relative_to(directory): p.read_bytes()
            for p in sorted(directory.rglob("*"))
            if p.is_file()
        }

    assert contents(one.directory) == contents(two.directory)


def test_a_tiny_benchmark_run_prints_every_row_and_writes_json(tmp_path):
    result_file = tmp_path / "result.json"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    run = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "benchmark",
            "--articles=8",
            "--requests=3",
            "--export-runs=1",
            f"--json={result_file}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert run.returncode == 0, run.stderr
    table = run.stdout.splitlines()
    assert "Django" in table[0]
    assert "8 articles" in table[1]
    printed = [line.split(" | ")[0].strip() for line in table[4:]]
    assert printed == ROWS
    result = json.loads(result_file.read_text())
    assert [row["name"] for row in result["rows"]] == ROWS
    assert result["corpus"]["articles"] == 8
    rows = {row["name"]: row for row in result["rows"]}
    assert rows["import"]["seconds"] > 0
    assert rows["reimport"]["seconds"] > 0
    assert "labels kept" in rows["reimport"]["note"]
    for name in ROWS[2:11]:
        assert rows[name]["n"] == 3
        assert 0 < rows[name]["median_ms"] <= rows[name]["p95_ms"]
        assert rows[name]["queries"] >= 1
    for name in ROWS[11:]:
        assert rows[name]["seconds"] > 0
        assert rows[name]["mb"] >= 0
        assert rows[name]["queries"] >= 1


@pytest.mark.skipif(not shutil.which("chromium"), reason="needs Debian's chromium")
def test_the_browser_benchmark_times_the_review_page_in_chromium(tmp_path):
    result_file = tmp_path / "browser.json"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    run = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "benchmark",
            "--browser",
            "--runs=2",
            f"--json={result_file}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert run.returncode == 0, run.stderr
    assert "page ready (DCL, ¶1 focused)" in run.stdout
    assert "key press to label saved" in run.stdout
    result = json.loads(result_file.read_text())
    assert result["paragraphs"] == 83
    assert 0 < result["html_kb"] < 80
    for figure in ("ready", "keypress"):
        assert 0 < result[figure]["min_ms"] <= result[figure]["median_ms"]
        assert result[figure]["at_calibration_ms"] > 0
