"""The pipeline's pages in Chromium: an upload's progress bar moving to its result, the API's
docs page under our CSP, the tokens page, the webhooks page; at 1280 and 390 px."""

import io
import random
import zipfile

import pytest
from playwright.sync_api import expect

from articles.models import Article, ImportRun
from tests.conftest import run_queued_jobs

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def console_errors(page):
    errors: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def batch_zip(n: int) -> bytes:
    rng = random.Random(7)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(n):
            words = " ".join(f"w{rng.randrange(10**6)}" for _ in range(40))
            archive.writestr(f"example.net/s{i:04d}.txt", repr([words, words[::-1]]))
    return buffer.getvalue()


def test_an_upload_answers_at_once_and_its_progress_bar_reaches_the_result(
    live_server, page, login, lead, console_errors, screenshot, tmp_path
):
    path = tmp_path / "batch.zip"
    path.write_bytes(batch_zip(300))
    login(lead)
    page.goto(f"{live_server.url}/import/")
    page.set_input_files("#import-files", str(path))
    page.get_by_role("button", name="Import").click()
    status = page.locator("#run-progress-text")
    expect(status).to_contain_text("Waiting for a worker")
    run = ImportRun.objects.get()
    screenshot("import-queued-1280")
    page.reload()  # the page follows the run after a reload too
    expect(status).to_contain_text("Waiting for a worker")

    assert run_queued_jobs() == 1  # a worker takes the job
    expect(page.locator("#run-result progress")).to_have_attribute("value", "100")
    expect(page.locator(".total-created")).to_contain_text("300 articles created")
    expect(page.locator(".file-results tbody tr")).to_have_count(300)
    assert Article.objects.count() == 300
    assert ImportRun.objects.get(pk=run.pk).state == "finished"
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("import-finished-390")
    assert console_errors == []


def test_the_api_docs_page_renders_under_our_csp(
    live_server, page, login, reviewer, console_errors, screenshot
):
    login(reviewer)
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .title")).to_contain_text("newsreview API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    expect(page.get_by_text("/api/v1/events").first).to_be_visible()
    screenshot("api-docs-1280")
    assert [e for e in console_errors if "Content Security Policy" in e] == []
    assert console_errors == []


def test_a_token_is_made_shown_once_and_revoked(
    live_server, page, login, reviewer, console_errors, screenshot
):
    page.set_viewport_size({"width": 390, "height": 844})
    login(reviewer)
    page.goto(f"{live_server.url}/api-tokens/")
    page.fill("#token-name", "scraper on news-01")
    page.get_by_role("button", name="Create token").click()
    value = page.locator("#new-token-value")
    token = value.input_value()
    assert token.startswith("nr_")
    screenshot("api-tokens-390")
    page.reload()
    expect(page.locator("#new-token-value")).to_have_count(0)
    page.get_by_role("button", name="Revoke scraper on news-01").click()
    expect(page.locator(".token-revoked")).to_contain_text("Revoked")
    assert console_errors == []


def test_a_lead_adds_a_webhook(
    live_server, page, login, lead, console_errors, screenshot, settings
):
    settings.NEWSREVIEW_WEBHOOK_ALLOW_PRIVATE = False
    login(lead)
    page.goto(f"{live_server.url}/webhooks/")
    page.fill("#webhook-url", "http://169.254.169.254/latest/meta-data/")
    page.get_by_label("Import finished or stopped").check()
    page.get_by_role("button", name="Add webhook").click()
    expect(page.locator("#webhook-url-error")).to_contain_text("link-local address")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("webhooks-refused-390")
    assert console_errors == [] or all("400" in e for e in console_errors)
