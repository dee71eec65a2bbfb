"""`manage.py benchmark --browser`: the review page in a real Chromium (issue 13).

A fresh database, one generated article of 83 paragraphs imported by the real importer, the
site served by Django's live-server thread on loopback (static files included), and Debian's
Chromium driven by Playwright, logged in through the real form. Two figures, median of
`runs` each, scaled to the calibration loop's 8 ms like the server figures (bench.machine):

- page ready: navigation start to the end of DOMContentLoaded, by when review.js has focused
  the first paragraph (the run checks that it has); the Navigation Timing entry, so the
  browser's own clock, without Playwright's round trips;
- key press to label shown as saved: from the keydown of `v` (a capturing listener) to the
  moment the paragraph's badge reads "Verified" (a MutationObserver), both in the page's
  clock: the POST, the server's answer and htmx's swap.
"""

import json
import secrets
import shutil
import statistics
import tempfile
import warnings
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management.base import CommandError
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler
from django.test.utils import override_settings

from articles.imports.importers import import_paths
from articles.models import Article
from bench.database import BENCH_SETTINGS, fresh_database
from bench.machine import REFERENCE_CALIBRATION_MS, calibration_ms, environment

PARAGRAPHS = 83
TARGETS = {"ready": 150.0, "keypress": 40.0}
PASSWORD = secrets.token_urlsafe(16)  # a throwaway user in a throwaway database

# Installed in the page before the key press: the keydown time, then the time the badge of the
# paragraph says "Verified".
_WATCH = """position => { window.__benchmarkDone = new Promise(resolve => {
  let pressed = null;
  const watch = event => { if (event.key === "v") pressed = performance.now(); };
  document.addEventListener("keydown", watch, {capture: true, once: true});
  const observer = new MutationObserver(() => {
    const badge = document.querySelector("#p-" + position + " .label-badge");
    if (pressed !== null && badge && badge.textContent === "Verified") {
      observer.disconnect();
      resolve(performance.now() - pressed);
    }
  });
  observer.observe(document.getElementById("paragraphs"), {childList: true, subtree: true, characterData: true});
}); }"""


def _article_file(directory: Path) -> Path:
    sentences = [
        "The council met on Tuesday to discuss the bridge, officials said.",
        'The <a href="https://example.org/report">report</a> was published in May.',
        "Residents have waited two years for the repairs to begin.",
    ]
    paragraphs = [
        f"{sentences[i % 3]} Paragraph {i + 1} adds a detail of its own, number {i * 7}."
        for i in range(PARAGRAPHS)
    ]
    path = directory / "browser-article.jsonl"
    path.write_text(
        json.dumps(
            {
                "id": "browser-benchmark-1",
                "title": "Bridge repairs delayed again, council says",
                "source": "example.org",
                "paragraphs": paragraphs,
            }
        ),
        encoding="utf-8",
    )
    return path


class _NoDelayHandler(QuietWSGIRequestHandler):
    # TCP_NODELAY, as gunicorn sets on its sockets in production (gunicorn/sock.py), and the
    # reverse proxy in front of it towards the browser. Without it Django's live server (and
    # runserver) writes an answer's headers and its body
    # in two segments; on the browser's kept-alive connection the body waited for the
    # headers' delayed ACK, 40 ms on Linux, which a label's answer showed from its second on
    # (headers 8 ms after the key press, the body 50 ms; measured with Resource Timing).
    disable_nagle_algorithm = True


class _LiveServer(LiveServerThread):
    def _create_server(self, connections_override=None):
        return self.server_class(
            (self.host, self.port),
            _NoDelayHandler,
            allow_reuse_address=False,
            connections_override=connections_override,
        )


def _median(values: list[float], calibration: float) -> dict:
    """The median, and scaled to the reference calibration loop with `calibration` (the mean
    of the loop timed just before and just after these runs: on a shared machine it moves
    within minutes)."""
    raw = statistics.median(values)
    return {
        "median_ms": round(raw, 1),
        "calibration_ms": round(calibration, 1),
        "at_calibration_ms": round(raw * REFERENCE_CALIBRATION_MS / calibration, 1),
        "min_ms": round(min(values), 1),
        "max_ms": round(max(values), 1),
    }


def run_browser(*, runs: int = 20, log=lambda message: None) -> dict:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise CommandError("--browser needs Playwright (the dev extra)") from error
    chromium = shutil.which("chromium")
    if not chromium:
        raise CommandError("--browser needs Chromium (Debian's chromium package)")
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    workdir = Path(tempfile.mkdtemp(prefix="newsreview-browser-benchmark-"))
    settings = {**BENCH_SETTINGS, "ALLOWED_HOSTS": ["127.0.0.1", "localhost"]}
    try:
        with fresh_database(workdir), override_settings(**settings):
            import_paths([_article_file(workdir)])
            article = Article.objects.get()
            user = get_user_model().objects.create_user(
                "benchmark-browser", password=PASSWORD
            )
            user.groups.add(Group.objects.get(name="Reviewer"))
            server = _LiveServer("127.0.0.1", StaticFilesHandler, port=0)
            server.daemon = True
            server.start()
            server.is_ready.wait()
            if server.error:
                raise CommandError(f"live server: {server.error}")
            base = f"http://127.0.0.1:{server.port}"
            try:
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(
                        executable_path=chromium,
                        args=["--no-sandbox", "--disable-gpu"],
                    )
                    result = _measure(browser, base, article, runs=runs, log=log)
                    browser.close()
            finally:
                server.terminate()
                server.join()
            result["environment"] = environment()
            return result
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _measure(browser, base: str, article: Article, *, runs: int, log) -> dict:
    context = browser.new_context(viewport={"width": 1366, "height": 800})
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "benchmark-browser")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    url = f"{base}{article.get_absolute_url()}"

    log(f"Page ready, {runs} loads of the {PARAGRAPHS}-paragraph article …")
    page.goto(url)  # warm: the static files cached, as for a reviewer all day
    ready, html_bytes = [], 0
    calibration_before = calibration_ms()
    for _ in range(runs):
        response = page.goto(url, wait_until="domcontentloaded")
        html_bytes = len(response.body())
        timing = page.evaluate(
            "() => ({dcl: performance.getEntriesByType('navigation')[0]"
            ".domContentLoadedEventEnd, focused: document.activeElement.id})"
        )
        if timing["focused"] != "p-1":
            raise CommandError(f"the first paragraph was not focused: {timing}")
        ready.append(timing["dcl"])
    ready_calibration = (calibration_before + calibration_ms()) / 2

    log(f"Key press to saved, {runs} labels …")
    keypress = []
    calibration_before = calibration_ms()
    for position in range(1, runs + 1):
        page.locator(f"#p-{position}").focus()
        page.evaluate(_WATCH, position)
        page.keyboard.press("v")
        keypress.append(page.evaluate("window.__benchmarkDone"))
    keypress_calibration = (calibration_before + calibration_ms()) / 2
    context.close()
    return {
        "paragraphs": PARAGRAPHS,
        "runs": runs,
        "html_kb": round(html_bytes / 1024, 1),
        "ready": _median(ready, ready_calibration),
        "keypress": _median(keypress, keypress_calibration),
    }


def browser_table(result: dict) -> str:
    env = result["environment"]
    lines = [
        f"Browser benchmark: Chromium, loopback, {result['runs']} runs, "
        f"{result['paragraphs']}-paragraph article ({result['html_kb']} KB of HTML)",
        f"load {env['load']}, {env['cpu']}; each figure scaled with the calibration loop "
        "timed before and after its runs",
        "",
        f"{'figure':<34}{'median':>10}{'calib.':>9}{'at 8 ms':>10}{'target':>10}"
        f"{'min-max':>18}",
    ]
    for key, name in (
        ("ready", "page ready (DCL, ¶1 focused)"),
        ("keypress", "key press to label saved"),
    ):
        row = result[key]
        ok = "ok" if row["at_calibration_ms"] <= TARGETS[key] else "OVER"
        lines.append(
            f"{name:<34}{row['median_ms']:>8.1f}ms{row['calibration_ms']:>7.1f}ms"
            f"{row['at_calibration_ms']:>8.1f}ms"
            f"{TARGETS[key]:>7.0f}ms {ok:<4}{row['min_ms']:>7.1f}-{row['max_ms']:.1f}"
        )
    return "\n".join(lines)
