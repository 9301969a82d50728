"""`storyline serve` in a real browser: Debian's Chromium driven by Playwright."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from storyline.settings import Settings
from storyline.web import create_app
from tests.conftest import REPO
from tests.test_report_browser import CHROMIUM, FLAGS
from tests.web.conftest import copy_store

ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture
def server(demo_settings: Settings, tmp_path: Path) -> Iterator[str]:
    """The app served by uvicorn on a free port of 127.0.0.1, in a thread."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app(copy_store(demo_settings, tmp_path / "served.db"), read_only=True)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    served = uvicorn.Server(config)
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not served.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    served.should_exit = True
    thread.join(timeout=10)


@pytest.mark.slow
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_analyst_browses_stories_citations_and_entities(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})

        def guard(route: object) -> None:
            url = route.request.url  # type: ignore[attr-defined]
            if url.startswith(server):
                route.continue_()  # type: ignore[attr-defined]
            else:
                outside.append(url)
                route.abort()  # type: ignore[attr-defined]

        page.route("**/*", guard)
        page.goto(server + "/")
        expect(page.locator("h1")).to_have_text("Stories")
        rows = page.locator("table.stories tr td:first-child a")
        assert rows.count() >= 4
        page.screenshot(path=str(ARTIFACTS / "web-stories.png"))

        label = rows.last.inner_text()
        rows.last.click()
        expect(page.locator("h4")).to_contain_text(label)
        assert page.locator("ol.brief li").count() >= 3
        assert page.locator("svg.timeline circle").count() >= 1
        page.screenshot(path=str(ARTIFACTS / "web-story.png"))

        cite = page.locator("ol.brief a.cite").first
        cite.click()
        cited = page.locator("mark#cited")
        expect(cited).to_be_visible()
        assert cited.inner_text().strip()
        assert page.url.startswith(server + "/documents/") and page.url.endswith("#cited")
        page.screenshot(path=str(ARTIFACTS / "web-document.png"))

        page.fill("nav input[name=q]", "Ellison")
        page.keyboard.press("Enter")
        entity = page.locator("ul.entities a", has_text="Marta Ellison")
        expect(entity).to_be_visible()
        entity.click()
        expect(page.locator("h1")).to_have_text("Marta Ellison")
        assert page.locator("table tr").count() >= 2  # her quotes
        page.screenshot(path=str(ARTIFACTS / "web-entity.png"))
        browser.close()
    assert outside == []
