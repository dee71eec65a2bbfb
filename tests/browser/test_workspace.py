"""The review workspace in Chromium (issue 13): one toolbar, undo, the queue that n follows,
the pages at 390 px, and axe-core on every page a desk uses."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from articles.imports.importers import import_paths
from articles.models import Article, LabelEvent, Paragraph, ReviewerPreferences

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


@pytest.fixture
def seed_article(transactional_db, seed_file) -> Article:
    import_paths([seed_file], source="bbc.co.uk")
    return Article.objects.get()


def labels(article) -> list[str]:
    return list(
        Paragraph.objects.filter(article=article)
        .order_by("position")
        .values_list("label", flat=True)
    )


def axe_violations(page) -> list[dict]:
    """Serious and critical axe-core violations of the page as it is now.

    The page's CSP (script-src 'self') refuses an injected <script>; page.evaluate() runs the
    vendored file through the DevTools protocol instead, which CSP does not govern."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def test_the_sample_reads_as_text_with_one_toolbar_and_progress_in_view(
    page, live_server, login, reviewer, seed_article, screenshot
):
    login(reviewer)
    page.set_viewport_size({"width": 1366, "height": 800})
    response = page.goto(live_server.url + seed_article.get_absolute_url())
    assert len(response.body()) <= 60_000
    expect(page.locator("#p-1")).to_be_focused()
    expect(page.locator("#review-tools")).to_be_visible()
    assert page.locator("form").count() <= 6
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 4 * 800, height
    screenshot("workspace-1366")
    page.screenshot(
        path=str(screenshot("workspace-1366")).replace(".png", "-screen.png")
    )

    page.locator(f"#p-{seed_article.paragraph_count}").scroll_into_view_if_needed()
    for selector in ("#review-progress", "#review-status", "#review-tools"):
        box = page.locator(selector).bounding_box()
        assert box is not None, selector
        assert 0 <= box["y"] < 800, selector
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("#p-1").focus()
    page.evaluate("window.scrollTo(0, 0)")
    path = screenshot("workspace-390")
    page.screenshot(path=str(path).replace(".png", "-screen.png"))
    page.locator("#p-12").focus()
    page.screenshot(path=str(path).replace(".png", "-scrolled.png"))
    # At 390 px nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_v_then_z_leaves_the_paragraph_as_it_was_with_two_audit_entries(
    page, live_server, login, reviewer, seed_article
):
    login(reviewer)
    page.goto(live_server.url + seed_article.get_absolute_url())
    expect(page.locator("#p-1")).to_be_focused()
    page.keyboard.press("v")
    expect(page.locator("#p-1 .label-badge")).to_have_text("Verified")
    expect(page.locator("#review-live")).to_have_text("Paragraph 1: Verified, saved.")
    expect(page.locator("#review-toast")).to_contain_text("Paragraph 1: Verified")
    page.keyboard.press("z")
    expect(page.locator("#p-1 .label-badge")).to_have_text("Unlabeled")
    expect(page.locator("#review-toast")).to_contain_text(
        "Undone: paragraph 1 is Unlabeled again."
    )
    expect(page.locator(".progress-text")).to_have_text(
        f"0 of {seed_article.paragraph_count} labeled"
    )
    paragraph = Paragraph.objects.get(article=seed_article, position=1)
    assert (paragraph.label, paragraph.labeled_by) == ("", None)
    assert list(
        LabelEvent.objects.order_by("pk").values_list("method", "new_value")
    ) == [("keyboard", "verified"), ("undo", "")]
    # Nothing left to undo: the toast says so, nothing changes.
    page.keyboard.press("z")
    expect(page.locator("#review-toast")).to_contain_text(
        "Nothing of yours to undo in this article."
    )
    assert LabelEvent.objects.count() == 2


def test_shift_b_then_z_restores_every_paragraph_and_the_toasts_undo_works(
    page, live_server, login, reviewer, seed_article, htmx_settled
):
    login(reviewer)
    page.goto(live_server.url + seed_article.get_absolute_url())
    expect(page.locator("#p-1")).to_be_focused()
    page.keyboard.press("u")
    expect(page.locator("#p-1 .label-badge")).to_have_text("Unverified")
    page.locator("#p-3").focus()
    page.keyboard.press("Shift+B")
    total = seed_article.paragraph_count
    expect(page.locator(f"#p-{total} .label-badge")).to_have_text("Boilerplate")
    before_undo = labels(seed_article)
    assert before_undo[0] == "unverified"
    assert set(before_undo[2:]) == {"boilerplate"}
    htmx_settled()
    page.locator("#toast-undo").click()
    expect(page.locator(f"#p-{total} .label-badge")).to_have_text("Unlabeled")
    assert labels(seed_article) == ["unverified"] + [""] * (total - 1)
    expect(page.locator("#review-live")).to_contain_text("back as they were")


def test_a_previews_what_it_will_label_and_accepts_only_the_ticked(
    page, live_server, login, reviewer, seed_article, htmx_settled
):
    login(reviewer)
    page.goto(live_server.url + seed_article.get_absolute_url())
    expect(page.locator("#p-1")).to_be_focused()
    suggested = page.locator("#paragraphs .paragraph-suggested")
    count = suggested.count()
    assert count >= 2
    page.keyboard.press("Shift+A")
    preview = page.locator("#accept-list li")
    expect(preview).to_have_count(count)
    expect(page.locator("#accept-confirm")).to_be_focused()
    assert not LabelEvent.objects.exists()  # a preview, nothing labeled yet
    first = int(preview.first.locator("input").get_attribute("value"))
    preview.first.locator("input").uncheck()
    page.locator("#accept-confirm").click()
    expect(page.locator("#paragraphs .paragraph-suggested")).to_have_count(1)
    assert Paragraph.objects.get(article=seed_article, position=first).label == ""
    assert LabelEvent.objects.filter(method="suggestion").count() == count - 1


def test_n_never_leaves_the_source_the_queue_was_filtered_to(
    page, live_server, login, reviewer, make_article, transactional_db
):
    for k in range(6):
        make_article(source="bbc.co.uk" if k % 2 else "cnn.com", title=f"Story {k}")
    login(reviewer)
    page.goto(live_server.url + "/?source=bbc.co.uk")
    page.locator(".queue-table tbody a").first.click()
    seen = []
    while "/articles/" in page.url and len(seen) < 6:
        expect(page.locator(".review-meta")).to_contain_text("bbc.co.uk")
        seen.append(page.locator("h1").inner_text())
        expect(page.locator("#paragraphs .paragraph").first).to_be_focused()
        here = page.url
        page.keyboard.press("n")
        page.wait_for_url(lambda url, here=here: url != here)
    # Three bbc.co.uk stories, then the end of the list, back on the filtered queue.
    assert seen == ["Story 5", "Story 3", "Story 1"]
    expect(page.locator(".messages")).to_contain_text("The list is done")
    assert page.url.endswith("/?source=bbc.co.uk")
    expect(page.locator("#id_source")).to_have_value("bbc.co.uk")


def test_single_letter_keys_are_off_when_the_user_says_so(
    page, live_server, login, reviewer, seed_article
):
    ReviewerPreferences.objects.create(user=reviewer, single_key_shortcuts=False)
    login(reviewer)
    page.goto(live_server.url + seed_article.get_absolute_url())
    expect(page.locator("#p-1")).to_be_focused()
    page.keyboard.press("v")
    page.keyboard.press("ArrowDown")  # arrows still move
    expect(page.locator("#p-2")).to_be_focused()
    page.get_by_role(
        "button", name="Verified v", exact=True
    ).click()  # the toolbar labels
    expect(page.locator("#p-2 .label-badge")).to_have_text("Verified")
    assert labels(seed_article)[:2] == ["", "verified"]


def test_without_javascript_a_paragraph_is_labeled_on_its_own_page(
    browser, live_server, reviewer, seed_article, new_context
):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", reviewer.username)
    page.fill("#id_password", f"pw-{reviewer.username}")
    page.click("button[type=submit]")
    page.goto(live_server.url + seed_article.get_absolute_url())
    expect(page.locator("#tools-nojs")).to_be_visible()
    page.locator("#p-2 a.paragraph-position").click()
    expect(page.locator("h1")).to_have_text(
        f"Paragraph 2 of {seed_article.paragraph_count}"
    )
    page.get_by_role("button", name="Unverified").click()
    expect(page.locator("#p-2 .label-badge")).to_have_text("Unverified")
    # Undo is a real form too.
    page.get_by_role("button", name="Undo z").click()
    expect(page.locator(".messages")).to_contain_text("paragraph 2 is Unlabeled again")
    assert labels(seed_article)[1] == ""


def test_axe_finds_nothing_serious_on_the_desks_pages(
    page, live_server, login, lead, transactional_db, seed_file, screenshot
):
    # Uploaded by the lead, as on the Import page (which names who started each run).
    import_paths([seed_file], source="bbc.co.uk", user=lead)
    seed_article = Article.objects.get()
    login(lead)
    pages = {
        "queue": "/",
        "review": seed_article.get_absolute_url(),
        "paragraph": f"{seed_article.get_absolute_url()}paragraphs/3/",
        "boilerplate": "/boilerplate/",
        "import": "/import/",
        "preferences": "/accounts/preferences/",
        "password": "/accounts/password/",
    }
    found = {}
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 844})
        for name, path in pages.items():
            page.goto(live_server.url + path)
            page.wait_for_load_state("load")
            violations = axe_violations(page)
            if violations:
                found[f"{name}@{width}"] = violations
            assert page.evaluate("document.documentElement.scrollWidth") <= max(
                width, 390
            ), f"{name} is wider than {width} px"
            screenshot(f"page-{name}-{width}")
    # The log-in page, logged out.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/**")
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 844})
        if violations := axe_violations(page):
            found[f"login@{width}"] = violations
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(f"page-login-{width}")
    assert found == {}, json.dumps(found, indent=1)


@pytest.fixture
def repeated_site(transactional_db, tmp_path, lead) -> Article:
    """Three articles of one site sharing a footer and a newsletter line."""
    path = tmp_path / "site.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(
                {
                    "id": f"story-{k}",
                    "title": f"Story {k}",
                    "source": "example.com",
                    "paragraphs": [
                        f"Story {k}: the council met on Tuesday, officials said ({k}).",
                        "Sign up for our morning newsletter and get the news in your inbox.",
                        "© 2024 Example News Ltd. All rights reserved.",
                    ],
                }
            )
            for k in range(3)
        ),
        encoding="utf-8",
    )
    import_paths([path], user=lead)
    return Article.objects.order_by("pk").first()


def test_the_boilerplate_page_fits_a_phone_and_passes_axe(
    page, live_server, login, lead, repeated_site, screenshot
):
    login(lead)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/boilerplate/")
    apply = page.get_by_role("link", name="Apply to 3…").first
    expect(apply).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # "Apply to 3…" on one line: no taller than the Show button beside the source filter.
    show = page.get_by_role("button", name="Show").bounding_box()
    assert apply.bounding_box()["height"] <= show["height"] + 1
    screenshot("page-boilerplate-rows-390")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 1366, "height": 800})
    assert axe_violations(page) == []


def test_a_lead_assigns_the_whole_page_from_the_queue(
    page, live_server, login, lead, reviewer, make_article, transactional_db
):
    for k in range(4):
        make_article(source="bbc.co.uk" if k < 3 else "cnn.com", title=f"Story {k}")
    login(lead)
    page.goto(live_server.url + "/?source=bbc.co.uk")
    expect(page.locator(".row-select")).to_have_count(3)
    page.locator("#select-page").check()
    expect(page.locator("#bulk-selected-count")).to_have_text("The 3 ticked rows")
    page.locator(".row-select").first.uncheck()
    expect(page.locator("#bulk-selected-count")).to_have_text("The 2 ticked rows")
    page.select_option("#bulk-assignee", label="rita")
    page.locator("#queue-bulk").get_by_role("button", name="Apply").click()
    expect(page.locator(".messages")).to_contain_text("Assigned 2 articles to rita.")
    assert page.url.endswith("/?source=bbc.co.uk")
    assert Article.objects.filter(assigned_to=reviewer).count() == 2
    assert not Article.objects.filter(
        source="cnn.com", assigned_to__isnull=False
    ).exists()
