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
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from articles.boilerplate.repetition import count_repetition
from articles.imports.reading import (
    refusal_reason,
    whole_file,
)
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
from articles.models import Article, ImportRun, Paragraph
from articles.search.index import bulk_index, settle_index

logger = logging.getLogger(__name__)

BATCH_SIZE = 200  # records whose existing ids are looked up in one query
MAX_LISTED_FILES = (
    1000  # files kept in ImportResult.files besides every file with a failure
)

Progress = Callable[[int, int], None]


@dataclass
class FileResult:
    name: str
    created: int = 0
    unchanged: int = 0
    failed: int = 0
    reasons: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    run: ImportRun
    created: int = 0
    unchanged: int = 0
    failed: int = 0
    paragraphs: int = 0
    empty_paragraphs_dropped: int = 0
    files_seen: int = 0
    files: list[FileResult] = field(default_factory=list)
    files_not_listed: int = 0

    @property
    def errors(self) -> list[dict[str, str]]:
        return self.run.errors


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


# --- The run ---------------------------------------------------------------------------------


def _import(
    items, *, source, user, origin, progress=None, total=0, parallel=False
) -> ImportResult:
    run = ImportRun.objects.create(started_by=user, origin=origin)
    importer = _Importer(ImportResult(run=run), source=normalize_source(source))
    files = (_prepared_in_worker if parallel else _prepared_here)(
        items, source=importer.source
    )
    for done, (name, outcomes) in enumerate(files, start=1):
        importer.add(name, outcomes)
        if progress:
            progress(done, max(total, done))
    importer.flush()
    if importer.result.created:
        settle_index()
    return importer.finish()


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


class _Importer:
    def __init__(self, result: ImportResult, *, source: str) -> None:
        self.result = result
        self.source = source
        self.batch: list[tuple[FileResult, Prepared | str]] = []

    def add(self, name: str, outcomes: Iterable[Prepared | str]) -> None:
        """Count one file and queue its cleaned articles and reasons for refusal."""
        self.result.files_seen += 1
        file_result = FileResult(name)
        for outcome in outcomes:
            self.batch.append((file_result, outcome))
            if len(self.batch) >= BATCH_SIZE:
                self.flush()
        self.result.files.append(file_result)

    def flush(self) -> None:
        batch, self.batch = self.batch, []
        ids = {o.external_id for _, o in batch if isinstance(o, Prepared)}
        known = dict(
            Article.objects.filter(external_id__in=ids).values_list(
                "external_id", "content_hash"
            )
        )
        new: dict[str, tuple[FileResult, Prepared]] = {}
        for file_result, outcome in batch:
            if isinstance(outcome, str):
                self._fail(file_result, outcome)
            elif outcome.external_id in known:
                self._settle(file_result, outcome, known[outcome.external_id])
            elif outcome.external_id in new:  # the same id twice in one batch
                self._settle(
                    file_result, outcome, new[outcome.external_id][1].content_hash
                )
            else:
                new[outcome.external_id] = (file_result, outcome)
        if new:
            self._write(list(new.values()))
        self._trim_listed_files()

    def _write(self, pending: list[tuple[FileResult, Prepared]]) -> None:
        # One transaction for the whole batch is several times faster than one per article
        # (measured: the per-article BEGIN/INSERT/COMMIT cost more than the paragraphs). If the
        # database refuses anything, nothing of the batch is kept and each article is written
        # again in its own transaction, so one bad article never costs the others.
        try:
            # bulk_index: the batch's paragraphs enter the SQLite text index in one statement,
            # not by a trigger per row (ten times slower; articles/search.py).
            with transaction.atomic(), bulk_index():
                self._create([prepared for _, prepared in pending])
        except DatabaseError:
            for file_result, prepared in pending:
                self._write_one(file_result, prepared)
        else:
            for file_result, prepared in pending:
                self._created(file_result, prepared)

    def _write_one(self, file_result: FileResult, prepared: Prepared) -> None:
        try:
            with transaction.atomic(), bulk_index():
                self._create([prepared])
        except IntegrityError:
            # Someone imported the same id between our lookup and our insert.
            stored = (
                Article.objects.filter(external_id=prepared.external_id)
                .values_list("content_hash", flat=True)
                .first()
            )
            if stored is None:
                self._fail(file_result, "the database refused the article")
            else:
                self._settle(file_result, prepared, stored)
        except DatabaseError as error:
            self._fail(file_result, f"the database refused the article ({error})")
        else:
            self._created(file_result, prepared)

    def _create(self, batch: list[Prepared]) -> None:
        ids = _insert_articles(batch, import_run=self.result.run.pk)
        _insert_paragraphs(
            (article_id, position, *paragraph)
            for article_id, prepared in zip(ids, batch, strict=True)
            for position, paragraph in enumerate(prepared.paragraphs, start=1)
        )
        # Boilerplate repetition counts (docs/boilerplate.md) of the whole batch in one upsert
        # per 500 texts; each paragraph's own signals were read with its text.
        if settings.NEWSREVIEW_BOILERPLATE_SUGGESTIONS:
            count_repetition(
                [
                    (
                        prepared.source,
                        [paragraph[2] for paragraph in prepared.paragraphs],
                    )
                    for prepared in batch
                ]
            )

    def _created(self, file_result: FileResult, prepared: Prepared) -> None:
        file_result.created += 1
        self.result.created += 1
        self.result.paragraphs += len(prepared.paragraphs)
        self.result.empty_paragraphs_dropped += prepared.empty_dropped

    def _settle(self, file_result: FileResult, prepared: Prepared, stored: str) -> None:
        """Count an article whose id exists already: the same content, or a conflict."""
        if stored == prepared.content_hash:
            file_result.unchanged += 1
            self.result.unchanged += 1
        else:
            self._fail(
                file_result,
                f"conflict: article {prepared.external_id} already exists with different "
                "content; left as it was",
            )

    def _fail(self, file_result: FileResult, reason: str) -> None:
        file_result.failed += 1
        file_result.reasons.append(reason)
        self.result.failed += 1
        self.result.run.errors.append({"file": file_result.name, "reason": reason})

    def _trim_listed_files(self) -> None:
        # Every file with a failure stays listed, but only the first files that went well, so a
        # run over 100,000 files does not grow in memory. Called after a flush, when every
        # listed file's records are settled.
        kept, fine = [], 0
        for file_result in self.result.files:
            if file_result.failed:
                kept.append(file_result)
            elif fine < MAX_LISTED_FILES:
                kept.append(file_result)
                fine += 1
            else:
                self.result.files_not_listed += 1
        self.result.files = kept

    def finish(self) -> ImportResult:
        result = self.result
        run = result.run
        run.files_seen = result.files_seen
        run.articles_created = result.created
        run.articles_unchanged = result.unchanged
        run.articles_failed = result.failed
        run.paragraphs_created = result.paragraphs
        run.empty_paragraphs_dropped = result.empty_paragraphs_dropped
        run.finished_at = timezone.now()
        run.save()
        return result


def _insert_articles(batch: list[Prepared], *, import_run: int) -> list[int]:
    """Insert the batch's articles as new and unreviewed; their ids, in the batch's order.

    Multi-row INSERTs instead of Article.objects.bulk_create, for the reason given below for
    paragraphs: bulk_create's per-field preparation cost more than storing the rows (a third of
    the writing process's time in a cProfile of 1,000 benchmark files). RETURNING gives each
    row's id with its external id (SQLite 3.35+, PostgreSQL), so nothing depends on the order
    in which rows come back.
    """
    meta = Article._meta
    quote = connection.ops.quote_name
    given = ["external_id", "title", "source", "url", "content_hash", "paragraph_count"]
    given += ["import_run", "imported_at"]
    # Every other column is nullable; their defaults are an unreviewed article's.
    defaults = ["status", "verified_count", "unverified_count", "boilerplate_count"]
    names = given + defaults
    columns = ", ".join(quote(meta.get_field(name).column) for name in names)
    default_values = tuple(meta.get_field(name).get_default() for name in defaults)
    imported_at = meta.get_field("imported_at")
    per_statement = max(1, (connection.features.max_query_params or 999) // len(names))
    ids: dict[str, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(batch), per_statement):
            chunk = batch[start : start + per_statement]
            values = ", ".join(
                ["(" + ", ".join(["%s"] * len(names)) + ")"] * len(chunk)
            )
            params = [
                value
                for prepared in chunk
                for value in (
                    prepared.external_id,
                    prepared.title,
                    prepared.source,
                    prepared.url,
                    prepared.content_hash,
                    len(prepared.paragraphs),
                    import_run,
                    imported_at.get_db_prep_save(timezone.now(), connection),
                    *default_values,
                )
            ]
            # Only names from the model's metadata are formatted in; every value is a parameter.
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {values} "  # noqa: S608
                f"RETURNING {quote('external_id')}, {quote('id')}",
                params,
            )
            ids.update(cursor.fetchall())
    return [ids[prepared.external_id] for prepared in batch]


def _insert_paragraphs(
    rows: Iterable[tuple[int, int, str, str, str, int, int]],
) -> None:
    """Insert (article id, position, html, text, text_hash, link_share, cues) rows as new,
    unlabeled paragraphs.

    A parametrised INSERT run with executemany instead of Paragraph.objects.bulk_create: in a
    cProfile of 500 seed-like files, building model instances and bulk_create's per-field
    preparation took four times as long as SQLite took to store the rows, and was most of the
    import. Columns come from the model's own metadata so a renamed field fails loudly, and the
    database still checks every constraint.
    """
    meta = Paragraph._meta
    given = ["article", "position", "html", "text", "text_hash", "link_share", "cues"]
    defaults = ["label", "note", "version"]  # every other column is nullable
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in given + defaults)
    default_values = tuple(meta.get_field(name).get_default() for name in defaults)
    table = quote(meta.db_table)
    rows = iter(rows)
    # Only names and types from the model's metadata are formatted in; every value is a parameter.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # executemany sends PostgreSQL one INSERT per row, which it executes one by one (most
            # of the import's time there); unnest() makes the rows of 2,000 paragraphs a table
            # inserted by one statement, whose text is the same for every chunk.
            arrays = ", ".join(
                f"%s::{meta.get_field(name).db_type(connection)}[]" for name in given
            )
            defaults_sql = ", ".join(["%s"] * len(defaults))
            sql = f"INSERT INTO {table} ({columns}) SELECT *, {defaults_sql} FROM unnest({arrays})"  # noqa: S608
            while chunk := list(itertools.islice(rows, 2000)):
                cursor.execute(
                    sql, [*default_values, *map(list, zip(*chunk, strict=True))]
                )
            return
        placeholders = ", ".join(["%s"] * (len(given) + len(defaults)))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        while chunk := [row + default_values for row in itertools.islice(rows, 2000)]:
            cursor.executemany(sql, chunk)
