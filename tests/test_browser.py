"""The simulator page in a real browser (Debian's chromium through Playwright), against the
real server process: type, press, listen, and read the step card as a person would.

The page's timers run on Playwright's clock, so the test moves time itself; the server and
the media the page plays (recorded prompts, the cool-down track) keep real time, so the test
waits for what they cause, never for a fixed time. The server is `serve --no-verify`, which
serves the shipped voice and cool-down track from itself. Screenshots are kept in
test-artifacts/.
"""

from __future__ import annotations

import html
import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from spine_stretch.core.workout import Content
from spine_stretch.settings import default_audio_dir
from spine_stretch.tracks import IndexedTracks, TrackEntry
from spine_stretch.voice.probe import probe_mp3, spec_problems

from .serving import Server, running_server

CHROMIUM = Path("/usr/bin/chromium")
# No network here: nothing in the browser may try to reach one.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).parents[1] / "test-artifacts"
QUESTION = "how do I modify this"
BREAK_RUN = re.compile(r'((?:\s*<break time="\d+ms"/>)+\s*)')
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


def check_prompt_audio(page: Page, server: Server) -> str:
    """The last reply is recorded: the page plays its file, an MP3 the server serves."""
    ssml = last_response(page)["response"]["outputSpeech"]["ssml"]
    urls = re.findall(r'<audio src="([^"]+)"/>', ssml)
    assert urls and all(url.startswith(f"{server.url}/audio/") for url in urls), ssml
    audio = page.locator("#prompt-audio")
    expect(audio).to_have_attribute("src", urls[0])
    source = audio.evaluate("element => element.currentSrc || element.src")
    answers_mp3(server, source)
    return f"played {source}"


def test_a_whole_exchange_by_typing_and_pressing(page: Page, server: Server,
                                                 content: Content) -> None:
    assert server.process.stdout is not None  # the banner was read from it; this line follows
    assert server.process.stdout.readline().strip() == f"Simulator page: {server.url}/"
    card = page.locator("#card")
    first_step = content.workout.setup[0].say

    say(page, "start spine stretch")
    expect(page.locator("#log li.you").last).to_contain_text("LaunchRequest")
    expect(card.locator("[data-field=stepText]")).to_have_text(first_step)
    expect(card.locator("[data-field=phaseLabel]")).to_have_text("Getting set up")
    expect(card.locator("[data-field=reps]")).to_have_text(str(content.workout.reps.default))
    expect(card.locator("[data-field=breathSeconds]")).to_have_text(
        f"{content.workout.breath_seconds.default} s")
    assert first_step in coach_said(page)

    press(page, "Pause")
    expect(page.locator("#log li.you").last).to_contain_text("AMAZON.PauseIntent")
    expect(card.locator("[data-field=status]")).to_have_text("Paused")
    # A short turn is the recorded voice; the log still shows its words.
    audio_note = check_prompt_audio(page, server)
    assert "resume" in coach_said(page).lower()

    press(page, "Resume")
    expect(card.locator("[data-field=status]")).to_have_text("")
    expect(card.locator("[data-field=stepText]")).to_have_text(first_step)
    resumed = coach_said(page)
    assert any(variant in resumed for variant in content.prompts.variants["resume_setup"])

    say(page, QUESTION)
    expect(page.locator("#log li.you").last).to_contain_text("ModifyIntent")
    answer = coach_said(page)
    assert answer and not any(v in answer for v in content.prompts.variants["fallback"]), answer

    # Into the reps: the card follows the speech, one beat of the breath per silence.
    press(page, "Next")
    expect(card.locator("[data-field=repLabel]")).to_have_text(
        f"Rep 1 of {content.workout.reps.default}")
    expect(card.locator("[data-field=phaseLabel]")).to_have_text("Breathe out")
    beat = card.locator("[data-field=beat]")
    for _ in range(60):
        if beat.is_visible() and beat.text_content() == "2":
            break
        page.clock.run_for(500)
    expect(beat).to_have_text("2")
    expect(card.locator("[data-field=beats]")).to_have_text(
        str(content.workout.breath_seconds.default))
    ARTIFACTS.mkdir(exist_ok=True)
    # The ring's fill is a CSS transition on real time: shown finished, as it is a beat later.
    page.screenshot(path=str(ARTIFACTS / "simulator.png"), full_page=True,
                    animations="disabled")
    print(f"prompt audio: {audio_note}")

    press(page, "Slower")
    expect(page.locator("#log li.you").last).to_contain_text("PaceIntent (pace=slower)")
    slower = content.workout.breath_seconds.default + 1
    expect(card.locator("[data-field=breathSeconds]")).to_have_text(f"{slower} s")
    for _ in range(60):
        if beat.is_visible():
            break
        page.clock.run_for(500)
    expect(card.locator("[data-field=beats]")).to_have_text(str(slower))

    say(page, "stop")
    expect(page.locator("#log li.system").last).to_contain_text("session ended")
    expect(card.locator("[data-field=timer]")).to_be_hidden()
    page.clock.run_for(10_000)  # the goodbye plays to its end without moving the card
    expect(card.locator("[data-field=repLabel]")).to_have_text(
        f"Rep 1 of {content.workout.reps.default}")


def test_a_device_without_a_screen_gets_no_card(page: Page) -> None:
    page.get_by_label("Has a screen").uncheck()
    say(page, "start spine stretch")
    request = json.loads(page.locator("#last-request").text_content() or "{}")
    # An Echo Dot: AudioPlayer, no screen.
    assert request["context"]["System"]["device"]["supportedInterfaces"] == {"AudioPlayer": {}}
    assert "directives" not in last_response(page)["response"]
    expect(page.locator("#card [data-field=noScreen]")).to_be_visible()
    expect(page.locator("#card [data-field=stepText]")).to_be_hidden()


def expected_chunks(ssml: str) -> list[dict[str, Any]]:
    """The page's reading of a reply, by the skill's own rule (ssml.to_plain's break runs)."""
    out: list[dict[str, Any]] = []
    for piece in BREAK_RUN.split(ssml.removeprefix("<speak>").removesuffix("</speak>")):
        if BREAK_RUN.fullmatch(piece):
            ms = sum(int(m) for m in re.findall(r'time="(\d+)ms"', piece))
            out.append({"kind": "silence", "ms": ms})
        elif text := re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", piece))).strip():
            out.append({"kind": "speech", "text": text})
    return out


def test_the_page_reads_ssml_as_the_skill_writes_it(page: Page) -> None:
    say(page, "start spine stretch")
    press(page, "Next")
    block = last_response(page)["response"]["outputSpeech"]["ssml"]
    read = page.evaluate("ssml => import('/simulator/static/ssml.js')"
                         ".then(module => module.chunks(ssml))", block)
    assert read == expected_chunks(block)
    timeline = last_response(page)["response"]["directives"][0]["datasources"]["stepCard"][
        "timeline"]
    assert len(timeline) >= 4
    silences = [i for i, chunk in enumerate(read) if chunk["kind"] == "silence"]
    for segment in timeline:  # each step starts in the speech right after its silences
        at = silences[segment["afterBreaks"] - 1] + 1 if segment["afterBreaks"] else 0
        assert html.unescape(segment["stepText"]) in read[at]["text"]
    crafted = ('<speak>Tom &amp; Jerry <audio src="https://example.test/a.mp3"/> '
               '<break time="10000ms"/><break time="500ms"/> done &#233;</speak>')
    assert page.evaluate("ssml => import('/simulator/static/ssml.js')"
                         ".then(module => module.chunks(ssml))", crafted) == [
        {"kind": "speech", "text": "Tom & Jerry"},
        {"kind": "audio", "src": "https://example.test/a.mp3", "text": ""},
        {"kind": "silence", "ms": 10500},
        {"kind": "speech", "text": "done é"},
    ]


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


def test_text_is_readable_and_controls_are_labelled(page: Page) -> None:
    say(page, "start spine stretch")
    press(page, "Pause")
    assert_readable(page)


def device_reports(page: Page) -> Any:
    return page.locator("#log li.device")


def press_for_the_player(page: Page, name: str, report: str) -> None:
    """Press a button whose reply is only an AudioPlayer directive; wait for its report."""
    reports = device_reports(page).count()
    page.get_by_role("button", name=name, exact=True).click()
    expect(device_reports(page)).to_have_count(reports + 1)
    expect(device_reports(page).last).to_contain_text(report)


def play_directive(page: Page) -> dict[str, Any]:
    (play,) = last_response(page)["response"]["directives"]
    assert play["type"] == "AudioPlayer.Play", play
    stream: dict[str, Any] = play["audioItem"]["stream"]
    return stream


def test_the_cool_down_track_plays_with_its_chapters(page: Page, server: Server,
                                                     content: Content) -> None:
    workout = content.workout
    entry = IndexedTracks(default_audio_dir()).track(workout.reps.default,
                                                     workout.breath_seconds.default)
    assert isinstance(entry, TrackEntry) and len(entry.chapters_ms) == entry.reps >= 4
    audio = page.locator("#cooldown-audio")

    say(page, "I just finished my workout")
    expect(page.locator("#log li.you").last).to_contain_text("CoolDownIntent")
    request = json.loads(page.locator("#last-request").text_content() or "{}")
    assert "AudioPlayer" in request["context"]["System"]["device"]["supportedInterfaces"]
    stream = play_directive(page)
    assert stream["url"] == f"{server.url}/audio/{entry.file}"
    assert stream["offsetInMilliseconds"] == 0
    # The reply is spoken first; then the track plays and the page reports it, as a device does.
    page.clock.run_for(REPLY_MS)
    expect(device_reports(page)).to_have_count(1, timeout=30_000)
    expect(device_reports(page).last).to_contain_text("AudioPlayer.PlaybackStarted")
    expect(page.locator("#cooldown")).to_be_visible()
    assert audio.evaluate("element => element.currentSrc") == stream["url"]
    answers_mp3(server, stream["url"])
    assert not audio.evaluate("element => element.paused")

    chapters = page.locator("#cooldown-chapters button")
    expect(chapters).to_have_count(entry.reps)
    chapters.nth(2).click()
    third, fourth = entry.chapters_ms[2], entry.chapters_ms[3]
    assert third <= audio.evaluate("element => element.currentTime * 1000") < fourth
    expect(chapters.nth(2)).to_have_attribute("aria-current", "true")

    press_for_the_player(page, "Pause", "AudioPlayer.PlaybackStopped")
    assert last_response(page)["response"]["directives"] == [{"type": "AudioPlayer.Stop"}]
    assert audio.evaluate("element => element.paused")
    stopped = audio.evaluate("element => Math.round(element.currentTime * 1000)")
    assert third <= stopped < fourth
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "cooldown.png"), full_page=True, animations="disabled")

    # The skill kept the place the page reported, and plays on from it.
    press_for_the_player(page, "Resume", "AudioPlayer.PlaybackStarted")
    resumed = play_directive(page)
    assert resumed == {**stream, "offsetInMilliseconds": stopped}
    assert not audio.evaluate("element => element.paused")
    assert audio.evaluate("element => Math.round(element.currentTime * 1000)") >= stopped
    assert_readable(page)

    # Starting the exercise takes the sound over: the track stops and the coaching goes on.
    reports = device_reports(page).count()
    say(page, "start spine stretch")
    expect(device_reports(page)).to_have_count(reports + 1)
    expect(device_reports(page).last).to_contain_text("AudioPlayer.PlaybackStopped")
    assert audio.evaluate("element => element.paused")
    expect(page.locator("#card [data-field=stepText]")).to_have_text(
        workout.setup[0].say)
