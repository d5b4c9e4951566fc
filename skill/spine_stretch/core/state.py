"""The coaching state of one user, immutable, with a stable dict form for storage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from typing import Any

from .history import History


class Stage(StrEnum):
    READY = "ready"
    SETUP = "setup"
    REPS = "reps"
    FINISHED = "finished"


class Pace(StrEnum):
    """The values of the PACE slot type, as entity resolution reports them."""

    SLOWER = "slower"
    FASTER = "faster"


class Question(StrEnum):
    """The yes/no question the user was last asked, so a bare "yes" has a meaning."""

    NONE = "none"
    CONTINUE = "continue"
    START = "start"
    EASIER = "easier"
    COOLDOWN = "cooldown"
    FORGET = "forget"
    STEP_UP = "step_up"


@dataclass(frozen=True)
class State:
    """Where the user is: `rep` is the first rep of the block spoken last.

    `heard` says that block was listened to the end; `block_end_at` is when its speech is
    expected to end (0 when nothing is playing). `reps` and `breath_seconds` are the running
    session's settings and the user's preferences for the next one.
    """

    stage: Stage = Stage.READY
    rep: int = 1
    reps: int = 5
    breath_seconds: int = 4
    paused: bool = False
    asking: Question = Question.NONE
    safety_heard: bool = False
    heard: bool = False
    block_end_at: float = 0.0
    tips_heard: int = 0
    # A spoken cool-down (for devices that cannot play the track): blocks end with
    # "say continue" rather than coaching prompts.
    cooldown: bool = False
    # Which session this is (counts fresh starts), whether it has been written into the
    # history, and whether it was eased (pain, "slower", the easier version) so that it does
    # not count as comfortable. Why it was eased is never kept.
    session: int = 0
    logged: bool = False
    eased: bool = False
    history: History = History()

    @property
    def in_progress(self) -> bool:
        return self.stage in (Stage.SETUP, Stage.REPS)

    def to_dict(self) -> dict[str, Any]:
        return {name: _stored(value)
                for name in _FIELD_NAMES if (value := getattr(self, name)) is not None}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], default: State) -> State:
        """Rebuild a stored state; any field that is missing or malformed keeps `default`'s."""
        kept: dict[str, Any] = {}
        for name in _FIELD_NAMES:
            value = data.get(name)
            current = getattr(default, name)
            if isinstance(current, History):
                kept[name] = History.from_dict(value)
            elif isinstance(current, StrEnum):
                if not isinstance(value, str):
                    continue
                try:
                    kept[name] = type(current)(str(value))
                except ValueError:
                    continue
            elif isinstance(current, bool):
                if isinstance(value, bool):
                    kept[name] = value
            elif isinstance(current, float):
                if isinstance(value, int | float) and not isinstance(value, bool):
                    kept[name] = float(value)
            elif isinstance(value, int) and not isinstance(value, bool):
                kept[name] = value
        return replace(default, **kept)


def _stored(value: Any) -> Any:
    if isinstance(value, History):
        return value.to_dict()
    return str(value) if isinstance(value, StrEnum) else value


_FIELD_NAMES = tuple(item.name for item in fields(State))
