"""Responses with SPINE_STRETCH_AUDIO_BASE_URL set: recorded audio the local server serves.

A session is played twice with the same random seed: first to learn every sentence it says,
which are then rendered with espeak-ng into a real audio folder, then through the Flask app
with that folder behind the base URL, assembling blocks on demand as `spine-stretch serve`
does.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from ask_sdk_core.skill import CustomSkill
from flask.testing import FlaskClient

from spine_stretch import content as content_module
from spine_stretch.alexa.codec import invoke
from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.names import IntentName
from spine_stretch.alexa.skill import build_skill
from spine_stretch.core.speech import Resolved, Spoken
from spine_stretch.core.ssml import MAX_AUDIO_TAGS, AudioClip, AudioLookup, to_plain
from spine_stretch.hosts.runtime import skill_from_settings
from spine_stretch.settings import Settings
from spine_stretch.store.memory import MemoryStore
from spine_stretch.voice.block_store import read_block_index
from spine_stretch.voice.clips import load_audio
from spine_stretch.voice.engines import EspeakEngine
from spine_stretch.voice.plan import RenderItem
from spine_stretch.voice.post import Postprocessor
from spine_stretch.voice.probe import probe_mp3
from spine_stretch.voice.render import render
from spine_stretch.web.app import create_app
from tests.conftest import FakeClock

BASE = "https://coach.example/audio"
SEED = 11


@dataclass(frozen=True)
class Turn:
    intent: IntentName | None  # None: launch
    then_wait: float  # seconds before the next request


# Launch says the setup flowing into the reps, which "next" interrupts 5 s in (skipping to
# rep one); pause interrupts that block 5 s in; resume carries on; stop says goodbye.
TURNS = (Turn(None, 5), Turn(IntentName.NEXT, 5), Turn(IntentName.PAUSE, 30),
         Turn(IntentName.RESUME, 5), Turn(IntentName.STOP, 0))


class Recorder:
    """An audio lookup that has no recordings and notes every sentence each turn says."""

    def __init__(self) -> None:
        self.said: list[list[Spoken]] = []

    def next_turn(self) -> None:
        self.said.append([])

    def __call__(self, spoken: Spoken) -> AudioClip | None:
        if spoken not in self.said[-1]:
            self.said[-1].append(spoken)
        return None

    def block(self, items: Sequence[Resolved], cacheable: bool) -> AudioClip | None:
        for item in items:
            if isinstance(item, Spoken):
                self(item)
        return None


def new_skill(audio: AudioLookup | None) -> CustomSkill:
    return build_skill(content_module.load(), MemoryStore(), random.Random(SEED), audio)


Send = Callable[[dict[str, Any]], dict[str, Any]]


def play(send: Send, before_each: Callable[[], None] = lambda: None) -> list[dict[str, Any]]:
    """The TURNS, each request sent through `send`; the responses in order."""
    clock = FakeClock()
    conversation = Conversation(clock=clock)
    responses = []
    for turn in TURNS:
        before_each()
        envelope = (conversation.launch() if turn.intent is None
                    else conversation.intent(turn.intent))
        responses.append(send(envelope))
        conversation.absorb(responses[-1])
        clock.advance(turn.then_wait)
    return responses


@dataclass(frozen=True)
class Session:
    folder: Path
    client: FlaskClient
    audio: AudioLookup
    responses: list[dict[str, Any]]
    said: list[list[Spoken]]  # the sentences of each response, speech then reprompt


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory, espeak: EspeakEngine,
            post: Postprocessor) -> Session:
    recorder = Recorder()
    recording = new_skill(recorder)
    play(lambda envelope: invoke(recording, envelope), recorder.next_turn)
    folder = tmp_path_factory.mktemp("audio")
    items = {RenderItem(spoken.key, spoken.text) for turn in recorder.said for spoken in turn}
    render(sorted(items, key=lambda item: item.key), espeak, post, folder, workers=2)

    audio = load_audio(BASE, folder, build_blocks=True)
    assert audio is not None
    client = create_app(new_skill(audio), audio_dir=folder).test_client()

    def through_flask(envelope: dict[str, Any]) -> dict[str, Any]:
        reply = client.post("/alexa", json=envelope)
        assert reply.status_code == 200, reply.get_data(as_text=True)
        body: dict[str, Any] = reply.get_json()
        return body

    return Session(folder, client, audio, play(through_flask), recorder.said)


def speech(response: dict[str, Any]) -> str:
    return str(response["response"].get("outputSpeech", {}).get("ssml", ""))


def reprompt(response: dict[str, Any]) -> str:
    return str(response["response"].get("reprompt", {}).get("outputSpeech", {}).get("ssml", ""))


def audio_urls(ssml: str) -> list[str]:
    return re.findall(r'<audio src="([^"]+)"/>', ssml)


def is_all_recorded(ssml: str) -> bool:
    """Only clips and breaks: nothing for Alexa's own voice to say."""
    return bool(audio_urls(ssml)) and re.sub(r"\[[\d.]+ s\]", "", to_plain(ssml)).strip() == ""


PAUSE = 2


def test_a_short_prompt_plays_as_recorded_audio(session: Session) -> None:
    paused = session.responses[PAUSE]
    assert is_all_recorded(speech(paused)) and is_all_recorded(reprompt(paused))
    said = session.said[PAUSE]
    assert [spoken.key.split(".")[1] for spoken in said] == ["paused", "paused_reprompt"]
    assert len(audio_urls(speech(paused)) + audio_urls(reprompt(paused))) == len(said)


def test_every_audio_url_resolves_on_the_local_server(session: Session) -> None:
    urls = {url for response in session.responses
            for url in audio_urls(speech(response)) + audio_urls(reprompt(response))}
    assert urls
    for url in urls:
        assert url.startswith(BASE + "/")
        reply = session.client.get(urlsplit(url).path, buffered=True)
        assert reply.status_code == 200, url
        assert reply.mimetype == "audio/mpeg"
        assert probe_mp3(reply.data).duration > 0


def test_a_long_block_plays_as_one_assembled_recording(session: Session) -> None:
    long_turns = [index for index, said in enumerate(session.said)
                  if len(said) > MAX_AUDIO_TAGS]
    assert {0, 1} <= set(long_turns)  # the launch's setup and reps, the reps after "next"
    index = read_block_index(session.folder)
    for turn in long_turns:
        document = speech(session.responses[turn])
        assert is_all_recorded(document)
        blocks = [url for url in audio_urls(document) if "/blocks/" in url]
        assert len(blocks) == 1
        entry = index[blocks[0].rsplit("/", 1)[1]]
        # The index says what the block says: every exercise sentence, in order, with offsets.
        texts = [text for text, _ in entry.sentences]
        exercise = {s.text for s in session.said[turn] if s.key.startswith(("step.", "cue."))}
        assert exercise <= set(texts) and entry.text == " ".join(texts)
        offsets = [offset for _, offset in entry.sentences]
        assert offsets == sorted(offsets) and offsets[-1] < entry.duration


def test_each_document_is_all_recorded_or_all_speech(session: Session) -> None:
    for response in session.responses:
        documents = (speech(response), reprompt(response))
        assert all(is_all_recorded(document) or not audio_urls(document)
                   for document in documents)
        assert sum(len(audio_urls(document)) for document in documents) <= MAX_AUDIO_TAGS


def test_settings_wire_the_audio_into_the_skill(session: Session) -> None:
    settings = Settings("memory", None, BASE, session.folder)
    skill = skill_from_settings(settings, random.Random(SEED))
    responses = play(lambda envelope: invoke(skill, envelope))
    assert speech(responses[PAUSE]) == speech(session.responses[PAUSE])


@pytest.mark.parametrize("base_url", [None, "http://coach.example/audio"])
def test_without_an_https_base_url_every_response_is_speech(
        session: Session, base_url: str | None) -> None:
    skill = skill_from_settings(Settings("memory", None, base_url, session.folder),
                                random.Random(SEED))
    responses = play(lambda envelope: invoke(skill, envelope))
    assert not any(audio_urls(speech(r)) + audio_urls(reprompt(r)) for r in responses)
    assert to_plain(speech(responses[PAUSE])) == session.said[PAUSE][0].text
