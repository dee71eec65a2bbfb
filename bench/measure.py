"""How a request is timed: warm-up, n timed calls (wall and CPU), then one call's queries."""

import statistics
import time
from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.machine import at_calibration
from bench.report import Row


class BenchmarkError(Exception):
    """A measured request did not succeed, so its timing would be meaningless."""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def check(response, what: str, status: int = 200) -> None:
    if response.status_code != status:
        body = b"" if response.streaming else response.content[:300]
        raise BenchmarkError(f"{what}: HTTP {response.status_code} {body!r}")


def measure(
    name: str,
    target: str,
    request: Callable[[int], object],
    *,
    n: int,
    warmup: int = 3,
    limit_ms: float | None = None,
    status: int = 200,
) -> Row:
    """Time `request(i)` n times (after a warm-up), then count one call's queries."""
    for i in range(warmup):
        check(request(i), name, status)
    timings, cpu = [], []
    for i in range(warmup, warmup + n):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = request(i)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        check(response, name, status)
    with CaptureQueriesContext(connection) as queries:
        check(request(warmup + n), name, status)
    median = statistics.median(timings)
    return Row(
        name,
        target,
        n=n,
        median_ms=median,
        p95_ms=percentile(timings, 0.95),
        cpu_ms=statistics.median(cpu),
        queries=len(queries),
        met=None
        if limit_ms is None
        else at_calibration(statistics.median(cpu)) <= limit_ms,
    )
