"""/docs in a real headless Chromium: listed, authorised, and "Try it out" works, offline."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.cli_helpers import cli_env, run_cli

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
async def server(clone_database):
    url = await clone_database()
    env = cli_env(PANDIUM_DATABASE_URL=url)
    run_cli("accounts", "create", "docs", env=env)
    key = run_cli("keys", "create", "--account", "docs", env=env).stdout.split()[-1]
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pandium_server", "serve", "--no-worker", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/readyz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    yield base, key
    proc.terminate()
    proc.wait(timeout=30)


async def test_docs_html_and_assets_name_no_other_host(server):
    base, _ = server
    async with httpx.AsyncClient(base_url=base) as client:
        for page in ("/docs", "/redoc"):
            html = (await client.get(page)).text
            for link in re.findall(r'(?:src|href)="([^"]+)"', html):
                assert not urlsplit(link).netloc, (page, link)
            assert "cdn" not in html.lower()
        assert '"validatorUrl": null' in (await client.get("/docs")).text
        for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"):
            response = await client.get(f"/docs-assets/{asset}")
            assert response.status_code == 200 and len(response.content) > 10_000


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is absent: apt-get install chromium")
async def test_try_it_out_in_headless_chromium(server):
    from playwright.async_api import async_playwright

    base, key = server
    hosts: set[str] = set()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = await browser.new_page(viewport={"width": 1280, "height": 1600})
        page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
        await page.goto(base + "/docs")
        await page.wait_for_selector(".opblock-summary", timeout=20_000)
        listed = await page.locator(".opblock-summary-path").all_inner_texts()
        assert any(p.strip() == "/v2/integrations" for p in listed)
        assert any("/v2/tenants/{tenant_id}/connectors/{connector_name}/call" in p for p in listed)

        await page.click("button.authorize")
        await page.locator(".auth-container input").first.fill(key)
        await page.locator(".auth-btn-wrapper button.authorize").first.click()
        await page.click("button.btn-done")

        operation = page.locator(
            "#operations-Integrations-get_many_integrations_v2_integrations_get"
        )
        await operation.locator(".opblock-summary").click()
        await operation.locator("button.try-out__btn").click()
        await operation.locator("button.execute").click()
        status = operation.locator(".live-responses-table tbody .response-col_status").first
        await status.wait_for(timeout=20_000)
        assert (await status.inner_text()).strip().startswith("200")
        await status.scroll_into_view_if_needed()
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "docs-try-it-out.png"), full_page=False)
        await browser.close()
    assert hosts == {urlsplit(base).netloc}, hosts
