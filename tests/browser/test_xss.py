"""Hostile paragraphs in a real browser: every XSS payload imported, nothing of it runs.

Each payload line of the IntrudersXSS list becomes one paragraph of one article, imported through
the real importer (so through the sanitiser), then shown on the review page and on the admin
change page. A canary notices the usual effects (dialogs, alert/confirm/prompt,
document.write; eval is left to the CSP, which has no 'unsafe-eval' and reports a violation);
the DOM is then searched for anything that could run later.
"""

import json

import pytest
from playwright.sync_api import Page

from articles.imports.importers import import_paths
from articles.models import Article

TEMPLATE_SYNTAX = [
    "{{ 7|add:1 }} and {% debug %}",
    "{% load static %}{% static 'x' %} {{ request.user.password }}",
]

# The cells of the admin's paragraph inline that show stored content.
ADMIN_PARAGRAPH_CELLS = (
    "#paragraphs-group td.field-text, #paragraphs-group td.field-note"
)

CANARY = """
window.__xss = false;
window.__xssCalls = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__xss = true; window.__xssCalls.push(name); };
}
document.write = (...args) => { window.__xss = true; window.__xssCalls.push("write"); };
"""

# Everything in the DOM that could run script now or on a later click or hover.
DOM_PROBE = """
(scope) => {
  const roots = [...document.querySelectorAll(scope)];
  const all = [...document.querySelectorAll("*")];
  const urlAttrs = ["href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"];
  return {
    rootFound: roots.length > 0,
    onAttributes: all.flatMap(el => [...el.attributes]
      .filter(a => a.name.toLowerCase().startsWith("on"))
      .map(a => `${el.tagName.toLowerCase()} ${a.name}="${a.value}"`)),
    scriptUrls: all.flatMap(el => urlAttrs
      .map(name => el.getAttribute(name))
      .filter(v => v && /^\\s*(javascript|vbscript|data:text\\/html)/i.test(v.replace(/[\\s\\u0000-\\u001f]/g, "")))),
    scripts: [...document.scripts].map(s => ({src: s.getAttribute("src"), type: s.type})),
    embedded: roots.flatMap(root => [...root.querySelectorAll("iframe, object, embed, svg, img, frame, frameset, form, input, style, link, meta, base, math, video, audio")]
      .map(el => el.outerHTML.slice(0, 120))),
    text: roots.map(root => root.innerText).join("\\n"),
  };
}
"""

# The live server needs committed data. No serialized_rollback: mixed with plain transactional
# tests it reloads content types that the flush's post_migrate already re-made (UNIQUE error);
# the user fixtures re-make the roles instead (tests/conftest.py: _recreate_roles).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="session")
def payloads(corpus) -> list[str]:
    text = (corpus / "payloads" / "xss-IntrudersXSS.txt").read_text()
    return [line for line in text.splitlines() if line.strip()]


@pytest.fixture
def hostile_article(tmp_path, db, payloads) -> Article:
    path = tmp_path / "xss-payloads.json"
    path.write_text(json.dumps([*payloads, *TEMPLATE_SYNTAX]))
    result = import_paths([path])
    assert result.created == 1, result.errors
    article = Article.objects.get()
    # Payloads that sanitise to nothing (a bare <script>…</script>) are dropped as empty.
    assert article.paragraph_count > 60
    return article


# Resolves after two rendered frames: by then autofocus has run (and any focus handler with it).
NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def _visit(page: Page, url: str, scope: str) -> dict:
    # goto waits for the load event, which comes after every image has loaded or failed (so after
    # any onload/onerror handler).
    page.goto(url)
    # networkidle also keeps requests from outliving the test: the live server shares the test's
    # in-memory database connection, and a late request can disturb the next test's setup.
    page.wait_for_load_state("networkidle")
    page.evaluate(NEXT_FRAMES)
    # A timer needs script that already ran: the canary, the CSP check and the probe see that.
    probe = page.evaluate(DOM_PROBE.strip(), scope)
    probe["xss"] = page.evaluate("window.__xss")
    probe["calls"] = page.evaluate("window.__xssCalls")
    return probe


def _assert_inert(probe: dict, origin: str) -> None:
    assert probe["rootFound"]
    assert probe["xss"] is False, probe["calls"]
    assert probe["onAttributes"] == []
    assert probe["scriptUrls"] == []
    assert probe["embedded"] == []
    for script in probe["scripts"]:
        # Only our own files (static, and the admin's /admin/jsi18n/) or inert JSON data.
        src = script["src"] or ""
        own = src.startswith(f"{origin}/") or (
            src.startswith("/") and not src.startswith("//")
        )
        assert own or script["type"] == "application/json", script
    assert "{{ 7|add:1 }} and {% debug %}" in probe["text"]
    assert (
        "{% load static %}{% static 'x' %} {{ request.user.password }}" in probe["text"]
    )


def test_payloads_stay_inert_on_the_review_page_and_in_the_admin(
    page, live_server, login, staff, hostile_article, make_article, payloads
):
    # The admin escapes whatever it shows: even unsanitised payloads written straight to the
    # database (bypassing the importer) must stay text there.
    raw = make_article(
        paragraphs=[*payloads, *TEMPLATE_SYNTAX], title="<svg onload=alert(1)>"
    )
    dialogs, csp_violations = [], []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and csp_violations.append(message.text)
        ),
    )
    page.add_init_script(CANARY)
    login(staff)

    review = _visit(
        page,
        f"{live_server.url}/articles/{hostile_article.pk}/",
        "#paragraphs .paragraph-text",
    )
    rendered = page.locator("#paragraphs .paragraph").count()
    admin = _visit(
        page,
        f"{live_server.url}/admin/articles/article/{hostile_article.pk}/change/",
        ADMIN_PARAGRAPH_CELLS,
    )

    raw_admin = _visit(
        page,
        f"{live_server.url}/admin/articles/article/{raw.pk}/change/",
        ADMIN_PARAGRAPH_CELLS,
    )

    assert dialogs == []
    assert rendered == hostile_article.paragraph_count
    _assert_inert(review, live_server.url)
    _assert_inert(admin, live_server.url)
    _assert_inert(raw_admin, live_server.url)
    assert "<script>alert('XSS')</script>" in raw_admin["text"]
    # The sanitiser removed every inline script and handler, so the CSP had nothing to block.
    assert csp_violations == [], "\n".join(csp_violations)
