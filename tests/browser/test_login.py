"""Log in through the real form and log out through the header's button, in Chromium."""

import pytest
from playwright.sync_api import expect

# The live server needs committed data. No serialized_rollback: mixed with plain transactional
# tests it reloads content types that the flush's post_migrate already re-made (UNIQUE error);
# the user fixtures re-make the roles instead (tests/conftest.py: _recreate_roles).
pytestmark = pytest.mark.django_db(transaction=True)


def test_log_in_with_the_form_and_log_out_with_the_button(
    page, live_server, login, reviewer
):
    console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and console_errors.append(message.text),
    )
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")

    page.fill("#id_username", "rita")
    page.fill("#id_password", "not her password")
    page.click("button[type=submit]")
    expect(page.get_by_role("alert")).to_contain_text(
        "Please enter a correct username and password"
    )

    login(reviewer)
    expect(page.locator(".site-user")).to_contain_text("rita")

    page.get_by_role("button", name="Log out").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="Log in to newsreview")).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    page.wait_for_load_state("networkidle")
    assert console_errors == []
