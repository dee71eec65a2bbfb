"""The blind second review: sending, the blind page and its answers, submitting."""

import pytest
from django.urls import reverse

from articles.models import (
    AgreementTally,
    Article,
    Paragraph,
    SecondOpinion,
    SecondReview,
)
from articles.quality import second
from tests.quality.conftest import client_for

HTMX = {"HX-Request": "true"}
FIRST_NOTE = "Checked with the agency ZEBRA-7"


@pytest.fixture
def blind_setup(reviewed, reviewer, other_reviewer, send):
    """An article rita labeled (with a note), sent to oskar for a second review."""
    article = reviewed(labels=["verified", "unverified", "boilerplate"])
    Paragraph.objects.filter(article=article, position=1).update(note=FIRST_NOTE)
    send(article, to=other_reviewer)
    return article


def label(client, article, position, value, **extra):
    return client.post(
        reverse("articles:second_label", args=[article.pk, position]),
        {"label": value, **extra},
        headers=HTMX,
    )


def assert_blind(html: str) -> None:
    """Nothing of the first opinion: rita's name, her note, her labels' badges."""
    assert "rita" not in html
    assert FIRST_NOTE not in html
    assert "label-badge label-verified" not in html
    assert "label-badge label-unverified" not in html
    assert "label-badge label-boilerplate" not in html


def test_the_blind_page_and_its_answers_never_show_the_first_opinion(
    blind_setup, other_reviewer
):
    oskar = client_for(other_reviewer)
    page = oskar.get(reverse("articles:second_review", args=[blind_setup.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert_blind(html)
    assert html.count('class="paragraph paragraph-none"') == 3
    answer = label(oskar, blind_setup, 1, "unverified")
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "label-badge label-unverified" in text  # his own label, now
    assert "rita" not in text
    assert FIRST_NOTE not in text
    assert "1 of 3 labeled by you" in text
    note = oskar.post(
        reverse("articles:second_note", args=[blind_setup.pk, 2]),
        {"note": "A claim, no source"},
        headers=HTMX,
    )
    assert note.status_code == 200
    assert_blind(note.content.decode().replace("label-badge label-unverified", ""))
    # The first opinion is untouched; the second is kept beside it.
    paragraph = Paragraph.objects.get(article=blind_setup, position=1)
    assert paragraph.label == "verified"
    opinion = SecondOpinion.objects.get(paragraph=paragraph)
    assert (opinion.label, opinion.version) == ("unverified", 1)


def test_the_review_page_and_queue_stay_blind_for_the_second_reviewer(
    blind_setup, other_reviewer, reviewer
):
    Article.objects.filter(pk=blind_setup.pk).update(assigned_to=reviewer)
    oskar = client_for(other_reviewer)
    response = oskar.get(blind_setup.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "articles:second_review", args=[blind_setup.pk]
    )
    queue = oskar.get(reverse("articles:queue")).content.decode()
    assert "Your second review" in queue
    assert "rita" not in queue
    export = b"".join(
        oskar.get(reverse("articles:export_paragraphs")).streaming_content
    )
    assert FIRST_NOTE.encode() not in export
    assert blind_setup.external_id.encode() not in export


def test_only_the_assigned_second_reviewer_opens_or_writes_it(
    blind_setup, reviewer, lead
):
    for person in (reviewer, lead):
        client = client_for(person)
        assert (
            client.get(
                reverse("articles:second_review", args=[blind_setup.pk])
            ).status_code
            == 403
        )
        assert label(client, blind_setup, 1, "verified").status_code == 403
    assert not SecondOpinion.objects.exclude(label="").exists()


def test_a_stale_second_label_is_refused_with_409(blind_setup, other_reviewer):
    oskar = client_for(other_reviewer)
    label(oskar, blind_setup, 1, "verified", version="0")
    stale = label(oskar, blind_setup, 1, "boilerplate", version="0")
    assert stale.status_code == 409
    assert "another tab" in stale.content.decode()
    assert SecondOpinion.objects.get(paragraph__position=1).label == "verified"


def test_submitting_needs_every_paragraph_then_compares_and_tallies(
    blind_setup, other_reviewer, reviewer
):
    oskar = client_for(other_reviewer)
    finish = reverse("articles:second_finish", args=[blind_setup.pk])
    label(oskar, blind_setup, 1, "verified")
    early = oskar.post(finish, follow=True)
    assert "2 paragraphs still need your label" in early.content.decode()
    assert SecondReview.objects.get().finished_at is None
    label(oskar, blind_setup, 2, "verified")
    label(oskar, blind_setup, 3, "boilerplate")
    assert oskar.post(finish).status_code == 302
    review = SecondReview.objects.get()
    assert (review.compared, review.agreed) == (3, 2)
    assert review.agreement_percent == pytest.approx(200 / 3)
    cells = {
        (row.first_label, row.second_label): row.paragraphs
        for row in AgreementTally.objects.filter(
            first_user=reviewer, second_user=other_reviewer
        )
    }
    assert cells == {
        ("verified", "verified"): 1,
        ("unverified", "verified"): 1,
        ("boilerplate", "boilerplate"): 1,
    }
    # Submitted: it no longer changes, and the review page is open to him again.
    assert label(oskar, blind_setup, 1, "boilerplate").status_code == 409
    assert SecondOpinion.objects.get(paragraph__position=1).label == "verified"
    assert oskar.get(blind_setup.get_absolute_url()).status_code == 200
    assert oskar.post(finish).status_code == 302
    assert AgreementTally.objects.get(first_label="verified").paragraphs == 1


def test_send_skips_what_cannot_go_and_says_why(
    reviewed, make_article, lead, reviewer, other_reviewer
):
    ready = reviewed()
    own = reviewed(by=other_reviewer)
    half = make_article(labels=["verified", "", ""])
    result = second.send_to_second_review(
        article_ids=[ready.pk, own.pk, half.pk, 987654],
        reviewer=other_reviewer,
        by=lead,
    )
    assert result.sent == 1
    assert result.skipped == {
        "no such article": 1,
        "labeled in part by the second reviewer": 1,
        "not fully labeled yet": 1,
    }
    again = second.send_to_second_review(
        article_ids=[ready.pk], reviewer=other_reviewer, by=lead
    )
    assert (again.sent, again.skipped) == (0, {"in a second review already": 1})
    assert SecondOpinion.objects.filter(article=ready).count() == 3


def test_a_share_of_each_sources_reviewed_articles_goes_from_the_queue(
    reviewed, make_article, lead_client, other_reviewer
):
    for _ in range(20):
        reviewed(source="a.example")
    for _ in range(5):
        reviewed(source="b.example")
    make_article(source="a.example")  # unreviewed: never drawn
    response = lead_client.post(
        reverse("articles:send_second_review"),
        {"reviewer": other_reviewer.pk, "mode": "share", "percent": "10"},
    )
    assert response.status_code == 302
    by_source = {
        source: SecondReview.objects.filter(article__source=source).count()
        for source in ("a.example", "b.example")
    }
    # 10% rounded up, per source.
    assert by_source == {"a.example": 2, "b.example": 1}
    assert set(
        Article.objects.filter(second_review__isnull=False).values_list(
            "status", flat=True
        )
    ) == {"reviewed"}


def test_chosen_articles_go_from_the_queue_within_its_filters(
    reviewed, lead_client, other_reviewer
):
    chosen = [reviewed(), reviewed()]
    reviewed()
    response = lead_client.post(
        reverse("articles:send_second_review"),
        {
            "reviewer": other_reviewer.pk,
            "mode": "chosen",
            "article": [str(article.pk) for article in chosen],
            "next": "/?status=reviewed",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/?status=reviewed"
    assert set(SecondReview.objects.values_list("article_id", flat=True)) == {
        article.pk for article in chosen
    }
    page = lead_client.get(response["Location"]).content.decode()
    assert "Sent 2 articles to oskar" in page


def test_a_reviewer_cannot_send_to_second_review(reviewer_client, reviewed, reviewer):
    article = reviewed()
    response = reviewer_client.post(
        reverse("articles:send_second_review"),
        {"reviewer": reviewer.pk, "mode": "chosen", "article": [article.pk]},
    )
    assert response.status_code == 403
    assert not SecondReview.objects.exists()


def test_the_queue_offers_the_send_to_leads_only(lead_client, reviewer, reviewed):
    reviewed()
    send_url = reverse("articles:send_second_review")
    lead_page = lead_client.get(reverse("articles:queue")).content.decode()
    # One selection for every bulk action: the rows' ticks belong to #queue-bulk, and the
    # second review's button posts them to its own view.
    assert 'id="queue-bulk"' in lead_page
    assert 'form="queue-bulk"' in lead_page
    assert f'formaction="{send_url}"' in lead_page
    assert 'id="second-reviewer"' in lead_page
    reviewer_page = client_for(reviewer).get(reverse("articles:queue")).content.decode()
    assert send_url not in reviewer_page
    assert "second-reviewer" not in reviewer_page


def test_the_queues_selection_sends_the_ticked_rows(
    reviewed, lead_client, other_reviewer
):
    chosen = [reviewed(), reviewed()]
    reviewed()
    response = lead_client.post(
        reverse("articles:send_second_review"),
        {
            # What the queue's one selection form sends when its second-review button is used.
            "scope": "selected",
            "ids": [str(article.pk) for article in chosen],
            "query": "status=reviewed",
            "action": "assign",
            "assignee": "me",
            "reviewer": other_reviewer.pk,
            "percent": "10",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/?status=reviewed"
    assert set(SecondReview.objects.values_list("article_id", flat=True)) == {
        article.pk for article in chosen
    }
    assert not Article.objects.filter(assigned_to__isnull=False).exists()


def test_the_queues_all_matching_sends_a_share_within_its_filters(
    reviewed, lead_client, other_reviewer
):
    for _ in range(20):
        reviewed(source="a.example")
    for _ in range(5):
        reviewed(source="b.example")
    response = lead_client.post(
        reverse("articles:send_second_review"),
        {
            "scope": "matching",
            "query": "source=b.example",
            "reviewer": other_reviewer.pk,
            "percent": "40",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/?source=b.example"
    sources = list(SecondReview.objects.values_list("article__source", flat=True))
    assert sources == ["b.example", "b.example"]  # 40% of 5, none of a.example


def test_a_label_after_submitting_elsewhere_is_a_409_with_the_reason(
    blind_setup, other_reviewer
):
    oskar = client_for(other_reviewer)
    for position, value in ((1, "verified"), (2, "verified"), (3, "boilerplate")):
        label(oskar, blind_setup, position, value)
    oskar.post(reverse("articles:second_finish", args=[blind_setup.pk]))
    late = label(oskar, blind_setup, 2, "unverified")
    assert late.status_code == 409
    assert "submitted already" in late.content.decode()
    assert "rita" not in late.content.decode()
    assert SecondOpinion.objects.get(paragraph__position=2).label == "verified"


def test_the_queue_filters_articles_in_a_second_review(blind_setup, reviewed, lead):
    reviewed(title="Not sent")
    page = client_for(lead).get(reverse("articles:queue"), {"quality": "second_review"})
    text = page.content.decode()
    assert blind_setup.title in text
    assert "Not sent" not in text
