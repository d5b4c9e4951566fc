"""One event per thing a user can do; every transport (Alexa, chat, tests) speaks these."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType


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
    WHY = "why"
    QUESTION = "question"
    MODIFY = "modify"
    TIP = "tip"
    PAIN = "pain"
    SET_REPS = "set_reps"
    PACE = "pace"
    COOL_DOWN = "cool_down"
    COOL_DOWN_OFFER = "cool_down_offer"
    FORGET = "forget"
    PROGRESS = "progress"


class Slot(StrEnum):
    """What an event can carry, as the user said it (raw: "8", "?", "theraband")."""

    REPS = "reps"
    TOPIC = "topic"
    QUERY = "query"
    PROP = "prop"
    DIFFICULTY = "difficulty"
    BODY_PART = "body_part"
    PACE = "pace"
    # On a FALLBACK: which slot Alexa heard a value for that its type does not know.
    UNRESOLVED = "unresolved"


_NO_SLOTS: Mapping[Slot, str] = MappingProxyType({})


@dataclass(frozen=True)
class Event:
    """`at` is when the request was made, in epoch seconds, so the engine can tell whether
    the last block was heard to its end or interrupted; `day` is the user's local date then
    (the edge knows the time zone), so history counts the user's days, not UTC's."""

    kind: EventKind
    slots: Mapping[Slot, str] = field(default_factory=lambda: _NO_SLOTS)
    at: float | None = None
    day: date | None = None

    @staticmethod
    def of(kind: EventKind, at: float | None = None, day: date | None = None,
           **slots: str | None) -> Event:
        filled = {Slot(name): value for name, value in slots.items() if value is not None}
        return Event(kind, MappingProxyType(filled), at, day)

    def slot(self, name: Slot) -> str | None:
        return self.slots.get(name)

    def is_type(self, kind: EventKind) -> bool:
        return self.kind is kind
