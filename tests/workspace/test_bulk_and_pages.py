"""Bulk assignment from the queue, the paragraph page, the accept preview's input, the shortcut
setting and the error pages (issue 13)."""

import pytest
from django.template.loader import get_template
from django.urls import reverse

from articles.models import Article, LabelEvent, Paragraph, ReviewerPreferences

BULK = reverse("articles:queue_bulk")


def assigned(*articles) -> list:
    return [Article.objects.get(pk=a.pk).assigned_to_id for a in articles]


def test_a_lead_who_is_not_staff_assigns_ticked_rows(
    lead_client, lead, reviewer, make_article
):
    assert not lead.is_staff
    a, b, c = make_article(), make_article(), make_article()
    response = lead_client.post(
        BULK,
        {
            "action": "assign",
            "scope": "selected",
            "ids": [a.pk, c.pk],
            "assignee": reviewer.pk,
            "query": "source=example.com&sort=title",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/?source=example.com&sort=title"
    assert "Assigned 2 articles to rita." in response.text
    assert assigned(a, b, c) == [reviewer.pk, None, reviewer.pk]


def test_all_matching_assigns_every_article_the_queue_filter_matches(
    lead_client, lead, make_article
):
    bbc = [make_article(source="bbc.co.uk") for _ in range(3)]
    other = make_article(source="cnn.com")
    response = lead_client.post(
        BULK,
        {
            "action": "assign",
            "scope": "matching",
            "query": "source=bbc.co.uk",
            "assignee": "me",
        },
        follow=True,
    )
    assert "Assigned 3 articles to lena." in response.text
    assert assigned(*bbc, other) == [lead.pk] * 3 + [None]
    # and back to nobody
    lead_client.post(
        BULK,
        {
            "action": "assign",
            "scope": "matching",
            "query": "source=bbc.co.uk",
            "assignee": "",
        },
    )
    assert assigned(*bbc) == [None] * 3


def test_the_queue_shows_the_selection_to_leads_only(
    lead_client, reviewer, make_article
):
    article = make_article()
    page = lead_client.get("/?source=example.com").text
    assert 'id="queue-bulk"' in page
    assert f'name="ids" value="{article.pk}" form="queue-bulk"' in page
    assert '<input type="hidden" name="query" value="source=example.com">' in page
    assert "All 1 matching" in page
    # The row's link carries the queue's query, for Next/Previous.
    assert f'href="/articles/{article.pk}/?source=example.com"' in page
    lead_client.force_login(reviewer)
    page = lead_client.get("/").text
    assert 'id="queue-bulk"' not in page
    assert 'name="ids"' not in page


def test_a_reviewer_cannot_assign_in_bulk(reviewer_client, reviewer, make_article):
    article = make_article()
    response = reviewer_client.post(
        BULK,
        {
            "action": "assign",
            "scope": "selected",
            "ids": [article.pk],
            "assignee": "me",
        },
    )
    assert response.status_code == 403
    assert assigned(article) == [None]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"action": "delete_everything"}, "action"),
        ({"scope": "universe"}, "scope"),
        ({"ids": ["1", "²"]}, "ids"),
        ({"ids": ["-1"]}, "ids"),
        ({"ids": ["99999999999999999999999"]}, "ids"),
        ({"ids": [str(n) for n in range(1, 502)]}, "ids"),
        ({"assignee": "root"}, "assignee"),
        ({"assignee": "999999"}, "assignee"),
        ({"query": "q=" + "x" * 3000}, "query"),
    ],
)
def test_hostile_bulk_input_is_refused_naming_the_field(
    lead_client, make_article, data, field
):
    article = make_article()
    base = {
        "action": "assign",
        "scope": "selected",
        "ids": [article.pk],
        "assignee": "me",
    }
    response = lead_client.post(BULK, {**base, **data})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.text.startswith("Nothing was changed.")
    assert field in response.text
    assert assigned(article) == [None]


def test_no_ticked_row_is_a_message_not_a_change(lead_client, make_article):
    article = make_article()
    response = lead_client.post(
        BULK, {"action": "assign", "scope": "selected", "assignee": "me"}, follow=True
    )
    assert "Nothing was changed: tick at least one row first." in response.text
    assert assigned(article) == [None]


def test_the_paragraph_page_has_the_real_forms(reviewer_client, make_article):
    article = make_article(n=3)
    page = reviewer_client.get(reverse("articles:paragraph", args=[article.pk, 2])).text
    assert "Paragraph 2 of 3" in page
    assert page.count('class="label-form"') == 4
    assert 'class="rest-form"' in page
    assert 'class="note-form"' in page
    assert "hx-disable" in page
    assert f'href="/articles/{article.pk}/paragraphs/1/" rel="prev"' in page
    assert f'href="/articles/{article.pk}/paragraphs/3/" rel="next"' in page
    missing = reviewer_client.get(reverse("articles:paragraph", args=[article.pk, 9]))
    assert missing.status_code == 404


def test_the_article_page_has_a_handful_of_forms_and_links_each_paragraph(
    reviewer_client, make_article
):
    article = make_article(n=30)
    page = reviewer_client.get(article.get_absolute_url()).text
    assert page.count("<form") <= 6
    for position in (1, 30):
        assert f'href="/articles/{article.pk}/paragraphs/{position}/"' in page
    assert 'id="review-tools"' in page
    assert 'id="undo-form"' in page
    assert 'aria-live="polite"' in page
    assert 'data-shortcuts="on"' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"positions": ["x"]}, "positions: each must be a paragraph number."),
        ({"positions": ["0"]}, "positions: each must be a paragraph number."),
        ({"positions": ["99999999999999999999"]}, "positions: each must be"),
        ({"positions": [str(n) for n in range(1, 902)]}, "positions: give at most"),
    ],
)
def test_hostile_accept_positions_are_400_and_change_nothing(
    reviewer_client, make_article, data, message
):
    article = make_article(n=2)
    url = reverse("articles:accept_suggestions", args=[article.pk])
    response = reviewer_client.post(url, {"previewed": "1", **data})
    assert response.status_code == 400
    assert message in response.text
    assert not LabelEvent.objects.exists()


def test_the_preview_accepts_only_the_ticked_paragraphs(reviewer_client, make_article):
    article = make_article(
        paragraphs=["Story.", "© 2024 A. All rights reserved.", "© B"]
    )
    Paragraph.objects.filter(article=article, position__in=[2, 3]).update(cues=1)
    url = reverse("articles:accept_suggestions", args=[article.pk])
    page = reviewer_client.get(article.get_absolute_url()).text
    assert 'name="positions" value="2" checked' in page
    assert 'name="positions" value="3" checked' in page
    reviewer_client.post(url, {"previewed": "1", "positions": ["3"]})
    assert list(
        Paragraph.objects.filter(article=article)
        .order_by("position")
        .values_list("label", flat=True)
    ) == ["", "", "boilerplate"]
    # Nothing ticked: nothing accepted.
    reviewer_client.post(url, {"previewed": "1"})
    assert LabelEvent.objects.count() == 1


def test_shortcuts_can_be_switched_off_per_user(
    reviewer_client, reviewer, make_article
):
    article = make_article()
    url = reverse("articles:preferences")
    assert 'name="single_key_shortcuts"' in reviewer_client.get(url).text
    response = reviewer_client.post(url, {}, follow=True)
    assert "Saved: single-letter shortcuts are off." in response.text
    assert ReviewerPreferences.objects.get(user=reviewer).single_key_shortcuts is False
    assert (
        'data-shortcuts="off"' in reviewer_client.get(article.get_absolute_url()).text
    )
    reviewer_client.post(url, {"single_key_shortcuts": "on"})
    assert 'data-shortcuts="on"' in reviewer_client.get(article.get_absolute_url()).text
    # A hostile value is just "on" or "off" to a checkbox; nothing else is stored.
    reviewer_client.post(url, {"single_key_shortcuts": "<script>", "user": "1"})
    assert ReviewerPreferences.objects.count() == 1


def test_error_pages_are_in_the_sites_style(reviewer_client, settings):
    settings.DEBUG = False
    response = reviewer_client.get("/articles/999999/")
    assert response.status_code == 404
    assert "This page does not exist" in response.text
    assert 'class="site-header"' in response.text
    # 500 renders with no request and no database.
    html = get_template("500.html").render({})
    assert "Something went wrong on our side" in html
    assert "/static/css/app.css" in html


def test_a_user_without_a_role_gets_the_styled_403(client, django_user_model):
    user = django_user_model.objects.create_user("norole", password="pw")
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 403
    assert "You are not allowed to do this" in response.text
    assert "norole" in response.text
