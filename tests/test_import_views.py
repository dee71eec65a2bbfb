import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, ImportRun
from tests.conftest import run_queued_jobs

pytestmark = pytest.mark.django_db

URL = "/import/"


def post_and_import(client, data, *, follow=False):
    """Upload as the page does, then let a worker run the queued import (articles.jobs);
    with `follow`, the run's page once the import has finished."""
    response = client.post(URL, data)
    assert response.status_code == 302, response.content
    run_queued_jobs()
    return client.get(response["Location"]) if follow else response


def upload(name, content):
    return SimpleUploadedFile(
        name, content if isinstance(content, bytes) else content.encode()
    )


def test_urls():
    assert reverse("articles:import") == URL
    assert reverse("articles:import_run", args=[3]) == "/import/3/"


def test_lead_uploads_the_seed_and_sees_the_result(lead_client, lead, seed_file):
    response = post_and_import(
        lead_client,
        {
            "files": [upload(seed_file.name, seed_file.read_bytes())],
            "source": "bbc.co.uk",
        },
    )

    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/import/{run.pk}/"
    article = Article.objects.get()
    assert (article.external_id, article.source, article.paragraph_count) == (
        seed_file.stem,
        "bbc.co.uk",
        29,
    )
    assert (run.origin, run.started_by) == (ImportRun.Origin.UPLOAD, lead)

    page = lead_client.get(response["Location"]).content.decode()
    assert f"Import #{run.pk}" in page
    assert "Upload by lena" in page
    assert "<strong>1</strong> article created (29 paragraphs)" in page
    assert seed_file.name in page


def test_result_page_lists_each_file_with_its_reason(lead_client):
    files = [
        upload("good.txt", repr(["Good"])),
        upload("bad.txt", "__import__('os')"),
        upload("notes.pdf", b"%PDF"),
    ]
    response = post_and_import(lead_client, {"files": files}, follow=True)
    page = response.content.decode()
    assert "<strong>1</strong> article created" in page
    assert "<strong>2</strong> failed" in page
    assert "bad.txt" in page
    assert (
        "not a list of strings (it holds code or values other than quoted text)" in page
    )
    assert (
        "unsupported file type &#x27;.pdf&#x27; (expected .txt, .json, .jsonl or .zip)"
        in page
    )


def test_a_zip_upload_imports_its_members(lead_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("example.net/a.txt", repr(["A"]))
        archive.writestr("example.net/b.txt", repr(["B"]))
    post_and_import(lead_client, {"files": [upload("batch.zip", buffer.getvalue())]})
    assert set(Article.objects.values_list("external_id", "source")) == {
        ("a", "example.net"),
        ("b", "example.net"),
    }


def test_zip_bomb_gets_a_clear_message_and_imports_nothing(lead_client, settings):
    settings.NEWSREVIEW_MAX_ZIP_UNCOMPRESSED_BYTES = 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.txt", b"[" + b" " * (50 * 1024 * 1024) + b"]")
    assert len(buffer.getvalue()) < 100_000
    response = post_and_import(
        lead_client, {"files": [upload("bomb.zip", buffer.getvalue())]}, follow=True
    )
    assert (
        "zip would unpack to 50.0 MB, more than the limit of 1.0 MB"
        in response.content.decode()
    )
    assert Article.objects.count() == 0


def test_oversize_upload_is_refused_before_reading_it(lead_client, settings):
    settings.NEWSREVIEW_MAX_UPLOAD_BYTES = 10_000
    response = lead_client.post(
        URL, {"files": [upload("big.txt", repr(["x" * 20_000]))]}
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "more than the limit of 9.8\xa0KB. Nothing was imported." in page
    assert Article.objects.count() == 0
    assert ImportRun.objects.count() == 0


def test_oversize_file_in_an_upload_is_refused(lead_client, settings):
    settings.NEWSREVIEW_MAX_FILE_BYTES = 1_000
    response = post_and_import(
        lead_client, {"files": [upload("big.txt", repr(["x" * 2_000]))]}, follow=True
    )
    assert (
        "file is 2.0 KB, more than the limit of 1000 bytes" in response.content.decode()
    )
    assert Article.objects.count() == 0


def test_post_without_files_says_so(lead_client):
    response = lead_client.post(URL, {"source": "x.example"})
    assert response.status_code == 200
    assert "Choose at least one file to import." in response.content.decode()
    assert ImportRun.objects.count() == 0


def test_upload_needs_a_csrf_token(client, lead):
    client = type(client)(enforce_csrf_checks=True)
    client.force_login(lead)
    response = client.post(URL, {"files": [upload("a.txt", repr(["A"]))]})
    assert response.status_code == 403
    assert Article.objects.count() == 0


def test_reviewer_gets_403(reviewer_client):
    assert reviewer_client.get(URL).status_code == 403
    assert (
        reviewer_client.post(URL, {"files": [upload("a.txt", repr(["A"]))]}).status_code
        == 403
    )
    assert Article.objects.count() == 0


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert (
        client.post(URL, {"files": [upload("a.txt", repr(["A"]))]}).status_code == 302
    )
    assert Article.objects.count() == 0


def test_page_shows_the_form_and_the_last_20_runs(
    lead_client, lead, django_assert_num_queries
):
    for _ in range(22):
        ImportRun.objects.create(
            state="finished", started_by=lead, files_seen=2, articles_created=1
        )
    # session, user, permissions (one query, articles.auth), runs still running (none), runs
    # with their users
    with django_assert_num_queries(5):
        page = lead_client.get(URL).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert len(re.findall(r'href="/import/\d+/"', page)) == 20


def test_an_older_run_shows_its_failures(lead_client, lead, django_assert_num_queries):
    run = ImportRun.objects.create(
        state="finished",
        started_by=lead,
        articles_failed=1,
        errors=[{"file": "x.txt", "reason": "empty file"}],
    )
    # session, user, permissions (one query, articles.auth), runs still running (none), the
    # run, recent runs
    with django_assert_num_queries(6):
        page = lead_client.get(f"/import/{run.pk}/").content.decode()
    assert "x.txt" in page
    assert "empty file" in page
    assert lead_client.get("/import/999999/").status_code == 404


def test_a_million_refusals_make_a_small_run_page_and_session(lead_client):
    # Issue 18, finding 4: one file of a million empty records stored a million reasons in
    # the run and in the Lead's session (a 67 MB page, every later request slowed).
    records = "[" + ",".join(["{}"] * 30_000) + "]"
    response = post_and_import(lead_client, {"files": [upload("empty.json", records)]})
    run = ImportRun.objects.get()
    assert run.articles_failed == 30_000
    assert len(run.errors) == 21
    assert run.errors[-1] == {
        "file": "empty.json",
        "reason": "… and 29,980 more refusals in this file",
    }
    assert "import_result" not in lead_client.session
    assert len(lead_client.cookies["sessionid"].value) < 100
    page = lead_client.get(response["Location"]).content.decode()
    assert len(page) < 30_000
    assert page.count("item 1: no paragraphs") == 1
    assert "… and 29,980 more refusals in this file" in page


def test_refusals_are_capped_per_run(lead_client, settings):
    settings.NEWSREVIEW_MAX_REASONS_PER_RUN = 5
    files = [upload(f"bad{i}.txt", "") for i in range(8)]
    post_and_import(lead_client, {"files": files})
    run = ImportRun.objects.get()
    assert run.articles_failed == 8
    assert [e["reason"] for e in run.errors] == ["empty file"] * 5 + [
        "… and 3 more refusals in other files"
    ]


def test_lists_of_runs_never_load_their_reasons(superuser_client, lead):
    ImportRun.objects.create(
        state="finished",
        started_by=lead,
        articles_failed=1,
        errors=[{"file": "x.json", "reason": "no paragraphs"}],
    )
    for url in (URL, reverse("admin:articles_importrun_changelist")):
        with CaptureQueriesContext(connection) as queries:
            assert superuser_client.get(url).status_code == 200
        runs = [q["sql"] for q in queries if 'FROM "articles_importrun"' in q["sql"]]
        assert runs, url
        assert not any('"errors"' in sql or '"files"' in sql for sql in runs), runs


def test_a_run_stored_with_a_huge_error_list_shows_its_first_reasons(
    superuser_client, lead
):
    errors = [{"file": f"{i}.json", "reason": "no paragraphs"} for i in range(50_000)]
    run = ImportRun.objects.create(
        state="finished", started_by=lead, articles_failed=50_000, errors=errors
    )
    page = superuser_client.get(f"/import/{run.pk}/").content.decode()
    assert "2000.json" in page
    assert "2001.json" not in page
    admin_page = superuser_client.get(
        reverse("admin:articles_importrun_change", args=[run.pk])
    ).content.decode()
    assert "2000.json" in admin_page
    assert "2001.json" not in admin_page
