"""The cool-down track in the simulator page: the page is an AudioPlayer device, so the
skill's real AudioPlayer.Play plays in an <audio> element with a chapter per rep."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import Page, expect

from spine_stretch.core.workout import Content
from spine_stretch.settings import default_audio_dir
from spine_stretch.voice.track_index import IndexedTracks, TrackEntry
from tests.hosts.serving import Server

from .browser_page import (
    ARTIFACTS,
    REPLY_MS,
    answers_mp3,
    assert_readable,
    last_response,
    say,
)
from .browser_page import browser as browser  # fixtures used by name below
from .browser_page import page as page
from .browser_page import server as server


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
