"""What the engine asks to be said, before any prompt variant or SSML is chosen."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# A calm coaching pace; used wherever speech length must be estimated.
WORDS_PER_SECOND = 2.7


def speaking_seconds(text: str) -> float:
    return len(text.split()) / WORDS_PER_SECOND


@dataclass(frozen=True)
class Prompt:
    """A prompt from prompts.yaml by key; its fields fill the variant's braces."""

    key: str
    fields: Mapping[str, int | str] = field(default_factory=lambda: MappingProxyType({}))

    @staticmethod
    def of(key: str, **fields: int | str) -> Prompt:
        return Prompt(key, MappingProxyType(dict(fields)))


@dataclass(frozen=True)
class Text:
    """Exercise content said as written; `key` names it for pre-rendered audio."""

    key: str
    text: str


@dataclass(frozen=True)
class Pause:
    seconds: float


Part = Prompt | Text | Pause


@dataclass(frozen=True)
class Spoken:
    """A resolved sentence: final text plus the key its audio is filed under."""

    key: str
    text: str


Resolved = Spoken | Pause
