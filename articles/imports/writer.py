"""Writing an import run: batches of cleaned articles into the database, and the run's counts.

Each batch is one transaction; if the database refuses anything, each article of the batch is
written again alone, so one bad article never costs the others. A known id is "unchanged" when
what the sanitiser keeps is the same (content hash or fingerprint, read in the batch's one
lookup), else articles.revisions writes its next revision. Rows go in by hand-written bulk
INSERTs (inserts.py; its docstrings say why).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from articles.boilerplate.repetition import count_repetition
from articles.imports.inserts import insert_articles, insert_paragraphs
from articles.imports.records import Prepared
from articles.imports.runs import heartbeat, run_ended
from articles.models import Article, ImportRun
from articles.revisions.summary import counts_line
from articles.revisions.writer import revise_article
from articles.search.index import bulk_index

BATCH_SIZE = 200  # records whose existing ids are looked up in one query
EARLY_BATCH = 50  # the fewest written early (write_while_waiting)
# Files kept in ImportResult.files (and ImportRun.files): this many failed and this many others.
MAX_LISTED_FILES = 1000


@dataclass
class FileResult:
    """What became of one file's records; `reasons` are the first refusals, one line each
    (NEWSREVIEW_MAX_REASONS_PER_FILE), `reasons_not_listed` counts the rest."""

    name: str
    created: int = 0
    unchanged: int = 0
    failed: int = 0
    reasons: list[str] = field(default_factory=list)
    reasons_not_listed: int = 0
    # Articles given a new revision, and what their revisions changed in all
    # ({"edited": 2, "added": 1, …}; articles.revisions).
    revised: int = 0
    changes: dict[str, int] = field(default_factory=dict)

    @property
    def changes_line(self) -> str:
        """ "2 edited, 1 added, 1 deleted" of this file's revisions ("" without any)."""
        return counts_line(self.changes) if self.revised else ""


@dataclass
class ImportResult:
    """What an import run did. `files` lists every file with a failure and the first
    MAX_LISTED_FILES others; `files_not_listed` counts the rest."""

    run: ImportRun
    created: int = 0
    unchanged: int = 0
    failed: int = 0
    revised: int = 0
    paragraphs: int = 0
    empty_paragraphs_dropped: int = 0
    files_seen: int = 0
    files: list[FileResult] = field(default_factory=list)
    files_not_listed: int = 0
    reasons_not_listed: int = 0  # the refusals of files not listed

    @property
    def errors(self) -> list[dict[str, str]]:
        return self.run.errors


class BatchWriter:
    """Writes an import run's articles in batches and keeps its counts and ImportRun.

    add() each file's outcomes in order, flush() after the last, then finish().
    """

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        self.batch: list[tuple[FileResult, Prepared | str]] = []
        self.written = 0  # records flushed so far

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
        """Settle and write the queued articles and refusals."""
        batch, self.batch = self.batch, []
        self.written += len(batch)
        ids = {o.external_id for _, o in batch if isinstance(o, Prepared)}
        known = {
            external_id: (content_hash, fingerprint)
            for external_id, content_hash, fingerprint in Article.objects.filter(
                external_id__in=ids
            ).values_list("external_id", "content_hash", "fingerprint")
        }
        new: dict[str, tuple[FileResult, Prepared]] = {}
        revise: list[tuple[FileResult, Prepared]] = []
        for file_result, outcome in batch:
            if isinstance(outcome, str):
                self._fail(file_result, outcome)
                continue
            # `known` follows the batch: an id met again compares with its latest content,
            # and revisions are written in file order after the new articles.
            stored = known.get(outcome.external_id)
            if stored is None:
                new[outcome.external_id] = (file_result, outcome)
            elif outcome.content_hash == stored[0] or outcome.fingerprint == stored[1]:
                self._unchanged(file_result)
                continue
            else:
                revise.append((file_result, outcome))
            known[outcome.external_id] = (outcome.content_hash, outcome.fingerprint)
        if new:
            self._write(list(new.values()))
        for file_result, prepared in revise:
            self._revise(file_result, prepared)
        self._trim_listed_files()
        heartbeat(self.result.run, counts=self.counts())

    def write_while_waiting(self, to_come: int | None) -> None:
        """Write the queued records early, while the worker cleans the next files
        (worker.prepared_in_worker calls this before it waits), if there are EARLY_BATCH and
        more than the run has written (50, 50, 100, then batches of 200), or, once every file
        is read, than there are files to come. The first articles are not written only once 200
        are clean (0.3 s into a 1.5 s benchmark import), nor the last 200 once the worker has
        finished; a batch's ~8 ms beside its rows are paid a few times more."""
        rather = self.written if to_come is None else to_come
        if len(self.batch) >= max(EARLY_BATCH, rather):
            self.flush()

    def counts(self) -> dict[str, int]:
        """The run's totals so far, as ImportRun's fields."""
        result = self.result
        return {
            "files_seen": result.files_seen,
            "articles_created": result.created,
            "articles_unchanged": result.unchanged,
            "articles_revised": result.revised,
            "articles_failed": result.failed,
            "paragraphs_created": result.paragraphs,
            "empty_paragraphs_dropped": result.empty_paragraphs_dropped,
        }

    def _write(self, pending: list[tuple[FileResult, Prepared]]) -> None:
        # One transaction for the whole batch is several times faster than one per article
        # (measured: the per-article BEGIN/INSERT/COMMIT cost more than the paragraphs). If the
        # database refuses anything, nothing of the batch is kept and each article is written
        # again in its own transaction, so one bad article never costs the others.
        try:
            # bulk_index: the batch's paragraphs enter the SQLite text index in one statement,
            # not by a trigger per row (ten times slower; articles/search/index.py).
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
            stored = Article.objects.filter(external_id=prepared.external_id).first()
            if stored is None:
                self._fail(file_result, "the database refused the article")
            else:
                self._revise(file_result, prepared)
        except DatabaseError as error:
            self._fail(file_result, f"the database refused the article ({error})")
        else:
            self._created(file_result, prepared)

    def _create(self, batch: list[Prepared]) -> None:
        ids = insert_articles(batch, import_run=self.result.run.pk)
        insert_paragraphs(
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

    def _unchanged(self, file_result: FileResult) -> None:
        file_result.unchanged += 1
        self.result.unchanged += 1

    def _revise(self, file_result: FileResult, prepared: Prepared) -> None:
        """An article whose id exists with other content: its next revision, in its own
        transaction; a refusal leaves it as it was and names the article and the reason."""
        try:
            revised = revise_article(
                external_id=prepared.external_id,
                title=prepared.title,
                url=prepared.url,
                content_hash=prepared.content_hash,
                fingerprint=prepared.fingerprint,
                paragraphs=prepared.paragraphs,
                import_run=self.result.run,
                user=self.result.run.started_by,
                file=file_result.name,
            )
        except Article.DoesNotExist:  # deleted since the batch's lookup
            self._write_one(file_result, prepared)
            return
        except DatabaseError as error:
            self._fail(
                file_result,
                f"article {prepared.external_id}: the database refused its new revision "
                f"({error}); left as it was",
            )
            return
        if revised.revision is None:
            self._unchanged(file_result)
            return
        file_result.revised += 1
        self.result.revised += 1
        for change, n in revised.counts.items():
            file_result.changes[change] = file_result.changes.get(change, 0) + n

    def _fail(self, file_result: FileResult, reason: str) -> None:
        # Only the first reasons are kept, per file and per run: one file of a million bad
        # records stored a million (a 67 MB result page, an 81 MB admin page).
        file_result.failed += 1
        self.result.failed += 1
        errors = self.result.run.errors
        if (
            len(file_result.reasons) < settings.NEWSREVIEW_MAX_REASONS_PER_FILE
            and len(errors) < settings.NEWSREVIEW_MAX_REASONS_PER_RUN
        ):
            file_result.reasons.append(reason)
            errors.append({"file": file_result.name, "reason": reason})
        else:
            file_result.reasons_not_listed += 1

    def _trim_listed_files(self) -> None:
        # The first MAX_LISTED_FILES files with a failure and as many that went well, so a
        # run over 100,000 files does not grow in memory. Called after a flush, when every
        # listed file's records are settled.
        kept, fine, failed = [], 0, 0
        for file_result in self.result.files:
            if file_result.failed and failed < MAX_LISTED_FILES:
                kept.append(file_result)
                failed += 1
            elif not file_result.failed and fine < MAX_LISTED_FILES:
                kept.append(file_result)
                fine += 1
            else:
                self.result.files_not_listed += 1
                self.result.reasons_not_listed += (
                    len(file_result.reasons) + file_result.reasons_not_listed
                )
        self.result.files = kept

    def _count_the_rest(self) -> None:
        """One line per listed file for its refusals not listed, one for the run's rest."""
        errors, rest = self.result.run.errors, self.result.reasons_not_listed
        for file_result in self.result.files:
            if not (more := file_result.reasons_not_listed):
                continue
            line = f"… and {more:,} more refusal{'s' if more > 1 else ''} in this file"
            if file_result.reasons:
                file_result.reasons.append(line)
                errors.append({"file": file_result.name, "reason": line})
            else:
                rest += more
        if rest:
            errors.append(
                {"file": "", "reason": f"… and {rest:,} more refusals in other files"}
            )

    def finish(self) -> ImportResult:
        """Record the run's totals on its ImportRun; the result."""
        result = self.result
        run = result.run
        for name, value in self.counts().items():
            setattr(run, name, value)
        self._count_the_rest()
        run.files = [
            [f.name, f.created, f.unchanged, f.failed, f.revised, f.changes_line]
            for f in result.files
        ]
        run.finished_at = timezone.now()
        run.state = ImportRun.State.FINISHED
        run.save()
        run_ended.send(sender=ImportRun, run=run)
        return result
