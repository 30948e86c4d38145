"""Browser tests: Playwright driving Debian's chromium against the live test server."""

import os

import pytest
from playwright.sync_api import expect, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without the networking flags chromium keeps trying to reach Google's hosts.
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# How long a step may take: generous, for a CI machine whose two cores also run the other
# worker's tests (a brief's approval once took more than 10 s there); a passing run is no slower.
TIMEOUT_MS = 30_000
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test
    # makes between page actions are plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()


def sign_in(page, username, password):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    if "/accounts/factor/verify/" in page.url:
        # An administrator: the code the demo authenticator (DEMO_TOTP_SECRET) shows.
        page.fill("#id_code", demo_code(username))
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")


def demo_code(username):
    """The authenticator's code for `username`, as an app holding the demo key would show
    it. A code is accepted once: a second sign-in within the same 30 seconds takes the
    next step's code (one step ahead is accepted), a third waits for the clock."""
    import time

    from django_otp.oath import hotp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    now = int((time.time() - device.t0) // device.step) + device.drift
    step = max(now, device.last_t + 1)
    if step > now + device.tolerance:
        wake = device.t0 + (step - device.drift - device.tolerance) * device.step
        time.sleep(wake - time.time() + 0.2)
    return f"{hotp(device.bin_key, step, device.digits):0{device.digits}d}"


@pytest.fixture
def demo(db):
    """The demo data of `make run`: the seeds' units, accounts, notices and activities."""
    from django.core.management import call_command

    call_command("seed_demo", quiet=True)
