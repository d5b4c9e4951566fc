"""The one place that writes SSML. Text is always escaped; Alexa's limits are enforced.

Speech is Alexa's text-to-speech, or, when the caller passes an audio lookup, recorded clips
played through `<audio>`: all of a document or none of it (see `render`).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from .speech import Pause, Resolved, Spoken, speaking_seconds

MAX_SSML_CHARS = 8000
MAX_BREAK_SECONDS = 10.0
# Alexa's `<audio>` limits: five tags in one response, 240 s of audio in its speech, 90 s in
# its reprompt.
MAX_AUDIO_TAGS = 5
MAX_SPEECH_AUDIO_SECONDS = 240.0
MAX_REPROMPT_AUDIO_SECONDS = 90.0

_ESCAPES = str.maketrans({
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&apos;",
})


_BREAK_RUN = re.compile(r'(?:\s*<break time="\d+ms"/>)+\s*')
_AUDIO_TAG = re.compile(r"<audio src=")


class SsmlError(ValueError):
    """A response that Alexa would reject."""


@dataclass(frozen=True)
class AudioClip:
    """A recording of one sentence: the HTTPS URL Alexa fetches, and how long it plays."""

    url: str
    seconds: float


# The recording of exactly this sentence (its key and its text), or None if there is none.
AudioLookup = Callable[[Spoken], AudioClip | None]
# One recording of a whole run of sentences and pauses, or None if it cannot be had. The flag
# says the run is a block (the same for everyone at a setting, so it may have been built
# ahead of time); other runs can only be built on demand.
BlockLookup = Callable[[Sequence[Resolved], bool], AudioClip | None]


@runtime_checkable
class BlockSource(Protocol):
    """An audio lookup that can also assemble a run of sentences into one recording."""

    def __call__(self, spoken: Spoken) -> AudioClip | None: ...

    def block(self, items: Sequence[Resolved], cacheable: bool) -> AudioClip | None: ...


@dataclass(frozen=True)
class AudioLimits:
    """How much recorded audio one `<speak>` document may carry."""

    tags: int = MAX_AUDIO_TAGS
    seconds: float = MAX_SPEECH_AUDIO_SECONDS


SPEECH_LIMITS = AudioLimits()


def escape(text: str) -> str:
    return text.translate(_ESCAPES)


def breaks(seconds: float) -> str:
    """Silence of `seconds`, as as many `<break>` tags as the 10 s limit per tag needs."""
    if not math.isfinite(seconds) or seconds <= 0:
        return ""
    millis = round(seconds * 1000)
    limit = round(MAX_BREAK_SECONDS * 1000)
    tags = []
    while millis > 0:
        chunk = min(millis, limit)
        tags.append(f'<break time="{chunk}ms"/>')
        millis -= chunk
    return "".join(tags)


def _merge_pauses(items: Iterable[Resolved]) -> list[Resolved]:
    merged: list[Resolved] = []
    for item in items:
        if isinstance(item, Pause) and merged and isinstance(merged[-1], Pause):
            merged[-1] = Pause(merged[-1].seconds + item.seconds)
        else:
            merged.append(item)
    return merged


def _check_limits(clips: Sequence[AudioClip], limits: AudioLimits) -> None:
    if len(clips) > limits.tags:
        raise SsmlError(f"{len(clips)} <audio> tags in one response; at most {limits.tags}")
    seconds = sum(clip.seconds for clip in clips)
    if seconds > limits.seconds:
        raise SsmlError(f"{seconds:.1f} s of <audio> exceeds the {limits.seconds:g} s allowed")


def _speak(body: Iterable[str]) -> str:
    ssml = "<speak>" + " ".join(part for part in body if part) + "</speak>"
    if len(ssml) > MAX_SSML_CHARS:
        raise SsmlError(f"SSML of {len(ssml)} characters exceeds Alexa's {MAX_SSML_CHARS}")
    return ssml


def audio_tag(clip: AudioClip) -> str:
    return f'<audio src="{escape(clip.url)}"/>'


def recorded(items: Iterable[Resolved], audio: AudioLookup,
             limits: AudioLimits = SPEECH_LIMITS) -> str | None:
    """A `<speak>` document with every spoken item as its clip, pauses as breaks between.

    Looks up every spoken item. None if any has no clip; SsmlError if the clips break
    `limits` (too many tags or too many seconds) or the document is too long.
    """
    body: list[str] = []
    clips: list[AudioClip] = []
    complete = True
    for item in _merge_pauses(items):
        if isinstance(item, Pause):
            body.append(breaks(item.seconds))
        elif (clip := audio(item)) is None:
            complete = False
        else:
            clips.append(clip)
            body.append(audio_tag(clip))
    if not complete:
        return None
    _check_limits(clips, limits)
    return _speak(body)


def render(items: Iterable[Resolved], audio: AudioLookup | None = None,
           limits: AudioLimits = SPEECH_LIMITS, *, block: BlockLookup | None = None,
           block_from: int | None = None) -> str:
    """A `<speak>` document for the items, or SsmlError if it breaks Alexa's limits.

    With `audio`, the document is recorded clips if every spoken item has one and they fit
    `limits`; otherwise, like without `audio`, it is all text-to-speech. Never a mix: a
    recorded voice and Alexa's voice taking turns sentence by sentence sounds broken.
    With `block` too, the items from `block_from` on play as one assembled recording (the
    lead before them as clips), and items too many for the tags allowed play as one.
    """
    listed = list(items)
    parts = _merge_pauses(listed)
    if audio is not None:
        try:
            document = _recorded(listed, audio, limits, block, block_from)
        except SsmlError:
            document = None  # too much to play as recordings: Alexa's voice says all of it
        if document is not None:
            return document
    return _speak(escape(item.text) if isinstance(item, Spoken) else breaks(item.seconds)
                  for item in parts)


def _recorded(items: list[Resolved], audio: AudioLookup, limits: AudioLimits,
              block: BlockLookup | None, block_from: int | None) -> str | None:
    if block is None:
        return recorded(items, audio, limits)
    if block_from is not None and any(isinstance(i, Spoken) for i in items[block_from:]):
        return _with_block(items[:block_from], items[block_from:], audio, block, True, limits)
    spoken = sum(isinstance(item, Spoken) for item in items)
    if spoken <= limits.tags:
        return recorded(items, audio, limits)
    return _with_block([], items, audio, block, False, limits)


def _with_block(lead: list[Resolved], body: list[Resolved], audio: AudioLookup,
                block: BlockLookup, cacheable: bool, limits: AudioLimits) -> str | None:
    """The lead's clips, then the body as one assembled recording."""
    clips: list[AudioClip] = []
    parts: list[str] = []
    for item in _merge_pauses(lead):
        if isinstance(item, Pause):
            parts.append(breaks(item.seconds))
        elif (clip := audio(item)) is None:
            return None
        else:
            clips.append(clip)
            parts.append(audio_tag(clip))
    whole = block(body, cacheable)
    if whole is None:
        return None
    clips.append(whole)
    parts.append(audio_tag(whole))
    _check_limits(clips, limits)
    return _speak(parts)


def reprompt_limits(speech: str) -> AudioLimits:
    """What a reprompt may still carry after `speech`, a document `render` wrote.

    Alexa counts the five tags per response; the reprompt shares them with the speech.
    """
    used = len(_AUDIO_TAG.findall(speech))
    return AudioLimits(max(0, MAX_AUDIO_TAGS - used), MAX_REPROMPT_AUDIO_SECONDS)


def to_plain(ssml: str) -> str:
    """Readable text for a `<speak>` document, adjacent breaks shown as one `[4 s]`."""

    def pause(match: re.Match[str]) -> str:
        total = sum(int(ms) for ms in re.findall(r'time="(\d+)ms"', match.group(0)))
        return f" [{total / 1000:g} s] "

    text = _BREAK_RUN.sub(pause, ssml)
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def spoken_seconds(ssml: str) -> float:
    """An estimate of how long a `<speak>` document takes to say, breaks included."""
    pauses = sum(int(ms) for ms in re.findall(r'<break time="(\d+)ms"/>', ssml)) / 1000
    return pauses + speaking_seconds(html.unescape(re.sub(r"<[^>]+>", " ", ssml)))
