"""The benchmark the repo owns: generate seed-like articles, import them, measure the real paths.

`python manage.py benchmark --articles N` (docs/benchmarks.md) runs, in a fresh database:
1. generate_corpus(): N deterministic articles written as `.txt` list literals (the customer's
   format) plus `ground_truth.json` naming every boilerplate paragraph;
2. the real importer (articles.importers.import_paths) over that directory;
3. the queue, review and label views through django.test.Client (in-process: server time with
   every middleware and template, no network), and both CSV exports in a child process so their
   peak memory is not hidden by the import's.
"""

import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import django
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

# --- the generator --------------------------------------------------------------------------

# Each source has its own markup classes (scrapers keep them) and its own boilerplate footer,
# repeated verbatim across its articles, as real sites do.
SOURCES = [
    (
        "bbc.co.uk",
        "ssrcss-hmf8ql-BoldText e5tfeyi3",
        "ssrcss-k17ofw-InlineLink e1no5rhv0",
        [
            "Sign up for our morning newsletter and get BBC News in your inbox. ",
            '© 2024 BBC. The BBC is not responsible for the content of external sites. <a href="https://www.bbc.co.uk/editorialguidelines/guidance/feeds-and-links" class="ssrcss-odwm7b-Link e14mg4ud0">Read about our approach to external linking.</a>',
        ],
    ),
    (
        "theguardian.com",
        "dcr-1kc3kp5",
        "dcr-lv2v9o u-underline",
        [
            "Related topics",
            "Follow us on X, Instagram and Facebook for the latest updates. ",
            "© 2024 Guardian News &amp; Media Limited or its affiliated companies. All rights reserved.",
        ],
    ),
    (
        "reuters.com",
        "text__text__1FZLe text__heading_6__1qUJ5",
        "text__inherit-color__3208F link__underline_default__2prE_",
        ["Our Standards: The Thomson Reuters Trust Principles."],
    ),
    (
        "lemonde.fr",
        "article__desc",
        "lien_interne",
        [
            "Lire aussi : notre newsletter « La Matinale » — l’essentiel de l’actualité chaque matin.",  # noqa: RUF001 - typographic apostrophes are the point
            "© Le Monde. Reproduction interdite sans autorisation.",
        ],
    ),
    (
        "spiegel.de",
        "leading-loose font-bold",
        "text-primary-base underline",
        [
            "Folgen Sie uns auf WhatsApp, Instagram und Threads. ",
            "Weitere Themen",
            "© DER SPIEGEL GmbH &amp; Co. KG — alle Rechte vorbehalten.",
        ],
    ),
    (
        "apnews.com",
        "Page-lead",
        "Link AnClick-LinkEnhancement",
        [
            "Follow AP’s coverage at https://apnews.com/hub/world-news. ",  # noqa: RUF001
            "Copyright © 2024 The Associated Press. All Rights Reserved.",
        ],
    ),
    (
        "wyborcza.pl",
        "art_lead",
        "art_link",
        ["Zapisz się na newsletter — najważniejsze wiadomości dnia. "],
    ),
    (
        "elpais.com",
        "a_st",
        "a_l",
        [
            "Suscríbete aquí a la newsletter de EL PAÍS América y recibe todas las claves informativas.",
            "Related topics",
        ],
    ),
]

PEOPLE = [
    "Volodymyr Zelensky",
    "Jürgen Müller",
    "Łukasz Wróbel",
    "François Lévêque",
    "Ayşe Çelik",
    "Karim Khan",
    "Hugh Williamson",
    "Philippe Sands",
    "Andriy Kostin",
    "María José García",
    "Søren Jensen",
    "Zoë Smith",
    "Oleksandr Shelipov",
    "Małgorzata Szymańska",
    "João Gonçalves",
    "Björn Åström",
    "Nadia Haddad",
    "Chidi Okonkwo",
    "Aiko Tanaka",
]
PLACES = [
    "Kherson",
    "Kraków",
    "Zürich",
    "São Paulo",
    "Bogotá",
    "Gdańsk",
    "Montréal",
    "Reykjavík",
    "Istanbul",
    "Brussels",
    "Nairobi",
    "Łódź",
    "Málaga",
    "Genève",
    "Kyiv",
    "The Hague",
]
ORGS = [
    "the International Criminal Court",
    "the UN Security Council",
    "Human Rights Watch",
    "the European Commission",
    "the finance ministry",
    "the city council",
    "the central bank",
    "the prosecutor general's office",
    "the Red Cross",
    "the electoral commission",
]
VERBS = [
    "said",
    "denied",
    "confirmed",
    "warned",
    "announced",
    "claimed",
    "insisted",
    "reported",
    "suggested",
    "argued",
]
CLAIMS = [
    "more than 400 cases had been documented since February",
    "the investigation would take at least two more years",
    "prices had risen by 12% over the past year",
    "the agreement could not be enforced without a new treaty",
    "no evidence of wrongdoing had been found",
    "the figures were provisional and could be revised",
    "thousands of residents had been evacuated overnight",
    "the vote would go ahead as planned despite the protests",
    "the budget gap was larger than previously thought",
    "officials had not independently verified the reports",
    "the company's profits fell for a third consecutive quarter",
    "the bridge would reopen to traffic by the end of the month",
]
DETAILS = [
    "according to documents seen by reporters",
    "in a televised address",
    "speaking at a press conference on Tuesday",
    "in a statement released late on Friday",
    "without giving further details",
    "citing two people familiar with the matter",
    "after weeks of negotiations",
    "in an interview with local radio",
]
FACTS = [
    "The court was set up in 2002 and has 123 member states.",
    "Turnout in the last election was 61.4%, the lowest since 1990.",
    "The region has a population of about 1.2 million people.",
    "Inflation peaked at 10.6% in October before easing.",
    "The treaty — signed by 38 countries — entered into force in 1998.",
    "The river crossing is the only road link between the two banks.",
    "Both sides have accused each other of breaking the ceasefire.",
    "The report runs to 214 pages and includes 56 recommendations.",
]
QUOTES = [
    "Even war has rules",
    "We will not be intimidated",
    "This is a dark day for our democracy",
    "The numbers simply do not add up",
    "We are doing everything we can to help the families",
    "Nobody is above the law",
]
HEADLINES = [
    "What we know so far",
    "Five things to watch this week",
    "The long road to a ceasefire",
    "How the vote was counted",
    "Inside the court that tries war crimes",
    "Why prices keep rising",
    "A city rebuilds after the flood",
]

# A rare name used by the benchmark's text search: it appears in about 1 article in 100.
SEARCH_TERM = "Kierkegaard"


@dataclass
class Corpus:
    directory: Path
    files: Path
    articles: int
    paragraphs: int
    boilerplate: int
    bytes: int
    seconds: float


def _link(rng: random.Random, domain: str, css: str, text: str) -> str:
    slug = "-".join(text.lower().split()[:4])
    return f'<a href="https://www.{domain}/news/{slug}-{rng.randrange(10**7, 10**8)}" class="{css}">{text}</a>'


def _sentence(rng: random.Random, domain: str, link_css: str) -> str:
    kind = rng.random()
    if kind < 0.4:
        speaker = rng.choice(PEOPLE + ORGS)
        text = f"{speaker} {rng.choice(VERBS)} {rng.choice(CLAIMS)}, {rng.choice(DETAILS)}."
    elif kind < 0.6:
        text = f"“{rng.choice(QUOTES)},” {rng.choice(PEOPLE)} {rng.choice(VERBS)} in {rng.choice(PLACES)}."
    elif kind < 0.8:
        text = rng.choice(FACTS)
    else:
        place = rng.choice(PLACES)
        text = f"In {place}, {rng.choice(ORGS)} {rng.choice(VERBS)} {rng.choice(CLAIMS)} — {rng.choice(DETAILS)}."
    if rng.random() < 0.15:
        phrase = rng.choice(HEADLINES)
        text = f"{text} {_link(rng, domain, link_css, phrase)}."
    return text


def _article(
    rng: random.Random, index: int, source: tuple
) -> tuple[str, list[str], list[int]]:
    """One article: (external id, paragraph HTML strings, 1-based boilerplate positions)."""
    domain, bold_css, link_css, footer = source
    external_id = f"{index:06d}_{rng.getrandbits(64):016x}"
    total = rng.randint(20, 35)
    body_count = total - len(footer)
    lead = " ".join(_sentence(rng, domain, link_css) for _ in range(2))
    paragraphs = [f'<b class="{bold_css}">{lead}</b>']
    boilerplate = []
    read_more_at = rng.randrange(4, body_count) if rng.random() < 0.3 else None
    mention_at = rng.randrange(2, body_count) if rng.random() < 0.01 else None
    for position in range(2, body_count + 1):
        if position == read_more_at:
            headline = rng.choice(HEADLINES)
            paragraphs.append(f"Read more: {_link(rng, domain, link_css, headline)}")
            boilerplate.append(position)
            continue
        text = " ".join(
            _sentence(rng, domain, link_css) for _ in range(rng.randint(1, 3))
        )
        if position == mention_at:
            text += f" The case was first described by {SEARCH_TERM} scholars in 1849."
        if rng.random() < 0.3:
            text += " " * rng.randint(1, 3)  # scrapers keep trailing spaces
        paragraphs.append(text)
    for line in footer:
        paragraphs.append(line)
        boilerplate.append(len(paragraphs))
    return external_id, paragraphs, boilerplate


def generate_corpus(directory: Path, *, articles: int, seed: int = 6) -> Corpus:
    """Write `articles` seed-like articles to `directory`/files/<domain>/<id>.txt, one by one.

    Beside them, `directory`/ground_truth.json: {"boilerplate": {external_id: [positions]}}, the
    answers a boilerplate suggester is scored against. Same seed, same files.
    """
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    files = directory / "files"
    for domain, *_ in SOURCES:
        (files / domain).mkdir(parents=True, exist_ok=True)
    paragraphs = boilerplate = size = 0
    with open(directory / "ground_truth.json", "w", encoding="utf-8") as truth:
        truth.write(f'{{"seed": {seed}, "articles": {articles}, "boilerplate": {{')
        for index in range(articles):
            source = SOURCES[index % len(SOURCES)]
            external_id, texts, positions = _article(rng, index, source)
            data = repr(texts).encode()
            (files / source[0] / f"{external_id}.txt").write_bytes(data)
            truth.write(
                ("," if index else "") + f"\n{json.dumps(external_id)}: {positions}"
            )
            paragraphs += len(texts)
            boilerplate += len(positions)
            size += len(data)
        truth.write("\n}}\n")
    return Corpus(
        directory,
        files,
        articles,
        paragraphs,
        boilerplate,
        size,
        time.perf_counter() - started,
    )


# --- measuring ------------------------------------------------------------------------------

# The issue's figures for this 2-core machine with SQLite (issue 6); the table shows each beside
# the measured one. Export targets scale with the rows exported.
TARGETS = {
    "import": "≥ 15,000 ¶/s",
    "queue": "≤ 25 ms",
    "review": "≤ 15 ms",
    "label": "≤ 5 ms",
    "articles_csv": "≤ 3 s / 100k rows, ≤ 50 MB",
    "paragraphs_csv": "≤ 1 s / 30k rows, ≤ 50 MB",
}


class BenchmarkError(Exception):
    """A measured request did not succeed, so its timing would be meaningless."""


@dataclass
class Row:
    name: str
    target: str
    n: int = 0
    median_ms: float | None = None
    p95_ms: float | None = None
    # Median CPU time of this process: less moved by other processes than wall time, though
    # not immune (they share caches and cores); it leaves out PostgreSQL's own work.
    cpu_ms: float | None = None
    queries: int | None = None
    seconds: float | None = None
    mb: float | None = None
    note: str = ""
    met: bool | None = None


@dataclass
class Report:
    environment: dict
    corpus: dict
    rows: list[Row] = field(default_factory=list)

    def as_json(self) -> str:
        return json.dumps(
            {
                "environment": self.environment,
                "corpus": self.corpus,
                "rows": [asdict(row) for row in self.rows],
            },
            indent=2,
            ensure_ascii=False,
        )

    def as_table(self) -> str:
        def number(value, digits=1):
            return "" if value is None else f"{value:,.{digits}f}"

        header = (
            "what",
            "n",
            "median ms",
            "p95 ms",
            "CPU ms",
            "queries",
            "s",
            "MB",
            "target",
            "",
            "note",
        )
        lines = [
            (
                row.name,
                str(row.n or ""),
                number(row.median_ms, 2),
                number(row.p95_ms, 2),
                number(row.cpu_ms, 2),
                "" if row.queries is None else str(row.queries),
                number(row.seconds, 2),
                number(row.mb),
                row.target,
                {True: "ok", False: "MISS", None: ""}[row.met],
                row.note,
            )
            for row in self.rows
        ]
        widths = [max(len(r[i]) for r in [header, *lines]) for i in range(len(header))]

        def render(cells) -> str:
            return " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))

        env = self.environment
        corpus = self.corpus
        return "\n".join(
            [
                f"{env['python']} · Django {env['django']} · {env['database']} · "
                f"{env['cpus']} CPUs ({env['cpu']}) · load {env['load']} · "
                f"calibration loop {env['calibration_ms']} ms",
                f"{corpus['articles']:,} articles, {corpus['paragraphs']:,} paragraphs "
                f"({corpus['boilerplate']:,} boilerplate), {corpus['mb']:.1f} MB of .txt",
                render(header).rstrip(),
                "-|-".join("-" * w for w in widths),
                *(render(line).rstrip() for line in lines),
            ]
        )


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


def _rss_mb() -> float:
    """The process's resident memory now (Linux /proc; ru_maxrss is only the peak)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _check(response, what: str) -> None:
    if response.status_code != 200:
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
) -> Row:
    """Time `request(i)` n times (after a warm-up), then count one call's queries."""
    for i in range(warmup):
        _check(request(i), name)
    timings, cpu = [], []
    for i in range(warmup, warmup + n):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = request(i)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        _check(response, name)
    with CaptureQueriesContext(connection) as queries:
        _check(request(warmup + n), name)
    median = statistics.median(timings)
    return Row(
        name,
        target,
        n=n,
        median_ms=median,
        p95_ms=_percentile(timings, 0.95),
        cpu_ms=statistics.median(cpu),
        queries=len(queries),
        met=None if limit_ms is None else median <= limit_ms,
    )


@contextmanager
def fresh_database(workdir: Path) -> Iterator[str]:
    """A new, migrated database for one run (a file in `workdir` on SQLite), dropped afterwards.

    Yields its name. A file, not SQLite's in-memory database, so WAL and disk I/O are real.
    """
    db = settings.DATABASES["default"]
    old_name = db["NAME"]
    test = db.setdefault("TEST", {})
    old_test_name = test.get("NAME")
    if connection.vendor == "sqlite":
        test["NAME"] = str(workdir / "benchmark.sqlite3")
    else:
        # Our own name, so a benchmark never collides with a test run's test_<name> database.
        test["NAME"] = f"test_newsreview_benchmark_{os.getpid()}"
    name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False
    )
    try:
        yield name
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        test["NAME"] = old_test_name


# Settings for in-process requests: Django's test client speaks plain HTTP to "testserver", and
# the manifest storage needs a collectstatic run the benchmark should not depend on.
BENCH_SETTINGS = {
    "ALLOWED_HOSTS": ["testserver"],
    "SECURE_SSL_REDIRECT": False,
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    },
}


def _import(corpus: Corpus, report: Report) -> None:
    from articles.importers import import_paths
    from articles.models import ImportRun

    # RSS sampled as the import goes: flat from the first tenth to the end means memory does
    # not grow with the number of articles (files streamed, rows inserted in batches). Only
    # two numbers are kept, so the measuring itself does not grow either.
    rss = {"tenth": 0.0, "peak": 0.0}

    def progress(done: int, total: int) -> None:
        now = _rss_mb()
        rss["peak"] = max(rss["peak"], now)
        if not rss["tenth"] and done * 10 >= total:
            rss["tenth"] = now

    before = _rss_mb()
    started, cpu_started = time.perf_counter(), _cpu_with_children()
    result = import_paths(
        [corpus.files], origin=ImportRun.Origin.COMMAND, progress=progress
    )
    seconds = time.perf_counter() - started
    cpu = _cpu_with_children() - cpu_started
    after = _rss_mb()
    if result.failed or result.paragraphs != corpus.paragraphs:
        raise BenchmarkError(
            f"import: {result.paragraphs:,} of {corpus.paragraphs:,} paragraphs created, "
            f"{result.failed} failures: {result.errors[:3]}"
        )
    rate = corpus.paragraphs / seconds
    tenth = rss["tenth"] or before
    report.rows.append(
        Row(
            "import",
            TARGETS["import"],
            n=corpus.articles,
            seconds=seconds,
            cpu_ms=cpu * 1000,
            mb=after - before,
            note=(
                f"{rate:,.0f} ¶/s, {corpus.articles / seconds:,.0f} articles/s; RSS "
                f"{before:.0f} → {tenth:.0f} (at 10%) → {max(after, rss['peak']):.0f} MB peak"
            ),
            met=rate >= 15_000,
        )
    )


def _cpu_with_children() -> float:
    """CPU seconds of this process and of its ended children: the importer cleans files in a
    second process (articles.importers), whose work must count in the import's CPU time."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _pages(report: Report, *, requests: int, user) -> None:
    from articles.models import Article, ReviewStatus

    client = Client()
    client.force_login(user)
    articles = Article.objects.order_by("pk")
    total = articles.count()
    # Targets spread over the whole table, not the few rows a cache would hold.
    step = max(1, total // (requests + 10))
    spread = list(articles.values_list("pk", flat=True)[::step])
    thirty = (
        list(
            articles.filter(paragraph_count=30).values_list("pk", flat=True)[
                : requests + 10
            ]
        )
        or spread
    )
    labels = ["verified", "unverified", "boilerplate"]

    def review(i):
        return client.get(f"/articles/{thirty[i % len(thirty)]}/")

    def label(i):
        # A new (article, position) each time: every POST really changes a label.
        pk = spread[i % len(spread)]
        position = 1 + i // len(spread)
        return client.post(
            f"/articles/{pk}/paragraphs/{position}/label/",
            {"label": labels[i % 3]},
            headers={"HX-Request": "true"},
        )

    report.rows.append(
        measure(
            "review page (30 ¶)", TARGETS["review"], review, n=requests, limit_ms=15
        )
    )
    report.rows.append(
        measure("label POST", TARGETS["label"], label, n=requests, limit_ms=5)
    )
    source = Article.objects.values_list("source", flat=True).first()
    queue = [
        ("queue first page", ""),
        ("queue status filter", f"?status={ReviewStatus.IN_PROGRESS}"),
        ("queue source filter", f"?source={source}"),
        ("queue text search", f"?q={SEARCH_TERM}"),
        # A word in most articles: every article is a candidate before the page is sorted.
        ("queue search, common word", "?q=said"),
    ]
    for name, query in queue:
        row = measure(
            name,
            TARGETS["queue"],
            lambda i, query=query: client.get("/" + query),
            n=requests,
            limit_ms=25,
        )
        row.note = query
        report.rows.append(row)


EXPORTS = [
    ("articles CSV", "articles_csv", "/export/articles.csv"),
    ("paragraphs CSV", "paragraphs_csv", "/export/paragraphs.csv"),
]


def _exports(report: Report, *, database: str, user, runs: int) -> None:
    """Each export in a child process: its ru_maxrss peak minus its warmed-up RSS is the export's.

    In this process the import's peak would hide the export's (ru_maxrss only ever grows).
    """
    from articles.models import Article, Paragraph

    sizes = {
        "articles_csv": Article.objects.count(),
        "paragraphs_csv": Paragraph.objects.count(),
    }
    for name, key, url in EXPORTS:
        spec = {"database": database, "user": user.pk, "url": url, "runs": runs}
        child = subprocess.run(  # noqa: S603 - our own interpreter and module, fixed arguments
            [sys.executable, "-m", "articles.benchmark", json.dumps(spec)],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode:
            raise BenchmarkError(
                f"{name}: export process failed\n{child.stderr[-2000:]}"
            )
        result = json.loads(child.stdout.strip().splitlines()[-1])
        rows = sizes[key]
        seconds = statistics.median(result["seconds"])
        limit = 3 * rows / 100_000 if key == "articles_csv" else rows / 30_000
        report.rows.append(
            Row(
                name,
                TARGETS[key],
                n=len(result["seconds"]),
                queries=result["queries"],
                seconds=seconds,
                cpu_ms=statistics.median(result["cpu"]) * 1000,
                mb=result["peak_growth_mb"],
                note=(
                    f"{rows:,} rows, {result['bytes'] / 2**20:,.1f} MB of CSV, "
                    f"{rows / seconds:,.0f} rows/s; target {limit:.2f} s"
                ),
                # The articles target is set at 100,000 rows; below 10,000 fixed costs dominate.
                met=None
                if key == "articles_csv" and rows < 10_000
                else seconds <= limit and result["peak_growth_mb"] <= 50,
            )
        )


def export_child(spec: dict) -> dict:
    """Run one export `runs` times in this (fresh) process; print times, queries, peak growth."""
    from django.contrib.auth import get_user_model

    settings.DATABASES["default"]["NAME"] = spec["database"]
    with override_settings(**BENCH_SETTINGS):
        client = Client()
        client.force_login(get_user_model().objects.get(pk=spec["user"]))
        # Warm up the code path (imports, URL resolving, first queries) on an empty export.
        _drain(client.get(spec["url"] + "?source=no.such.source"))
        baseline = _peak_rss_mb()
        seconds, cpu, queries, size = [], [], None, 0
        for _ in range(spec["runs"]):
            with CaptureQueriesContext(connection) as captured:
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(spec["url"])
                _check(response, spec["url"])
                size = _drain(response)
                seconds.append(time.perf_counter() - started)
                cpu.append(time.process_time() - cpu_started)
            queries = len(captured) if queries is None else queries
    return {
        "seconds": seconds,
        "cpu": cpu,
        "queries": queries,
        "bytes": size,
        "peak_growth_mb": _peak_rss_mb() - baseline,
    }


def _drain(response) -> int:
    if not response.streaming:
        return len(response.content)
    return sum(len(chunk) for chunk in response.streaming_content)


def run(
    *,
    articles: int,
    requests: int = 200,
    export_runs: int | None = None,
    keep: bool = False,
    log: Callable[[str], None] = lambda message: None,
) -> Report:
    """Generate, import and measure `articles` articles in a fresh database; return the report."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    # WhiteNoise warns that STATIC_ROOT has not been collected; the pages do not need it here.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    workdir = Path(tempfile.mkdtemp(prefix="newsreview-benchmark-"))
    try:
        with fresh_database(workdir) as database, override_settings(**BENCH_SETTINGS):
            log(f"Generating {articles:,} articles in {workdir / 'corpus'} …")
            corpus = generate_corpus(workdir / "corpus", articles=articles)
            report = Report(
                environment=environment(),
                corpus={
                    "articles": corpus.articles,
                    "paragraphs": corpus.paragraphs,
                    "boilerplate": corpus.boilerplate,
                    "mb": corpus.bytes / 2**20,
                    "generated_seconds": corpus.seconds,
                },
            )
            log(f"Importing {corpus.paragraphs:,} paragraphs …")
            _import(corpus, report)
            if connection.vendor == "postgresql":
                # What autovacuum does within a minute of a bulk load in production; without
                # statistics the planner misjudges the full-text index (100x slower searches).
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            user = get_user_model().objects.create_user("benchmark-reviewer")
            user.groups.add(Group.objects.get(name="Reviewer"))
            log(f"Measuring pages ({requests} requests each) …")
            _pages(report, requests=requests, user=user)
            log("Measuring exports …")
            if export_runs is None:
                export_runs = 3 if articles <= 10_000 else 1
            connection.close()  # the child reads a settled database (SQLite WAL checkpoint)
            _exports(report, database=database, user=user, runs=export_runs)
            return report
    finally:
        if keep:
            log(f"Kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


# --- boilerplate suggestions (docs/boilerplate.md) -----------------------------------------------

READABILITY_PAGES = (
    Path(__file__).resolve().parent.parent.parent
    / "shared/corpus/real-lists/readability-test-pages"
)


def _suggested(article_ids=None) -> Iterator[tuple[str, int, str, object]]:
    """(external_id, position, text, Suggestion or None, repeated_in) of every paragraph, with
    the suggestion the review page and the paragraphs CSV give (labeled paragraphs too)."""
    from articles.boilerplate import Thresholds, paragraph_signals, suggest
    from articles.models import Article
    from articles.paragraph_reads import article_paragraphs

    thresholds = Thresholds.from_settings()
    articles = Article.objects.all()  # the queue's order, newest import first
    if article_ids is not None:
        articles = articles.filter(pk__in=article_ids)
    for pk, external_id in articles.values_list("pk", "external_id").iterator():
        for paragraph in article_paragraphs(pk):
            article = paragraph.article
            signals = paragraph_signals(
                paragraph,
                source=article.source,
                paragraph_count=article.paragraph_count,
            )
            yield (
                external_id,
                paragraph.position,
                paragraph.text,
                suggest(signals, thresholds),
                paragraph.repeated_in or 0,
            )


def _timed_import(files: Path, *, suggestions: bool) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of importing `files` into a fresh database."""
    from articles.importers import import_paths

    with (
        tempfile.TemporaryDirectory(prefix="newsreview-bp-") as workdir,
        fresh_database(Path(workdir)),
        override_settings(NEWSREVIEW_BOILERPLATE_SUGGESTIONS=suggestions),
    ):
        started, cpu_started = time.perf_counter(), _cpu_with_children()
        result = import_paths([files])
        seconds = time.perf_counter() - started
        cpu = _cpu_with_children() - cpu_started
        if result.failed:
            raise BenchmarkError(f"boilerplate import: {result.errors[:3]}")
        return seconds, cpu


def _readability_articles(directory: Path) -> Path:
    """Each readability test page's expected.html as one article (its own source), in a .jsonl."""
    from bs4 import BeautifulSoup

    out = directory / "readability.jsonl"
    with open(out, "w", encoding="utf-8") as lines:
        for page in sorted(READABILITY_PAGES.glob("*/expected.html")):
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            paragraphs = [
                p.decode_contents()
                for p in soup.find_all("p")
                if p.get_text(strip=True)
            ]
            if paragraphs:
                name = page.parent.name
                record = {
                    "id": f"readability-{name}",
                    "source": f"{name}.readability.test",
                    "paragraphs": paragraphs,
                }
                lines.write(json.dumps(record) + "\n")
    return out


def run_boilerplate(
    *,
    articles: int,
    rounds: int = 2,
    log: Callable[[str], None] = lambda message: None,
) -> dict:
    """Recall and false positives of the boilerplate suggestions on a generated corpus whose
    boilerplate is known, import throughput with suggestions on and off (fresh database each
    time, `rounds` of each, alternating), and the suggestions on the real readability pages."""
    from articles.importers import import_paths
    from articles.models import Article

    workdir = Path(tempfile.mkdtemp(prefix="newsreview-benchmark-bp-"))
    try:
        log(f"Generating {articles:,} articles …")
        corpus = generate_corpus(workdir / "corpus", articles=articles)
        truth_data = json.loads((workdir / "corpus" / "ground_truth.json").read_text())
        truth = {
            (external_id, position)
            for external_id, positions in truth_data["boilerplate"].items()
            for position in positions
        }
        timings: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
        for round_ in range(rounds):
            for on in (False, True):
                log(f"Import round {round_ + 1}, suggestions {'on' if on else 'off'} …")
                timings[on].append(_timed_import(corpus.files, suggestions=on))
        with fresh_database(workdir), override_settings(**BENCH_SETTINGS):
            log("Importing once more to score the suggestions …")
            import_paths([corpus.files])
            truth_repeated = found = suggested = wrong = found_all = 0
            wrong_samples: list[str] = []
            for external_id, position, text, suggestion, repeated_in in _suggested():
                key = (external_id, position)
                if key in truth:
                    found_all += suggestion is not None
                    if repeated_in >= 3:
                        truth_repeated += 1
                        found += suggestion is not None
                if suggestion is not None:
                    suggested += 1
                    if key not in truth:
                        wrong += 1
                        if len(wrong_samples) < 5:
                            wrong_samples.append(f"{text[:80]} ({suggestion.reason})")
            log("Real pages: readability test pages as articles …")
            result = import_paths([_readability_articles(workdir)])
            page_ids = list(
                Article.objects.filter(
                    external_id__startswith="readability-"
                ).values_list("pk", flat=True)
            )
            real = [
                (external_id, position, text, suggestion)
                for external_id, position, text, suggestion, _ in _suggested(page_ids)
            ]
            real_suggested = [row for row in real if row[3] is not None]
        off_cpu = statistics.median(cpu for _, cpu in timings[False])
        on_cpu = statistics.median(cpu for _, cpu in timings[True])
        off_wall = statistics.median(wall for wall, _ in timings[False])
        on_wall = statistics.median(wall for wall, _ in timings[True])
        return {
            "articles": corpus.articles,
            "paragraphs": corpus.paragraphs,
            "truth": len(truth),
            "truth_repeated_3": truth_repeated,
            "recall_repeated_3": found / truth_repeated if truth_repeated else None,
            "recall_all": found_all / len(truth) if truth else None,
            "suggested": suggested,
            "wrong": wrong,
            "false_positive_share": wrong / suggested if suggested else 0.0,
            "wrong_samples": wrong_samples,
            "import_off": {"wall": off_wall, "cpu": off_cpu, "runs": timings[False]},
            "import_on": {"wall": on_wall, "cpu": on_cpu, "runs": timings[True]},
            "paragraphs_per_s_off": corpus.paragraphs / off_wall,
            "paragraphs_per_s_on": corpus.paragraphs / on_wall,
            "cpu_slowdown": on_cpu / off_cpu - 1,
            "wall_slowdown": on_wall / off_wall - 1,
            "real_pages": len(page_ids),
            "real_paragraphs": result.paragraphs,
            "real_suggested": [
                {
                    "article": row[0],
                    "position": row[1],
                    "text": row[2][:160],
                    "reason": row[3].reason,
                }
                for row in real_suggested
            ],
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def boilerplate_table(result: dict) -> str:
    """The boilerplate measurements as a few lines of text with their targets."""
    recall = result["recall_repeated_3"] or 0
    lines = [
        f"Boilerplate suggestions on {result['articles']:,} generated articles "
        f"({result['paragraphs']:,} paragraphs, {result['truth']:,} known boilerplate):",
        f"  recall, lines repeated in ≥ 3 articles: {recall:.2%} of "
        f"{result['truth_repeated_3']:,} (target ≥ 95%) {'met' if recall >= 0.95 else 'MISSED'}",
        f"  recall, all known boilerplate: {result['recall_all']:.2%}",
        f"  false positives: {result['wrong']:,} of {result['suggested']:,} suggestions = "
        f"{result['false_positive_share']:.2%} (target ≤ 1%) "
        f"{'met' if result['false_positive_share'] <= 0.01 else 'MISSED'}",
        f"  import, suggestions off: {result['paragraphs_per_s_off']:,.0f} ¶/s "
        f"(median {result['import_off']['wall']:.2f} s wall, {result['import_off']['cpu']:.2f} s CPU)",
        f"  import, suggestions on:  {result['paragraphs_per_s_on']:,.0f} ¶/s "
        f"(median {result['import_on']['wall']:.2f} s wall, {result['import_on']['cpu']:.2f} s CPU)",
        f"  slower by {result['wall_slowdown']:.1%} wall, {result['cpu_slowdown']:.1%} CPU "
        f"(target ≤ 20%) {'met' if result['cpu_slowdown'] <= 0.20 else 'MISSED'}",
        f"Real pages: {result['real_pages']} readability test pages, "
        f"{result['real_paragraphs']:,} paragraphs, {len(result['real_suggested'])} suggestions:",
    ]
    lines += [
        f"  {row['article']} ¶{row['position']}: {row['reason']} — {row['text'][:90]}"
        for row in result["real_suggested"]
    ]
    if result["wrong_samples"]:
        lines.append("Generated paragraphs suggested wrongly (first 5):")
        lines += [f"  {sample}" for sample in result["wrong_samples"]]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    # The export child process (see _exports): `python -m articles.benchmark '<json spec>'`.
    django.setup()
    print(json.dumps(export_child(json.loads(sys.argv[1]))))  # noqa: T201
