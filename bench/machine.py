"""The machine and the process: calibration loop, environment, memory and CPU readings."""

import functools
import os
import platform
import resource
import statistics
import time
from pathlib import Path

import django
from django.db import connection

REFERENCE_CALIBRATION_MS = 8.0


def at_calibration(cpu_ms: float) -> float:
    """`cpu_ms` as it would be on a minute when the calibration loop takes 8 ms (the targets'
    reference): this machine's speed moves up to 3.7x from hour to hour."""
    return cpu_ms * REFERENCE_CALIBRATION_MS / _calibration()


@functools.cache
def _calibration() -> float:
    return calibration_ms()


def calibration_ms() -> float:
    """Median time of a fixed pure-Python loop: how fast this machine is right now.

    On a shared machine the other figures move with this one; divide by it to compare runs.
    """
    timings = []
    for _ in range(7):
        started = time.perf_counter()
        sum(i * i for i in range(200_000))
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 1)


def environment() -> dict:
    if connection.vendor == "sqlite":
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"{connection.display_name} {cursor.fetchone()[0]}"
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "python": f"Python {platform.python_version()}",
        "django": django.get_version(),
        "database": database,
        "vendor": connection.vendor,
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "calibration_ms": calibration_ms(),
        "platform": platform.platform(),
    }


def rss_mb() -> float:
    """The process's resident memory now (Linux /proc; ru_maxrss is only the peak)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_with_children() -> float:
    """CPU seconds of this process and of its ended children: the importer cleans files in a
    second process (articles.imports.worker), whose work must count in the import's CPU time."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime
