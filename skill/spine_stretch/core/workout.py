"""The exercise as typed, immutable data."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .corpus import Corpus


class Breath(StrEnum):
    EXHALE = "exhale"
    INHALE = "inhale"


@dataclass(frozen=True)
class Step:
    id: str
    say: str
    seed: str


@dataclass(frozen=True)
class Phase:
    """One breath of a repetition: its full instruction and short cues for later reps."""

    breath: Breath
    step: Step
    cues: tuple[str, ...]


@dataclass(frozen=True)
class Range:
    default: int
    min: int
    max: int

    def clamp(self, value: int) -> int:
        return max(self.min, min(self.max, value))


@dataclass(frozen=True)
class Prop:
    name: str
    note: str


@dataclass(frozen=True)
class Workout:
    id: str
    title: str
    description: str
    benefits: tuple[str, ...]
    props: tuple[Prop, ...]
    steps: tuple[Step, ...]
    setup: tuple[Step, ...]
    phases: tuple[Phase, ...]
    repeat_step: Step
    reps: Range
    breath_seconds: Range
    block_seconds_max: int


@dataclass(frozen=True)
class Prompts:
    """Prompt variants by key, and the spoken words for counting."""

    variants: dict[str, tuple[str, ...]]
    count_words: tuple[str, ...]

    def count_word(self, number: int) -> str:
        if 0 <= number < len(self.count_words):
            return self.count_words[number]
        return str(number)


@dataclass(frozen=True)
class Content:
    """Everything the engine needs to know about what can be said."""

    workout: Workout
    prompts: Prompts
    corpus: Corpus
