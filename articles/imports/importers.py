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

The steps, one module each, in the order an import runs them: sources.py (paths, folders, zips
and uploads to items), reading.py (limits, decoding, parsing, refusal reasons), records.py (a
record to a cleaned article), worker.py (that cleaning, here or in a second process) and
writer.py (batches into the database, the run's counts).
"""

import contextlib
import itertools
import os
from collections.abc import Callable, Iterable
from multiprocessing import get_all_start_methods
from pathlib import Path

from django.db import DatabaseError

from articles.imports import runs
from articles.imports.records import Prepared, normalize_source, record_outcomes
from articles.imports.sources import (
    count_files,
    items_from_path,
    items_from_saved_upload,
)
from articles.imports.worker import (
    WORKER_AFTER_FILES,
    heap_frozen,
    prepared_here,
    prepared_in_worker,
)
from articles.imports.writer import (
    MAX_LISTED_FILES,
    BatchWriter,
    FileResult,
    ImportResult,
)
from articles.models import ImportRun
from articles.search.index import settle_index

__all__ = [
    "MAX_LISTED_FILES",
    "WORKER_AFTER_FILES",
    "FileResult",
    "ImportResult",
    "Progress",
    "import_paths",
    "import_records",
    "import_saved_uploads",
]

Progress = Callable[[int, int], None]


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


def import_saved_uploads(paths: list[Path], *, run: ImportRun) -> ImportResult | None:
    """Import an upload saved for a background job (articles.jobs) into its queued `run`,
    files named as they were uploaded; None if another worker took the run already."""
    if not runs.claim(run, files_total=sum(count_files(path) for path in paths)):
        return None
    items = itertools.chain.from_iterable(items_from_saved_upload(p) for p in paths)
    return _import(
        items,
        source=run.source,
        user=run.started_by,
        origin=run.origin,
        run=run,
        parallel=(os.cpu_count() or 1) > 1 and "fork" in get_all_start_methods(),
    )


def import_records(
    records: list, *, source: str = "", user=None, run: ImportRun | None = None
) -> tuple[ImportResult, list[str]] | None:
    """Import article objects handed over as data (the HTTP API): cleaned and written like the
    records of a .json file, each record its own "file" named "item N", so that the result
    lists what became of every record (created, unchanged, or failed and why). Also the
    external id of each record ("" for one refused before it had one), in order.

    With `run`, a queued run (a large post, imported by a job) is claimed and written; None if
    another worker took it already."""
    if run is not None and not runs.claim(run, files_total=len(records)):
        return None
    source = normalize_source(source)
    ids: list[str] = []

    def files():
        for n, outcome in enumerate(record_outcomes(records, source=source), start=1):
            ids.append(outcome.external_id if isinstance(outcome, Prepared) else "")
            yield f"item {n}", [outcome]

    result = _import(
        None,
        source=source,
        user=user,
        origin=ImportRun.Origin.API,
        files=files(),
        run=run,
    )
    return result, ids


def _import(
    items,
    *,
    source,
    user,
    origin,
    progress=None,
    total=0,
    parallel=False,
    run: ImportRun | None = None,
    files=None,
) -> ImportResult:
    run = run or runs.start(user=user, origin=origin)
    writer = BatchWriter(ImportResult(run=run))
    # The command and a job's upload run with the heap frozen (worker.heap_frozen); an API
    # post, in a web process whose other threads allocate too, does not.
    with heap_frozen() if parallel else contextlib.nullcontext():
        try:
            if files is None and parallel:
                files = prepared_in_worker(
                    items,
                    source=normalize_source(source),
                    idle=writer.write_while_waiting,
                )
            elif files is None:
                files = prepared_here(items, source=normalize_source(source))
            for done, (name, outcomes) in enumerate(files, start=1):
                writer.add(name, outcomes)
                if progress:
                    progress(done, max(total, done))
            writer.flush()
            if writer.result.created:
                settle_index()
            return writer.finish()
        except BaseException as error:
            # Ctrl-C, a database that went away, a worker's graceful timeout: the run says so
            # at once. (A process killed outright cannot; runs.settle_interrupted() finds those.)
            # DatabaseError: if the database is what went away.
            with contextlib.suppress(DatabaseError):
                runs.interrupted(
                    run, reason=_stopped_because(error), counts=writer.counts()
                )
            raise


def _stopped_because(error: BaseException) -> str:
    if isinstance(error, KeyboardInterrupt):
        why = "it was stopped by hand (Ctrl-C)"
    elif isinstance(error, SystemExit):
        why = "its process was told to stop"
    else:
        why = f"of an unexpected error ({type(error).__name__})"
    return (
        f"The import stopped before it finished because {why}. The articles written before "
        "that are kept; import the same files again to finish — what is already in is "
        "reported unchanged."
    )
