"""Rounds of second review (articles.quality.second): one round at a time, a new one once the
last is submitted and the article changed since (a revision, or a return); the earlier round
stays as it was, and every round counts in the agreement figures for what it compared."""

import pytest
from django.db.models import Sum
from django.urls import reverse

from articles.imports.importers import import_paths
from articles.models import (
    AgreementTally,
    Article,
    ReviewStatus,
    SecondOpinion,
    SecondReview,
)
from articles.quality import adjudication, agreement, second, signoff
from articles.review.labels import set_label
from tests.quality.conftest import client_for
from tests.quality.test_signoff import seen, sign

pytestmark = pytest.mark.django_db

FIRST = [
    "<p>The council approved 12 new homes.</p>",
    "<p>The vote was 7 to 2.</p>",
    "<p>Two members abstained.</p>",
]
# Paragraph 2's figure edited; the rest unchanged.
SECOND = [FIRST[0], "<p>The vote was 8 to 1.</p>", FIRST[2]]


def _import(folder, paragraphs):
    folder.mkdir(exist_ok=True)
    (folder / "council.txt").write_text(repr(paragraphs))
    return import_paths([folder])


def _label_all(article, labels, user):
    for position, value in enumerate(labels, start=1):
        set_label(article_id=article.pk, position=position, label=value, user=user)


def _second_round(article, labels, user):
    for position, value in enumerate(labels, start=1):
        second.set_second_label(
            article_id=article.pk, position=position, label=value, user=user
        )
    return second.finish_second_review(article_id=article.pk, user=user)


def _send(article, to, lead):
    return second.send_to_second_review(article_ids=[article.pk], reviewer=to, by=lead)


@pytest.fixture
def round_one(tmp_path, reviewer, other_reviewer, lead):
    """rita labels revision 1; oskar's round 1, submitted: paragraph 3 disagrees."""
    _import(tmp_path / "a", FIRST)
    article = Article.objects.get(external_id="council")
    _label_all(article, ["verified", "verified", "unverified"], reviewer)
    assert _send(article, other_reviewer, lead).sent == 1
    _second_round(article, ["verified", "verified", "boilerplate"], other_reviewer)
    return article


def test_the_same_content_is_not_second_reviewed_twice(round_one, other_reviewer, lead):
    again = _send(round_one, other_reviewer, lead)
    assert again.sent == 0
    assert again.skipped == {second.DONE: 1}
    assert SecondReview.objects.count() == 1


def test_an_open_round_is_not_started_again(round_one, tmp_path, reviewer, lead, staff):
    _import(tmp_path / "b", SECOND)
    round_one.refresh_from_db()
    set_label(article_id=round_one.pk, position=2, label="verified", user=reviewer)
    assert _send(round_one, staff, lead).sent == 1
    again = _send(round_one, staff, lead)
    assert (again.sent, again.skipped) == (0, {second.IN_REVIEW: 1})


def test_a_revision_allows_a_new_round_and_the_first_stays_as_it_was(
    round_one, tmp_path, reviewer, other_reviewer, lead
):
    first_round = SecondReview.objects.get()
    assert (first_round.round, first_round.compared, first_round.agreed) == (1, 3, 2)
    assert _import(tmp_path / "b", SECOND).revised == 1
    round_one.refresh_from_db()
    set_label(article_id=round_one.pk, position=2, label="verified", user=reviewer)
    round_one.refresh_from_db()
    assert round_one.status == ReviewStatus.REVIEWED

    result = _send(round_one, other_reviewer, lead)

    assert result.sent == 1, result.skipped
    current = Article.objects.get(pk=round_one.pk).second_review
    assert (current.round, current.finished_at, current.content_hash) == (
        2,
        None,
        round_one.content_hash,
    )
    first_round.refresh_from_db()
    # Round 1 is history: detached from the article and its paragraphs, its figures kept.
    assert first_round.article_id is None
    assert first_round.of_article_id == round_one.pk
    assert (first_round.compared, first_round.agreed) == (3, 2)
    assert sorted(
        first_round.opinions.values_list(
            "position", "paragraph", "first_label", "label"
        )
    ) == [
        (1, None, "verified", "verified"),
        (2, None, "verified", "verified"),
        (3, None, "unverified", "boilerplate"),
    ]
    # Round 1's disagreement was about text round 2 looks at again: not to settle any more.
    assert adjudication.disagreement_count() == 0
    # Round 2 is blind again: its reviewer is sent to its page, which shows no label yet.
    oskar = client_for(other_reviewer)
    response = oskar.get(round_one.get_absolute_url())
    assert response["Location"] == reverse(
        "articles:second_review", args=[round_one.pk]
    )
    page = oskar.get(response["Location"]).content.decode()
    assert "0 of 3 labeled by you" in page
    assert "rita" not in page
    # Their overview lists round 2 open and round 1 submitted, replaced.
    overview = oskar.get(reverse("articles:quality")).content.decode()
    assert "(round 2)" in overview
    assert "(round 1, replaced by a later round)" in overview


def test_each_round_counts_in_the_agreement_figures(
    round_one, tmp_path, reviewer, other_reviewer, lead
):
    _import(tmp_path / "b", SECOND)
    round_one.refresh_from_db()
    set_label(article_id=round_one.pk, position=2, label="verified", user=reviewer)
    _send(round_one, other_reviewer, lead)
    # Round 2: oskar agrees with every first label now.
    done = _second_round(
        round_one, ["verified", "verified", "unverified"], other_reviewer
    )
    assert (done.round, done.compared, done.agreed) == (2, 3, 3)
    rounds = SecondReview.objects.filter(of_article=round_one).order_by("round")
    assert [(r.round, r.compared, r.agreed) for r in rounds] == [(1, 3, 2), (2, 3, 3)]
    # The tally holds both rounds' comparisons: 6 paragraphs compared, 5 agreed.
    assert AgreementTally.objects.aggregate(n=Sum("paragraphs"))["n"] == 6
    team = agreement.agreement_report().team
    assert team.compared == 6
    assert team.agreed == 5
    # The dashboard's agreement panel reads the same tally.
    dashboard = client_for(lead).get(
        reverse("articles:dashboard_csv", args=["agreement"])
    )
    rows = dashboard.content.decode()
    assert "rita,6,5," in rows


def test_a_return_after_the_round_allows_a_new_one_on_the_same_text(
    round_one, reviewer, other_reviewer, lead
):
    round_one.refresh_from_db()
    signoff.return_article(
        article_id=round_one.pk,
        user=lead,
        reason="Paragraph 3 is an advert.",
        seen_reviewed_at=round_one.last_reviewed_at,
        seen_hash=round_one.content_hash,
    )
    set_label(article_id=round_one.pk, position=3, label="boilerplate", user=reviewer)
    result = _send(round_one, other_reviewer, lead)
    assert result.sent == 1, result.skipped
    assert Article.objects.get(pk=round_one.pk).second_review.round == 2


def test_sign_off_looks_at_the_current_round_only(
    round_one, tmp_path, reviewer, other_reviewer, lead
):
    client = client_for(lead)
    # Round 1's disagreement holds the sign-off back.
    assert sign(client, round_one).status_code == 409
    _import(tmp_path / "b", SECOND)
    round_one.refresh_from_db()
    set_label(article_id=round_one.pk, position=2, label="verified", user=reviewer)
    _send(round_one, other_reviewer, lead)
    _second_round(round_one, ["verified", "verified", "unverified"], other_reviewer)
    # Round 2 agrees everywhere: nothing to settle, the sign-off goes through.
    response = client.post(
        reverse("articles:sign_off", args=[round_one.pk]), seen(round_one)
    )
    assert response.status_code == 302
    round_one.refresh_from_db()
    assert round_one.status == ReviewStatus.SIGNED_OFF
    assert round_one.signed_off.unsettled == 0


def test_the_lead_sees_which_round_on_the_review_page(
    round_one, tmp_path, reviewer, other_reviewer, lead
):
    _import(tmp_path / "b", SECOND)
    round_one.refresh_from_db()
    set_label(article_id=round_one.pk, position=2, label="verified", user=reviewer)
    _send(round_one, other_reviewer, lead)
    page = client_for(lead).get(round_one.get_absolute_url()).content.decode()
    assert "Second review (round 2) by <strong>oskar</strong>" in page


def test_the_database_keeps_one_current_round_per_article(round_one, lead):
    from django.db import IntegrityError, transaction

    first = SecondReview.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        SecondReview.objects.create(
            article=None,
            of_article=round_one,
            round=1,
            reviewer=lead,
            requested_by=lead,
            requested_at=first.requested_at,
        )
    # A round that is not current must have been submitted.
    with pytest.raises(IntegrityError), transaction.atomic():
        SecondReview.objects.create(
            article=None,
            of_article=round_one,
            round=2,
            reviewer=lead,
            requested_by=lead,
            requested_at=first.requested_at,
        )
    assert SecondOpinion.objects.filter(review=first).count() == 3
