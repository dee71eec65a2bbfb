"""Boilerplate intelligence: signals, suggestions with reasons, accepting them, applying a label
across a source and undoing it, the Boilerplate page and the paragraphs CSV (docs/boilerplate.md)."""

import csv
import io
import json

import pytest
from django.db import connection
from django.urls import reverse

from articles.boilerplate import signals, suggestions
from articles.boilerplate.propagation import (
    apply_across_source,
    propagation_preview,
    undo_propagation,
)
from articles.boilerplate.repetition import count_repetition, rebuild_repeated_texts
from articles.boilerplate.signals import static_signals
from articles.boilerplate.suggestions import Signals, Thresholds, suggest
from articles.imports.importers import import_paths
from articles.models import (
    Article,
    Label,
    LabelEvent,
    Paragraph,
    Propagation,
    RepeatedText,
    derive_status,
)
from articles.review.labels import label_rest_as_boilerplate, reset_article, set_label
from articles.sanitize import text_hash

HTMX = {"HTTP_HX_REQUEST": "true"}
RULES = Thresholds(min_articles=3, min_share=50, link_share=60, max_chars=200)
FOOTER = "Sign up for our morning newsletter and get the news in your inbox."
COPYRIGHT = "© 2024 Example News Ltd. All rights reserved."


def body(n: int, i: int) -> str:
    return (
        f"Article {n}, paragraph {i}: the council said on Tuesday that the bridge over the "
        f"river would reopen by the end of the month, according to documents ({n * 100 + i})."
    )


def write_articles(tmp_path, records, name="batch.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    return path


def import_site(tmp_path, n: int, *, source="example.com", start=0, extra=()):
    """`n` articles of `source`, each: 3 own paragraphs, `extra`, the footer, the copyright."""
    records = [
        {
            "id": f"{source}-{k}",
            "title": f"Story {k}",
            "source": source,
            "paragraphs": [
                body(k, 1),
                body(k, 2),
                body(k, 3),
                *extra,
                FOOTER,
                COPYRIGHT,
            ],
        }
        for k in range(start, start + n)
    ]
    result = import_paths(
        [write_articles(tmp_path, records, f"{source}-{start}.jsonl")]
    )
    assert result.failed == 0, result.errors
    ids = [record["id"] for record in records]
    return list(Article.objects.filter(external_id__in=ids).order_by("pk"))


def repetition_counts():
    return sorted(
        RepeatedText.objects.values_list(
            "source",
            "text_hash",
            "article_count",
            "paragraph_count",
            "boilerplate_labels",
        )
    )


def repeated(source, text):
    return RepeatedText.objects.get(source=source, text_hash=text_hash(text))


# --- signals and reasons (pure) ----------------------------------------------------------------


def test_static_signals_measure_link_text_copyright_and_calls_to_action():
    html = 'Read more: <a href="https://x.org/a" rel="noopener">What we know so far</a>'
    share, cues = static_signals(html, "Read more: What we know so far")
    assert share == 63  # 19 of 30 characters
    assert cues == signals.CALL_TO_ACTION
    assert static_signals(COPYRIGHT, COPYRIGHT) == (0, signals.COPYRIGHT)
    assert static_signals(FOOTER, FOOTER) == (0, signals.CALL_TO_ACTION)
    plain = (
        "The minister said the subscription fee would rise, following usual practice."
    )
    assert static_signals(plain, plain) == (0, 0)


def test_repetition_across_most_of_the_source_is_suggested_with_counts_in_words():
    signals = Signals(
        text=FOOTER, source="bbc.co.uk", repeated_in=37, source_articles=40, from_end=0
    )
    assert suggest(signals, RULES) == suggestions.Suggestion(
        "boilerplate", "appears in 37 of 40 bbc.co.uk articles"
    )


def test_a_fact_repeated_in_a_minority_of_articles_is_not_suggested():
    fact = "The region has a population of about 1.2 million people."
    signals = Signals(text=fact, source="bbc.co.uk", repeated_in=9, source_articles=40)
    assert suggest(signals, RULES) is None
    # Two articles are not enough, even if that is all the source has.
    assert suggest(Signals(text=fact, repeated_in=2, source_articles=2), RULES) is None


def test_static_signs_alone_no_longer_suggest_the_model_weighs_them():
    """Issue 19: the signs misfired on reporting that quotes a link; they are the learned
    model's features now (tests/boilerplate/), and without a model's score nothing is
    suggested from them alone."""
    text = "Five things to watch this week"
    assert suggest(Signals(text=text, link_share=82, from_end=0), RULES) is None
    assert suggest(Signals(text=COPYRIGHT, cues=1, from_end=1), RULES) is None
    assert suggest(Signals(text=FOOTER, cues=2, from_end=3), RULES) is None


def test_repeated_text_with_a_sign_is_suggested_below_the_share():
    signals = Signals(
        text="Read more: How the vote was counted",
        link_share=70,
        cues=2,
        source="bbc.co.uk",
        repeated_in=5,
        source_articles=100,
    )
    assert suggest(signals, RULES).reason == (
        "appears in 5 bbc.co.uk articles; “read more”, 70% link text"
    )


def test_peoples_decisions_come_first_and_name_the_person():
    signals = Signals(
        text="Weitere Themen",
        source="spiegel.de",
        people_boilerplate=12,
        boilerplate_by="maria",
    )
    assert suggest(signals, RULES).reason == (
        "labeled boilerplate in 12 spiegel.de articles, most recently by maria"
    )


# --- repetition counts at import ---------------------------------------------------------------


def test_import_counts_each_text_once_per_article_and_keeps_counting_incrementally(
    db, tmp_path
):
    import_site(tmp_path, 2, extra=[FOOTER])  # the footer twice in each article
    footer = repeated("example.com", FOOTER)
    assert (footer.article_count, footer.paragraph_count) == (2, 4)
    assert (
        RepeatedText.objects.get(source="example.com", text_hash="").article_count == 2
    )

    import_site(tmp_path, 3, start=2)
    footer.refresh_from_db()
    assert (footer.article_count, footer.paragraph_count) == (5, 7)
    assert repeated("example.com", body(3, 1)).article_count == 1
    # The same files again are "unchanged": nothing is counted twice.
    import_site(tmp_path, 3, start=2)
    footer.refresh_from_db()
    assert footer.article_count == 5
    assert (
        RepeatedText.objects.get(source="example.com", text_hash="").article_count == 5
    )
    stored = Paragraph.objects.filter(text=COPYRIGHT).values_list("cues", flat=True)
    assert set(stored) == {signals.COPYRIGHT}


def test_counts_of_big_batches_add_up_with_statements_that_do_not_depend_on_the_batch(
    db,
):
    # Statements whose text changed with every batch were each prepared and cached anew, so
    # memory grew through a long import; there are now at most two, whatever the sizes.
    statements = set()

    def remember(execute, sql, params, many, context):
        statements.add(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(remember):
        for size in (1234, 1001, 777, 3):
            hashes = [f"{n:032x}" for n in range(size)]
            count_repetition([("big.example", hashes + hashes[:2])])
    assert len(statements) <= 2  # SQLite: 500 rows, one row; PostgreSQL: arrays
    rows = RepeatedText.objects.filter(source="big.example")
    assert rows.get(text_hash="").article_count == 4
    assert rows.get(text_hash=f"{0:032x}").paragraph_count == 8
    assert rows.get(text_hash=f"{1100:032x}").article_count == 1
    assert rows.count() == 1 + 1234


def test_counts_stay_per_source(db, tmp_path):
    import_site(tmp_path, 3, source="a.example")
    import_site(tmp_path, 1, source="b.example")
    assert repeated("a.example", FOOTER).article_count == 3
    assert repeated("b.example", FOOTER).article_count == 1


def test_rebuild_gives_the_same_counts_as_the_incremental_import(
    db, tmp_path, reviewer
):
    articles = import_site(tmp_path, 4)
    set_label(article_id=articles[0].pk, position=4, label="boilerplate", user=reviewer)
    before = repetition_counts()
    rebuild_repeated_texts()
    assert repetition_counts() == before


def test_deleted_articles_leave_the_counts_as_a_recount_would_find_them(
    db, tmp_path, superuser_client
):
    articles = import_site(tmp_path, 5)
    import_site(tmp_path, 1, source="other.example")
    assert repeated("example.com", FOOTER).article_count == 5

    one = superuser_client.post(
        reverse("admin:articles_article_delete", args=[articles[0].pk]), {"post": "yes"}
    )
    bulk = superuser_client.post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [a.pk for a in articles[1:4]],
            "post": "yes",
        },
    )

    assert (one.status_code, bulk.status_code) == (302, 302)
    assert Article.objects.filter(source="example.com").count() == 1
    assert repeated("example.com", FOOTER).article_count == 1
    # A text of a deleted article only is gone; the other source is untouched.
    assert not RepeatedText.objects.filter(
        source="example.com", text_hash=text_hash(body(0, 1))
    ).exists()
    assert repeated("other.example", FOOTER).article_count == 1
    incremental = repetition_counts()
    rebuild_repeated_texts()
    assert incremental == repetition_counts()


# --- the review page ---------------------------------------------------------------------------


def test_review_page_shows_suggestions_with_reasons_and_keeps_its_query_budget(
    client, reviewer, tmp_path, django_assert_max_num_queries
):
    articles = import_site(tmp_path, 4)
    client.force_login(reviewer)
    # (7 before issue 13, which reads the reviewer's shortcut setting)
    with django_assert_max_num_queries(8):
        response = client.get(articles[0].get_absolute_url())
    html = response.content.decode()
    assert 'class="paragraph paragraph-none paragraph-suggested"' in html
    assert "Suggested: Boilerplate" in html
    assert "— appears in 4 of 4 example.com articles" in html
    assert 'id="suggestion-count" data-count="2">2 paragraphs' in html
    # Own reporting has no suggestion; the keys are in the help.
    assert html.count("paragraph-suggested") == 2
    assert "Accept this paragraph's suggestion" in html
    # Shift+A previews before it labels (issue 13): the list of what it will accept.
    assert "Review every suggestion (those at or above the Lead" in html
    assert html.count('name="positions"') == 2


def test_an_old_articles_footer_is_suggested_once_more_articles_arrive(
    client, reviewer, tmp_path
):
    first = import_site(tmp_path, 1)[0]
    client.force_login(reviewer)
    page = client.get(first.get_absolute_url()).content.decode()
    # Alone, the footer is the learned model's suggestion, its sign among the reasons.
    assert "appears in" not in page
    assert "— looks like boilerplate: “sign up”" in page
    import_site(tmp_path, 36, start=1)
    page = client.get(first.get_absolute_url()).content.decode()
    assert "appears in 37 of 37 example.com articles" in page


def test_labeled_paragraphs_show_no_suggestion(client, reviewer, tmp_path):
    article = import_site(tmp_path, 3)[0]
    set_label(article_id=article.pk, position=4, label="verified", user=reviewer)
    client.force_login(reviewer)
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count("paragraph-suggested") == 1


def test_accept_one_suggestion_labels_it_with_a_suggestion_event(
    client, reviewer, tmp_path, django_assert_max_num_queries
):
    article = import_site(tmp_path, 3)[0]
    client.force_login(reviewer)
    url = reverse("articles:accept_suggestions", args=[article.pk])
    # 16: one of them asks whether the reviewer is the article's blind second reviewer.
    with django_assert_max_num_queries(16):
        response = client.post(url, {"position": "4"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<li id="p-4" class="paragraph paragraph-boilerplate"' in html
    assert "1 of 5 labeled" in html
    paragraph = Paragraph.objects.get(article=article, position=4)
    assert (paragraph.label, paragraph.labeled_by) == ("boilerplate", reviewer)
    event = LabelEvent.objects.get()
    assert (event.method, event.new_value, event.user) == (
        "suggestion",
        "boilerplate",
        reviewer,
    )
    # A paragraph without a suggestion is not labeled by "accept".
    client.post(url, {"position": "1"}, **HTMX)
    assert Paragraph.objects.get(article=article, position=1).label == ""
    assert LabelEvent.objects.count() == 1


def test_accept_all_labels_every_suggestion_and_nothing_else(
    client, reviewer, tmp_path
):
    article = import_site(tmp_path, 3)[0]
    client.force_login(reviewer)
    response = client.post(reverse("articles:accept_suggestions", args=[article.pk]))
    assert response.status_code == 302
    labels = list(
        article.paragraphs.order_by("position").values_list("label", flat=True)
    )
    assert labels == ["", "", "", "boilerplate", "boilerplate"]
    article.refresh_from_db()
    assert (article.boilerplate_count, article.status) == (2, "in_progress")
    assert set(LabelEvent.objects.values_list("method", flat=True)) == {"suggestion"}
    assert repeated("example.com", FOOTER).boilerplate_labels == 1


def test_accept_needs_the_label_permission(client, django_user_model, tmp_path):
    article = import_site(tmp_path, 3)[0]
    client.force_login(django_user_model.objects.create_user("viewer"))
    response = client.post(reverse("articles:accept_suggestions", args=[article.pk]))
    assert response.status_code == 403
    assert not LabelEvent.objects.exists()


def test_bad_position_is_400_with_a_reason(reviewer_client, tmp_path):
    article = import_site(tmp_path, 1)[0]
    url = reverse("articles:accept_suggestions", args=[article.pk])
    response = reviewer_client.post(url, {"position": "last"})
    assert response.status_code == 400
    assert "position: give the paragraph number" in response.content.decode()


# --- people's labels feed suggestions ----------------------------------------------------------


def test_a_persons_boilerplate_label_is_suggested_for_the_same_text_elsewhere(
    client, reviewer, tmp_path
):
    # No sign of its own, reads like reporting (the model leaves it), in too few articles yet.
    line = (
        "The mayor added that a public meeting about the repairs would be held at the "
        "town hall on Thursday evening."
    )
    articles = import_site(tmp_path, 6, extra=[])
    extra = import_site(tmp_path, 2, start=10, extra=[line])
    client.force_login(reviewer)
    page = client.get(extra[1].get_absolute_url()).content.decode()
    assert line in page
    assert (
        page.count("paragraph-suggested") == 2
    )  # the footer and the copyright line only

    set_label(article_id=extra[0].pk, position=4, label="boilerplate", user=reviewer)
    assert repeated("example.com", line).boilerplate_labels == 1
    page = client.get(extra[1].get_absolute_url()).content.decode()
    assert "labeled boilerplate in 1 example.com article, most recently by rita" in page

    # Changing one's mind takes the decision back.
    set_label(article_id=extra[0].pk, position=4, label="verified", user=reviewer)
    assert repeated("example.com", line).boilerplate_labels == 0
    page = client.get(extra[1].get_absolute_url()).content.decode()
    assert "labeled boilerplate in" not in page
    assert len(articles) == 6


def test_bulk_actions_feed_the_counts_too(db, reviewer, lead, tmp_path):
    article = import_site(tmp_path, 2)[0]
    label_rest_as_boilerplate(article_id=article.pk, from_position=3, user=reviewer)
    assert repeated("example.com", FOOTER).boilerplate_labels == 1
    assert repeated("example.com", body(0, 3)).boilerplate_labels == 1
    reset_article(article=article, user=lead)
    assert repeated("example.com", FOOTER).boilerplate_labels == 0
    assert repeated("example.com", body(0, 3)).boilerplate_labels == 0


def test_label_post_statements(
    client, reviewer, tmp_path, django_assert_max_num_queries
):
    """Every label POST stays within the budget of 9 statements: a verified label runs 8
    (session, user, permissions in one query, the paragraph read and locked, its article,
    paragraph UPDATE, event INSERT, article UPDATE); a boilerplate one adds the RepeatedText
    UPDATE. A labeled paragraph has no suggestion, so a Reviewer's answer reads no repetition
    counts."""
    article = import_site(tmp_path, 3)[0]
    client.force_login(reviewer)
    control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")
    for position, label, budget in ((1, "verified", 8), (4, "boilerplate", 9)):
        url = reverse("articles:label", args=[article.pk, position])
        with django_assert_max_num_queries(14) as captured:
            response = client.post(url, {"label": label, "version": "0"}, **HTMX)
        assert response.status_code == 200
        statements = [q for q in captured if not q["sql"].startswith(control)]
        assert len(statements) == budget, label
    # Clearing it brings the suggestion back in the answer.
    url = reverse("articles:label", args=[article.pk, 4])
    response = client.post(url, {"label": "", "version": "1"}, **HTMX)
    assert "paragraph-suggested" in response.content.decode()


# --- apply across the corpus, and undo ---------------------------------------------------------


def expected_counts(article_id):
    labels = list(
        Paragraph.objects.filter(article_id=article_id).values_list("label", flat=True)
    )
    counts = {label: labels.count(label) for label in Label.values}
    labeled = sum(counts.values())
    return (
        counts["verified"],
        counts["unverified"],
        counts["boilerplate"],
        derive_status(labeled=labeled, total=len(labels)),
    )


def stored_counts(article_id):
    return Article.objects.filter(pk=article_id).values_list(
        "verified_count", "unverified_count", "boilerplate_count", "status"
    )[0]


def test_apply_across_source_labels_only_unlabeled_copies_exactly(
    db, reviewer, lead, tmp_path
):
    articles = import_site(tmp_path, 6)
    import_site(tmp_path, 2, source="other.example")
    footer = Paragraph.objects.get(article=articles[0], position=4)
    # Someone decided differently on one article: that label is kept.
    set_label(article_id=articles[1].pk, position=4, label="verified", user=reviewer)
    set_label(article_id=articles[2].pk, position=1, label="verified", user=reviewer)

    preview = propagation_preview(source="example.com", text_hash=footer.text_hash)
    assert (preview.paragraphs, preview.articles, preview.sample) == (5, 5, FOOTER)

    propagation = apply_across_source(
        source="example.com", text_hash=footer.text_hash, user=lead
    )
    assert (propagation.paragraphs, propagation.articles) == (5, 5)
    labels = dict(
        Paragraph.objects.filter(text_hash=footer.text_hash).values_list(
            "article_id", "label"
        )
    )
    other_source = set(
        Article.objects.filter(source="other.example").values_list("pk", flat=True)
    )
    assert {pk: label for pk, label in labels.items() if pk not in other_source} == {
        a.pk: ("verified" if a == articles[1] else "boilerplate") for a in articles
    }
    assert {labels[pk] for pk in other_source} == {""}
    events = LabelEvent.objects.filter(method="propagation")
    assert events.count() == 5
    assert set(events.values_list("batch", flat=True)) == {propagation.batch}
    assert set(events.values_list("user", "old_value", "new_value")) == {
        (lead.pk, "", "boilerplate")
    }
    for article in Article.objects.all():
        assert stored_counts(article.pk) == expected_counts(article.pk)
    assert repeated("example.com", FOOTER).boilerplate_labels == 5
    assert repeated("example.com", FOOTER).last_labeled_by == lead


def test_apply_runs_a_constant_number_of_statements(
    db, lead, tmp_path, django_assert_max_num_queries
):
    small = import_site(tmp_path, 3, source="small.example")
    large = import_site(tmp_path, 60, source="large.example")

    def apply(articles):
        footer = Paragraph.objects.get(article=articles[0], position=4)
        return apply_across_source(
            source=articles[0].source, text_hash=footer.text_hash, user=lead
        )

    # Lock, propagation, events, paragraphs, articles, repetition counts (and two savepoints).
    with django_assert_max_num_queries(9) as few:
        apply(small)
    with django_assert_max_num_queries(9) as many:
        apply(large)
    assert len(many) == len(few)
    for article in large:
        assert stored_counts(article.pk) == (0, 0, 1, "in_progress")


def test_undo_reverts_what_the_batch_set_and_keeps_later_changes(
    db, reviewer, lead, tmp_path
):
    articles = import_site(tmp_path, 4)
    footer = Paragraph.objects.get(article=articles[0], position=4)
    propagation = apply_across_source(
        source="example.com", text_hash=footer.text_hash, user=lead
    )
    # Meanwhile a reviewer changed one of them: undo leaves it alone.
    set_label(article_id=articles[2].pk, position=4, label="unverified", user=reviewer)

    assert undo_propagation(propagation=propagation, user=lead) == 3
    labels = list(
        Paragraph.objects.filter(text_hash=footer.text_hash)
        .order_by("article_id")
        .values_list("label", flat=True)
    )
    assert labels == ["", "", "unverified", ""]
    undo_events = LabelEvent.objects.filter(method="undo")
    assert undo_events.count() == 3
    assert set(undo_events.values_list("batch", "old_value", "new_value")) == {
        (propagation.batch, "boilerplate", "")
    }
    for article in articles:
        assert stored_counts(article.pk) == expected_counts(article.pk)
    assert repeated("example.com", FOOTER).boilerplate_labels == 0
    propagation.refresh_from_db()
    assert (propagation.undone_by, propagation.undone_paragraphs) == (lead, 3)
    # Twice is a no-op.
    assert undo_propagation(propagation=propagation, user=lead) == 0
    assert LabelEvent.objects.filter(method="undo").count() == 3


def test_lead_previews_applies_and_undoes_through_the_pages(lead_client, tmp_path):
    articles = import_site(tmp_path, 5)
    footer = Paragraph.objects.get(article=articles[0], position=4)
    url = reverse("articles:boilerplate_apply")
    query = {"source": "example.com", "text_hash": footer.text_hash}
    preview = lead_client.get(url, query).content.decode()
    assert "This will label <strong>5 unlabeled paragraphs</strong>" in preview
    assert "in <strong>5 example.com articles</strong>" in preview
    assert FOOTER in preview

    response = lead_client.post(url, {**query, "label": "boilerplate"}, follow=True)
    page = response.content.decode()
    assert "Labeled 5 paragraphs in 5 example.com articles as boilerplate." in page
    assert (
        Paragraph.objects.filter(
            text_hash=footer.text_hash, label="boilerplate"
        ).count()
        == 5
    )

    propagation = Propagation.objects.get()
    response = lead_client.post(
        reverse("articles:boilerplate_undo", args=[propagation.pk]), follow=True
    )
    assert "Undone: 5 paragraphs unlabeled again." in response.content.decode()
    assert (
        not Paragraph.objects.filter(text_hash=footer.text_hash)
        .exclude(label="")
        .exists()
    )
    assert "Undone by lena (5 reverted)." in response.content.decode()


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"text_hash": "0" * 32}, "source: give the site"),
        (
            {"source": "example.com", "text_hash": "nope"},
            "text_hash: give the 32-character",
        ),
        (
            {"source": "example.com", "text_hash": "0" * 32, "label": "spam"},
            "label: use one of",
        ),
    ],
)
def test_apply_refuses_bad_input_with_a_reason(lead_client, query, reason):
    response = lead_client.get(reverse("articles:boilerplate_apply"), query)
    assert response.status_code == 400
    assert reason in response.content.decode()


def test_apply_refuses_an_outside_next_url(lead_client, tmp_path):
    articles = import_site(tmp_path, 3)
    footer = Paragraph.objects.get(article=articles[0], position=4)
    response = lead_client.post(
        reverse("articles:boilerplate_apply"),
        {
            "source": "example.com",
            "text_hash": footer.text_hash,
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == "/boilerplate/?source=example.com"


def test_reviewers_cannot_apply_or_undo(reviewer_client, lead, tmp_path):
    articles = import_site(tmp_path, 3)
    footer = Paragraph.objects.get(article=articles[0], position=4)
    query = {"source": "example.com", "text_hash": footer.text_hash}
    assert (
        reviewer_client.get(reverse("articles:boilerplate_apply"), query).status_code
        == 403
    )
    assert (
        reviewer_client.post(reverse("articles:boilerplate_apply"), query).status_code
        == 403
    )
    propagation = apply_across_source(
        source="example.com", text_hash=footer.text_hash, user=lead
    )
    url = reverse("articles:boilerplate_undo", args=[propagation.pk])
    assert reviewer_client.post(url).status_code == 403
    assert Paragraph.objects.filter(label="boilerplate").count() == 3


# --- the Boilerplate page ----------------------------------------------------------------------


def test_boilerplate_page_lists_most_repeated_texts_with_label_mix(
    client, reviewer, lead, tmp_path, django_assert_max_num_queries
):
    articles = import_site(tmp_path, 5)
    import_site(tmp_path, 3, source="other.example")
    set_label(article_id=articles[0].pk, position=4, label="boilerplate", user=reviewer)
    set_label(article_id=articles[1].pk, position=4, label="verified", user=reviewer)
    client.force_login(reviewer)
    # 9 for the repeated texts and actions, 4 for the learned model's box (its versions,
    # the label counts, the changes since, the settings row).
    with django_assert_max_num_queries(13):
        response = client.get(
            reverse("articles:boilerplate"), {"source": "example.com"}
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert FOOTER in html
    assert COPYRIGHT in html
    assert "<strong>5</strong> of 5" in html
    assert "1 boilerplate</span>" in html
    assert "1 other</span>" in html
    assert "3 unlabeled</span>" in html
    assert "Last labeled boilerplate by rita" in html
    assert body(0, 1) not in html  # a text in one article is not repeated
    assert "other.example" not in html.split("<table")[1]  # filtered to the source
    assert "Apply to" not in html  # reviewers see, leads apply

    client.force_login(lead)
    html = client.get(reverse("articles:boilerplate")).content.decode()
    assert "Apply to 3…" in html
    assert "Apply to 5…" in html
    assert "other.example" in html


def test_boilerplate_page_queries_do_not_grow_with_rows(
    client, reviewer, tmp_path, django_assert_max_num_queries
):
    lines = [f"Promoted link number {i}: more from Example" for i in range(40)]
    import_site(tmp_path, 3, extra=lines)
    client.force_login(reviewer)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("articles:boilerplate"))
    html = response.content.decode()
    assert html.count("<tr>") == 1 + 25  # header row and one page
    assert "Page 1 of 2" in html
    with django_assert_max_num_queries(13):
        second = client.get(
            reverse("articles:boilerplate"), {"page": 2}
        ).content.decode()
    assert second.count("<tr>") == 1 + 17


# --- the paragraphs CSV ------------------------------------------------------------------------


def test_paragraphs_csv_has_the_suggestion_and_its_reason(
    reviewer_client, reviewer, tmp_path, django_assert_num_queries
):
    articles = import_site(tmp_path, 4)
    set_label(article_id=articles[0].pk, position=4, label="boilerplate", user=reviewer)
    # Session, user, the permissions (one query), the article keys, their paragraphs, their
    # texts' repetition counts: six.
    with django_assert_num_queries(6):
        response = reviewer_client.get(reverse("articles:export_paragraphs"))
        body_bytes = b"".join(response.streaming_content)
    rows = list(csv.DictReader(io.StringIO(body_bytes.decode("utf-8-sig"))))
    assert len(rows) == 20
    by_key = {(row["external_id"], row["position"]): row for row in rows}
    assert by_key[("example.com-1", "1")]["suggested_label"] == ""
    assert by_key[("example.com-1", "1")]["suggestion_reason"] == ""
    footer = by_key[("example.com-1", "4")]
    assert footer["suggested_label"] == "boilerplate"
    assert footer["suggestion_reason"] == (
        "labeled boilerplate in 1 example.com article, most recently by rita"
    )
    assert by_key[("example.com-2", "5")]["suggestion_reason"] == (
        "appears in 4 of 4 example.com articles"
    )
