"""Importing scraped articles from files, directories, zips and uploads.

Formats (DESIGN.md): `.txt` holding a Python list literal of paragraph HTML strings (the seed's
format), `.json` (a list of strings, one article object, or a list of article objects),
`.jsonl` (one article object per line), and directories or `.zip` archives of those.

Rules a user can rely on:
- An article's external id is the record's `id`, else the file's stem. Its source is the
  `source` argument, else the record's `source`, else the domain of its `url`, else the nearest
  folder (or zip folder) named like a domain, such as `sample_data/bbc.co.uk/`.
- Importing is idempotent: the same article again is "unchanged"; the same id with different
  content is a conflict that leaves the stored article as it was.
- Each article is written in its own transaction; a bad file is refused with one line naming it
  and the reason, and the rest of the batch goes on. Every run is recorded as an ImportRun.
- Hostile input is refused before it can cost much: sizes, zip members, nesting depth and
  paragraph counts are checked against the NEWSREVIEW_MAX_* settings.
"""

import itertools
import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

from articles.imports.reading import refusal_reason, whole_file
from articles.imports.records import (
    Prepared,
    file_outcomes,
    folder_source_of,
    normalize_source,
    parsed_outcomes,
)
from articles.imports.sources import (
    Failed,
    count_files,
    items_from_path,
    items_from_upload,
)
from articles.imports.writer import (
    MAX_LISTED_FILES,
    BatchWriter,
    FileResult,
    ImportResult,
)
from articles.models import ImportRun
from articles.search.index import settle_index

logger = logging.getLogger(__name__)

__all__ = [
    "MAX_LISTED_FILES",
    "WORKER_AFTER_FILES",
    "FileResult",
    "ImportResult",
    "Progress",
    "import_paths",
    "import_uploads",
]

Progress = Callable[[int, int], None]


# --- Public API ------------------------------------------------------------------------------


def import_paths(
    paths: Iterable[str | os.PathLike],
    *,
    source: str = "",
    user=None,
    origin: str = ImportRun.Origin.COMMAND,
    progress: Progress | None = None,
) -> ImportResult:
    """Import files, directories (recursively, sorted, hidden files skipped) and zip archives.

    `progress(done, total)` is called after each file when given. Past the first files, a
    second process cleans the files while this one writes, where the machine has two cores.
    """
    paths = [Path(path) for path in paths]
    total = sum(count_files(path) for path in paths) if progress else 0
    items = itertools.chain.from_iterable(items_from_path(path) for path in paths)
    return _import(
        items,
        source=source,
        user=user,
        origin=origin,
        progress=progress,
        total=total,
        parallel=(os.cpu_count() or 1) > 1 and "fork" in get_all_start_methods(),
    )


def import_uploads(files, *, source: str = "", user=None) -> ImportResult:
    """Import uploaded files (Django UploadedFile objects); a `.zip` is read member by member."""
    items = itertools.chain.from_iterable(items_from_upload(upload) for upload in files)
    return _import(items, source=source, user=user, origin=ImportRun.Origin.UPLOAD)


def _import(
    items, *, source, user, origin, progress=None, total=0, parallel=False
) -> ImportResult:
    run = ImportRun.objects.create(started_by=user, origin=origin)
    writer = BatchWriter(ImportResult(run=run))
    files = (_prepared_in_worker if parallel else _prepared_here)(
        items, source=normalize_source(source)
    )
    for done, (name, outcomes) in enumerate(files, start=1):
        writer.add(name, outcomes)
        if progress:
            progress(done, max(total, done))
    writer.flush()
    if writer.result.created:
        settle_index()
    return writer.finish()


# --- Preparing files, here or in a worker process ---------------------------------------------

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


def _prepared_here(items, *, source: str) -> Iterator[tuple[str, Outcomes]]:
    """(file name, its cleaned articles and reasons for refusal), cleaned as they are read."""
    for item in items:
        yield item.name, file_outcomes(item, source=source)


def _prepared_in_worker(items, *, source: str) -> Iterator[tuple[str, Outcomes]]:
    """What _prepared_here() yields, in the same order, with the cleaning done by a second
    process while this one writes (the import is CPU-bound and the two halves cost about the
    same). Files are still read here, so limits and zip budgets are checked as they are read;
    only .txt and .json bytes travel. A .jsonl file is streamed here once everything before it
    is settled. If the worker dies, what it had not cleaned is cleaned here.
    """
    items = iter(items)
    for item in itertools.islice(items, WORKER_AFTER_FILES):
        yield item.name, file_outcomes(item, source=source)
    # fork: the worker starts in milliseconds with this process's modules and settings (the
    # limits), and only ever runs _clean_file(). Not for web workers: import_uploads() does
    # not come here.
    try:
        pool = ProcessPoolExecutor(1, mp_context=get_context("fork"))
    except OSError:  # e.g. no shared memory for its queues in a container: clean here
        yield from _prepared_here(items, source=source)
        return
    with pool:
        ahead: deque[_Ahead] = deque()  # read, not yet yielded, in file order
        unsent: list[_Ahead] = []  # of those, the ones not handed to the worker yet
        ahead_bytes, broken = 0, False

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
