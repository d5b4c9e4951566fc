"""Recorded clips in SSML: all of a document or none of it, within Alexa's `<audio>` limits."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spine_stretch.core import ssml
from spine_stretch.core.engine import advance, initial_state
from spine_stretch.core.events import Event, EventKind
from spine_stretch.core.prompts import PromptPicker
from spine_stretch.core.speech import Pause, Resolved, Spoken
from spine_stretch.core.ssml import AudioClip, AudioLimits
from spine_stretch.core.workout import Content

BASE = "https://coach.example/audio"


class Clips:
    """An audio lookup over a table of key -> seconds: a clip per listed key, the key's URL."""

    def __init__(self, seconds: Mapping[str, float]) -> None:
        self.seconds = seconds

    def __call__(self, spoken: Spoken) -> AudioClip | None:
        if spoken.key not in self.seconds:
            return None
        return AudioClip(f"{BASE}/{spoken.key}.mp3", self.seconds[spoken.key])


def every_sentence(spoken: Spoken) -> AudioClip:
    return AudioClip(f"{BASE}/{abs(hash(spoken))}.mp3", 2.0)


def audio_urls(document: str) -> list[str]:
    return re.findall(r'<audio src="([^"]*)"/>', document)


def sentences(count: int) -> list[Resolved]:
    items: list[Resolved] = []
    for index in range(count):
        items += [Spoken(f"s{index}", f"Sentence {index}."), Pause(1.0)]
    return items


def test_recorded_sentences_play_as_audio_with_breaks_between() -> None:
    items: list[Resolved] = [Spoken("a", "One."), Pause(1), Pause(0.5), Spoken("b", "Two.")]
    document = ssml.render(items, Clips({"a": 1.0, "b": 1.2}))
    assert document == (f'<speak><audio src="{BASE}/a.mp3"/> <break time="1500ms"/> '
                        f'<audio src="{BASE}/b.mp3"/></speak>')


def test_one_sentence_without_a_recording_makes_the_whole_document_speech() -> None:
    items: list[Resolved] = [Spoken("a", "One."), Pause(1), Spoken("b", "Two.")]
    document = ssml.render(items, Clips({"a": 1.0}))
    assert audio_urls(document) == []
    assert ssml.to_plain(document) == "One. [1 s] Two."


def test_without_a_lookup_it_is_speech_as_before() -> None:
    assert ssml.render([Spoken("a", "One.")]) == "<speak>One.</speak>"


def test_clip_urls_are_escaped() -> None:
    def odd(spoken: Spoken) -> AudioClip:
        return AudioClip('https://coach.example/a&b"c.mp3', 1.0)

    assert audio_urls(ssml.render([Spoken("a", "One.")], odd)) == [
        "https://coach.example/a&amp;b&quot;c.mp3"]


def test_five_clips_are_audio_and_six_are_speech() -> None:
    lookup = Clips({f"s{index}": 1.0 for index in range(6)})
    assert len(audio_urls(ssml.render(sentences(5), lookup))) == 5
    six = ssml.render(sentences(6), lookup)
    assert audio_urls(six) == [] and "Sentence 5." in six


def test_more_than_240_seconds_of_clips_is_speech() -> None:
    assert len(audio_urls(ssml.render(sentences(2), Clips({"s0": 120, "s1": 120})))) == 2
    assert audio_urls(ssml.render(sentences(2), Clips({"s0": 120, "s1": 120.5}))) == []


def test_recorded_refuses_what_alexa_would_refuse() -> None:
    lookup = Clips({f"s{index}": 50.0 for index in range(6)})
    with pytest.raises(ssml.SsmlError, match="6 <audio> tags in one response; at most 5"):
        ssml.recorded(sentences(6), lookup)
    with pytest.raises(ssml.SsmlError, match="exceeds the 90 s allowed"):
        ssml.recorded(sentences(2), lookup, AudioLimits(5, 90))
    assert ssml.recorded(sentences(2), Clips({})) is None


def test_the_reprompt_shares_the_five_tags_and_has_90_seconds() -> None:
    speech = ssml.render(sentences(3), Clips({"s0": 1, "s1": 1, "s2": 1}))
    assert ssml.reprompt_limits(speech) == AudioLimits(2, ssml.MAX_REPROMPT_AUDIO_SECONDS)
    assert ssml.reprompt_limits("<speak>Hello.</speak>") == AudioLimits(5, 90)
    full = ssml.render(sentences(5), Clips({f"s{index}": 1 for index in range(5)}))
    reprompt = ssml.render(sentences(1), Clips({"s0": 1}), ssml.reprompt_limits(full))
    assert audio_urls(reprompt) == []


@given(st.lists(st.tuples(st.booleans(), st.floats(0.1, 120), st.booleans()), max_size=12))
def test_a_document_is_never_a_mix_and_always_within_the_limits(
        spec: list[tuple[bool, float, bool]]) -> None:
    items: list[Resolved] = []
    seconds: dict[str, float] = {}
    for index, (recorded, length, pause_after) in enumerate(spec):
        items.append(Spoken(f"s{index}", f"Sentence {index}."))
        if recorded:
            seconds[f"s{index}"] = length
        if pause_after:
            items.append(Pause(length / 10))
    document = ssml.render(items, Clips(seconds))
    urls = audio_urls(document)
    assert urls == [] or len(urls) == len(spec)
    assert len(urls) <= ssml.MAX_AUDIO_TAGS
    assert sum(seconds[url.rsplit("/", 1)[1].removesuffix(".mp3")] for url in urls) <= 240
    if not urls:
        assert all(f"Sentence {index}." in document for index in range(len(spec)))


@pytest.mark.parametrize("breath", [2, 5, 8])
@pytest.mark.parametrize("reps", [1, 5, 20])
def test_every_block_stays_within_the_audio_limits_when_everything_is_recorded(
        content: Content, reps: int, breath: int) -> None:
    state = replace(initial_state(content), reps=reps, breath_seconds=breath)
    picker = PromptPicker(content.prompts, random.Random(0))
    transition = advance(content, state, Event(EventKind.START))
    for _ in range(reps + 2):
        said = picker.resolve(transition.say)
        document = ssml.render(said, every_sentence)
        spoken = sum(isinstance(item, Spoken) for item in said)
        # A coached block says far more than five sentences: Alexa's voice says all of it.
        assert len(audio_urls(document)) == (spoken if spoken <= ssml.MAX_AUDIO_TAGS else 0)
        transition = advance(content, transition.state, Event(EventKind.NEXT))
