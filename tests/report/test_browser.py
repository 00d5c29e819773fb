"""The report and an explanation page in headless Chromium (Debian's ``chromium`` driven by Playwright).

Skipped, with the reason, when the ``playwright`` package or ``/usr/bin/chromium`` is missing (install with
``apt-get install -y chromium`` and ``pip install playwright``; never ``playwright install``, which downloads
browsers). Screenshots go to ``test-artifacts/`` (gitignored) for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from reportkit import ARTIFACTS, SCRIPT_TITLE

from leadlens.report import safe_name

CHROMIUM = os.environ.get("LEADLENS_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_page(browser, path: Path, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    return page, problems, requests


def test_report_renders(browser, lexicon_out):
    page, problems, requests = open_page(browser, lexicon_out / "report.html")
    assert problems == []
    assert all(u.startswith("file:") for u in requests), requests
    assert page.locator("figure svg").count() >= 4
    assert page.locator("figure figcaption").count() == page.locator("figure").count()
    cell = page.get_by_text(SCRIPT_TITLE, exact=True)
    assert cell.count() >= 1 and cell.first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-top.png"))
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    # sorting: clicking the share header orders the rows by share
    table = page.locator("#lino table")
    header = table.locator("th", has_text="share").first
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    keys = table.locator("tbody tr td:nth-child(3)").evaluate_all("els => els.map(e => e.dataset.sort)")
    values = [float(k) for k in keys if k]
    assert values == sorted(values)
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    page.pdf(path=str(ARTIFACTS / "report.pdf"), format="A4", print_background=True)
    assert problems == []
    page.close()


def test_explanation_renders(browser, lexicon_out):
    page, problems, _ = open_page(browser, lexicon_out / "explain" / safe_name("zz-markup-title.txt"))
    assert problems == []
    assert page.locator("h1").inner_text() == SCRIPT_TITLE
    assert page.locator(".tok").count() >= 5
    assert page.locator(".row .margin.sec-start").count() >= 2
    assert page.locator(".verdict .ibar").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "explain-markup-title.png"), full_page=True)
    page.close()
    page, problems, _ = open_page(browser, lexicon_out / "explain" / safe_name("bands.csv#b5"))
    struck = page.locator(".tok.x")
    assert struck.count() >= 1
    assert "excluded:" in struck.first.get_attribute("title")
    assert struck.first.locator(".w").evaluate("e => getComputedStyle(e).textDecorationLine") == "line-through"
    page.screenshot(path=str(ARTIFACTS / "explain-excluded.png"), full_page=True)
    assert problems == []
    page.close()


def test_narrow_screen(browser, lexicon_out):
    page, problems, _ = open_page(browser, lexicon_out / "explain" / safe_name("01-head-of-patient-flow.txt"),
                                  width=420)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 440, width  # no sideways scrolling of the advert on a phone-sized screen
    page.screenshot(path=str(ARTIFACTS / "explain-narrow.png"))
    assert problems == []
    page.close()
