"""What a reviewer sees of a revision: the review page, an earlier revision, the queue filter,
the import page; and what bad input to them does (nothing)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, LabelEvent, Paragraph
from tests.conftest import run_queued_jobs
from tests.revisions.conftest import label_over_http

FIRST = [
    "Officials said 34,000 people were evacuated.",
    "The river peaked on Tuesday.",
    "Shelters remain open across the region.",
    "Subscribe to our newsletter.",
]
SECOND = [
    "Officials said 36,000 people were evacuated.",  # edited figure
    "The river peaked on Tuesday.",
    "A second flood warning was issued on Thursday.",  # added
    "Subscribe to our newsletter.",
]  # "Shelters …" deleted


@pytest.fixture
def revised(reimport, reviewer_client):
    """An article labeled over HTTP in revision 1, then re-imported as SECOND."""
    reimport(FIRST)
    article = Article.objects.get()
    label_over_http(
        reviewer_client,
        article,
        {1: "verified", 2: "verified", 3: "unverified", 4: "boilerplate"},
    )
    result = reimport(SECOND)
    assert result.revised == 1
    article.refresh_from_db()
    return article


def test_the_review_page_says_which_revision_and_marks_the_changes(
    revised, reviewer_client
):
    page = reviewer_client.get(revised.get_absolute_url()).content.decode()
    assert "<strong>Revision 2</strong> (current)" in page
    assert (
        "revision 2: 2 unchanged, 1 edited, 1 added, 1 deleted; removed an unverified"
        in page
    )
    assert reverse("articles:revision", args=[revised.pk, 1]) in page
    assert page.count("Edited in revision 2") == 1
    assert page.count("Added in revision 2") == 1
    # The two unchanged paragraphs say where their labels came from.
    assert page.count("Unchanged in revision 2: label carried from revision 1.") == 2
    # The word diff, with the changed figure marked on both sides.
    assert '<del class="diff-del"><mark class="diff-number">34,000</mark></del>' in page
    assert '<ins class="diff-ins"><mark class="diff-number">36,000</mark></ins>' in page
    # The previous label, offered, not set; who and when; the one-key confirm.
    assert "Previous label: <strong>Verified</strong> — was Verified by rita, " in page
    assert 'class="previous-form"' in page
    assert "Confirm Verified <kbd>c</kbd>" in page
    assert Paragraph.objects.get(position=1).label == ""


def test_confirming_the_previous_label_labels_it_with_its_own_event(
    revised, reviewer_client, reviewer
):
    edited = Paragraph.objects.get(position=1)
    response = reviewer_client.post(
        reverse("articles:label", args=[revised.pk, 1]),
        {"label": "verified", "version": edited.version, "method": "previous"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    edited.refresh_from_db()
    assert (edited.label, edited.labeled_by) == ("verified", reviewer)
    event = LabelEvent.objects.filter(paragraph=edited).first()
    assert (event.method, event.new_value) == ("previous", "verified")
    # Still marked as edited, no longer offering the label.
    body = response.content.decode()
    assert "Edited in revision 2" in body
    assert "previous-form" not in body


def test_a_revised_review_page_costs_two_queries_more(
    revised, reimport, reviewer_client
):
    with CaptureQueriesContext(connection) as revised_page:
        reviewer_client.get(revised.get_absolute_url())
    # Counted now: the import below can push these out of the connection's query log.
    revised_count = len(revised_page)
    reimport(FIRST, name="other.txt")
    other = Article.objects.get(external_id="other")
    # Labeled just now like the revised one, so both pages read the recent activity.
    reviewer_client.post(
        reverse("articles:label", args=[other.pk, 1]),
        {"label": "verified"},
        headers={"HX-Request": "true"},
    )
    with CaptureQueriesContext(connection) as first_page:
        reviewer_client.get(other.get_absolute_url())
    # The revision list and the edited paragraphs' previous versions.
    assert revised_count == len(first_page) + 2


def test_an_earlier_revision_is_shown_read_only_with_its_labels(
    revised, reviewer_client
):
    response = reviewer_client.get(reverse("articles:revision", args=[revised.pk, 1]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Revision 1 of 2 — read-only." in page
    assert "Shelters remain open across the region." in page
    assert "Deleted in revision 2 — a removed unverified claim." in page
    assert "Edited in revision 2; its label was not carried." in page
    assert page.count("Unchanged in revision 2; label carried.") == 2
    assert '<ins class="diff-ins"><mark class="diff-number">36,000</mark></ins>' in page
    assert page.count('class="label-badge label-verified"') == 2
    main = page.split("<main", 1)[1].split("</main>")[0]
    assert 'method="post"' not in main  # read-only


def test_the_current_revision_number_redirects_to_the_review_page(
    revised, reviewer_client
):
    response = reviewer_client.get(reverse("articles:revision", args=[revised.pk, 2]))
    assert response.status_code == 302
    assert response["Location"] == revised.get_absolute_url()


@pytest.mark.parametrize("path", ["0", "3", "99999999999999999999", "-1", "1.0", "x"])
def test_hostile_revision_numbers_are_404_and_change_nothing(
    revised, reviewer_client, path
):
    before = list(Paragraph.objects.values_list("pk", "label", "version"))
    response = reviewer_client.get(f"/articles/{revised.pk}/revisions/{path}/")
    assert response.status_code == 404
    assert list(Paragraph.objects.values_list("pk", "label", "version")) == before


def test_a_revision_of_a_missing_article_is_404(reviewer_client):
    assert reviewer_client.get("/articles/424242/revisions/1/").status_code == 404


def test_the_revision_page_runs_a_constant_number_of_queries(
    revised, reviewer_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        reviewer_client.get(reverse("articles:revision", args=[revised.pk, 1]))


def test_the_queue_filters_articles_changed_since_review(
    revised, reimport, reviewer_client
):
    reimport(["Untouched."], name="quiet.txt")
    response = reviewer_client.get(reverse("articles:queue"), {"changed": "changed"})
    page = response.content.decode()
    assert revised.title in page
    assert "Untouched." not in page
    # Labeling the edited and added paragraphs takes it off the list.
    label_over_http(reviewer_client, revised, {1: "verified", 3: "unverified"})
    page = reviewer_client.get(
        reverse("articles:queue"), {"changed": "changed"}
    ).content.decode()
    assert revised.title not in page


def test_the_articles_csv_follows_the_changed_filter(
    revised, reimport, reviewer_client
):
    reimport(["Untouched."], name="quiet.txt")
    response = reviewer_client.get(
        reverse("articles:export_articles"), {"changed": "changed"}
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert len(body.strip().splitlines()) == 2  # the header and the revised article


def test_a_bad_changed_filter_is_ignored_and_said_so(revised, reviewer_client):
    response = reviewer_client.get(reverse("articles:queue"), {"changed": "<script>"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Revisions" in page
    assert "Select a valid choice" in page
    assert "<script>" not in page.split("<main", 1)[1].split("</main>")[0]


def test_the_import_page_lists_revised_files_with_their_counts(lead_client):
    def upload(paragraphs):
        response = lead_client.post(
            reverse("articles:import"),
            {"files": [SimpleUploadedFile("a.txt", repr(paragraphs).encode())]},
        )
        # An upload is a background job (articles.jobs): run it, then read the run's page.
        assert run_queued_jobs() == 1
        return lead_client.get(response["Location"]).content.decode()

    upload(FIRST)
    page = upload(SECOND)
    assert "<strong>1</strong> revised" in page
    assert "2 unchanged, 1 edited, 1 added, 1 deleted" in page
    assert "?changed=changed" in page
    assert Article.objects.get().revision == 2


def test_search_finds_the_current_revision_only(revised, reviewer_client):
    def found(word: str) -> bool:
        page = reviewer_client.get(reverse("articles:queue"), {"q": word})
        return reverse("articles:detail", args=[revised.pk]) in page.content.decode()

    assert found("Thursday")  # added in revision 2
    assert not found("Shelters")  # deleted in revision 2
    assert found("river")  # unchanged
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO articles_search_fts(articles_search_fts, rank)"
                " VALUES ('integrity-check', 1)"
            )


def test_the_admin_lists_events_of_a_paragraph_a_revision_deleted(
    revised, client, staff
):
    # The deleted "Shelters …" paragraph was labeled: its event stays, without a paragraph.
    assert LabelEvent.objects.filter(paragraph__isnull=True).exists()
    client.force_login(staff)
    assert (
        client.get(reverse("admin:articles_labelevent_changelist")).status_code == 200
    )
    for name in ("articlerevision", "paragraphsnapshot"):
        assert (
            client.get(reverse(f"admin:articles_{name}_changelist")).status_code == 200
        )
    article_page = client.get(
        reverse("admin:articles_article_change", args=[revised.pk])
    )
    assert article_page.status_code == 200
