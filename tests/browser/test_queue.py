"""The queue in a real Chromium: htmx filtering keeps the page and the URL in step; no CSP errors."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article

TITLES = [
    ("Ceasefire talks resume in Cairo as aid convoys wait at the border", "bbc.co.uk"),
    ("Central bank holds rates, signals cuts later in the year", "reuters.com"),
    ("Wildfire forces evacuation of three villages near Patras", "apnews.com"),
    ("Parliament passes data protection bill after late amendments", "theguardian.com"),
    ("Glacier retreat in the Alps accelerates, survey finds", "bbc.co.uk"),
    ("Union and rail operator agree pay deal, ending strikes", "reuters.com"),
    ("Measles cases rise in Europe as vaccination rates fall", "apnews.com"),
    ("Chess prodigy, 12, becomes youngest grandmaster", "theguardian.com"),
]
# Labels per article: reviewed, in progress and unreviewed ones, so every status shows.
LABELS = [
    ["verified", "verified", "boilerplate", "unverified"],
    ["verified", "", "", ""],
    ["", "", "", ""],
    ["verified", "unverified", "boilerplate", "boilerplate"],
    ["unverified", "verified", "", ""],
    ["", "", "", ""],
    ["verified", "verified", "verified", "boilerplate"],
    ["", "", "", ""],
]
REVIEWED = [TITLES[6][0], TITLES[3][0], TITLES[0][0]]  # newest first


@pytest.fixture
def articles(make_article, reviewer, other_reviewer):
    made = []
    for i, ((title, source), labels) in enumerate(zip(TITLES, LABELS, strict=True)):
        made.append(
            make_article(
                title=title,
                source=source,
                labels=labels,
                paragraphs=[f"Paragraph {n} of “{title}”." for n in range(1, 5)],
                assigned_to=[reviewer, other_reviewer, None][i % 3],
                labeled_by=reviewer,
            )
        )
    # Some have been reviewed lately (the page shows who and how long ago).
    now = timezone.now()
    for hours, article in zip((2, 26, 75), made[::3], strict=False):
        Article.objects.filter(pk=article.pk).update(
            last_reviewed_by=reviewer, last_reviewed_at=now - timedelta(hours=hours)
        )
    return made


@pytest.fixture
def console_errors(page):
    errors: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def rows(page):
    return page.locator("#queue-results td.col-title a")


def test_filter_by_status_updates_table_and_url_without_reload(
    live_server,
    page,
    login,
    reviewer,
    articles,
    console_errors,
    screenshot,
    htmx_settled,
):
    page.set_viewport_size({"width": 1280, "height": 900})
    login(reviewer)
    expect(rows(page)).to_have_count(8)
    expect(page.locator(".status-total-all .status-total-count")).to_have_text("8")
    # A full page load would lose this; an htmx swap keeps it.
    page.evaluate("window.queueMarker = 'still here'")

    page.select_option("#id_status", "reviewed")
    expect(page).to_have_url(re.compile(r"/\?status=reviewed$"))
    expect(rows(page)).to_have_text(REVIEWED)
    expect(page.locator(".status-total-reviewed")).to_have_attribute(
        "aria-current", "true"
    )
    # The totals and the filter controls were swapped in; act on them once htmx has settled.
    htmx_settled()

    # A status total is a link; the form's select follows it (out-of-band swap).
    page.click(".status-total-unreviewed")
    expect(page).to_have_url(re.compile(r"status=unreviewed"))
    expect(rows(page)).to_have_count(3)
    expect(page.locator("#id_status")).to_have_value("unreviewed")
    htmx_settled()

    # Typing searches titles and text after a pause, keeping the status filter.
    page.select_option("#id_status", "")
    expect(rows(page)).to_have_count(8)
    htmx_settled()
    page.fill("#id_q", "glacier")
    expect(rows(page)).to_have_text([TITLES[4][0]])
    expect(page).to_have_url(re.compile(r"q=glacier"))
    htmx_settled()
    page.fill("#id_q", "")
    expect(rows(page)).to_have_count(8)
    htmx_settled()

    # A column heading sorts; clicking it again reverses.
    page.click("th.col-title a")
    expect(page.locator("th.col-title")).to_have_attribute("aria-sort", "ascending")
    expect(rows(page).first).to_have_text(TITLES[0][0])
    expect(page.locator("#id_sort")).to_have_value("title")

    assert page.evaluate("window.queueMarker") == "still here"

    # Back goes to the previous view, fetched whole from the server.
    page.go_back()
    expect(page.locator("th.col-imported")).to_have_attribute("aria-sort", "descending")
    expect(rows(page)).to_have_count(8)

    # A reload of a pushed URL shows the same view.
    page.goto(f"{live_server.url}/?status=reviewed")
    expect(rows(page)).to_have_text(REVIEWED)
    expect(page.locator("#id_status")).to_have_value("reviewed")

    page.goto(f"{live_server.url}/")
    expect(rows(page)).to_have_count(8)
    screenshot("queue-1280")
    assert console_errors == []


def test_queue_on_a_phone(
    live_server, page, login, reviewer, articles, console_errors, screenshot
):
    page.set_viewport_size({"width": 390, "height": 844})
    login(reviewer)
    expect(rows(page)).to_have_count(8)
    # Cards, not a table wider than the screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    expect(page.locator("#queue-filters button[type=submit]")).to_be_visible()
    screenshot("queue-390")
    assert console_errors == []


def test_filters_work_without_javascript(live_server, new_context, reviewer, articles):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", reviewer.username)
    page.fill("#id_password", f"pw-{reviewer.username}")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.select_option("#id_status", "reviewed")
    page.click("#queue-filters button[type=submit]")
    page.wait_for_url(re.compile(r"status=reviewed"))
    expect(rows(page)).to_have_text(REVIEWED)

    page.click("th.col-title a")
    page.wait_for_url(re.compile(r"sort=title"))
    expect(rows(page).first).to_have_text(TITLES[0][0])
