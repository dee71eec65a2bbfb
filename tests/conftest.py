"""Shared fixtures: users in each role, articles made through the real models, the corpus."""

import hashlib
import importlib
import itertools
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission, User

from articles.models import COUNT_FIELD, Article, Label, Paragraph, derive_status

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = ROOT / "sample_data"

# The customer corpus lies beside the checkout on developer machines and in CI, never in the
# repository: a user's fresh clone has no ../shared. Tests reach it only through the `corpus` and
# `seed_file` fixtures or `corpus_lines()`, so that without it they skip (with this reason) instead
# of breaking collection; NEWSREVIEW_REQUIRE_CORPUS=1 (CI) makes a missing corpus a failure.
CORPUS = ROOT.parent / "shared" / "corpus"
SEED_NAME = "000_6311b4fd48edb408.txt"
NO_CORPUS = "needs ../shared/corpus beside the checkout (not in a user's clone)"

_ids = itertools.count(1)


def _corpus_required() -> bool:
    return os.environ.get("NEWSREVIEW_REQUIRE_CORPUS", "") not in {"", "0"}


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "corpus: needs ../shared/corpus (skipped without it, unless required)",
    )


def pytest_collection_modifyitems(items):
    # Marks, not only the fixture's skip, so that -ra lists each test at its own line (skipif:
    # pytest folds plain skip marks into one line per file).
    if CORPUS.is_dir() or _corpus_required():
        return
    for item in items:
        if item.get_closest_marker("corpus") or {"corpus", "seed_file"} & set(
            item.fixturenames
        ):
            item.add_marker(pytest.mark.skipif(True, reason=NO_CORPUS))


@pytest.fixture(scope="session")
def corpus() -> Path:
    """../shared/corpus; skips the test when it is missing (fails under NEWSREVIEW_REQUIRE_CORPUS)."""
    if not CORPUS.is_dir():
        if _corpus_required():
            pytest.fail(
                f"the corpus is required (NEWSREVIEW_REQUIRE_CORPUS) but {CORPUS} is missing",
                pytrace=False,
            )
        pytest.skip(NO_CORPUS)
    return CORPUS


@pytest.fixture(scope="session")
def seed_file(corpus) -> Path:
    """The seed article: one BBC page of 29 paragraphs, as the scraper wrote it."""
    return corpus / "seed" / SEED_NAME


@pytest.fixture(autouse=True)
def _learned_model_from_a_fresh_database():
    """Every test starts as a fresh database does: the starting model in use and the default
    accept threshold, known to the process without a query (the caches outlive a test's
    rolled-back rows otherwise). Training in a test replaces them (articles.boilerplate)."""
    from articles.boilerplate import model, threshold

    model.remember(model.starting_model())
    threshold.remember(threshold.DEFAULT)
    yield
    model.remember(model.starting_model())
    threshold.remember(threshold.DEFAULT)


@pytest.fixture(autouse=True)
def _corpus_for_marked_tests(request):
    # Parameters made by corpus_lines() carry the corpus mark; they need the folder like the rest.
    if request.node.get_closest_marker("corpus"):
        request.getfixturevalue("corpus")


def corpus_lines(relative: str) -> list:
    """The non-empty lines of a corpus file as pytest params marked `corpus`, for parametrize.

    Read at import time, so without the corpus this gives one placeholder param instead (marked
    too, hence skipped or failed like any test that needs the corpus) rather than a collection
    error.
    """
    if not CORPUS.is_dir():
        return [pytest.param(None, marks=pytest.mark.corpus, id=f"{relative}-missing")]
    path = CORPUS / relative
    return [
        pytest.param(line, marks=pytest.mark.corpus)
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def _recreate_roles() -> None:
    # Transactional tests (live server, threads) end with a flush that removes what the data
    # migration made, and serialized_rollback does not bring it back once Playwright's page
    # fixture is involved (pytest-django#1117). Make permissions and groups again, from the
    # migration's own lists.
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.models import ContentType

    roles = importlib.import_module("articles.migrations.0002_roles")
    boilerplate = importlib.import_module("articles.migrations.0004_boilerplate")
    lead_views = importlib.import_module(
        "articles.migrations.0005_export_indexes_lead_views"
    )
    revisions = importlib.import_module("articles.migrations.0011_revisions")
    quality = importlib.import_module("articles.migrations.0012_quality")
    dashboard = importlib.import_module("articles.migrations.0014_dashboard")
    pipeline = importlib.import_module("articles.migrations.0016_pipeline")
    ContentType.objects.clear_cache()
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    for name, codenames in (
        ("Reviewer", roles.REVIEWER),
        (
            "Lead",
            [
                *roles.LEAD,
                *boilerplate.LEAD,
                *lead_views.LEAD,
                *revisions.LEAD,
                *quality.LEAD,
                *dashboard.LEAD,
                *pipeline.LEAD,
            ],
        ),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label="articles", codename__in=codenames
            )
        )


def _role(name: str) -> Group:
    group = Group.objects.filter(name=name).first()
    if group is None:
        _recreate_roles()
        group = Group.objects.get(name=name)
    return group


def _user(username: str, *, group: str | None = None, staff: bool = False) -> User:
    user = User.objects.create_user(username, password="pw-" + username, is_staff=staff)
    if group:
        user.groups.add(_role(group))
    return user


@pytest.fixture
def reviewer(db) -> User:
    return _user("rita", group="Reviewer")


@pytest.fixture
def other_reviewer(db) -> User:
    return _user("oskar", group="Reviewer")


@pytest.fixture
def lead(db) -> User:
    return _user("lena", group="Lead")


@pytest.fixture
def staff(db) -> User:
    return _user("sam", group="Lead", staff=True)


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("root", password="pw-root")


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def make_article(db):
    """Create an article with paragraphs through the ORM; counts and status follow the labels.

    make_article(paragraphs=["<b>Lead</b>", "Text"], labels=["verified", ""], source="bbc.co.uk")
    """

    def make(
        *,
        paragraphs: list[str] | None = None,
        labels: list[str] | None = None,
        n: int = 3,
        source: str = "example.com",
        title: str | None = None,
        labeled_by: User | None = None,
        **fields,
    ) -> Article:
        number = next(_ids)
        paragraphs = paragraphs or [
            f"Paragraph {i} of article {number}." for i in range(1, n + 1)
        ]
        labels = labels or [""] * len(paragraphs)
        counts = dict.fromkeys(COUNT_FIELD.values(), 0)
        for label in labels:
            if label:
                counts[COUNT_FIELD[Label(label)]] += 1
        article = Article.objects.create(
            external_id=fields.pop("external_id", f"article-{number:05d}"),
            title=title or f"Article {number}",
            source=source,
            url=fields.pop("url", f"https://{source}/news/{number}"),
            content_hash=hashlib.sha256(repr(paragraphs).encode()).hexdigest(),
            paragraph_count=len(paragraphs),
            status=derive_status(labeled=sum(counts.values()), total=len(paragraphs)),
            **counts,
            **fields,
        )
        Paragraph.objects.bulk_create(
            Paragraph(
                article=article,
                position=position,
                html=html,
                text=html,
                text_hash=hashlib.sha256(html.encode()).hexdigest()[:32],
                label=label,
                labeled_by=labeled_by if label else None,
            )
            for position, (html, label) in enumerate(
                zip(paragraphs, labels, strict=True), start=1
            )
        )
        return article

    return make


def run_queued_jobs() -> int:
    """Run every job waiting in the database, here and now, as `manage.py db_worker` would
    (its Worker.run_task on each claimed row; not its loop, which closes the connection that
    holds the test's transaction). How many ran."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while True:
        job = (
            DBTaskResult.objects.ready()
            .order_by("-priority", "run_after", "enqueued_at")
            .first()
        )
        if job is None:
            return ran
        job.claim(worker.worker_id)
        worker.run_task(job)
        ran += 1


@pytest.fixture
def run_jobs():
    return run_queued_jobs
