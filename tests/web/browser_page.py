"""The simulator page in a real browser, for tests: Debian's chromium through Playwright,
against the real server process, and the page's controls driven as a person would.

The page's timers run on Playwright's clock, so a test moves time itself; the server and the
media the page plays keep real time, so tests wait for what they cause, never a fixed time.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from spine_stretch.voice.probe import probe_mp3, spec_problems
from tests.hosts.serving import Server, running_server
from tests.paths import ROOT

CHROMIUM = Path("/usr/bin/chromium")
# No network here: nothing in the browser may try to reach one.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
AA_TEXT_CONTRAST = 4.5
# Long enough for any reply the page times on its own clock (silences, unvoiced speech).
REPLY_MS = 120_000


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    # One per test: the page is always the same local user, so each test gets a fresh store.
    with running_server(tmp_path) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run does)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.clock.install()
    opened.goto(server.url + "/")
    yield opened
    context.close()
    assert errors == [], "the page raised errors"


def coach_said(page: Page) -> str:
    return page.locator("#log li.coach p").last.inner_text()


def last_response(page: Page) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(page.locator("#last-response").text_content() or "{}")
    return data


def say(page: Page, text: str) -> None:
    replies = page.locator("#log li.coach").count()
    page.get_by_label("What you say").fill(text)
    page.keyboard.press("Enter")
    expect(page.locator("#log li.coach")).to_have_count(replies + 1)


def press(page: Page, name: str) -> None:
    replies = page.locator("#log li.coach").count()
    button = page.get_by_role("button", name=name, exact=True)
    button.focus()
    page.keyboard.press("Enter")  # keyboard, not a mouse: the controls must work from keys
    expect(page.locator("#log li.coach")).to_have_count(replies + 1)


def answers_mp3(server: Server, source: str) -> None:
    """`source`, fetched as a device would, is an MP3 to Alexa's spec served as audio/mpeg."""
    with urllib.request.urlopen(urljoin(server.url + "/", source), timeout=10) as reply:
        assert reply.status == 200
        assert reply.headers.get_content_type() == "audio/mpeg"
        data = reply.read()
    assert spec_problems(probe_mp3(data)) == []


CONTRAST = """
selectors => selectors.flatMap(selector => [...document.querySelectorAll(selector)]
  .filter(el => el.getClientRects().length && el.textContent.trim())
  .map(el => {
    let back = el;
    while (back && getComputedStyle(back).backgroundColor === "rgba(0, 0, 0, 0)") {
      back = back.parentElement;
    }
    return {selector, color: getComputedStyle(el).color,
            background: back ? getComputedStyle(back).backgroundColor : "rgb(255, 255, 255)"};
  }))
"""


def luminance(css: str) -> float:
    channels = [int(v) / 255 for v in re.findall(r"\d+", css)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def assert_readable(page: Page) -> None:
    """Every visible text meets WCAG AA contrast and every visible control has a name."""
    selectors = ["h1", "h2", "h3", ".intro", "label", "legend", "button", ".who", ".heard",
                 ".log p", ".pause", ".hint", ".note", "[data-field]", "dt", "dd", "summary",
                 ".device", ".chapters button", ".at"]
    found = page.evaluate(CONTRAST, selectors)
    assert {item["selector"] for item in found} >= {"button", ".heard", "[data-field]", "dt"}
    for item in found:
        lighter, darker = sorted((luminance(item["color"]), luminance(item["background"])),
                                 reverse=True)
        ratio = (lighter + 0.05) / (darker + 0.05)
        assert ratio >= AA_TEXT_CONTRAST, f"{item}: contrast {ratio:.2f}"
    for control in page.locator("button:visible, input:visible, progress:visible").all():
        name = control.evaluate("el => el.labels?.[0]?.textContent || el.textContent "
                                "|| el.getAttribute('aria-label') || ''")
        assert name.strip(), control.evaluate("el => el.outerHTML")
