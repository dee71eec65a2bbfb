"""The review page and its POSTs: what a reviewer sees, what gets saved, who may do what."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, LabelEvent, Paragraph, RepeatedText
from articles.review.labels import set_label

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def label_url(article, position):
    return reverse("articles:label", args=[article.pk, position])


def page_text(response) -> str:
    return response.content.decode()


def labels(article) -> list[str]:
    return list(article.paragraphs.order_by("position").values_list("label", flat=True))


# --- the page ---------------------------------------------------------------------------------


def test_review_page_shows_article_paragraphs_labels_and_links(
    reviewer_client, make_article, other_reviewer
):
    article = make_article(
        title="War crimes in Kherson",
        source="bbc.co.uk",
        url="https://www.bbc.co.uk/news/world-europe-1",
        paragraphs=[
            "<b>Lead</b> sentence.",
            'As the <a href="https://www.icrc.org/en/rules-of-war">ICRC says</a>.',
            "Sign up for our newsletter",
        ],
        labels=["verified", "", "boilerplate"],
        labeled_by=other_reviewer,
    )

    response = reviewer_client.get(article.get_absolute_url())

    html = page_text(response)
    assert response.status_code == 200
    assert "War crimes in Kherson" in html
    assert (
        '<a href="https://www.bbc.co.uk/news/world-europe-1" target="_blank" '
        'rel="noopener noreferrer">Original article' in html
    )
    assert '<span id="review-status" class="status-badge status-in_progress"' in html
    assert "2 of 3 labeled" in html
    assert '<progress class="progress-bar" max="3" value="2"' in html
    # Positions from 1, label in words and colour, unlabeled spelled out.
    assert '<li id="p-1" class="paragraph paragraph-verified" tabindex="0"' in html
    assert '<span class="label-badge label-verified">Verified</span>' in html
    assert '<span class="label-badge label-none">Unlabeled</span>' in html
    assert '<span class="label-badge label-boilerplate">Boilerplate</span>' in html
    assert "by oskar" in html
    # Stored HTML rendered (not escaped) with the link's domain after it.
    assert "<b>Lead</b> sentence." in html
    assert (
        'target="_blank">ICRC says</a> <span class="link-domain">(icrc.org)</span>'
        in html
    )
    assert 'data-first-unlabeled="2"' in html
    # One toolbar for the focused paragraph (issue 13), not four buttons per paragraph.
    for button, key in (
        ("Verified", "v"),
        ("Unverified", "u"),
        ("Boilerplate", "b"),
        ("Clear", "x"),
    ):
        assert html.count(f">{button} <kbd>{key}</kbd></button>") == 1
    assert 'data-version="' in html
    assert 'class="label-form"' not in html
    assert "style=" not in html
    assert "<script>" not in html


def test_stored_html_is_cleaned_again_when_rendered(reviewer_client, make_article):
    article = make_article(
        paragraphs=[
            'Hi <script>alert(1)</script><img src=x onerror=alert(2)><b onclick="x()">bold</b>'
            ' <a href="javascript:alert(3)">bad</a>'
        ]
    )

    html = page_text(reviewer_client.get(article.get_absolute_url()))

    # The stored text may say anything (here it holds the markup itself: shown escaped, e.g.
    # in Shift+A's list); what matters is that no element of the page runs it.
    page = BeautifulSoup(html, "html.parser")
    scripts = [tag for tag in page.find_all("script") if "alert" in (tag.string or "")]
    assert scripts == []
    handlers = [
        (tag.name, name)
        for tag in page.find_all(True)
        for name in tag.attrs
        if name.lower().startswith("on")
    ]
    assert handlers == []
    assert not page.select('a[href^="javascript"]')
    assert page.select_one(".paragraph-text").decode_contents().count("alert(") == 0
    assert "<b>bold</b>" in html


def test_links_open_in_a_new_tab_with_their_domain_and_keep_their_text(
    reviewer_client, make_article
):
    article = make_article(
        paragraphs=[
            'See <a href="https://www.example.org/a?x=1&amp;y=2"><b>the "report"</b></a>,'
            ' <a href="mailto:desk@example.org">write</a> or <a>nothing</a>.'
        ]
    )

    html = page_text(reviewer_client.get(article.get_absolute_url()))

    assert (
        '<a href="https://www.example.org/a?x=1&amp;y=2" rel="noopener noreferrer nofollow"'
        ' target="_blank"><b>the "report"</b></a> <span class="link-domain">(example.org)</span>,'
        in html
    )
    assert 'target="_blank">write</a> <span class="link-domain">(email)</span>' in html
    assert 'target="_blank">nothing</a>.' in html


def test_every_paragraph_form_posts_without_javascript(reviewer, make_article):
    """Each form carries its own CSRF field: without htmx there is no X-CSRFToken header.

    The forms live on each paragraph's own page (the article links every paragraph to it)."""
    # Paragraphs that read like reporting, so no suggestion adds its accept form.
    article = make_article(
        paragraphs=[
            "The council said on Tuesday that the bridge over the river would reopen by "
            "the end of the month, according to documents seen by reporters.",
            "Residents said they had waited for months and that the detour had added an "
            "hour to their daily journeys to work and to school.",
            "The mayor added that a public meeting about the repairs would be held at the "
            "town hall on Thursday evening, and that everyone was welcome.",
        ]
    )
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reviewer)
    article_page = BeautifulSoup(
        page_text(browser.get(article.get_absolute_url())), "html.parser"
    )

    def paragraph_page(position):
        link = article_page.select_one(f"#p-{position} a.paragraph-position")
        return BeautifulSoup(page_text(browser.get(link["href"])), "html.parser")

    def submit(form, **changes):
        fields = {field["name"]: field.get("value", "") for field in form("input")}
        fields.update(changes)
        return browser.post(form["action"], fields)

    page = paragraph_page(2)
    forms = page.select("#p-2 form")
    assert [form.get("class", [""])[0] for form in forms] == [
        *["label-form"] * 4,
        "rest-form",
        "note-form",
    ]
    assert all(form.select('input[name="csrfmiddlewaretoken"]') for form in forms)
    response = submit(page.select_one('#p-2 .label-form[data-label="unverified"]'))
    assert response.status_code == 302
    page = paragraph_page(1)
    response = submit(page.select_one("#p-1 .note-form"), note="Check this")
    assert response.status_code == 302
    response = submit(page.select_one("#p-1 .rest-form"))
    assert response.status_code == 302
    assert labels(article) == ["boilerplate", "unverified", "boilerplate"]
    assert Paragraph.objects.get(article=article, position=1).note == "Check this"


@pytest.mark.parametrize("n", [3, 60])
def test_review_page_query_count_does_not_grow_with_paragraphs(
    client, reviewer, other_reviewer, make_article, django_assert_max_num_queries, n
):
    article = make_article(n=n)
    for position in range(1, n + 1):
        set_label(
            article_id=article.pk,
            position=position,
            label="verified",
            user=other_reviewer,
        )
    client.force_login(reviewer)

    # session, user, permissions, article, paragraphs, who labeled them (once per person),
    # their repetition counts, recent activity, the reviewer's shortcut setting
    with django_assert_max_num_queries(9):
        response = client.get(article.get_absolute_url())

    assert page_text(response).count('class="paragraph paragraph-verified"') == n
    assert "<strong>oskar</strong> labeled" in page_text(response)


@pytest.mark.parametrize("n", [3, 60])
def test_review_page_for_a_lead_stays_within_the_same_query_budget(
    lead_client, reviewer, make_article, django_assert_max_num_queries, n
):
    article = make_article(n=n)

    # ... and for a Lead the people the article can be assigned to.
    with django_assert_max_num_queries(9):
        response = lead_client.get(article.get_absolute_url())

    html = page_text(response)
    assert f'<option value="{reviewer.pk}">rita</option>' in html
    assert "Reset labels" in html


def test_reviewer_sees_assign_to_me_but_no_lead_controls(reviewer_client, make_article):
    html = page_text(reviewer_client.get(make_article().get_absolute_url()))

    assert "Assign to me" in html
    assert 'name="assignee" id="assignee"' not in html
    assert "Reset labels" not in html


# A Reviewer's page reads the notice alone; a Lead's reads it with the assignees.
@pytest.mark.parametrize("role", ["reviewer", "lead"])
def test_notice_names_someone_else_labeling_recently(
    client, request, role, other_reviewer, make_article, settings
):
    settings.NEWSREVIEW_RECENT_ACTIVITY_MINUTES = 10
    viewer = request.getfixturevalue(role)
    client.force_login(viewer)
    article = make_article(n=4)
    for position in (1, 2, 3):
        set_label(
            article_id=article.pk,
            position=position,
            label="verified",
            user=other_reviewer,
        )
    set_label(article_id=article.pk, position=4, label="verified", user=viewer)

    html = page_text(client.get(article.get_absolute_url()))

    assert "<strong>oskar</strong> labeled 3 paragraphs here just now." in html
    assert f"<strong>{viewer.username}</strong> labeled" not in html

    LabelEvent.objects.filter(user=other_reviewer).update(
        created_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    html = page_text(client.get(article.get_absolute_url()))
    assert "oskar</strong> labeled" not in html


def test_lead_page_names_recent_others_latest_first_and_assignable_people(
    lead_client, lead, reviewer, other_reviewer, make_article
):
    from django.contrib.auth.models import User

    outsider = User.objects.create_user("ulla")  # in no review group
    retired = User.objects.create_user("vera", is_active=False)
    retired.groups.add(*reviewer.groups.all())
    article = make_article(n=4)
    for position, user in ((1, outsider), (2, reviewer), (3, reviewer), (4, lead)):
        set_label(article_id=article.pk, position=position, label="verified", user=user)
    LabelEvent.objects.filter(user=outsider).update(
        created_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    soup = BeautifulSoup(
        lead_client.get(article.get_absolute_url()).content, "html.parser"
    )

    notices = [p.get_text(" ", strip=True) for p in soup.select(".recent-activity p")]
    assert notices == [
        "rita labeled 2 paragraphs here just now.",
        "ulla labeled 1 paragraph here 1\xa0minute ago.",
    ]
    options = [option.get_text() for option in soup.select("#assignee option")]
    assert options == ["Nobody", lead.username, other_reviewer.username, "rita"]


def test_anonymous_user_is_sent_to_login(client, make_article):
    article = make_article()

    response = client.get(article.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_missing_article_is_404(reviewer_client):
    assert reviewer_client.get("/articles/999/").status_code == 404


# --- labeling ---------------------------------------------------------------------------------


def test_htmx_label_returns_paragraph_with_oob_progress_and_status(
    client, reviewer, make_article, django_assert_max_num_queries
):
    article = make_article(n=2)
    client.force_login(reviewer)

    # session, user, permissions (one query), lock paragraph, update it, insert event, update article.
    # Transaction control (BEGIN/COMMIT, or this test's SAVEPOINTs) is not counted.
    with django_assert_max_num_queries(12) as captured:
        response = client.post(
            label_url(article, 1),
            {"label": "verified", "version": "0", "method": "keyboard"},
            **HTMX,
        )
    control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")
    statements = [q for q in captured if not q["sql"].startswith(control)]
    # session, user, permissions, paragraph read and locked, its article, paragraph UPDATE,
    # event INSERT, article UPDATE
    assert len(statements) == 8

    html = page_text(response)
    assert response.status_code == 200
    assert '<li id="p-1" class="paragraph paragraph-verified"' in html
    assert (
        '<div id="review-progress" class="review-progress" hx-swap-oob="true">' in html
    )
    assert "1 of 2 labeled" in html
    assert (
        'class="status-badge status-in_progress" hx-swap-oob="true">In progress' in html
    )
    assert 'data-version="1"' in html  # what the toolbar's next POST for it sends
    assert labels(article) == ["verified", ""]
    event = LabelEvent.objects.get()
    assert (event.new_value, event.method, event.user) == (
        "verified",
        "keyboard",
        reviewer,
    )


def test_a_leads_label_answer_keeps_the_link_to_apply_it_everywhere(
    lead_client, make_article
):
    article = make_article(n=2, source="bbc.co.uk")
    paragraph = Paragraph.objects.get(article=article, position=2)
    RepeatedText.objects.create(
        source="bbc.co.uk", text_hash=paragraph.text_hash, article_count=4
    )

    response = lead_client.post(
        label_url(article, 2), {"label": "verified", "version": "0"}, **HTMX
    )

    html = page_text(response)
    assert '<li id="p-2" class="paragraph paragraph-verified"' in html
    assert "Apply a label to all 4 bbc.co.uk articles with this text…" in html


def test_label_without_htmx_redirects_back_to_the_paragraph(
    reviewer_client, make_article
):
    article = make_article(n=2)

    response = reviewer_client.post(label_url(article, 2), {"label": "boilerplate"})

    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#p-2"
    assert labels(article) == ["", "boilerplate"]


def test_clear_label_with_empty_value(reviewer_client, make_article):
    article = make_article(n=1, labels=["verified"])

    reviewer_client.post(label_url(article, 1), {"label": "", "version": "0"}, **HTMX)

    assert labels(article) == [""]
    article.refresh_from_db()
    assert (article.verified_count, article.status) == (0, "unreviewed")


def test_bad_label_is_400_with_a_clear_message(reviewer_client, make_article):
    article = make_article(n=1)

    response = reviewer_client.post(label_url(article, 1), {"label": "true"}, **HTMX)

    assert response.status_code == 400
    assert (
        "label: Select a valid choice. true is not one of the available choices."
        in (page_text(response))
    )
    assert labels(article) == [""]


def test_bad_version_is_400(reviewer_client, make_article):
    article = make_article(n=1)

    response = reviewer_client.post(
        label_url(article, 1), {"label": "verified", "version": "abc"}
    )

    assert response.status_code == 400
    assert "version: Enter a whole number." in page_text(response)


def test_label_on_missing_paragraph_is_404(reviewer_client, make_article):
    article = make_article(n=1)

    response = reviewer_client.post(label_url(article, 5), {"label": "verified"})

    assert response.status_code == 404


def test_label_needs_label_permission(client, make_article, django_user_model):
    visitor = django_user_model.objects.create_user("vic", password="pw-vic")
    client.force_login(visitor)
    article = make_article(n=1)

    response = client.post(label_url(article, 1), {"label": "verified"}, **HTMX)

    assert response.status_code == 403
    assert labels(article) == [""]
    page = page_text(client.get(article.get_absolute_url()))
    assert 'class="label-form"' not in page


def test_label_get_is_not_allowed(reviewer_client, make_article):
    article = make_article(n=1)
    assert reviewer_client.get(label_url(article, 1)).status_code == 405


def test_stale_version_is_409_and_shows_the_other_persons_label(
    reviewer_client, other_reviewer, make_article
):
    article = make_article(n=1)
    # Both loaded version 0; oskar saves first.
    set_label(
        article_id=article.pk,
        position=1,
        label="verified",
        user=other_reviewer,
        expected_version=0,
    )

    response = reviewer_client.post(
        label_url(article, 1), {"label": "unverified", "version": "0"}, **HTMX
    )

    html = page_text(response)
    assert response.status_code == 409
    assert (
        "oskar changed this paragraph to Verified while you were reading; "
        "your change was not saved." in html
    )
    assert '<span class="label-badge label-verified">Verified</span>' in html
    # The retry form carries the current version, so retrying is a deliberate overwrite.
    assert 'name="label" value="unverified">' in html
    assert "Retry: make it Unverified" in html
    assert labels(article) == ["verified"]
    assert LabelEvent.objects.count() == 1


def test_stale_version_without_htmx_redirects_with_the_message(
    reviewer_client, other_reviewer, make_article
):
    article = make_article(n=1)
    set_label(article_id=article.pk, position=1, label="", user=other_reviewer)
    set_label(
        article_id=article.pk, position=1, label="boilerplate", user=other_reviewer
    )

    response = reviewer_client.post(
        label_url(article, 1), {"label": "verified", "version": "0"}, follow=True
    )

    assert "Paragraph 1: oskar changed this paragraph to Boilerplate" in page_text(
        response
    )
    assert labels(article) == ["boilerplate"]


# --- notes, bulk, assignment, reset -----------------------------------------------------------


def test_note_is_saved_with_an_event(reviewer_client, make_article):
    article = make_article(n=1)

    response = reviewer_client.post(
        reverse("articles:note", args=[article.pk, 1]),
        {"note": "Check the 34,000 figure", "version": "0"},
        **HTMX,
    )

    assert response.status_code == 200
    # The paragraph shows its note (the page's toast and live region say "saved").
    assert (
        '<span class="paragraph-note-text">Check the 34,000 figure</span>'
        in page_text(response)
    )
    assert Paragraph.objects.get().note == "Check the 34,000 figure"
    assert LabelEvent.objects.get().field == "note"


def test_stale_note_is_409_and_keeps_the_typed_note_for_retry(
    reviewer_client, other_reviewer, make_article
):
    article = make_article(n=1)
    set_label(article_id=article.pk, position=1, label="verified", user=other_reviewer)

    response = reviewer_client.post(
        reverse("articles:note", args=[article.pk, 1]),
        {"note": "My careful note", "version": "0"},
        **HTMX,
    )

    assert response.status_code == 409
    assert "My careful note</textarea>" in page_text(response)
    assert "Retry: save my note" in page_text(response)
    assert Paragraph.objects.get().note == ""


def test_boilerplate_rest_with_htmx_returns_every_paragraph(
    reviewer_client, make_article
):
    article = make_article(n=4, labels=["verified", "", "unverified", ""])

    response = reviewer_client.post(
        reverse("articles:boilerplate_rest", args=[article.pk]),
        {"from_position": "2"},
        **HTMX,
    )

    html = page_text(response)
    assert response.status_code == 200
    assert '<ol id="paragraphs"' in html
    assert html.count('class="label-badge label-boilerplate"') == 2
    assert 'status-reviewed" hx-swap-oob="true">Reviewed' in html
    assert labels(article) == ["verified", "boilerplate", "unverified", "boilerplate"]


def test_boilerplate_rest_without_number_is_400(reviewer_client, make_article):
    article = make_article(n=2)

    response = reviewer_client.post(
        reverse("articles:boilerplate_rest", args=[article.pk]), {}
    )

    assert response.status_code == 400
    assert "from_position" in page_text(response)


def test_reviewer_takes_an_unassigned_article(reviewer_client, reviewer, make_article):
    article = make_article()

    response = reviewer_client.post(
        reverse("articles:assign", args=[article.pk]), {"assignee": "me"}, follow=True
    )

    article.refresh_from_db()
    assert article.assigned_to == reviewer
    assert "Assigned to rita." in page_text(response)
    assert "<summary>Assigned to you" in page_text(response)


def test_reviewer_cannot_take_someone_elses_article_or_assign_others(
    reviewer_client, other_reviewer, make_article
):
    article = make_article(assigned_to=other_reviewer)
    url = reverse("articles:assign", args=[article.pk])

    assert reviewer_client.post(url, {"assignee": "me"}).status_code == 403
    assert (
        reviewer_client.post(url, {"assignee": str(other_reviewer.pk)}).status_code
        == 403
    )
    article.refresh_from_db()
    assert article.assigned_to == other_reviewer


def test_lead_assigns_and_unassigns(lead_client, reviewer, make_article):
    article = make_article()
    url = reverse("articles:assign", args=[article.pk])

    lead_client.post(url, {"assignee": str(reviewer.pk)})
    article.refresh_from_db()
    assert article.assigned_to == reviewer

    lead_client.post(url, {"assignee": ""})
    article.refresh_from_db()
    assert article.assigned_to is None


def test_lead_cannot_assign_to_an_inactive_or_unknown_user(
    lead_client, reviewer, make_article
):
    article = make_article()
    reviewer.is_active = False
    reviewer.save()
    url = reverse("articles:assign", args=[article.pk])

    for value in (str(reviewer.pk), "999", "abc"):
        response = lead_client.post(url, {"assignee": value})
        assert response.status_code == 400
        assert "assignee: choose an active member" in page_text(response)
    article.refresh_from_db()
    assert article.assigned_to is None


def test_reset_needs_reset_permission(reviewer_client, make_article):
    article = make_article(n=2, labels=["verified", "verified"])

    response = reviewer_client.post(reverse("articles:reset", args=[article.pk]))

    assert response.status_code == 403
    assert labels(article) == ["verified", "verified"]


def test_lead_resets_an_article(lead_client, make_article):
    article = make_article(n=3, labels=["verified", "boilerplate", ""])

    response = lead_client.post(
        reverse("articles:reset", args=[article.pk]), follow=True
    )

    assert "Cleared 2 labels; the review starts over." in page_text(response)
    assert labels(article) == ["", "", ""]
    article.refresh_from_db()
    assert article.status == "unreviewed"
    assert LabelEvent.objects.filter(method="reset").count() == 2


def test_reset_permission_with_reading_is_enough(
    client, make_article, django_user_model
):
    # No group: reading (view_article, which every page needs) and resetting, nothing else.
    user = django_user_model.objects.create_user("rex")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles",
            codename__in=["view_article", "reset_article"],
        )
    )
    client.force_login(user)
    article = make_article(n=1, labels=["verified"])

    client.post(reverse("articles:reset", args=[article.pk]))

    assert labels(article) == [""]


# --- next / previous --------------------------------------------------------------------------


def test_next_and_previous_skip_reviewed_articles_in_queue_order(
    reviewer_client, make_article, django_assert_max_num_queries
):
    now = timezone.now()
    oldest = make_article(n=1)
    reviewed = make_article(n=1, labels=["verified"])
    middle = make_article(n=1)
    newest = make_article(n=1)
    for age, article in enumerate([newest, middle, reviewed, oldest]):
        Article.objects.filter(pk=article.pk).update(
            imported_at=now - datetime.timedelta(hours=age)
        )

    # Session, user, permissions (every page needs view_article), the article, the queue's
    # order, the articles someone else is working in (issue 13).
    with django_assert_max_num_queries(6):
        response = reviewer_client.get(reverse("articles:next", args=[newest.pk]))
    assert response["Location"] == middle.get_absolute_url()
    response = reviewer_client.get(reverse("articles:next", args=[middle.pk]))
    assert response["Location"] == oldest.get_absolute_url()
    response = reviewer_client.get(reverse("articles:previous", args=[oldest.pk]))
    assert response["Location"] == middle.get_absolute_url()


def test_same_import_time_orders_by_id(reviewer_client, make_article):
    first, second = make_article(n=1), make_article(n=1)
    Article.objects.update(imported_at=timezone.now())

    response = reviewer_client.get(reverse("articles:next", args=[second.pk]))

    assert response["Location"] == first.get_absolute_url()


def test_no_more_articles_goes_to_the_queue_with_a_message(
    reviewer_client, make_article
):
    only = make_article(n=1)

    response = reviewer_client.get(
        reverse("articles:next", args=[only.pk]), follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("articles:queue")
    assert (
        "The list is done: no article after this one in the queue needs review."
        in page_text(response)
    )


def test_the_reviewers_own_labels_need_no_query_for_who_set_them(
    client, reviewer, make_article, django_assert_max_num_queries
):
    article = make_article(n=5)
    for position in range(1, 6):
        set_label(
            article_id=article.pk, position=position, label="verified", user=reviewer
        )
    client.force_login(reviewer)

    # As above, less the query for who labeled the paragraphs: the person looking did.
    with django_assert_max_num_queries(8):
        response = client.get(article.get_absolute_url())

    assert page_text(response).count(f"by {reviewer.get_username()}") == 5
