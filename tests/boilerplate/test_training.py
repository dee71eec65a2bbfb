"""train_boilerplate: learning from labels set through the app, and retraining as they accrue."""

import datetime
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from articles.boilerplate import retraining
from articles.boilerplate.model import active_model
from articles.imports.importers import import_paths
from articles.models import Article, LearnedModel, SuggestionSettings
from articles.review.labels import set_label

SUGGESTED = re.compile(
    r'<li id="p-(\d+)" class="paragraph paragraph-none paragraph-suggested"'
)
CITIES = ["Kherson", "Málaga", "Zürich", "Gdańsk", "Lyon", "Porto", "Leeds"]


def credit(k: int) -> str:
    return f"Reporting by Jane Doe in {CITIES[k % 7]}; editing by John Roe ({k})."


def wire_site(tmp_path, n: int) -> list[Article]:
    """`n` wire stories: three paragraphs of reporting, a reporting credit, a copyright line;
    every text its own (nothing repeats, so only the model can suggest)."""
    path = tmp_path / "wire.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(
                {
                    "id": f"wire-{k}",
                    "title": f"Wire story {k}",
                    "source": "wire.example",
                    "paragraphs": [
                        f"The council said on Tuesday that bridge {k} would reopen by the end "
                        "of the month, according to documents seen by reporters.",
                        f"Residents near bridge {k} said they had waited for months and that "
                        "the detour had added an hour to their journeys.",
                        f"The mayor said a public meeting about bridge {k} would be held at "
                        "the town hall on Thursday evening.",
                        credit(k),
                        f"© 2024 Wire Example Ltd. All rights reserved. Story {k}.",
                    ],
                }
            )
            for k in range(n)
        ),
        encoding="utf-8",
    )
    assert import_paths([path]).failed == 0
    return list(Article.objects.order_by("pk"))


def label_through_the_app(articles, user):
    """What this desk does: the reporting is theirs to check; the credit line and the
    copyright line are not (a wire credit is boilerplate to them)."""
    for article in articles:
        for position in (1, 2, 3):
            set_label(
                article_id=article.pk, position=position, label="verified", user=user
            )
        for position in (4, 5):
            set_label(
                article_id=article.pk, position=position, label="boilerplate", user=user
            )


def suggested(client, article) -> list[int]:
    html = client.get(article.get_absolute_url()).content.decode()
    return [int(p) for p in SUGGESTED.findall(html)]


def run(*args) -> str:
    out = io.StringIO()
    call_command("train_boilerplate", *args, stdout=out)
    return out.getvalue()


def test_training_on_the_desks_labels_changes_the_suggestions(
    client, reviewer, tmp_path
):
    articles = wire_site(tmp_path, 48)
    labeled, fresh = articles[:45], articles[45:]
    client.force_login(reviewer)
    # The starting model takes the credit line for reporting, the copyright for boilerplate.
    assert suggested(client, fresh[0]) == [5]
    label_through_the_app(labeled, reviewer)

    out = run()

    model = LearnedModel.objects.get()
    assert (model.examples, model.boilerplate, model.trigger) == (225, 90, "command")
    assert model.sources == 1  # wire.example has 225 labels: a model of its own
    assert model.precision is not None
    assert (
        f"Trained boilerplate model version {model.pk} on 225 labeled paragraphs" in out
    )
    assert "(90 boilerplate)" in out
    assert "1 source with a model of its own" in out
    assert (
        "Re-scored 15 unlabeled paragraphs: 3 suggested by the previous model "
        "(version starting), 6 now; 3 new, 0 no longer suggested." in out
    )
    assert active_model().version == str(model.pk)
    assert "wire.example" in active_model().sources
    # The desk's way with credit lines is learned; the reporting is still left alone.
    for article in fresh:
        assert suggested(client, article) == [4, 5]
    html = client.get(fresh[0].get_absolute_url()).content.decode()
    assert re.search(
        r"— looks like boilerplate: [^<]*; \d+% on 225 of your labels", html
    )

    page = client.get(reverse("articles:boilerplate")).content.decode()
    assert f"Version {model.pk}, trained" in page
    assert "<strong>225 of your labels</strong> (90 boilerplate)" in page
    assert "1 source with a model of its own" in page
    assert (
        "manage.py train_boilerplate" in page or "after every 20 label changes" in page
    )


def test_too_few_labels_train_nothing_and_say_why(reviewer, tmp_path):
    articles = wire_site(tmp_path, 5)
    label_through_the_app(articles[:2], reviewer)  # 4 boilerplate, 6 other
    with pytest.raises(CommandError, match=r"4 paragraphs are labeled boilerplate"):
        run()
    assert not LearnedModel.objects.exists()
    assert "Not due" in run("--if-due")  # 10 changes, too few
    assert not SuggestionSettings.objects.filter(training_since__isnull=False).exists()


def test_one_training_at_a_time(db):
    assert retraining.claim_training()
    assert not retraining.claim_training()
    assert retraining.training_running()
    with pytest.raises(CommandError, match="Another training run is under way"):
        run()
    retraining.release_training()
    assert retraining.claim_training()
    # A claim older than 15 minutes belongs to a run that died: it can be taken over.
    SuggestionSettings.objects.update(
        training_since=timezone.now() - datetime.timedelta(minutes=20)
    )
    assert not retraining.training_running()
    assert retraining.claim_training()


@pytest.fixture
def background(settings):
    settings.NEWSREVIEW_BOILERPLATE_RETRAIN = "background"
    retraining._changes["count"] = 0
    yield
    retraining._changes["count"] = 0


def test_every_20th_label_change_asks_after_commit_whether_to_train(
    background, reviewer, tmp_path, django_capture_on_commit_callbacks
):
    articles = wire_site(tmp_path, 4)
    with django_capture_on_commit_callbacks() as callbacks:
        label_through_the_app(articles[:3], reviewer)  # 15 changes
    assert retraining.maybe_start_training not in callbacks
    with django_capture_on_commit_callbacks() as callbacks:
        label_through_the_app(articles[3:], reviewer)  # the 20th change
    assert callbacks.count(retraining.maybe_start_training) == 1
    # 20 changes, but 8 boilerplate labels: nothing is due, nothing is started.
    assert not retraining.due()
    assert retraining.maybe_start_training() is False


def test_training_is_due_after_20_changes_with_enough_labels_of_each_kind(
    reviewer, tmp_path
):
    articles = wire_site(tmp_path, 25)
    assert not retraining.due()
    label_through_the_app(articles[:20], reviewer)
    assert retraining.due()
    run("--if-due")
    assert not retraining.due()  # nothing changed since
    label_through_the_app(articles[20:24], reviewer)  # 20 more changes
    assert retraining.due()
    # A background start is refused while a training holds the guard.
    assert retraining.claim_training()
    assert retraining.maybe_start_training() is False
