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


class StepKind(StrEnum):
    """What a progression step raises: one more rep, or a slower (one second longer) breath."""

    REPS = "reps"
    BREATH = "breath"


@dataclass(frozen=True)
class Progression:
    """The gentle-progression rule (workout.yaml's `progression`): after
    `comfortable_sessions` comfortable sessions in a row, offer the next of `steps` (in turn);
    after a no, ask again once `wait_after_no` more comfortable sessions are done."""

    comfortable_sessions: int = 3
    wait_after_no: int = 2
    steps: tuple[StepKind, ...] = (StepKind.REPS, StepKind.BREATH)


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
    progression: Progression = Progression()


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
