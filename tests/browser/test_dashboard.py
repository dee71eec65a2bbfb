"""The dashboard in a real Chromium at a desktop and a phone width: the charts render, their
numbers open with a click, no console error, no CSP violation, and axe-core finds nothing."""

import datetime
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article, LabelEvent
from articles.review.labels import label_rest_as_boilerplate, set_label

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"

# Collected from the first moment of every page: CSP violations (a blocked inline style or
# script, a CDN) besides the console.
WATCH_CSP = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"""


@pytest.fixture
def history(make_article, reviewer, other_reviewer, lead):
    """Two weeks of a desk: three people labeling articles of three sources, spread over the
    days through the database, then the roll-ups rebuilt."""
    sources = ["bbc.co.uk", "reuters.com", "apnews.com"]
    people = [reviewer, other_reviewer, lead]
    for i in range(18):
        article = make_article(source=sources[i % 3], n=4)
        who = people[i % 3]
        for position in range(1, 4 if i % 4 else 2):
            set_label(
                article_id=article.pk,
                position=position,
                label=["verified", "unverified", "boilerplate"][(i + position) % 3],
                user=who,
                method=LabelEvent.Method.KEYBOARD,
            )
        if i % 5 == 0:
            label_rest_as_boilerplate(article_id=article.pk, from_position=3, user=who)
    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=13)
    for n, pk in enumerate(
        LabelEvent.objects.order_by("id").values_list("pk", flat=True)
    ):
        LabelEvent.objects.filter(pk=pk).update(
            created_at=start + datetime.timedelta(days=n // 4, seconds=5 + 7 * n)
        )
    Article.objects.update(imported_at=start - datetime.timedelta(days=1))
    call_command("rebuild_dashboard", verbosity=0)


@pytest.fixture
def watched(page, console_errors):
    page.add_init_script(WATCH_CSP)
    return page


@pytest.fixture
def console_errors(page):
    errors: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def axe_violations(page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => JSON.stringify(await axe.run(document))")
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])})"
        for v in json.loads(result)["violations"]
    ]


@pytest.mark.parametrize("width", [1366, 390])
def test_the_dashboard_renders_its_charts_cleanly(
    live_server, watched, login, lead, history, console_errors, screenshot, width
):
    page = watched
    page.set_viewport_size({"width": width, "height": 900})
    login(lead)
    page.get_by_role("link", name="Dashboard").click()
    page.wait_for_url(f"{live_server.url}/dashboard/")
    expect(page.locator("svg.chart")).to_have_count(4)
    expect(page.locator("#summary-throughput")).to_contain_text("paragraphs labeled")
    expect(page.locator(".panel-pace .bar-row").first).to_be_visible()
    # Every chart is drawn: bars in the columns, lines in the shares.
    assert page.locator("svg.chart rect").count() > 20
    assert page.locator("svg.chart polyline").count() >= 1
    box = page.locator(".panel-backlog svg.chart").bounding_box()
    assert box["width"] > 300  # the SVG fills its panel
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # The numbers are one click away, by keyboard too.
    numbers = page.locator(".panel-throughput details summary")
    numbers.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".panel-throughput table tbody tr")).to_have_count(30)
    screenshot(f"dashboard-{width}")
    # Filter by a reviewer and a source: the page follows.
    page.select_option("#id_source", "reuters.com")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**source=reuters.com**")
    expect(page.locator(".dashboard-scope")).to_contain_text("reuters.com only")
    assert page.evaluate("window.__csp") == []
    assert console_errors == []
    assert axe_violations(page) == []
