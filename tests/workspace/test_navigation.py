"""Next/previous follow the queue the reviewer came from (issue 13)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.review.labels import set_label

NOW = timezone.now()


def articles_by_age(make_article, specs):
    """make_article per (source, labels), the first the newest import."""
    made = []
    for age, (source, labels) in enumerate(specs):
        article = make_article(source=source, labels=labels)
        Article.objects.filter(pk=article.pk).update(
            imported_at=NOW - datetime.timedelta(minutes=age)
        )
        made.append(article)
    return made


def test_next_stays_in_the_queues_source_and_carries_the_query(
    reviewer_client, make_article
):
    a, _b, c, d = articles_by_age(
        make_article,
        [
            ("bbc.co.uk", None),
            ("cnn.com", None),
            ("bbc.co.uk", None),
            ("bbc.co.uk", None),
        ],
    )
    response = reviewer_client.get(
        reverse("articles:next", args=[a.pk]) + "?source=bbc.co.uk"
    )
    assert response.url == reverse("articles:detail", args=[c.pk]) + "?source=bbc.co.uk"
    response = reviewer_client.get(
        reverse("articles:previous", args=[d.pk]) + "?source=bbc.co.uk"
    )
    assert response.url == reverse("articles:detail", args=[c.pk]) + "?source=bbc.co.uk"
    # The review page passes the queue's query on to its links.
    page = reviewer_client.get(response.url).text
    assert f'href="/articles/{c.pk}/next/?source=bbc.co.uk"' in page
    assert 'href="/?source=bbc.co.uk">Back to your queue' in page


def test_next_follows_the_queues_sort(reviewer_client, make_article):
    zeta = make_article(title="Zeta")
    alpha = make_article(title="Alpha")
    mid = make_article(title="Mid")
    response = reviewer_client.get(
        reverse("articles:next", args=[alpha.pk]) + "?sort=title"
    )
    assert response.url.startswith(reverse("articles:detail", args=[mid.pk]))
    response = reviewer_client.get(
        reverse("articles:next", args=[mid.pk]) + "?sort=title"
    )
    assert response.url.startswith(reverse("articles:detail", args=[zeta.pk]))


def test_a_labeled_article_still_has_its_place_in_a_status_queue(
    reviewer_client, reviewer, make_article
):
    _a, b, c = articles_by_age(make_article, [("x.org", None)] * 3)
    # Reviewing `b` takes it out of "Unreviewed"; Next still goes on from its place.
    set_label(article_id=b.pk, position=1, label="verified", user=reviewer)
    response = reviewer_client.get(
        reverse("articles:next", args=[b.pk]) + "?status=unreviewed"
    )
    assert response.url.startswith(reverse("articles:detail", args=[c.pk]))


def test_next_skips_an_article_a_colleague_is_working_in(
    reviewer_client, other_reviewer, make_article
):
    a, b, c = articles_by_age(make_article, [("x.org", None)] * 3)
    set_label(article_id=b.pk, position=1, label="verified", user=other_reviewer)
    response = reviewer_client.get(reverse("articles:next", args=[a.pk]), follow=True)
    assert response.redirect_chain[-1][0].startswith(
        reverse("articles:detail", args=[c.pk])
    )
    assert (
        "Skipped 1 article another reviewer is working in right now." in response.text
    )


def test_the_end_of_the_list_says_so_and_goes_back_to_that_queue(
    reviewer_client, make_article
):
    a, _b = articles_by_age(make_article, [("bbc.co.uk", None), ("cnn.com", None)])
    response = reviewer_client.get(
        reverse("articles:next", args=[a.pk]) + "?source=bbc.co.uk", follow=True
    )
    assert response.redirect_chain[-1][0] == "/?source=bbc.co.uk"
    assert (
        "The list is done: no article after this one in this queue needs review."
        in response.text
    )


def test_hostile_queue_values_are_dropped_like_the_queue_drops_them(
    reviewer_client, make_article
):
    a, b = articles_by_age(make_article, [("x.org", None)] * 2)
    for query in (
        "?sort=DROP+TABLE",
        "?status=%00",
        "?imported_from=99999-01-01",
        "?assigned=everyone",
        "?q=" + "x" * 500,
    ):
        response = reviewer_client.get(reverse("articles:next", args=[a.pk]) + query)
        assert response.status_code == 302, query
        assert response.url.startswith(reverse("articles:detail", args=[b.pk])), query
    assert Article.objects.count() == 2


def test_articles_without_a_source_can_be_filtered(reviewer_client, make_article):
    make_article(source="", title="Sourceless")
    make_article(source="bbc.co.uk", title="With source")
    page = reviewer_client.get("/").text
    assert '<option value="(none)">(no source) (1)</option>' in page
    assert '<option value="" selected>' not in page.split('id="id_source"')[1].split(
        "</select>"
    )[0].replace('<option value="">All sources</option>', "")
    page = reviewer_client.get("/?source=(none)").text
    assert "Sourceless" in page
    assert "With source" not in page
    assert '<option value="(none)" selected>(no source) (1)</option>' in page


def test_oldest_first_walks_towards_newer_imports(reviewer_client, make_article):
    _newest, middle, oldest = articles_by_age(make_article, [("x.org", None)] * 3)
    url = reverse("articles:next", args=[oldest.pk]) + "?sort=imported"
    assert reviewer_client.get(url).url == (
        reverse("articles:detail", args=[middle.pk]) + "?sort=imported"
    )
    url = reverse("articles:previous", args=[middle.pk]) + "?sort=imported"
    assert reviewer_client.get(url).url.startswith(
        reverse("articles:detail", args=[oldest.pk])
    )
    # With a search, the walk reads the queue's matches (search, then the sort).
    url = reverse("articles:next", args=[oldest.pk]) + "?sort=imported&q=Paragraph"
    assert reviewer_client.get(url).url.startswith(
        reverse("articles:detail", args=[middle.pk])
    )
