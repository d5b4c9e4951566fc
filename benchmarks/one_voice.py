"""One voice from the first word to the last breath (issue 16): scripted sessions through the
whole skill with the shipped audio/ (or SPINE_STRETCH_AUDIO_DIR) configured, timed by a
listener's clock; and the cost of assembling every reachable block.

Listener's clock: a recorded file lasts its duration (clips from audio/manifest.json, blocks
from the index of the blocks this run assembles), a `<break>` its time, Alexa's voice 2.7
words a second, and each user turn 3 s. A session runs until the workout is finished (a
"next" is a user turn) or the script ends. Blocks are assembled into a temporary folder (the
clips linked from audio/), so nothing under audio/ changes.
"""

from __future__ import annotations

import functools
import html
import random
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from spine_stretch import content as content_module
from spine_stretch.alexa.codec import invoke
from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.names import IntentName, SlotName
from spine_stretch.alexa.skill import build_skill
from spine_stretch.core.speech import WORDS_PER_SECOND
from spine_stretch.settings import Settings
from spine_stretch.store.memory import MemoryStore
from spine_stretch.voice.assembly import assemble
from spine_stretch.voice.block_store import reachable_pieces, read_block_index
from spine_stretch.voice.clips import load_audio
from spine_stretch.voice.manifest import read_manifest
from tests.conftest import FakeClock

BASE = "https://bench.example/audio"
USER_TURN_SECONDS = 3.0
_ELEMENT = re.compile(r'<audio src="([^"]+)"/>|<break time="(\d+)ms"/>|([^<]+)')


@dataclass
class Heard:
    """What a listener hears in one session."""

    seconds: float = 0.0
    recorded: float = 0.0
    spoken: float = 0.0
    switches: int = 0
    first_exhale: float | None = None
    user_turns: int = 0
    last_voice: str | None = None
    missing: set[str] = field(default_factory=set)


class Listener:
    def __init__(self, folder: Path, exhale_texts: set[str]) -> None:
        self.folder = folder
        self.exhale = exhale_texts
        self.clips = {e.file: (e.duration, e.text) for e in read_manifest(folder).entries.values()}

    def _voice(self, heard: Heard, voice: str, seconds: float) -> None:
        if heard.last_voice is not None and heard.last_voice != voice:
            heard.switches += 1
        heard.last_voice = voice
        heard.spoken += seconds
        if voice == "recorded":
            heard.recorded += seconds

    def hear(self, heard: Heard, ssml: str) -> None:
        blocks = read_block_index(self.folder)
        for url, millis, text in _ELEMENT.findall(ssml.removeprefix("<speak>")
                                                  .removesuffix("</speak>")):
            if millis:
                heard.seconds += int(millis) / 1000
            elif url:
                name = unquote(urlsplit(url).path.rsplit("/", 1)[1])
                if name in blocks:
                    entry = blocks[name]
                    for said, offset in entry.sentences:
                        self._exhale_at(heard, said, heard.seconds + offset)
                    seconds = entry.duration
                else:
                    seconds, said = self.clips[name]
                    self._exhale_at(heard, said, heard.seconds)
                self._voice(heard, "recorded", seconds)
                heard.seconds += seconds
            elif text.strip():
                words = html.unescape(text).split()
                for exhale in self.exhale:
                    at = html.unescape(text).find(exhale)
                    if at >= 0:
                        before = len(html.unescape(text)[:at].split()) / WORDS_PER_SECOND
                        self._exhale_at(heard, exhale, heard.seconds + before)
                seconds = len(words) / WORDS_PER_SECOND
                self._voice(heard, "alexa", seconds)
                heard.seconds += seconds

    def words(self, ssml: str) -> str:
        """What the reply says: recorded files by the words the manifest or index lists."""
        blocks = read_block_index(self.folder)
        said = []
        for url, _, text in _ELEMENT.findall(ssml):
            if url:
                name = unquote(urlsplit(url).path.rsplit("/", 1)[1])
                said.append(blocks[name].text if name in blocks else self.clips[name][1])
            else:
                said.append(html.unescape(re.sub(r"<[^>]+>", " ", text)))
        return " ".join(said)

    def _exhale_at(self, heard: Heard, said: str, at: float) -> None:
        if heard.first_exhale is None and said in self.exhale:
            heard.first_exhale = at


Step = tuple[str, dict[str, str] | None, float | None]  # intent, slots, seconds into the reply


def play(skill: Any, listener: Listener, script: list[Step], *,
         reps_done: Callable[[str], bool], conversation: Conversation, clock: Any) -> Heard:
    """Launch (or the script's first intent), then each scripted interruption; between them
    the user says "next" at the end of a reply until the workout is finished."""
    heard = Heard()
    steps = iter(script)
    name, slots, after = next(steps)
    envelope = conversation.launch() if name == "launch" else conversation.intent(name, slots)
    for _ in range(30):
        response = invoke(skill, envelope)
        conversation.absorb(response)
        ssml = response["response"].get("outputSpeech", {}).get("ssml", "")
        start = heard.seconds
        listener.hear(heard, ssml)
        if reps_done(listener.words(ssml)) or response["response"].get("shouldEndSession", True):
            step = next(steps, None)
            if step is None:
                break
        else:
            step = next(steps, None) or ("AMAZON.NextIntent", None, None)
        name, slots, after = step
        if after is not None:  # an interruption partway through the reply
            heard.seconds = start + after
        clock.advance(heard.seconds - start + USER_TURN_SECONDS)
        heard.seconds += USER_TURN_SECONDS
        heard.user_turns += 1
        envelope = conversation.intent(name, slots)
    return heard


class Clock(FakeClock):
    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _linked_folder(tmp: Path) -> Path:
    """A folder with the audio folder's manifest and clips (linked), for blocks to be built
    in: SPINE_STRETCH_AUDIO_DIR, by default audio/."""
    for path in Settings.from_env().audio_dir.iterdir():
        if path.is_file():
            (tmp / path.name).symlink_to(path)
    return tmp


SCRIPTS: dict[str, tuple[list[Step], float | None]] = {
    # name: (script, goal for the first exhale cue in seconds, if any)
    "first use, 5 reps": ([("launch", None, None)], 20.0),
    "12 reps": ([(IntentName.START_STRETCH, {SlotName.REPS: "12"}, None)], None),
    "'slower' mid-block": ([("launch", None, None),
                            (IntentName.PACE, {SlotName.PACE: "slower"}, 45.0)], None),
    "'my back hurts'": ([("launch", None, None),
                         (IntentName.PAIN, {SlotName.BODY_PART: "back"}, 40.0),
                         (IntentName.YES, None, None)], None),
    "spoken cool-down": ([(IntentName.COOL_DOWN, None, None)], None),
}


def _finished(said: str) -> bool:
    """The reply ends the workout (its last rep and the closing words were said)."""
    return bool(re.search(r"That's all|that's the spine stretch|well done today", said, re.I))


def run() -> None:
    content = content_module.load()
    workout = content.workout
    exhale = {workout.phases[0].step.say, *workout.phases[0].cues}
    with tempfile.TemporaryDirectory() as tmp:
        folder = _linked_folder(Path(tmp))
        audio = load_audio(BASE, folder, build_blocks=True)
        if audio is None:
            print("  no recorded audio under audio/: nothing to measure")
            return
        listener = Listener(folder, exhale)
        print("scripted sessions (listener's clock; goals: 100 % recorded, 0 switches, "
              "first exhale <= 20 s first use, <= 10 s returning)")
        for name, (script, goal) in SCRIPTS.items():
            clock = Clock()
            skill = build_skill(content, MemoryStore(), random.Random(7), audio)
            heard = play(skill, listener, script, reps_done=_finished,
                         conversation=Conversation(clock=clock), clock=clock)
            _report(name, heard, goal)
        _returning(content, audio, listener)
        _assembly(content, folder)


def _report(name: str, heard: Heard, goal: float | None) -> None:
    share = 100 * heard.recorded / heard.spoken if heard.spoken else 0.0
    exhale = "-" if heard.first_exhale is None else f"{heard.first_exhale:5.1f} s"
    aim = "" if goal is None else f" (goal <= {goal:g} s)"
    print(f"  {name:22s} {share:5.1f} % recorded, {heard.switches} switches, first exhale "
          f"{exhale}{aim}, {heard.user_turns} user turns, {heard.seconds:5.0f} s in all")


def _returning(content: Any, audio: Any, listener: Listener) -> None:
    """Twelve reps: the first block heard, "next", stopped 20 s into reps six to ten; the
    next day a launch and "yes" to carry on."""
    clock = Clock()
    skill = build_skill(content, MemoryStore(), random.Random(7), audio)
    first = Conversation(clock=clock)
    reply = invoke(skill, first.intent(IntentName.START_STRETCH, {SlotName.REPS: "12"}))
    first.absorb(reply)
    clock.advance(400)
    first.absorb(invoke(skill, first.intent(IntentName.NEXT)))
    clock.advance(20)
    invoke(skill, first.intent(IntentName.STOP))
    clock.advance(86_400)
    heard = play(skill, listener, [("launch", None, None), (IntentName.YES, None, None)],
                 reps_done=lambda said: True, conversation=Conversation(clock=clock),
                 clock=clock)
    _report("returning mid-exercise", heard, 10.0)


def _assembly(content: Any, folder: Path) -> None:
    entries = read_manifest(folder).entries
    start = time.perf_counter()
    reachable, missing = reachable_pieces(content, entries)
    planned = time.perf_counter() - start
    read = functools.cache(lambda name: (folder / name).read_bytes())
    cache: dict[str, tuple[bytes, int]] = {}
    start = time.perf_counter()
    size = 0
    longest = 0.0
    for pieces in reachable:
        built = assemble(pieces, read, cache=cache)
        size += len(built.data)
        longest = max(longest, built.duration)
    took = time.perf_counter() - start
    print(f"assembly: {len(reachable)} reachable blocks ({len(missing)} sentences missing), "
          f"planned in {planned:.1f} s, built in memory in {took:.1f} s "
          f"({len(reachable) / took:.0f} files/s), {size / 1e6:.0f} MB, longest {longest:.0f} s "
          "(Alexa allows 240 s)")

