"""The one place that writes SSML. Text is always escaped; Alexa's limits are enforced."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable

from .speech import Pause, Resolved, Spoken, speaking_seconds

MAX_SSML_CHARS = 8000
MAX_BREAK_SECONDS = 10.0

_ESCAPES = str.maketrans({
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&apos;",
})


_BREAK_RUN = re.compile(r'(?:\s*<break time="\d+ms"/>)+\s*')


class SsmlError(ValueError):
    """A response that Alexa would reject."""


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


def render(items: Iterable[Resolved]) -> str:
    """A `<speak>` document for the items, or SsmlError if it breaks Alexa's limits."""
    body: list[str] = []
    for item in _merge_pauses(items):
        if isinstance(item, Spoken):
            body.append(escape(item.text))
        else:
            body.append(breaks(item.seconds))
    ssml = "<speak>" + " ".join(part for part in body if part) + "</speak>"
    if len(ssml) > MAX_SSML_CHARS:
        raise SsmlError(f"SSML of {len(ssml)} characters exceeds Alexa's {MAX_SSML_CHARS}")
    return ssml


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
