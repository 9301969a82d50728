"""The static report in a real browser: every section shown, nothing fetched from outside."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from storyline.report import write_report
from storyline.settings import Settings
from storyline.store import open_store
from tests.conftest import REPO

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = REPO / "test-artifacts"


@pytest.mark.slow
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_report_opens_in_chromium(dated_seed_settings: Settings, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with open_store(dated_seed_settings.db, dated_seed_settings, read_only=True) as store:
        index = write_report(store, tmp_path / "report")
    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})

        def guard(route: object) -> None:
            url = route.request.url  # type: ignore[attr-defined]
            if url.startswith("file://"):
                route.continue_()  # type: ignore[attr-defined]
            else:
                outside.append(url)
                route.abort()  # type: ignore[attr-defined]

        page.route("**/*", guard)
        page.goto(index.as_uri())
        headings = page.locator("h2, h5").all_inner_texts()
        for section in ("Stories", "Brief", "New since the previous story", "Timeline",
                        "Sources", "Where sources differ", "Quotes as each outlet reports them",
                        "Most-named entities", "Documents"):  # fmt: skip
            assert section in headings, section
        assert page.locator("svg.timeline circle").count() >= 3
        assert page.locator("ol.brief li").count() >= 4
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=False)
        cite = page.locator("a.cite").first
        target = (cite.get_attribute("href") or "").lstrip("#")
        cite.click()
        # The page opens the cited document's details as the link is followed.
        page.wait_for_selector(f"details#{target}[open]", timeout=5000)
        browser.close()
    assert outside == []
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000
