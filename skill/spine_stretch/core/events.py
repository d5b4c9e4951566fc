"""One event per thing a user can do; every transport (Alexa, chat, tests) speaks these."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EventKind(StrEnum):
    START = "start"
    NEXT = "next"
    PREVIOUS = "previous"
    REPEAT = "repeat"
    PAUSE = "pause"
    RESUME = "resume"
    START_OVER = "start_over"
    STOP = "stop"
    WHAT_NOW = "what_now"
    HELP = "help"
    YES = "yes"
    NO = "no"
    FALLBACK = "fallback"
    SESSION_ENDED = "session_ended"


@dataclass(frozen=True)
class Event:
    """`value` carries what the user said for a slot, raw (e.g. "8", "?"); `at` is when the
    request was made, in epoch seconds, so the engine can tell whether the last block was
    heard to its end or interrupted."""

    kind: EventKind
    value: str | None = None
    at: float | None = None

    def is_type(self, kind: EventKind) -> bool:
        return self.kind is kind
