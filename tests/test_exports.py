"""The CSV exports, parsed back with the csv module and compared with the database."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from django.utils import timezone

from articles.boilerplate import signals, suggestions
from articles.boilerplate.repetition import rebuild_repeated_texts
from articles.exports import csv as exports
from articles.models import Article, Paragraph
from articles.review.labels import set_label
from articles.review.reads import article_paragraphs
from tests.conftest import corpus_lines

ARTICLES_URL = reverse("articles:export_articles")
PARAGRAPHS_URL = reverse("articles:export_paragraphs")
# The payload file (params marked `corpus`: skipped on a clone without ../shared/corpus) plus
# one of each dangerous first character, and harmless look-alikes, which always run.
HOSTILE = [
    *corpus_lines("payloads/csv-injection-payloadbox.txt"),
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    '=HYPERLINK("http://evil.example","click")',
]


def download(client, url: str, params: dict | None = None) -> tuple[bytes, list[dict]]:
    """The response body and its rows as dicts; checks the envelope every export shares."""
    response = client.get(url, params or {})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    assert body.count(b"\xef\xbb\xbf") == 1
    return body, parse(body)


def parse(body: bytes) -> list[dict]:
    text = body.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def local_iso(value) -> str:
    return timezone.localtime(value).isoformat() if value else ""


def expected_article_row(article: Article) -> dict:
    return {
        "external_id": article.external_id,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "status": article.status,
        "paragraphs": str(article.paragraph_count),
        "verified": str(article.verified_count),
        "unverified": str(article.unverified_count),
        "boilerplate": str(article.boilerplate_count),
        "unlabeled": str(article.unlabeled_count),
        "progress_percent": str(article.progress_percent),
        "assigned_to": article.assigned_to.username if article.assigned_to else "",
        "last_reviewed_by": (
            article.last_reviewed_by.username if article.last_reviewed_by else ""
        ),
        "last_reviewed_at": local_iso(article.last_reviewed_at),
        "imported_at": local_iso(article.imported_at),
        "review_url": "http://testserver" + article.get_absolute_url(),
        # articles.revisions
        "revision": str(article.revision),
        "revised_at": article.revised_at.isoformat() if article.revised_at else "",
        # Quality control: nothing signed off or second-reviewed here
        # (tests/quality/test_exports.py covers them).
        "signed_off_by": "",
        "signed_off_at": "",
        "second_reviewer": "",
        "agreement_percent": "",
    }


# The suggestion's three cells of a paragraphs CSV record.
SUGGESTION = slice(
    exports.PARAGRAPH_COLUMNS.index("suggested_label"),
    exports.PARAGRAPH_COLUMNS.index("suggestion_score") + 1,
)


def review_page_suggestions(article: Article) -> dict[int, list[str]]:
    """{position: [suggested_label, suggestion_reason, suggestion_score]} of every paragraph of
    the article as the review page works them out (its read, the active model), labeled ones
    too: what the paragraphs CSV must carry."""
    paragraphs = article_paragraphs(article)
    items = suggestions.score_signals(
        [
            suggestions.paragraph_signals(
                paragraph,
                source=article.source,
                paragraph_count=article.paragraph_count,
            )
            for paragraph in paragraphs
        ],
        source=article.source,
    )
    thresholds = suggestions.Thresholds.from_settings()
    cells = {}
    for item in items:
        suggestion = suggestions.suggest(item, thresholds)
        cells[item.position] = (
            [suggestion.label, suggestion.reason, f"{suggestion.score:.2f}"]
            if suggestion
            else ["", "", ""]
        )
    return cells


def expected_paragraph_row(paragraph: Paragraph) -> dict:
    label, reason, score = review_page_suggestions(paragraph.article)[
        paragraph.position
    ]
    return {
        "external_id": paragraph.article.external_id,
        "position": str(paragraph.position),
        "label": paragraph.label,
        "labeled_by": paragraph.labeled_by.username if paragraph.labeled_by else "",
        "labeled_at": local_iso(paragraph.labeled_at),
        "note": paragraph.note,
        "text": paragraph.text,
        # The suggestion columns: tests/test_boilerplate.py and tests/boilerplate/ cover them.
        "suggested_label": label,
        "suggestion_reason": reason,
        "suggestion_score": score,
        # articles.revisions
        "revision": str(paragraph.article.revision),
        "change": paragraph.change,
        "previous_label": paragraph.previous_label,
        "second_label": "",
        "second_labeled_by": "",
        "adjudicated_by": "",
    }


@pytest.fixture
def reviewed_corpus(make_article, reviewer, other_reviewer):
    """Articles in every status, with unicode, quotes, commas and newlines in their text."""
    now = timezone.now()
    done = make_article(
        title='Jürgen Klöpp sagt: "Wir schaffen das", oder?',
        source="zeit.de",
        paragraphs=["Erster Absatz, mit Komma.", "Zweiter\nmit Zeilenumbruch", "改革"],
        labels=["verified", "boilerplate", "unverified"],
        labeled_by=reviewer,
        assigned_to=reviewer,
        last_reviewed_by=reviewer,
        last_reviewed_at=now,
    )
    half = make_article(
        title="Half done",
        source="bbc.co.uk",
        paragraphs=["One", "Two", "Three"],
        labels=["unverified", "", ""],
        labeled_by=other_reviewer,
        last_reviewed_by=other_reviewer,
        last_reviewed_at=now - datetime.timedelta(days=2),
    )
    untouched = make_article(title="Nobody looked", source="bbc.co.uk", n=2)
    Paragraph.objects.filter(article=done, position=1).update(
        labeled_at=now, note='Source: "Reuters", 2026\nsecond line; ü'
    )
    Paragraph.objects.filter(article=half, position=1).update(
        labeled_at=now - datetime.timedelta(hours=5), note="checked, ok"
    )
    return done, half, untouched


def test_articles_csv_has_one_row_per_article_equal_to_the_database(
    reviewer_client, reviewed_corpus
):
    body, rows = download(reviewer_client, ARTICLES_URL)

    assert list(rows[0]) == list(exports.ARTICLE_COLUMNS)
    articles = Article.objects.select_related(
        "assigned_to", "last_reviewed_by"
    ).order_by("id")
    assert rows == [expected_article_row(article) for article in articles]
    statuses = {row["title"]: row["status"] for row in rows}
    assert statuses == {
        'Jürgen Klöpp sagt: "Wir schaffen das", oder?': "reviewed",
        "Half done": "in_progress",
        "Nobody looked": "unreviewed",
    }
    assert [row["progress_percent"] for row in rows] == ["100", "33", "0"]
    # RFC 4180: CRLF after every record, quotes doubled inside a quoted field.
    assert body.count(b"\r\n") == 4
    assert '"Jürgen Klöpp sagt: ""Wir schaffen das"", oder?"'.encode() in body


def test_paragraphs_csv_has_one_row_per_paragraph_equal_to_the_database(
    reviewer_client, reviewed_corpus
):
    body, rows = download(reviewer_client, PARAGRAPHS_URL)

    assert list(rows[0]) == list(exports.PARAGRAPH_COLUMNS)
    # The newline inside a paragraph stays inside its quoted cell; records end in CRLF.
    assert body.count(b"\r\n") == 9
    paragraphs = Paragraph.objects.select_related("article", "labeled_by").order_by(
        "article_id", "position"
    )
    assert rows == [expected_paragraph_row(paragraph) for paragraph in paragraphs]
    assert len(rows) == 8
    first = rows[0]
    assert first["note"] == 'Source: "Reuters", 2026\nsecond line; ü'
    assert first["label"] == "verified"
    assert first["labeled_by"] == "rita"
    assert rows[1]["text"] == "Zweiter\nmit Zeilenumbruch"
    assert rows[2]["text"] == "改革"


def test_times_are_iso_8601_with_the_offset_of_the_current_time_zone(
    settings, reviewer_client, make_article, reviewer
):
    settings.TIME_ZONE = "Europe/Berlin"
    winter = datetime.datetime(2026, 1, 15, 9, 30, tzinfo=datetime.UTC)
    summer = datetime.datetime(2026, 7, 15, 9, 30, tzinfo=datetime.UTC)
    article = make_article(
        labels=["verified", "", ""],
        labeled_by=reviewer,
        last_reviewed_by=reviewer,
        last_reviewed_at=winter,
    )
    Paragraph.objects.filter(article=article, position=1).update(labeled_at=summer)

    _, articles = download(reviewer_client, ARTICLES_URL)
    _, paragraphs = download(reviewer_client, PARAGRAPHS_URL)

    assert articles[0]["last_reviewed_at"] == "2026-01-15T10:30:00+01:00"
    assert paragraphs[0]["labeled_at"] == "2026-07-15T11:30:00+02:00"
    assert paragraphs[1]["labeled_at"] == ""


def test_file_names_carry_todays_date(reviewer_client, make_article):
    make_article()
    today = timezone.localdate().isoformat()

    articles = reviewer_client.get(ARTICLES_URL)
    paragraphs = reviewer_client.get(PARAGRAPHS_URL)

    assert articles["Content-Disposition"] == (
        f'attachment; filename="review-status-{today}.csv"'
    )
    assert paragraphs["Content-Disposition"] == (
        f'attachment; filename="review-paragraphs-{today}.csv"'
    )
    assert "no-store" in articles["Cache-Control"]


def test_an_empty_export_is_the_header_alone(reviewer_client, db):
    body, rows = download(reviewer_client, ARTICLES_URL)
    assert rows == []
    assert body.decode("utf-8-sig") == ",".join(exports.ARTICLE_COLUMNS) + "\r\n"

    body, rows = download(reviewer_client, PARAGRAPHS_URL)
    assert body.decode("utf-8-sig") == ",".join(exports.PARAGRAPH_COLUMNS) + "\r\n"


def defused(value: str) -> str:
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


@pytest.mark.parametrize("payload", HOSTILE)
def test_every_free_text_cell_is_defused_against_formula_injection(
    reviewer_client, make_article, payload
):
    person = User.objects.create_user("@" + str(len(payload)))
    article = make_article(
        external_id=payload,
        title=payload,
        source=payload,
        url=payload,
        paragraphs=[payload],
        labels=["verified"],
        labeled_by=person,
        assigned_to=person,
        last_reviewed_by=person,
    )
    Paragraph.objects.filter(article=article).update(note=payload)

    _, articles = download(reviewer_client, ARTICLES_URL)
    _, paragraphs = download(reviewer_client, PARAGRAPHS_URL)

    row = articles[0]
    for column in ("external_id", "title", "source", "url"):
        assert row[column] == defused(payload)
    for column in ("assigned_to", "last_reviewed_by"):
        assert row[column] == "'" + person.username
    paragraph = paragraphs[0]
    for column in ("external_id", "note", "text"):
        assert paragraph[column] == defused(payload)
    assert paragraph["labeled_by"] == "'" + person.username
    for cell in [*row.values(), *paragraph.values()]:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"status": "reviewed"}, ["Reviewed at the BBC"]),
        ({"status": "unreviewed", "source": "bbc.co.uk"}, ["Untouched at the BBC"]),
        ({"source": "zeit.de"}, ["Zeit, assigned to rita"]),
        ({"assigned": "me"}, ["Zeit, assigned to rita"]),
        ({"q": "Untouched"}, ["Untouched at the BBC"]),
    ],
)
def test_both_exports_apply_the_queue_filters(
    reviewer_client, reviewer, make_article, params, titles
):
    make_article(
        title="Reviewed at the BBC", source="bbc.co.uk", labels=["verified"] * 3
    )
    make_article(title="Untouched at the BBC", source="bbc.co.uk")
    make_article(title="Zeit, assigned to rita", source="zeit.de", assigned_to=reviewer)

    _, articles = download(reviewer_client, ARTICLES_URL, params)
    _, paragraphs = download(reviewer_client, PARAGRAPHS_URL, params)

    assert sorted(row["title"] for row in articles) == titles
    expected_ids = sorted(row["external_id"] for row in articles)
    assert sorted({row["external_id"] for row in paragraphs}) == expected_ids
    assert len(paragraphs) == 3 * len(titles)


def test_a_filter_the_export_cannot_use_is_400_naming_it(reviewer_client, make_article):
    # The queue drops it with a notice; a download without it would hold more than asked for.
    make_article()
    for url in (ARTICLES_URL, PARAGRAPHS_URL):
        response = reviewer_client.get(url, {"status": "no-such-status"})
        assert response.status_code == 400
        assert response.content.decode().startswith("Not exported. status: ")


def test_anonymous_users_are_sent_to_the_login_page(client, make_article):
    make_article()
    for url in (ARTICLES_URL, PARAGRAPHS_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"


def test_users_without_the_export_permission_are_refused(client, make_article):
    make_article()
    client.force_login(User.objects.create_user("visitor"))
    for url in (ARTICLES_URL, PARAGRAPHS_URL):
        assert client.get(url).status_code == 403


def test_leads_may_export_and_only_by_get(lead_client, make_article):
    make_article(title="For the editors")
    _, rows = download(lead_client, ARTICLES_URL)
    assert [row["title"] for row in rows] == ["For the editors"]
    assert lead_client.post(ARTICLES_URL).status_code == 405


def test_the_query_count_does_not_grow_with_the_number_of_rows(
    reviewer_client, make_article, django_assert_num_queries
):
    for _ in range(5):
        make_article(n=4)
    # Session, user, permissions (one query, articles.auth), then one query per batch:
    # articles CSV 1 batch; paragraphs CSV 1 batch of articles + 1 of their paragraphs + 1 of
    # their texts' repetition counts (for the suggestion columns).
    with django_assert_num_queries(4):
        _, rows = download(reviewer_client, ARTICLES_URL)
    assert len(rows) == 5
    with django_assert_num_queries(6):
        _, rows = download(reviewer_client, PARAGRAPHS_URL)
    assert len(rows) == 20

    for _ in range(35):
        make_article(n=4)
    with django_assert_num_queries(4):
        _, rows = download(reviewer_client, ARTICLES_URL)
    assert len(rows) == 40
    with django_assert_num_queries(6):
        _, rows = download(reviewer_client, PARAGRAPHS_URL)
    assert len(rows) == 160


def records(chunk: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(chunk, newline="")))


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        "comma, inside",
        'say "hi"',
        '"quoted", and more',
        "line\nbreak",
        "windows\r\nline",
        "lone\rreturn",
        " leading space",
        "Jürgen «改革» —",
        "'already quoted",
        *HOSTILE,
    ],
)
def test_text_cells_are_what_the_csv_module_writes_for_the_defused_text(value):
    expected = io.StringIO()
    csv.writer(expected, lineterminator="\r\n").writerow([defused(value), "x"])
    assert exports.text_cell(value) + ",x\r\n" == expected.getvalue()
    assert records(exports.text_cell(value) + "\r\n") == [[defused(value)]]


def test_article_batches_cover_every_row_once_with_one_query_per_batch(
    make_article, django_assert_num_queries
):
    made = [make_article(n=1).external_id for _ in range(10)]
    review_url = exports.review_url_format("https://review.example.org/")

    # 10 rows in batches of 3: 3 full batches and a last short one.
    with django_assert_num_queries(4):
        chunks = list(
            exports.article_lines(
                Article.objects.all(), review_url=review_url, batch_size=3
            )
        )

    batches = [records(chunk) for chunk in chunks]
    assert [len(batch) for batch in batches] == [3, 3, 3, 1]
    assert [row[0] for batch in batches for row in batch] == made
    first = Article.objects.get(external_id=made[0])
    review_url_cell = batches[0][0][exports.ARTICLE_COLUMNS.index("review_url")]
    assert review_url_cell == f"https://review.example.org/articles/{first.pk}/"


def test_paragraph_batches_cover_every_paragraph_once_in_order(
    make_article, django_assert_num_queries
):
    sizes = [2, 1, 9, 0, 3, 1, 2]
    made = [
        make_article(paragraphs=[f"p{i}" for i in range(n)] or None, n=n) for n in sizes
    ]
    # A stored count that lies must cost a query, never a row.
    Article.objects.filter(pk=made[1].pk).update(paragraph_count=0)
    Article.objects.filter(pk=made[4].pk).update(paragraph_count=7)

    # Groups of fewer than 4 paragraphs by the stored counts: {1st, 2nd} {3rd} {4th} {5th}
    # {6th, 7th}; the 9-paragraph article pages 3 times: 2 article batches + 7 paragraph queries
    # + the repetition counts of the 6 that found paragraphs + 3 reads of a whole article for
    # the learned model's view of the neighbours (the paged one, once, and the two whose
    # stored count lies).
    with django_assert_num_queries(18):
        chunks = list(exports.paragraph_lines(Article.objects.all(), batch_size=4))

    batches = [records(chunk) for chunk in chunks]
    exported = [(row[0], int(row[1])) for batch in batches for row in batch]
    stored = list(
        Paragraph.objects.order_by("article_id", "position").values_list(
            "article__external_id", "position"
        )
    )
    assert exported == stored
    assert len(exported) == sum(sizes)
    assert all(len(batch) <= 4 for batch in batches)


def test_the_review_url_survives_odd_base_urls():
    template = exports.review_url_format("https://example.org/news,room{1}/")
    assert records(template.format(42) + "\r\n") == [
        ["https://example.org/news,room{1}/articles/42/"]
    ]


def test_the_admin_action_exports_the_selected_articles(
    client, staff, make_article, django_assert_num_queries
):
    picked = [make_article(title=f"Picked {i}") for i in range(3)]
    make_article(title="Not picked")
    client.force_login(staff)

    changelist = reverse("admin:articles_article_changelist")
    # The admin's own queries (session, user, permissions, the selection) and one batch.
    with django_assert_num_queries(7):
        response = client.post(
            changelist,
            {
                "action": "export_selected_as_csv",
                "_selected_action": [article.pk for article in picked],
            },
        )
        body = b"".join(response.streaming_content)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith(b"\xef\xbb\xbf")
    articles = Article.objects.filter(pk__in=[a.pk for a in picked]).order_by("id")
    assert parse(body) == [expected_article_row(article) for article in articles]


def test_the_admin_action_is_offered_only_with_the_export_permission(
    client, staff, make_article
):
    make_article()
    client.force_login(staff)
    changelist = reverse("admin:articles_article_changelist")
    assert "Export selected articles as CSV" in client.get(changelist).text

    staff.groups.clear()
    staff.user_permissions.add(
        Permission.objects.get(
            codename="view_article", content_type__app_label="articles"
        )
    )
    staff = User.objects.get(pk=staff.pk)  # drop the cached permissions
    client.force_login(staff)
    assert "Export selected articles as CSV" not in client.get(changelist).text


def test_suggestions_in_the_paragraphs_csv_are_the_review_pages_in_any_batch_size(
    make_article, reviewer, settings
):
    # Three sources share a footer: people labeled it boilerplate once in bbc.co.uk; it is in
    # every lemonde.fr article; zeit.de has too few articles for repetition to count. The
    # sources' articles alternate, so one batch holds several sources' counts for one text.
    footer = "Follow us, and share this story"
    articles_of = {"bbc.co.uk": 3, "zeit.de": 2, "lemonde.fr": 3}
    for number in range(3):
        for source, count in articles_of.items():
            if number < count:
                make_article(
                    source=source, paragraphs=[f"{source} story {number}", footer]
                )
    Paragraph.objects.filter(text=footer).update(cues=signals.CALL_TO_ACTION)
    rebuild_repeated_texts()
    first_bbc = Article.objects.filter(source="bbc.co.uk").order_by("pk").first()
    set_label(article_id=first_bbc.pk, position=2, label="boilerplate", user=reviewer)
    expected = [
        cells
        for article in Article.objects.order_by("pk")
        for _, cells in sorted(review_page_suggestions(article).items())
    ]
    assert len({tuple(cells) for cells in expected}) >= 3
    assert any(cells[1].startswith("labeled boilerplate in") for cells in expected)
    assert any(cells[1].startswith("appears in") for cells in expected)

    for batch_size in (1, 3, 2000):
        chunks = exports.paragraph_lines(Article.objects.all(), batch_size=batch_size)
        assert [
            row[SUGGESTION] for chunk in chunks for row in records(chunk)
        ] == expected

    settings.NEWSREVIEW_BOILERPLATE_SUGGESTIONS = False
    chunks = exports.paragraph_lines(Article.objects.all())
    assert {tuple(row[SUGGESTION]) for chunk in chunks for row in records(chunk)} == {
        ("", "", "")
    }
