"""A small local matcher from typed text to an intent, over the interaction model's samples.

Not a copy of Alexa's NLU: exact sample matches (with slots) first, then the sample sharing the
most words, else AMAZON.FallbackIntent. Good enough to drive the skill from a terminal or page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .source import InteractionSource

FALLBACK = "AMAZON.FallbackIntent"
MIN_OVERLAP = 0.6

_NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60}


@dataclass(frozen=True)
class Resolution:
    """What Alexa would send: a launch, or an intent with slot values (None when unfilled)."""

    launch: bool = False
    intent: str | None = None
    slots: dict[str, str | None] = field(default_factory=dict)
    # Custom slot values that entity resolution matched: slot -> canonical value.
    resolved: dict[str, str] = field(default_factory=dict)


def normalise(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"^\s*alexa\b[\s,]*", "", text)
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def number_value(text: str) -> str:
    """AMAZON.NUMBER's value: digits for a spoken number, "?" for anything else."""
    words = text.replace("-", " ").split()
    if len(words) == 1 and words[0].isdigit():
        return words[0]
    if len(words) == 1 and words[0] in _NUMBER_WORDS:
        return str(_NUMBER_WORDS[words[0]])
    if len(words) == 2 and words[0] in _TENS and words[1] in _NUMBER_WORDS:
        return str(_TENS[words[0]] + _NUMBER_WORDS[words[1]])
    if len(words) == 1 and words[0] in _TENS:
        return str(_TENS[words[0]])
    return "?"


@dataclass(frozen=True)
class _Pattern:
    intent: str
    regex: re.Pattern[str]
    literal_words: frozenset[str]
    literal_length: int


def _compile(sample: str) -> tuple[re.Pattern[str], frozenset[str], int]:
    """A sample as a regex over normalised text; `{slot}` words become named groups."""
    parts: list[str] = []
    literal: list[str] = []
    for token in sample.split():
        slot = re.fullmatch(r"\{(\w+)\}", token)
        if slot:
            parts.append(rf"(?P<{slot.group(1)}>.+?)")
        elif words := normalise(token):
            literal += words.split()
            parts.append(re.escape(words))
    return re.compile(" ".join(parts)), frozenset(literal), sum(len(w) for w in literal)


class Matcher:
    def __init__(self, source: InteractionSource) -> None:
        self._source = source
        self._slot_types = {
            (intent.name, slot): kind for intent in source.intents for slot, kind in intent.slots
        }
        self._canonical = {
            slot_type.name: {
                normalise(said): value
                for value, synonyms in slot_type.values for said in (value, *synonyms)
            }
            for slot_type in source.types
        }
        self._patterns = []
        for intent in source.intents:
            for sample in intent.samples:
                regex, words, length = _compile(sample)
                self._patterns.append(_Pattern(intent.name, regex, words, length))
        invocation = normalise(source.invocation)
        self._launch = {normalise(p.format(invocation=invocation)) for p in source.launch_phrases}
        self._one_shot = [
            _compile(phrase.replace("{invocation}", invocation))[0]
            for phrase in source.one_shot_phrases
        ]

    def resolve(self, text: str) -> tuple[Resolution, bool]:
        """The resolution, and whether the text opened the skill (launch or one-shot)."""
        said = normalise(text)
        if said in self._launch:
            return Resolution(launch=True), True
        for pattern in self._one_shot:
            found = pattern.fullmatch(said)
            if found:
                return self.intent_for(found.group("utterance")), True
        return self.intent_for(said), False

    def intent_for(self, said: str) -> Resolution:
        said = normalise(said)
        exact = [(p, m) for p in self._patterns if (m := p.regex.fullmatch(said))
                 and (p.literal_length or self._all_recognised(p.intent, m.groupdict()))]
        if exact:
            pattern, found = max(exact, key=lambda pair: pair[0].literal_length)
            return self._resolution(pattern.intent, found.groupdict())
        words = set(said.split())
        best: tuple[float, str] = (0.0, FALLBACK)
        for pattern in self._patterns:
            if not pattern.literal_words or pattern.regex.groupindex:
                continue
            overlap = len(words & pattern.literal_words) / len(words | pattern.literal_words)
            best = max(best, (overlap, pattern.intent))
        return self._resolution(best[1] if best[0] >= MIN_OVERLAP else FALLBACK, {})

    def _recognised(self, kind: str, value: str) -> str | None:
        """The canonical value of a heard slot value, if its type knows it."""
        if kind == "AMAZON.NUMBER":
            number = number_value(value)
            return None if number == "?" else number
        return self._canonical.get(kind, {}).get(normalise(value))

    def _all_recognised(self, intent: str, captured: dict[str, str]) -> bool:
        # A sample made only of slots ("{count}") would match anything at all; like Alexa,
        # take it only when every value is one its slot type knows.
        return all(self._recognised(self._slot_types[(intent, slot)], value) is not None
                   for slot, value in captured.items())

    def _resolution(self, intent: str, captured: dict[str, str]) -> Resolution:
        slots: dict[str, str | None] = {}
        resolved: dict[str, str] = {}
        for (owner, slot), kind in self._slot_types.items():
            if owner != intent:
                continue
            value = captured.get(slot)
            if value is not None and kind == "AMAZON.NUMBER":
                value = number_value(value)
            elif value is not None and kind in self._canonical:
                canonical = self._recognised(kind, value)
                if canonical is not None:
                    resolved[slot] = canonical
            slots[slot] = value
        return Resolution(intent=intent, slots=slots, resolved=resolved)
