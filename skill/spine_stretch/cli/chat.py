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
             rng: random.Random | None = None) -> int:
    settings = settings or Settings.from_env()
    skill = build_skill(content.load(), open_store(settings.store_url), rng)
    matcher = Matcher(load_interaction())
    listener = ListeningClock(datetime.now(UTC))
    conversation = Conversation(clock=listener.now)
    for line in _lines(script):
        if line.strip().lower() in {"quit", "exit"}:
            break
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
