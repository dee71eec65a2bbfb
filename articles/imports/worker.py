"""Cleaning files for the writer: in this process, or ahead of it in a second, forked process.

Both yield (file name, its cleaned articles and reasons for refusal) in file order. The worker
process runs only _clean_files(), a module-level function so that it is sent by name.
"""

import contextlib
import gc
import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context

from articles.imports.reading import refusal_reason, whole_file
from articles.imports.records import (
    Prepared,
    file_outcomes,
    folder_source_of,
    parsed_outcomes,
)
from articles.imports.sources import Failed, Item

# Files read and cleaned in this process before a worker process takes over: small imports
# (most uploads, most tests) never pay for starting one.
WORKER_AFTER_FILES = 20
# Files and bytes handed to the worker and not yet written: enough to keep it busy while this
# process writes a batch (BATCH_SIZE articles, ~140 ms), few enough that memory stays flat
# however many files a run has. Files go over in chunks: one file a task kept the worker
# waiting, as the executor's thread that feeds it needs the GIL, which the writing holds.
# Measured, 1,000 articles: 64 files ahead, one a task: 1.26 s (1.2 s with no worker at all);
# 256 ahead, 16 a task: 0.96 s. 10,000 articles: 11.2 s (14.9 s with no worker).
WORKER_AHEAD_FILES = 256
WORKER_AHEAD_BYTES = 32 * 1024 * 1024
WORKER_CHUNK = 16

Outcomes = Iterable[Prepared | str]


@contextlib.contextmanager
def heap_frozen() -> Iterator[None]:
    """Python's cyclic garbage collector leaves the objects that exist now alone for the block
    (gc.freeze; collected again after it, gc.unfreeze), here and in the worker forked in it.

    An import allocates millions of short-lived objects, and every so often that makes the
    collector walk the whole heap — Django's models, URLs, templates, the migrations' state —
    though none of it became garbage. Measured, 1,000 benchmark files: two full collections of
    70-220 ms each in the writing process's ~0.75 s of CPU; frozen, 13-125 ms of collections in
    all (docs/benchmarks.md, "Import speed after the merge"). A forked worker
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


def prepared_here(
    items: Iterable[Item | Failed], *, source: str
) -> Iterator[tuple[str, Outcomes]]:
    """(file name, its cleaned articles and reasons for refusal), cleaned as they are read."""
    for item in items:
        yield item.name, file_outcomes(item, source=source)


def prepared_in_worker(
    items: Iterable[Item | Failed],
    *,
    source: str,
    idle: Callable[[int | None], None] = lambda to_come: None,
) -> Iterator[tuple[str, Outcomes]]:
    """What prepared_here() yields, in the same order, with the cleaning done by a second
    process while this one writes (the import is CPU-bound and the two halves cost about the
    same). Files are still read here, so limits and zip budgets are checked as they are read;
    only .txt and .json bytes travel. A .jsonl file is streamed here once everything before it
    is settled. If the worker dies, what it had not cleaned is cleaned here. `idle(to_come)` is
    called before waiting for the worker's answer, so that the writer can use the time;
    `to_come` is None until every file has been read, then the number of files still to yield.
    """
    items = iter(items)
    for item in itertools.islice(items, WORKER_AFTER_FILES):
        yield item.name, file_outcomes(item, source=source)
    # fork: the worker starts in milliseconds with this process's modules and settings (the
    # limits), and only ever runs _clean_file(). Web requests never come here (an upload is
    # imported by a job worker, articles.jobs; an API post cleans its records in the request).
    try:
        pool = ProcessPoolExecutor(1, mp_context=get_context("fork"))
    except OSError:  # e.g. no shared memory for its queues in a container: clean here
        yield from prepared_here(items, source=source)
        return
    with pool:
        ahead: deque[_Ahead] = deque()  # read, not yet yielded, in file order
        unsent: list[_Ahead] = []  # of those, the ones not handed to the worker yet
        ahead_bytes, broken, read_all = 0, False, False

        def hand_over(*, every: bool = False) -> None:
            """Give the worker chunks of WORKER_CHUNK files not handed over yet (with `every`,
            the last smaller chunk too)."""
            nonlocal broken, unsent
            while unsent and not broken and (every or len(unsent) >= WORKER_CHUNK):
                chunk, unsent = unsent[:WORKER_CHUNK], unsent[WORKER_CHUNK:]
                try:
                    job = pool.submit(
                        _clean_files, [(e.name, e.data, e.args) for e in chunk]
                    )
                except (BrokenProcessPool, OSError):  # OSError: fork failed
                    broken = True
                    return
                for place, entry in enumerate(chunk):
                    entry.job = (job, place)

        def settle_oldest() -> tuple[str, Outcomes]:
            nonlocal ahead_bytes, broken
            entry = ahead.popleft()
            if entry.job is None and not broken:
                hand_over(every=True)
            ahead_bytes -= len(entry.data)
            if isinstance(entry.job, tuple):
                answer, place = entry.job
                if not answer.done():
                    idle(len(ahead) + 1 if read_all else None)
                try:
                    return entry.name, answer.result()[place]
                except (
                    Exception
                ) as error:  # the worker died, or its answer did not arrive
                    broken = broken or isinstance(error, BrokenProcessPool)
            elif entry.job is not None:
                return entry.name, entry.job
            if broken:  # cleaned here from now on
                unsent.clear()
            return entry.name, _clean_file(entry.name, entry.data, *entry.args)

        for item in items:
            if isinstance(item, Failed) or item.suffix == ".jsonl":
                while ahead:
                    yield settle_oldest()
                yield item.name, file_outcomes(item, source=source)
                continue
            try:
                data = whole_file(item)
            except Exception as error:
                ahead.append(
                    _Ahead(item.name, b"", (), [refusal_reason(item.name, error)])
                )
                continue
            entry = _Ahead(
                item.name,
                data,
                (item.suffix, item.stem, source, folder_source_of(item)),
            )
            ahead.append(entry)
            unsent.append(entry)
            ahead_bytes += len(data)
            hand_over()
            while len(ahead) > WORKER_AHEAD_FILES or ahead_bytes > WORKER_AHEAD_BYTES:
                yield settle_oldest()
        read_all = True
        while ahead:
            yield settle_oldest()


@dataclass(slots=True)
class _Ahead:
    """A file read for the worker: its bytes, _clean_file()'s arguments, and its job: (the
    worker's answer for a chunk, this file's place in it), the outcomes (a list), or None: not
    handed over yet."""

    name: str
    data: bytes
    args: tuple
    job: tuple[Future, int] | list | None = None


def _clean_files(files: list[tuple[str, bytes, tuple]]) -> list[list[Prepared | str]]:
    """_clean_file() for a chunk of files; runs in the worker process."""
    return [_clean_file(name, data, *args) for name, data, args in files]


def _clean_file(
    name: str, data: bytes, suffix: str, stem: str, source: str, folder_source: str
) -> list[Prepared | str]:
    """The outcomes of one .txt or .json file's bytes; runs in the worker process."""
    outcomes: list[Prepared | str] = []
    try:
        for outcome in parsed_outcomes(
            data, suffix=suffix, stem=stem, source=source, folder_source=folder_source
        ):
            outcomes.append(outcome)
    except Exception as error:
        outcomes.append(refusal_reason(name, error))
    return outcomes
