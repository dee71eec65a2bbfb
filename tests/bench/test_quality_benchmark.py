"""`manage.py benchmark --quality`: a tiny run writes the data and times every row it names."""

import json
import os
import subprocess
import sys

from tests.conftest import ROOT


def test_a_tiny_quality_benchmark_measures_agreement_and_sign_off(tmp_path):
    result_file = tmp_path / "quality.json"
    run = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "benchmark",
            "--quality",
            "--articles=200",
            "--requests=5",
            f"--json={result_file}",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(result_file.read_text())
    assert result["corpus"]["articles"] == 200
    assert result["corpus"]["double_reviewed"] == 20
    assert result["corpus"]["opinions"] == 20 * 30
    rows = {row["name"]: row for row in result["rows"]}
    assert set(rows) == {
        "agreement page",
        "agreement CSV",
        "agreement from every opinion",
        "sign-off POST",
        "review page, double-reviewed (30 ¶)",
        "queue first page (a second reviewer)",
    }
    assert rows["agreement page"]["target"] == "≤ 100 ms"
    assert rows["sign-off POST"]["target"] == "≤ 5 ms"
    assert all(row["median_ms"] > 0 for row in rows.values())
    assert "20 double-reviewed (600 second opinions" in run.stdout
