"""The local matcher from typed text to an intent: hassil over the model's own templates.

The templates in content/interaction.yaml are matched whole (not only the samples the model's
budget keeps), with slots filled only by values their types know, as Alexa's entity resolution
would; AMAZON.NUMBER takes spoken numbers and digits, AMAZON.SearchQuery any words after its
carrier phrase. Text no template matches is AMAZON.FallbackIntent, whatever it is: empty,
emoji, another language, very long.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from hassil import Intents, RecognizeResult, recognize_best

from .grammar import clean, expand, parse_rules
from .source import InteractionSource

FALLBACK = "AMAZON.FallbackIntent"
NUMBER = "AMAZON.NUMBER"
SEARCH_QUERY = "AMAZON.SearchQuery"
TIME = "AMAZON.TIME"
# Longer than anything anyone says to a speaker; past this, matching would only cost time.
MAX_WORDS = 40

_WAKE = re.compile(r"^\s*(?:hey\s+)?alexa\b[\s,]*")
_NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}


def _number_names() -> list[dict[str, str]]:
    """0 to 99 as said and as digits: a plain word list matches far faster in hassil than a
    number range spelled out at match time."""
    names = [{"in": word, "out": str(value)} for word, value in _NUMBER_WORDS.items()]
    for tens, base in _TENS.items():
        names += [{"in": f"{tens} {unit}", "out": str(base + value)}
                  for unit, value in _NUMBER_WORDS.items() if 0 < value < 10]
        names.append({"in": tens, "out": str(base)})
    names += [{"in": str(value), "out": str(value)} for value in range(100)]
    return list({name["in"]: name for name in names}.values())


# AMAZON.TIME as Alexa sends it: "HH:MM", or a part of the day when no clock time is said.
_PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_CLOCK_HOURS = [word for word, value in _NUMBER_WORDS.items() if 1 <= value <= 12]
_MINUTES = {"": 0, "o'clock": 0, "oh five": 5, "ten": 10, "fifteen": 15, "twenty": 20,
            "thirty": 30, "forty": 40, "forty five": 45, "fifty": 50}


def _time_names() -> list[dict[str, str]]:
    """Clock times and parts of the day as said, and as AMAZON.TIME's value. A bare hour is
    taken as morning (Alexa resolves it from context, which a local matcher has not)."""
    names = [{"in": phrase, "out": code} for part, code in _PARTS_OF_DAY.items()
             for phrase in (part, f"in the {part}", f"at {part}", f"this {part}")]
    names += [{"in": "noon", "out": "12:00"}, {"in": "midday", "out": "12:00"},
              {"in": "midnight", "out": "00:00"}]
    for word in _CLOCK_HOURS:
        hour = _NUMBER_WORDS[word]
        for minutes_said, minutes in _MINUTES.items():
            said = f"{word} {minutes_said}".strip()
            for suffix, evening in (("", False), ("a m", False), ("am", False),
                                    ("in the morning", False), ("p m", True), ("pm", True),
                                    ("in the afternoon", True), ("in the evening", True),
                                    ("at night", True)):
                hours = hour % 12 + (12 if evening else 0)
                names.append({"in": f"{said} {suffix}".strip(),
                              "out": f"{hours:02d}:{minutes:02d}"})
        for said, hours, minutes in ((f"half past {word}", hour, 30),
                                     (f"quarter past {word}", hour, 15),
                                     (f"a quarter past {word}", hour, 15),
                                     (f"quarter to {word}", hour - 1, 45),
                                     (f"a quarter to {word}", hour - 1, 45)):
            for suffix, evening in (("", False), ("in the morning", False),
                                    ("in the evening", True), ("p m", True), ("pm", True)):
                value = (hours % 12 + (12 if evening else 0)) % 24
                names.append({"in": f"{said} {suffix}".strip(),
                              "out": f"{value:02d}:{minutes:02d}"})
    return list({name["in"]: name for name in names}.values())


@dataclass(frozen=True)
class Resolution:
    """What Alexa would send: a launch, or an intent with slot values (None when unfilled)."""

    launch: bool = False
    intent: str | None = None
    slots: dict[str, str | None] = field(default_factory=dict)
    # Custom slot values that entity resolution matched: slot -> canonical value.
    resolved: dict[str, str] = field(default_factory=dict)


def normalise(text: str) -> str:
    """Lower case, one space apart, letters, digits and apostrophes only; no wake word."""
    text = text.lower().replace("’", "'")
    text = _WAKE.sub("", text)
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


def _lists(source: InteractionSource) -> dict[str, Any]:
    """hassil slot lists, one per slot name (source.py makes a name mean one type)."""
    values = {slot_type.name: slot_type.values for slot_type in source.types}
    lists: dict[str, Any] = {}
    for intent in source.intents:
        for slot, kind in intent.slots:
            if kind == NUMBER:
                lists[slot] = {"values": _number_names()}
            elif kind == TIME:
                lists[slot] = {"values": _time_names()}
            elif kind == SEARCH_QUERY:
                lists[slot] = {"wildcard": True}
            else:
                lists[slot] = {"values": [{"in": said, "out": value}
                                          for value, synonyms in values.get(kind, ())
                                          for said in (value, *synonyms)]}
    return lists


def build_intents(source: InteractionSource, only: str | None = None) -> Intents:
    """The source's templates as hassil intents (intents without samples are left out), or
    only the intent named `only`."""
    return Intents.from_dict({
        "language": "en",
        "intents": {intent.name: {"data": [{"sentences": list(intent.samples)}]}
                    for intent in source.intents
                    if intent.samples and only in (None, intent.name)},
        "lists": _lists(source),
        "expansion_rules": dict(source.rules),
    })


@dataclass(frozen=True)
class _Candidate:
    """One intent as hassil matches it, and every word it could possibly match."""

    name: str
    intents: Intents
    words: frozenset[str]
    open_ended: bool  # has a wildcard slot: any words may fill it


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9']+", text.lower()))


@functools.cache
def _candidates(source: InteractionSource) -> tuple[_Candidate, ...]:
    """Built once per source (a few hundred ms): every app and chat shares them, read-only."""
    lists = _lists(source)
    shared = {word for _, body in source.rules for word in _words(body)}
    found = []
    for intent in source.intents:
        if not intent.samples:
            continue
        words = shared | {word for template in intent.samples for word in _words(template)}
        for slot, _ in intent.slots:
            words |= {word for value in lists[slot].get("values", ())
                      for word in _words(value["in"])}
        found.append(_Candidate(intent.name, build_intents(source, intent.name),
                                frozenset(words),
                                any(kind == SEARCH_QUERY for _, kind in intent.slots)))
    return tuple(found)


def _rank(result: RecognizeResult) -> tuple[int, int, int, str]:
    """hassil's own order of results (recognize.py's _get_result_score), best lowest:
    fewer wildcards, more literal text, less text in wildcards, then the intent's name."""
    wild = [entity for entity in result.entities_list if entity.is_wildcard]
    return (len(wild), -result.text_chunks_matched, sum(len(e.text or "") for e in wild),
            result.intent.name)


class Matcher:
    def __init__(self, source: InteractionSource) -> None:
        self._source = source
        # One hassil matcher per intent, tried only when the intent knows every word said:
        # a whole-grammar match is several times slower, and the answer is the same.
        self._candidates = _candidates(source)
        self._slot_types = {(intent.name, slot): kind
                            for intent in source.intents for slot, kind in intent.slots}
        invocation = normalise(source.invocation)
        rules = parse_rules(dict(source.rules))
        self._launch = {
            normalise(phrase)
            for template in source.launch_phrases
            for phrase in expand(template.replace("{invocation}", invocation), rules, 10_000)
        }
        # "ask spine stretch to", "tell spine stretch", ...: longest first, so the carrier
        # word ("to", "for") is not left at the start of what the skill is asked.
        self._one_shot = sorted(
            {normalise(phrase.split("{utterance}")[0]) + " "
             for template in source.one_shot_phrases
             for phrase in expand(template.replace("{invocation}", invocation), rules, 10_000)},
            key=len, reverse=True)

    def resolve(self, text: str, in_session: bool = False) -> tuple[Resolution, bool]:
        """The resolution, and whether the text opened the skill (launch or one-shot).

        Inside a session, text without the wake word is an intent first ("start spine
        stretch" starts the exercise); said to a device with the wake word, or outside a
        session, a launch phrase opens the skill as Alexa does.
        """
        woken = bool(_WAKE.match(text.lower()))
        said = normalise(text)
        if in_session and not woken:
            inside = self.intent_for(said)
            if inside.intent != FALLBACK:
                return inside, False
        if said in self._launch:
            return Resolution(launch=True), True
        for prefix in self._one_shot:
            if said.startswith(prefix):
                asked = self.intent_for(said[len(prefix):])
                if asked.intent != FALLBACK:
                    return asked, True
        return self.intent_for(said), False

    def intent_for(self, said: str) -> Resolution:
        said = normalise(said)
        if not said or len(said.split()) > MAX_WORDS:
            return Resolution(intent=FALLBACK)
        words = set(said.split())
        results = [found for candidate in self._candidates
                   if candidate.open_ended or words <= candidate.words
                   if (found := recognize_best(said, candidate.intents, language="en"))]
        if not results:
            return Resolution(intent=FALLBACK)
        result = min(results, key=_rank)
        name = result.intent.name
        slots: dict[str, str | None] = {slot: None for (owner, slot) in self._slot_types
                                        if owner == name}
        resolved: dict[str, str] = {}
        for slot, entity in result.entities.items():
            kind = self._slot_types.get((name, slot))
            heard = clean(entity.text_clean if not entity.is_wildcard else entity.text)
            if kind in (NUMBER, TIME):
                slots[slot] = str(entity.value)
            elif kind == SEARCH_QUERY:
                slots[slot] = heard
            elif kind is not None:
                slots[slot] = heard
                resolved[slot] = str(entity.value)
        return Resolution(intent=name, slots=slots, resolved=resolved)
