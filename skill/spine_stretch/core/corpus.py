"""The answer corpus and its vocabulary, as typed, immutable (and hashable) data."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    ABOUT = "about"
    BENEFIT = "benefit"
    TIP = "tip"
    BREATH = "breath"
    SETUP = "setup"
    MODIFICATION = "modification"
    SAFETY = "safety"


class Source(StrEnum):
    SEED = "seed"
    ADDED = "added"


class Moment(StrEnum):
    """Where a session is when a question comes in: setting up, or in one breath of a rep."""

    SETUP = "setup"
    EXHALE = "exhale"
    INHALE = "inhale"


class SlotType(StrEnum):
    """Custom slot types of the interaction model whose values tag corpus entries."""

    PROP = "PROP"
    DIFFICULTY = "DIFFICULTY"
    BODY_PART = "BODY_PART"


class Hint(StrEnum):
    """What kind of answer is wanted, from the intent or from cue words in the question."""

    WHY = "why"
    MODIFY = "modify"
    TIP = "tip"
    SAFETY = "safety"
    BREATH = "breath"


HINT_KINDS: dict[Hint, frozenset[Kind]] = {
    Hint.WHY: frozenset({Kind.ABOUT, Kind.BENEFIT, Kind.BREATH}),
    Hint.MODIFY: frozenset({Kind.MODIFICATION}),
    Hint.TIP: frozenset({Kind.TIP}),
    Hint.SAFETY: frozenset({Kind.SAFETY}),
    Hint.BREATH: frozenset({Kind.BREATH}),
}


@dataclass(frozen=True)
class Term:
    """A canonical word or phrase and the other ways people say it."""

    value: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocab:
    """`conditions` are health conditions, each one word with the ways people say it: a
    question naming one is always answered by pointing to a professional."""

    slot_types: tuple[tuple[SlotType, tuple[Term, ...]], ...]
    synonyms: tuple[Term, ...]
    cues: tuple[tuple[Hint, tuple[str, ...]], ...]
    stopwords: frozenset[str]
    conditions: tuple[Term, ...] = ()

    def values(self, slot: SlotType) -> tuple[Term, ...]:
        return next((terms for kind, terms in self.slot_types if kind is slot), ())


@dataclass(frozen=True)
class Entry:
    """One answer; `props`, `difficulty`, `body_parts` hold slot values from the vocab, and
    `conditions` the vocab's condition values this answer is the professional advice for."""

    id: str
    source: Source
    rationale: str
    kind: Kind
    answer: str
    keywords: tuple[str, ...] = ()
    props: tuple[str, ...] = ()
    difficulty: str | None = None
    body_parts: tuple[str, ...] = ()
    phases: tuple[Moment, ...] = ()
    conditions: tuple[str, ...] = ()

    def tags(self, slot: SlotType) -> tuple[str, ...]:
        if slot is SlotType.PROP:
            return self.props
        if slot is SlotType.BODY_PART:
            return self.body_parts
        return (self.difficulty,) if self.difficulty else ()


@dataclass(frozen=True)
class Offer:
    """A topic offered when unsure: `say` fills "You can ask me {first}", `entry` answers it."""

    entry: str
    say: str


@dataclass(frozen=True)
class Corpus:
    """Entries in file order (ties go to the earlier one), and what to say when unsure.

    All three tuples are non-empty; `not_sure` templates have {first} and {second} fields,
    filled from two of `offers` (at least two, each naming an entry). `see_a_professional`
    is the entry for a condition no entry is tagged with.
    """

    entries: tuple[Entry, ...]
    vocab: Vocab
    not_sure: tuple[str, ...]
    offers: tuple[Offer, ...]
    see_a_professional: str
