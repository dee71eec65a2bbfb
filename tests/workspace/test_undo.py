"""Undo on the review page (issue 13): one action back per press, in the audit trail, refused
when a colleague changed the paragraph since."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from articles.models import Article, LabelEvent, Paragraph
from articles.review.labels import (
    accept_suggestions,
    label_rest_as_boilerplate,
    reset_article,
    set_label,
    set_note,
)
from articles.review.undo import UndoRefused, undo_last


def labels_of(article) -> list[str]:
    return list(article.paragraphs.order_by("position").values_list("label", flat=True))


def undo_url(article) -> str:
    return reverse("articles:undo", args=[article.pk])


def test_a_label_then_undo_leaves_the_paragraph_as_it_was_with_two_events(
    reviewer_client, reviewer, make_article
):
    article = make_article(n=3)
    reviewer_client.post(
        reverse("articles:label", args=[article.pk, 2]), {"label": "verified"}
    )
    response = reviewer_client.post(undo_url(article), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "review:undone" in response["HX-Trigger"]
    assert "paragraph 2 is Unlabeled again" in response["HX-Trigger"]
    paragraph = Paragraph.objects.get(article=article, position=2)
    assert (paragraph.label, paragraph.labeled_by, paragraph.labeled_at) == (
        "",
        None,
        None,
    )
    assert list(
        LabelEvent.objects.order_by("pk").values_list(
            "method", "old_value", "new_value", "user__username"
        )
    ) == [
        ("click", "", "verified", "rita"),
        ("undo", "verified", "", "rita"),
    ]
    events = list(LabelEvent.objects.values_list("batch", flat=True))
    assert events[0] == events[1] is not None
    article.refresh_from_db()
    assert (article.verified_count, article.status) == (0, "unreviewed")
    # The answer is the paragraphs and progress, as the page shows them now.
    assert 'id="p-2" class="paragraph paragraph-none' in response.text
    assert "0 of 3 labeled" in response.text


def test_undo_gives_back_the_label_and_who_set_it_before(
    reviewer, other_reviewer, make_article
):
    article = make_article(n=2)
    set_label(article_id=article.pk, position=1, label="verified", user=other_reviewer)
    before = Paragraph.objects.get(article=article, position=1)
    set_label(article_id=article.pk, position=1, label="boilerplate", user=reviewer)
    undone = undo_last(article_id=article.pk, user=reviewer)
    after = Paragraph.objects.get(article=article, position=1)
    assert (after.label, after.labeled_by) == ("verified", other_reviewer)
    # The time of oskar's event (written in the same transaction as his label).
    assert abs((after.labeled_at - before.labeled_at).total_seconds()) < 1
    assert undone.message == "Undone: paragraph 1 is Verified again."
    assert after.version == before.version + 2


def test_rest_is_boilerplate_then_undo_restores_every_paragraph(reviewer, make_article):
    article = make_article(n=5, labels=["verified", "", "unverified", "", ""])
    label_rest_as_boilerplate(article_id=article.pk, from_position=1, user=reviewer)
    assert (
        labels_of(article)
        == ["boilerplate", "boilerplate", "unverified"] + ["boilerplate"] * 2
    )
    undone = undo_last(article_id=article.pk, user=reviewer)
    assert labels_of(article) == ["verified", "", "unverified", "", ""]
    assert undone.positions == [1, 2, 4, 5]
    assert "4 paragraphs back as they were" in undone.message
    article.refresh_from_db()
    assert (
        article.verified_count,
        article.unverified_count,
        article.boilerplate_count,
    ) == (
        1,
        1,
        0,
    )
    assert LabelEvent.objects.filter(method="undo").count() == 4


def test_accepted_suggestions_are_one_action(reviewer, make_article):
    footer = "© 2024 Example. All rights reserved."
    # Two paragraphs that read like reporting (no suggestion), then a copyright footer.
    article = make_article(
        paragraphs=[
            "The council said on Tuesday that the bridge over the river would reopen by "
            "the end of the month, according to documents seen by reporters.",
            "Residents said they had waited for months and that the detour had added an "
            "hour to their daily journeys to work and to school.",
            footer,
        ]
    )
    Paragraph.objects.filter(article=article, position=3).update(cues=1)  # copyright
    assert accept_suggestions(article_id=article.pk, user=reviewer) == 1
    assert labels_of(article)[2] == "boilerplate"
    undo_last(article_id=article.pk, user=reviewer)
    assert labels_of(article) == ["", "", ""]


def test_a_note_is_undone_to_the_note_before(reviewer, make_article):
    article = make_article(n=1)
    set_note(article_id=article.pk, position=1, note="first", user=reviewer)
    set_note(article_id=article.pk, position=1, note="second", user=reviewer)
    assert "note is back" in undo_last(article_id=article.pk, user=reviewer).message
    assert Paragraph.objects.get(article=article).note == "first"


def test_repeated_undo_walks_back_then_says_there_is_nothing_left(
    reviewer, make_article
):
    article = make_article(n=2)
    set_label(article_id=article.pk, position=1, label="verified", user=reviewer)
    set_label(article_id=article.pk, position=1, label="unverified", user=reviewer)
    set_label(article_id=article.pk, position=2, label="boilerplate", user=reviewer)
    undo_last(article_id=article.pk, user=reviewer)
    assert labels_of(article) == ["unverified", ""]
    undo_last(article_id=article.pk, user=reviewer)
    assert labels_of(article) == ["verified", ""]
    undo_last(article_id=article.pk, user=reviewer)
    assert labels_of(article) == ["", ""]
    with pytest.raises(UndoRefused, match="Nothing of yours to undo"):
        undo_last(article_id=article.pk, user=reviewer)


def test_undo_is_refused_naming_the_paragraph_when_a_colleague_changed_it(
    reviewer_client, reviewer, other_reviewer, make_article
):
    article = make_article(n=3)
    label_rest_as_boilerplate(article_id=article.pk, from_position=1, user=reviewer)
    set_label(article_id=article.pk, position=3, label="verified", user=other_reviewer)
    response = reviewer_client.post(undo_url(article), HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/plain")
    assert response.text == (
        "Paragraph 3: oskar changed it to Verified since; nothing was undone."
    )
    assert labels_of(article) == ["boilerplate", "boilerplate", "verified"]
    assert not LabelEvent.objects.filter(method="undo").exists()
    # Without htmx: the same reason as a message, back at the paragraph.
    response = reviewer_client.post(undo_url(article), follow=True)
    assert response.redirect_chain[-1][0].endswith("#p-3")
    assert "Paragraph 3: oskar changed it to Verified since" in response.text


def test_someone_elses_action_is_not_mine_to_undo(
    reviewer, other_reviewer, make_article
):
    article = make_article(n=1)
    set_label(article_id=article.pk, position=1, label="verified", user=other_reviewer)
    with pytest.raises(UndoRefused, match="Nothing of yours"):
        undo_last(article_id=article.pk, user=reviewer)


def test_a_leads_reset_is_undone_in_one_step(lead, reviewer, make_article):
    article = make_article(n=3)
    for position, label in ((1, "verified"), (2, "unverified")):
        set_label(article_id=article.pk, position=position, label=label, user=reviewer)
    reset_article(article=Article.objects.get(pk=article.pk), user=lead)
    undo_last(article_id=article.pk, user=lead)
    assert labels_of(article) == ["verified", "unverified", ""]
    assert Paragraph.objects.get(article=article, position=1).labeled_by == reviewer


def test_undo_post_needs_the_label_permission_and_changes_nothing(
    client, django_user_model, reviewer, make_article
):
    article = make_article(n=1)
    set_label(article_id=article.pk, position=1, label="verified", user=reviewer)
    reader = django_user_model.objects.create_user("reader", password="pw")
    client.force_login(reader)
    assert client.post(undo_url(article)).status_code == 403
    assert client.get(undo_url(article)).status_code in (403, 405)
    assert labels_of(article) == ["verified"]


def test_undo_of_a_missing_article_is_404(reviewer_client):
    assert (
        reviewer_client.post(reverse("articles:undo", args=[999999])).status_code == 404
    )


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_two_undos_at_once_take_back_the_action_once(reviewer, make_article):
    article = make_article(n=6)
    label_rest_as_boilerplate(article_id=article.pk, from_position=1, user=reviewer)
    set_label(article_id=article.pk, position=1, label="verified", user=reviewer)
    results = []
    barrier = threading.Barrier(2)

    def press_z():
        client = Client()
        client.force_login(reviewer)
        barrier.wait()
        results.append(
            client.post(undo_url(article), HTTP_HX_REQUEST="true").status_code
        )
        connections.close_all()

    threads = [threading.Thread(target=press_z) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Two presses: the label, then the action before it; never the same one twice.
    assert sorted(results) == [200, 200]
    assert labels_of(article) == [""] * 6
    undo_events = LabelEvent.objects.filter(method="undo")
    assert undo_events.count() == 7
    article.refresh_from_db()
    assert (article.boilerplate_count, article.verified_count, article.status) == (
        0,
        0,
        "unreviewed",
    )
