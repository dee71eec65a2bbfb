"""The tables of docs/benchmarks.md from the benchmark's --json files.

    python bench/tables.py run1.json run2.json …

Runs of the same database and number of articles make one table: each figure is the median of
the runs, and its note is the note of the run that gave that median. The line above the table
names every run's load and calibration loop, so a reader can tell a slow minute from a fast one.
Standard library only: it needs no Django.
"""

import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

COLUMNS = ("median_ms", "p95_ms", "cpu_ms", "queries", "seconds", "mb")
DIGITS = {"median_ms": 1, "p95_ms": 1, "cpu_ms": 1, "queries": 0, "seconds": 2, "mb": 1}


def _number(value, digits: int) -> str:
    if value is None:
        return ""
    return f"{value:,.{digits}f}"


def _median_row(rows: list[dict]) -> dict:
    """The row of the run in the middle for this figure, with every column a median."""
    key = "seconds" if rows[0]["seconds"] is not None else "cpu_ms"
    middle = sorted(rows, key=lambda row: row[key])[(len(rows) - 1) // 2]
    merged = dict(middle)
    for column in COLUMNS:
        values = [row[column] for row in rows if row[column] is not None]
        merged[column] = statistics.median(values) if values else None
    met = [row["met"] for row in rows if row["met"] is not None]
    if not met:
        merged["verdict"] = ""
    elif all(met):
        merged["verdict"] = "ok"
    elif not any(met):
        merged["verdict"] = "**miss**"
    else:
        merged["verdict"] = f"ok in {sum(met)} of {len(met)}"
    return merged


def table(runs: list[dict]) -> str:
    first = runs[0]
    corpus = first["corpus"]
    conditions = "; ".join(
        f"load {run['environment']['load'].split()[0]},"
        f" calibration {run['environment']['calibration_ms']} ms"
        for run in runs
    )
    count = "one run" if len(runs) == 1 else f"median of {len(runs)} runs"
    lines = [
        f"{first['environment']['database']} · {corpus['articles']:,} articles,"
        f" {corpus['paragraphs']:,} paragraphs ({corpus['boilerplate']:,} boilerplate),"
        f" {corpus['mb']:.0f} MB of files · {count} ({conditions})",
        "",
        "| what | n | median ms | p95 ms | CPU ms | queries | s | MB | target | | note |",
        "|---|--:|--:|--:|--:|--:|--:|--:|---|---|---|",
    ]
    for index in range(len(first["rows"])):
        merged = _median_row([run["rows"][index] for run in runs])
        cells = [merged["name"], str(merged["n"])]
        cells += [_number(merged[column], DIGITS[column]) for column in COLUMNS]
        cells += [merged["target"], merged["verdict"], merged["note"]]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(paths: list[str]) -> None:
    groups = defaultdict(list)
    for path in paths:
        run = json.loads(Path(path).read_text(encoding="utf-8"))
        groups[(run["environment"]["vendor"], run["corpus"]["articles"])].append(run)
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    for vendor, articles in sorted(
        groups, key=lambda key: (key[1], key[0] != "sqlite")
    ):
        name = names.get(vendor, vendor)
        sys.stdout.write(
            f"#### {name}, {articles:,} articles\n\n{table(groups[vendor, articles])}\n\n"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
