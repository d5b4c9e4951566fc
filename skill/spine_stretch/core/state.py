"""The coaching state of one user, immutable, with a stable dict form for storage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from typing import Any


class Stage(StrEnum):
    READY = "ready"
    SETUP = "setup"
    REPS = "reps"
    FINISHED = "finished"


class Question(StrEnum):
    """The yes/no question the user was last asked, so a bare "yes" has a meaning."""

    NONE = "none"
    CONTINUE = "continue"
    START = "start"


@dataclass(frozen=True)
class State:
    """Where the user is: `rep` is the first rep of the block spoken last.

    `reps` and `breath_seconds` are the running session's settings and the user's
    preferences for the next one.
    """

    stage: Stage = Stage.READY
    rep: int = 1
    reps: int = 5
    breath_seconds: int = 4
    paused: bool = False
    asking: Question = Question.NONE
    safety_heard: bool = False

    @property
    def in_progress(self) -> bool:
        return self.stage in (Stage.SETUP, Stage.REPS)

    def to_dict(self) -> dict[str, Any]:
        return {key: str(value) if isinstance(value, StrEnum) else value
                for key, value in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], default: State) -> State:
        """Rebuild a stored state; any field that is missing or malformed keeps `default`'s."""
        kept: dict[str, Any] = {}
        for item in fields(cls):
            value = data.get(item.name)
            current = getattr(default, item.name)
            if isinstance(current, StrEnum):
                if not isinstance(value, str):
                    continue
                try:
                    kept[item.name] = type(current)(value)
                except ValueError:
                    continue
            elif isinstance(current, bool):
                if isinstance(value, bool):
                    kept[item.name] = value
            elif isinstance(value, int) and not isinstance(value, bool):
                kept[item.name] = value
        return State(**{**asdict(default), **kept})
