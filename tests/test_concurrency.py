"""Issue 5: reviewers labeling the same article at once never make counts drift or lose a change.

Real threads with their own PostgreSQL connections and row locks; SQLite serialises every write
in one process, so it cannot show these races.
"""

import random
import threading
import time

import pytest
from django.db import connection, connections
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from articles.models import (
    COUNT_FIELD,
    Article,
    Label,
    LabelEvent,
    Paragraph,
    derive_status,
)
from articles.review.labels import StaleParagraph, label_rest_as_boilerplate, set_label

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite cannot run concurrent writers (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]

THREADS = 8
SECONDS = 3.0
PARAGRAPHS = 12
CHOICES = ["", *Label.values]


def recount(article: Article) -> tuple[dict, dict]:
    """(stored counters and status, the same recomputed from the paragraphs)."""
    article.refresh_from_db()
    per_label = dict(
        Paragraph.objects.filter(article=article)
        .values_list("label")
        .annotate(n=Count("pk"))
    )
    expected = {field: per_label.get(label, 0) for label, field in COUNT_FIELD.items()}
    labeled = sum(expected.values())
    expected["status"] = derive_status(labeled=labeled, total=article.paragraph_count)
    stored = {field: getattr(article, field) for field in expected}
    return stored, expected


def run_in_threads(work, users) -> list[int]:
    changed = [0] * len(users)
    errors: list[BaseException] = []
    start = threading.Barrier(len(users))

    def worker(index: int) -> None:
        try:
            start.wait()
            changed[index] = work(users[index], random.Random(index))
        except (
            BaseException
        ) as error:  # report it in the test, not in a thread's stderr
            errors.append(error)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(users))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return changed


def test_many_reviewers_labeling_one_article_keep_counts_exact(
    make_article, django_user_model
):
    article = make_article(n=PARAGRAPHS)
    users = [
        django_user_model.objects.create_user(f"reviewer{i}") for i in range(THREADS)
    ]
    stale = [0] * THREADS

    def label_randomly(user, rng: random.Random) -> int:
        """Label random paragraphs until the deadline; return how many calls changed something."""
        accepted = 0
        deadline = time.monotonic() + SECONDS
        while time.monotonic() < deadline:
            position = rng.randint(1, PARAGRAPHS)
            if rng.random() < 0.05:
                accepted += label_rest_as_boilerplate(
                    article_id=article.pk, from_position=position, user=user
                )
                continue
            # Read what this reviewer "sees", then save with that version: if the call succeeds
            # the paragraph did not change in between, so it changed something exactly when the
            # label differs from what was seen.
            seen = Paragraph.objects.values("label", "version").get(
                article=article, position=position
            )
            label = rng.choice(CHOICES)
            try:
                set_label(
                    article_id=article.pk,
                    position=position,
                    label=label,
                    user=user,
                    method="keyboard",
                    expected_version=seen["version"],
                )
            except StaleParagraph:
                stale[users.index(user)] += 1
                continue
            accepted += label != seen["label"]
        return accepted

    accepted = run_in_threads(label_randomly, users)

    stored, expected = recount(article)
    assert stored == expected
    assert LabelEvent.objects.filter(article=article).count() == sum(accepted)
    assert sum(accepted) >= THREADS, "the threads barely ran; the test proves nothing"
    assert sum(stale) > 0, "no two reviewers ever collided; the test proves nothing"
    # The audit trail of each paragraph ends at the paragraph's label: nothing was lost.
    for paragraph in Paragraph.objects.filter(article=article):
        last = paragraph.events.order_by("-created_at", "-id").first()
        assert (last.new_value if last else "") == paragraph.label


def test_two_reviewers_posting_the_same_version_one_wins_one_gets_409(
    make_article, reviewer, other_reviewer
):
    article = make_article(n=1)
    url = reverse("articles:label", args=[article.pk, 1])
    wanted = {reviewer.pk: "verified", other_reviewer.pk: "unverified"}

    def post(user, rng: random.Random) -> int:
        client = Client()
        client.force_login(user)
        response = client.post(
            url, {"label": wanted[user.pk], "version": "0"}, HTTP_HX_REQUEST="true"
        )
        return response.status_code

    statuses = run_in_threads(post, [reviewer, other_reviewer])

    assert sorted(statuses) == [200, 409]
    winner = [reviewer, other_reviewer][statuses.index(200)]
    paragraph = Paragraph.objects.get(article=article)
    assert paragraph.label == wanted[winner.pk]
    assert paragraph.labeled_by == winner
    assert LabelEvent.objects.count() == 1
    stored, expected = recount(article)
    assert stored == expected
