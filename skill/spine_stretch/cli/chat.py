"""`spine-stretch chat`: typed utterances resolved by the local matcher, sent through the skill."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta

from .. import content
from ..alexa.codec import invoke
from ..alexa.envelopes import Conversation
from ..alexa.skill import build_skill
from ..core.ssml import spoken_seconds, to_plain
from ..interaction.matcher import Matcher
from ..interaction.source import load_interaction
from ..settings import Settings
from ..store import open_store


class ListeningClock:
    """Simulated time for a typed conversation: each reply is listened to its end."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def listen(self, ssml: str) -> None:
        self._now += timedelta(seconds=spoken_seconds(ssml) + 1)

    def timestamp(self) -> float:
        return self._now.timestamp()

    def set(self, directive: str) -> None:
        """`@+2d`, `@+3h`, `@+90m` move time on; `@2026-11-27T07:00` jumps to a moment
        (UTC unless it names its offset). ValueError for anything else."""
        text = directive.strip().removeprefix("@").strip()
        if text.startswith("+"):
            amount, unit = text[1:-1], text[-1:]
            seconds = {"d": 86400, "h": 3600, "m": 60, "s": 1}.get(unit)
            if seconds is None or not amount.isdecimal():
                raise ValueError(f"not a time step: {directive!r} (try @+1d, @+2h, @+30m)")
            self._now += timedelta(seconds=int(amount) * seconds)
            return
        self._now = parse_moment(text)


def parse_moment(text: str) -> datetime:
    """An ISO 8601 moment; UTC when it names no offset. ValueError if not one."""
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _lines(script: Iterable[str] | None) -> Iterator[str]:
    if script is not None:
        for line in script:
            if line.strip() and not line.lstrip().startswith("#"):
                print(f"> {line.strip()}")
                yield line
        return
    while True:
        try:
            yield input("> ")
        except EOFError:
            return


def run_chat(script: Iterable[str] | None, settings: Settings | None = None,
             rng: random.Random | None = None, start: datetime | None = None) -> int:
    """Lines starting with @ set the simulated clock (see `ListeningClock.set`), so a
    script can play several days: "@+1d" then "open spine stretch"."""
    settings = settings or Settings.from_env()
    listener = ListeningClock(start or datetime.now(UTC))
    skill = build_skill(content.load(), open_store(settings.store_url), rng,
                        clock=listener.timestamp)
    matcher = Matcher(load_interaction())
    conversation = Conversation(clock=listener.now)
    for line in _lines(script):
        if line.strip().lower() in {"quit", "exit"}:
            break
        if line.strip().startswith("@"):
            try:
                listener.set(line)
            except ValueError as exc:
                print(f"(clock unchanged: {exc})")
                continue
            conversation.end()  # time passed: Alexa would have closed the session
            print(f"(the time is now {listener.now():%Y-%m-%d %H:%M} UTC)")
            continue
        resolution, opened = matcher.resolve(line, in_session=conversation.session_id is not None)
        if opened:
            conversation.end()
        if resolution.launch:
            envelope = conversation.launch()
        else:
            envelope = conversation.intent(resolution.intent or "AMAZON.FallbackIntent",
                                           resolution.slots, resolution.resolved)
        response = invoke(skill, envelope)
        conversation.absorb(response)
        speech = response.get("response", {}).get("outputSpeech", {}).get("ssml")
        listener.listen(speech or "")
        print(to_plain(speech) if speech else "(no speech)")
        if conversation.session_id is None:
            print("(session ended)")
        sys.stdout.flush()
    return 0
