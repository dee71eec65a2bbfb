"""The admin: constant-query lists, read-only labels and audit trail, assignment, protected deletes."""

import uuid

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, ImportRun, Label, LabelEvent, Paragraph


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _event(article: Article, user: User, position: int = 1) -> LabelEvent:
    paragraph = article.paragraphs.get(position=position)
    return LabelEvent.objects.create(
        paragraph=paragraph, article=article, user=user, new_value=Label.VERIFIED
    )


def _queries(client, url: str) -> int:
    # Warm up first: the first admin page in a process also fills Django's content-type cache
    # (one query that later pages never run), which would make the count depend on test order.
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_article_changelist_shows_progress_counts_and_assignee(
    staff_client, make_article, reviewer
):
    make_article(
        title="Flood defences hold",
        labels=["verified", "boilerplate", ""],
        assigned_to=reviewer,
    )
    response = staff_client.get(reverse("admin:articles_article_changelist"))
    page = response.content.decode()
    assert "Flood defences hold" in page
    assert "2/3 (66%)" in page
    assert "In progress" in page
    assert "rita" in page


def test_article_changelist_runs_constant_queries(
    staff_client, make_article, reviewer, other_reviewer
):
    url = reverse("admin:articles_article_changelist")
    for i in range(3):
        make_article(assigned_to=reviewer if i % 2 else other_reviewer)
    few = _queries(staff_client, url)
    for i in range(57):
        make_article(assigned_to=reviewer if i % 2 else None, source=f"site{i % 4}.org")
    many = _queries(staff_client, url)
    assert few == many
    assert many <= 12


@pytest.mark.parametrize(
    "name",
    [
        "admin:articles_paragraph_changelist",
        "admin:articles_labelevent_changelist",
        "admin:articles_importrun_changelist",
    ],
)
def test_other_changelists_run_constant_queries(
    staff_client, make_article, reviewer, staff, name
):
    url = reverse(name)

    def add(count: int) -> None:
        for _ in range(count):
            run = ImportRun.objects.create(
                state="finished", started_by=staff, files_seen=1
            )
            article = make_article(
                labels=["verified", "", ""], labeled_by=reviewer, import_run=run
            )
            _event(article, reviewer)

    add(1)
    few = _queries(staff_client, url)
    add(20)
    assert _queries(staff_client, url) == few


def test_change_page_shows_paragraphs_in_order_escaped_and_read_only(
    staff_client, make_article, reviewer
):
    article = make_article(
        paragraphs=[
            "First <b>bold</b> lead.",
            "<script>alert('x')</script> second",
            "Third {{ 7|add:1 }}",
        ],
        labels=["verified", "", "boilerplate"],
        labeled_by=reviewer,
    )
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = staff_client.get(url).content.decode()
    assert page.index("First &lt;b&gt;bold") < page.index("&lt;script&gt;alert")
    assert page.index("&lt;script&gt;alert") < page.index("Third {{ 7|add:1 }}")
    assert "<script>alert('x')</script>" not in page
    assert "<b>bold</b>" not in page
    # No editable label: the inline renders values, not form fields.
    assert 'name="paragraphs-0-label"' not in page
    assert "Verified" in page
    assert "Boilerplate" in page


def test_change_page_runs_constant_queries(staff_client, make_article, reviewer):
    short = make_article(n=3, labels=["verified", "", ""], labeled_by=reviewer)
    long = make_article(
        n=40, labels=["unverified"] * 20 + [""] * 20, labeled_by=reviewer
    )
    few = _queries(
        staff_client, reverse("admin:articles_article_change", args=[short.pk])
    )
    many = _queries(
        staff_client, reverse("admin:articles_article_change", args=[long.pk])
    )
    assert few == many


def test_saving_an_article_cannot_touch_labels_counts_or_status(
    superuser_client, make_article
):
    article = make_article(labels=["verified", "", ""])
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = superuser_client.post(
        url,
        {
            "title": "Corrected title",
            "source": "example.com",
            "url": "https://example.com/a",
            "status": "reviewed",
            "verified_count": "3",
            "content_hash": "0" * 64,
            "paragraphs-TOTAL_FORMS": "0",
            "paragraphs-INITIAL_FORMS": "3",
            "paragraphs-0-label": "boilerplate",
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Corrected title"
    assert article.status == "in_progress"
    assert article.verified_count == 1
    assert article.content_hash != "0" * 64
    assert list(article.paragraphs.values_list("label", flat=True)) == [
        "verified",
        "",
        "",
    ]


def test_articles_cannot_be_added_in_the_admin(superuser_client):
    response = superuser_client.get(reverse("admin:articles_article_add"))
    assert response.status_code == 403


@pytest.mark.parametrize("model", ["labelevent", "importrun", "paragraph"])
def test_audit_and_history_rows_cannot_be_changed_or_deleted_even_by_superusers(
    superuser_client, make_article, reviewer, model
):
    run = ImportRun.objects.create(state="finished", files_seen=1)
    article = make_article(
        labels=["verified", "", ""], labeled_by=reviewer, import_run=run
    )
    event = _event(article, reviewer)
    obj = {"labelevent": event, "importrun": run, "paragraph": event.paragraph}[model]

    delete = superuser_client.post(
        reverse(f"admin:articles_{model}_delete", args=[obj.pk]), {"post": "yes"}
    )
    change = superuser_client.post(
        reverse(f"admin:articles_{model}_change", args=[obj.pk]),
        {"new_value": "boilerplate", "label": "boilerplate", "files_seen": "9"},
    )
    add = superuser_client.post(reverse(f"admin:articles_{model}_add"), {})
    bulk = superuser_client.post(
        reverse(f"admin:articles_{model}_changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )

    assert delete.status_code == 403
    assert change.status_code == 403
    assert add.status_code == 403
    assert bulk.status_code == 200  # no such action: the list is shown again
    assert type(obj).objects.filter(pk=obj.pk).exists()
    event.refresh_from_db()
    assert event.new_value == Label.VERIFIED
    run.refresh_from_db()
    assert run.files_seen == 1
    assert Paragraph.objects.get(pk=event.paragraph_id).label == Label.VERIFIED


def test_read_only_models_still_open_for_viewing(
    superuser_client, make_article, reviewer
):
    article = make_article(labels=["verified", "", ""], labeled_by=reviewer)
    event = _event(article, reviewer)
    response = superuser_client.get(
        reverse("admin:articles_labelevent_change", args=[event.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Save" not in page.replace("Save as", "")
    assert 'name="new_value"' not in page


def test_deleting_an_article_with_label_events_shows_protected_page(
    superuser_client, make_article, reviewer
):
    article = make_article(
        title="Audited story", labels=["verified", "", ""], labeled_by=reviewer
    )
    _event(article, reviewer)
    url = reverse("admin:articles_article_delete", args=[article.pk])

    page = superuser_client.get(url)
    refused = superuser_client.post(url, {"post": "yes"})
    bulk = superuser_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"},
    )

    assert page.status_code == 200
    assert "protected related objects" in page.content.decode()
    assert refused.status_code == 200
    assert "protected related objects" in refused.content.decode()
    assert bulk.status_code == 200
    assert "protected related objects" in bulk.content.decode()
    assert Article.objects.filter(pk=article.pk).exists()
    assert article.paragraphs.count() == 3


def test_deleting_an_unreviewed_article_removes_its_paragraphs(
    superuser_client, make_article
):
    article = make_article(title="Duplicate import")
    url = reverse("admin:articles_article_delete", args=[article.pk])
    page = superuser_client.get(url).content.decode()
    assert "Are you sure" in page
    assert "permission to delete" not in page

    response = superuser_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    assert not Paragraph.objects.filter(article_id=article.pk).exists()


def test_assign_action_offers_active_reviewers_and_leads_then_assigns(
    staff_client, make_article, reviewer, lead, staff
):
    outsider = User.objects.create_user("nobody", password="x")
    retired = User.objects.create_user("gone", password="x", is_active=False)
    retired.groups.add(Group.objects.get(name="Reviewer"))
    articles = [make_article(title=f"Story {i}") for i in range(3)]
    untouched = make_article(title="Not selected")
    changelist = reverse("admin:articles_article_changelist")
    selected = [a.pk for a in articles]

    form = staff_client.post(
        changelist, {"action": "assign_selected", "_selected_action": selected}
    )
    page = form.content.decode()
    assert form.status_code == 200
    assert "Assign 3 articles" in page
    assert ">rita</option>" in page
    assert ">lena</option>" in page
    assert ">nobody" not in page
    assert ">gone" not in page

    done = staff_client.post(
        changelist,
        {
            "action": "assign_selected",
            "_selected_action": selected,
            "apply": "yes",
            "assignee": reviewer.pk,
        },
        follow=True,
    )
    assert "Assigned 3 articles to rita." in done.content.decode()
    assert set(Article.objects.filter(assigned_to=reviewer)) == set(articles)
    untouched.refresh_from_db()
    assert untouched.assigned_to is None
    assert outsider.assigned_articles.count() == 0


def test_assign_action_refuses_someone_outside_the_roles(staff_client, make_article):
    outsider = User.objects.create_user("nobody", password="x")
    article = make_article()
    response = staff_client.post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "assign_selected",
            "_selected_action": [article.pk],
            "apply": "yes",
            "assignee": outsider.pk,
        },
    )
    assert response.status_code == 200
    assert "Choose an active reviewer or lead" in response.content.decode()
    article.refresh_from_db()
    assert article.assigned_to is None


def test_unassign_action(staff_client, make_article, reviewer):
    article = make_article(assigned_to=reviewer)
    response = staff_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unassign_selected", "_selected_action": [article.pk]},
        follow=True,
    )
    assert "Unassigned 1 article." in response.content.decode()
    article.refresh_from_db()
    assert article.assigned_to is None


def test_assign_actions_need_the_assign_permission(client, make_article, reviewer):
    clerk = User.objects.create_user("clerk", password="x", is_staff=True)
    clerk.groups.add(Group.objects.get(name="Reviewer"))
    client.force_login(clerk)
    article = make_article(assigned_to=reviewer)
    page = client.get(reverse("admin:articles_article_changelist")).content.decode()
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unassign_selected", "_selected_action": [article.pk]},
    )
    assert "assign_selected" not in page
    article.refresh_from_db()
    assert article.assigned_to == reviewer


def test_import_run_errors_are_listed_readably_and_escaped(superuser_client):
    run = ImportRun.objects.create(
        state="finished",
        files_seen=2,
        articles_failed=2,
        errors=[
            {"file": "batch/<b>evil</b>.txt", "reason": "not a list of strings"},
            {"file": "batch/b.json", "reason": "line 3: invalid JSON"},
        ],
    )
    page = superuser_client.get(
        reverse("admin:articles_importrun_change", args=[run.pk])
    ).content.decode()
    assert (
        "<strong>batch/&lt;b&gt;evil&lt;/b&gt;.txt</strong>: not a list of strings"
        in page
    )
    assert "<strong>batch/b.json</strong>: line 3: invalid JSON" in page


def test_import_run_links_to_its_report_and_its_articles(staff_client, make_article):
    run = ImportRun.objects.create(state="finished", files_seen=1, articles_created=1)
    make_article(title="From this run", import_run=run)
    make_article(title="From elsewhere")
    page = staff_client.get(
        reverse("admin:articles_importrun_change", args=[run.pk])
    ).content.decode()
    report = reverse("articles:import_run", args=[run.pk])
    articles = (
        f"{reverse('admin:articles_article_changelist')}?import_run__id__exact={run.pk}"
    )
    assert f'href="{report}"' in page
    assert f'href="{articles}"' in page

    listed = staff_client.get(articles).content.decode()

    assert "From this run" in listed
    assert "From elsewhere" not in listed


def test_repeated_texts_and_propagations_are_listed_read_only(
    client, staff, make_article, django_assert_max_num_queries
):
    from articles.models import Propagation, RepeatedText

    footer = "Sign up for our morning newsletter."
    for _ in range(3):
        make_article(paragraphs=["A story.", footer], source="example.com")
    text_hash = Paragraph.objects.filter(text=footer).first().text_hash
    RepeatedText.objects.create(
        source="example.com", text_hash=text_hash, article_count=3, paragraph_count=3
    )
    RepeatedText.objects.create(source="example.com", text_hash="once", article_count=1)
    Propagation.objects.create(
        batch=uuid.uuid4(),
        source="example.com",
        text_hash=text_hash,
        label="boilerplate",
    )
    client.force_login(staff)
    with django_assert_max_num_queries(10):
        page = client.get("/admin/articles/repeatedtext/").content.decode()
    assert footer in page  # the text, found through its hash
    assert "once" not in page  # texts in a single article are not listed
    assert "boilerplate" in client.get("/admin/articles/propagation/").content.decode()
    assert client.get("/admin/articles/propagation/add/").status_code == 403
