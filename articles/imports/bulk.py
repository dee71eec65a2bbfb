"""What a bulk import (the command, a job's upload) changes in its own process while it runs, and
puts back after: nothing a user sees, only the time it takes (docs/benchmarks.md, "Import speed
after the merge"). An API post, in a web process whose other threads share both, changes neither.
"""

import contextlib
import gc
from collections.abc import Iterator

from django.db import connection

# SQLite's page cache for the import's connection, in KiB (its default is 2 MiB): the indexes'
# pages the next batch writes to stay in memory instead of being read back through the WAL.
# Measured, 1,000 benchmark files: the writing's CPU 0.52 -> 0.45 s at 64 MiB, 0.47 s at 16.
IMPORT_CACHE_KIB = 32 * 1024


@contextlib.contextmanager
def bulk_import() -> Iterator[None]:
    with heap_frozen(), roomy_cache():
        yield


@contextlib.contextmanager
def heap_frozen() -> Iterator[None]:
    """Python's cyclic garbage collector leaves the objects that exist now alone for the block
    (gc.freeze; collected again after it, gc.unfreeze), here and in the worker forked in it.

    An import allocates millions of short-lived objects, and every so often that makes the
    collector walk the whole heap — Django's models, URLs, templates, the migrations' state —
    though none of it became garbage. Measured, 1,000 benchmark files: two full collections,
    140-280 ms of the writing process's 0.7 s of CPU; frozen, 20-30 ms in all. A forked worker
    then does not copy the pages of a heap it never walks (Python's gc docs: freeze before
    fork). Left as it is if something froze the heap already (a server that preloads the app).
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextlib.contextmanager
def roomy_cache() -> Iterator[None]:
    """SQLite's page cache of this connection at IMPORT_CACHE_KIB for the block, then as it was
    (memory stays flat: the cache fills once and is reused). Other databases: nothing."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with contextlib.suppress(Exception), connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")
