"""Alexa's rules for sample utterances, checked on every model we build.

Each rule cites the Amazon page it comes from, so a store-readiness check can reuse this module
(`check` takes the source and each intent's samples; it returns one line per problem, naming the
intent and the sample). `spine-stretch model` and the model tests fail on any problem.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .source import InteractionSource

SEARCH_QUERY = "AMAZON.SearchQuery"

# https://developer.amazon.com/en-US/docs/alexa/custom-skills/create-the-interaction-model-for-your-skill.html
# ("Sample utterances"): samples may hold only letters, spaces, apostrophes (possessives and
# contractions) and periods in spoken abbreviations ("a. m."); slots are written {slotName}.
_ALLOWED = re.compile(r"(?:[A-Za-z']+|[A-Za-z]\.|\{[A-Za-z][A-Za-z0-9_]*\})"
                      r"(?: (?:[A-Za-z']+|[A-Za-z]\.|\{[A-Za-z][A-Za-z0-9_]*\}))*")
# Same page, and the best practices page (https://developer.amazon.com/en-US/docs/alexa/
# custom-skills/best-practices-for-sample-utterances-and-custom-slot-type-values.html):
# numbers are spelled out ("eight", not "8"); a number that varies is an AMAZON.NUMBER slot.
_DIGIT = re.compile(r"[0-9]")
_SLOT = re.compile(r"\{([^{}]*)\}")

# https://developer.amazon.com/en-US/docs/alexa/custom-skills/understanding-how-users-invoke-custom-skills.html
# and https://developer.amazon.com/en-US/docs/alexa/custom-skills/troubleshooting-common-certification-failures.html:
# a sample is what follows the invocation, so it never holds the wake word, nor a launch
# phrase that names the skill ("ask spine stretch", "open ..."). "start spine stretch" is
# allowed inside a session: here the invocation is also the exercise's own name.
WAKE_WORDS = ("alexa", "amazon", "echo", "computer")
_LAUNCH_VERBS = ("ask", "tell", "talk to", "open", "launch", "use", "load")

# Words that carry no request: a sample made only of these and slots would match anything
# Alexa hears ("{pace} please" turned "stop please" into a pace). See the best practices
# page above on slots with too little context, and the issue that found it (#13).
FILLER = frozenset("please um uh okay ok so oh alright now thanks thank you just well "
                   "a the".split())

# https://developer.amazon.com/en-US/docs/alexa/custom-skills/slot-type-reference.html#searchquery:
# a sample with an AMAZON.SearchQuery slot needs a carrier phrase (words besides the slot).

# https://developer.amazon.com/en-US/docs/alexa/custom-skills/create-the-interaction-model-for-your-skill.html#limits:
# the model and its samples have size limits. These are our own ceilings per locale, under the
# 1.5 MB others quote (we could not read Amazon's table from here; see docs/architecture.md): every
# intent's budget in interaction.yaml has to fit under them.
MAX_MODEL_BYTES = 1_000_000
MAX_SAMPLE_CHARACTERS = 450_000


def _words(sample: str) -> list[str]:
    return _SLOT.sub(" ", sample).lower().split()


def sample_problems(sample: str, slots: Mapping[str, str], invocation: str) -> list[str]:
    """What is wrong with one sample of an intent whose slots are `slots` (name -> type)."""
    problems = []
    if _DIGIT.search(sample):
        problems.append("has digits: spell numbers out, or use an AMAZON.NUMBER slot")
    elif not _ALLOWED.fullmatch(sample):
        problems.append("may hold only letters, spaces, apostrophes, periods in abbreviations "
                        "and {slots}, one space apart")
    used = _SLOT.findall(sample)
    for slot in used:
        if slot not in slots:
            problems.append(f"uses slot {{{slot}}} the intent does not define")
    words = _words(sample)
    if used and not [word for word in words if word not in FILLER]:
        problems.append("is only slots and filler: it would catch anything said")
    if any(slots.get(slot) == SEARCH_QUERY for slot in used) and not words:
        problems.append("has an AMAZON.SearchQuery slot without a carrier phrase")
    text = " ".join(words)
    if any(re.search(rf"\b{word}\b", text) for word in WAKE_WORDS):
        problems.append("holds a wake word")
    name = invocation.lower()
    if any(f"{verb} {name}" in text for verb in _LAUNCH_VERBS) or re.match(r"(open|launch)\b",
                                                                          text):
        problems.append("holds a launch phrase")
    return problems


def _typed(sample: str, slots: Mapping[str, str]) -> str:
    """A sample as Alexa compares them for uniqueness: the same but for case, spacing, or the
    names of slots of one type."""
    return " ".join(_SLOT.sub(lambda m: "{" + slots.get(m[1], m[1]) + "}",
                              sample.lower()).split())


def check_samples(samples: Mapping[str, Sequence[str]],
                  slots: Mapping[str, Mapping[str, str]], invocation: str) -> list[str]:
    """Every problem with samples per intent (`slots`: each intent's slot name -> type): each
    sample's own, a slot used twice in one sample, and samples two intents share
    (https://developer.amazon.com/en-US/docs/alexa/custom-skills/create-the-interaction-model-for-your-skill.html:
    a sample utterance maps to one intent; the build rejects duplicates across intents, also
    when they differ only in the names of slots of one type)."""
    problems = []
    owners: dict[str, str] = {}
    for intent, phrases in samples.items():
        declared = slots.get(intent, {})
        for sample in phrases:
            found = sample_problems(sample, declared, invocation)
            used = _SLOT.findall(sample)
            if len(used) != len(set(used)):
                found.append("uses a slot twice: a slot may appear once per sample")
            if len(used) > 1 and any(declared.get(slot) == SEARCH_QUERY for slot in used):
                found.append("has an AMAZON.SearchQuery slot beside another slot")
            problems += [f"{intent}: {sample!r} {problem}" for problem in found]
            other = owners.setdefault(_typed(sample, declared), intent)
            if other != intent:
                problems.append(f"{intent}: {sample!r} is also a sample of {other}")
    return problems


def check(source: InteractionSource, samples: Mapping[str, Sequence[str]]) -> list[str]:
    """`check_samples` over a model built from `source`."""
    return check_samples(samples, {i.name: dict(i.slots) for i in source.intents},
                         source.invocation)


def model_size(model: Mapping[str, object]) -> int:
    """The bytes of a model as written (indented JSON, UTF-8)."""
    return len((json.dumps(model, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def size_problems(model: Mapping[str, object], samples: Mapping[str, Sequence[str]]) -> list[str]:
    problems = []
    if model_size(model) > MAX_MODEL_BYTES:
        problems.append(f"the model is {model_size(model)} bytes, over {MAX_MODEL_BYTES}")
    characters = sum(len(sample) for found in samples.values() for sample in found)
    if characters > MAX_SAMPLE_CHARACTERS:
        problems.append(f"the samples hold {characters} characters, over "
                        f"{MAX_SAMPLE_CHARACTERS}")
    return problems
