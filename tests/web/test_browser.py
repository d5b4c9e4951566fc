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
from typing import Any

from playwright.sync_api import Page, expect

from spine_stretch.core.workout import Content
from tests.hosts.serving import Server

from .browser_page import (
    ARTIFACTS,
    answers_mp3,
    assert_readable,
    coach_said,
    last_response,
    press,
    say,
)
from .browser_page import browser as browser  # fixtures used by name below
from .browser_page import page as page
from .browser_page import server as server

QUESTION = "how do I modify this"
BREAK_RUN = re.compile(r'((?:\s*<break time="\d+ms"/>)+\s*)')
AUDIO_ONLY = re.compile(r'(?:\s*<audio src="[^"]+"/>)+\s*')


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
    # The week strip: seven days, none yet with a finished session.
    expect(card.locator("[data-field=week] li")).to_have_count(7)
    expect(card.locator("[data-field=week] li.done")).to_have_count(0)

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
    # Recorded files play in real time (the lead, then the block); the page's timers, which
    # follow the block's silences and counts, on the test's clock.
    for _ in range(200):
        if beat.is_visible() and beat.text_content() == "2":
            break
        page.clock.run_for(500)
        page.wait_for_timeout(50)
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
        if AUDIO_ONLY.fullmatch(piece):
            out += [{"kind": "audio", "src": src, "text": ""}
                    for src in re.findall(r'<audio src="([^"]+)"/>', piece)]
        elif BREAK_RUN.fullmatch(piece):
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
    if read[-1]["kind"] == "audio":
        # A recorded block: the page follows the silences and sentences its index lists.
        timing = page.evaluate("fetch('/simulator/clips').then(reply => reply.json())")
        name = read[-1]["src"].rsplit("/", 1)[1]
        pauses, sounds = timing["blocks"][name]["pauses"], timing["blocks"][name]["sounds"]
        lead = sum(chunk["kind"] == "silence" for chunk in read)
        for segment in timeline:  # each step is said right after its silences
            after = segment["afterBreaks"] - lead
            start = pauses[after - 1][0] if after > 0 else 0.0
            end = pauses[after][0] if after < len(pauses) else float("inf")
            said = [text for offset, text in sounds if start <= offset < end]
            assert html.unescape(segment["stepText"]) in said
        return
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


def test_text_is_readable_and_controls_are_labelled(page: Page) -> None:
    say(page, "start spine stretch")
    press(page, "Pause")
    assert_readable(page)
