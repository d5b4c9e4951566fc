"""Loads and validates the content YAML shipped in the package, once per process.

The workout and prompts are parsed here; the answer corpus in answers.py; reading files and
reporting errors by file and key in reader.py.

A bundle built by `make lambda-zip` also holds the result, validated at build time
(content/snapshot.py): `load()` then checks and unpickles it instead of parsing, which is why
PyYAML is imported only where YAML is actually read (reader.py).
"""

from __future__ import annotations

import functools
import os
from typing import Any

from ..core.prompts import prompt_fields
from ..core.workout import (
    Breath,
    Content,
    Phase,
    Progression,
    Prompts,
    Prop,
    Range,
    Step,
    StepKind,
    Workout,
)
from . import snapshot
from .answers import load_corpus, parse_corpus, parse_vocab
from .reader import ContentError, Reader, choice, read_yaml

__all__ = ["ContentError", "Reader", "load", "load_corpus", "parse_corpus", "parse_prompts",
           "parse_vocab", "parse_workout", "read_yaml"]

FOLDER = os.path.dirname(__file__)


def _range(reader: Reader) -> Range:
    value = Range(reader.get("default", int), reader.get("min", int), reader.get("max", int))
    if not value.min <= value.default <= value.max or value.min < 1:
        raise reader.fail("needs 1 <= min <= default <= max")
    return value


def parse_workout(data: Any, file: str = "workout.yaml") -> Workout:
    root = Reader(file, data)
    steps = {}
    for item in root.items("steps"):
        step = Step(item.get("id", str), item.get("say", str), item.get("seed", str))
        if step.id in steps:
            raise item.fail(f"duplicate step id {step.id!r}")
        steps[step.id] = step

    def step_ref(reader: Reader, key: str) -> Step:
        ref = reader.get(key, str)
        if ref not in steps:
            raise reader.child(key).fail(f"names no step: {ref!r}")
        return steps[ref]

    movement = root.child("movement")
    setup = []
    for item in movement.items("setup"):
        if item.data not in steps:
            raise item.fail(f"names no step: {item.data!r}")
        setup.append(steps[item.data])
    phases = []
    for item in movement.items("phases"):
        try:
            breath = Breath(item.get("breath", str))
        except ValueError:
            raise item.child("breath").fail("must be exhale or inhale") from None
        phases.append(Phase(breath, step_ref(item, "step"), item.strings("cues")))
    breath_range = _range(root.child("breath_seconds"))
    block_seconds = root.get("block_seconds_max", int)
    if block_seconds < 30:
        raise root.child("block_seconds_max").fail("must be at least 30 seconds")
    return Workout(
        progression=_progression(root.child("progression")),
        id=root.get("id", str),
        title=root.get("title", str),
        description=root.get("description", str),
        benefits=root.strings("benefits"),
        props=tuple(Prop(p.get("name", str), p.get("note", str)) for p in root.items("props")),
        steps=tuple(steps.values()),
        setup=tuple(setup),
        phases=tuple(phases),
        repeat_step=step_ref(movement, "repeat_step"),
        reps=_range(root.child("reps")),
        breath_seconds=breath_range,
        block_seconds_max=block_seconds,
    )


def _progression(reader: Reader) -> Progression:
    sessions = reader.get("comfortable_sessions", int)
    wait = reader.get("wait_after_no", int)
    if sessions < 1 or not 1 <= wait <= sessions:
        raise reader.fail("needs comfortable_sessions >= 1 and 1 <= wait_after_no <= it")
    steps = tuple(choice(item, str(item.data), StepKind) for item in reader.items("steps"))
    return Progression(sessions, wait, steps)


# Fields the engine fills in; a prompt naming any other field could never be spoken.
PROMPT_FIELDS = frozenset({"rep", "reps", "remaining", "seconds", "sessions", "days", "total",
                           "time", "count"})


def parse_prompts(data: Any, file: str = "prompts.yaml") -> Prompts:
    root = Reader(file, data)
    count_words = root.strings("count_words")
    table = root.child("prompts")
    if not isinstance(table.data, dict) or not table.data:
        raise table.fail("must map prompt keys to lists of variants")
    variants = {}
    for key in table.data:
        texts = table.strings(str(key))
        for index, text in enumerate(texts):
            try:
                unknown = prompt_fields(text) - PROMPT_FIELDS
            except ValueError as exc:
                raise table.child(str(key)).child(index).fail(f"bad braces: {exc}") from None
            if unknown:
                raise table.child(str(key)).child(index).fail(f"unknown fields {sorted(unknown)}")
        variants[str(key)] = texts
    return Prompts(variants=variants, count_words=count_words)


@functools.cache
def load() -> Content:
    """The packaged content, validated once: from the bundle's snapshot when there is one
    (ContentError if the YAML beside it is not what was validated), else parsed here."""
    try:
        content = snapshot.load_or_parse(FOLDER, parse)
    except snapshot.SnapshotMismatch as exc:
        raise ContentError(f"{snapshot.SNAPSHOT_NAME}: {exc}: this bundle's content is not "
                           "what `make lambda-zip` validated; build the bundle again") from None
    if not isinstance(content, Content):
        raise ContentError(f"{snapshot.SNAPSHOT_NAME}: holds no content; build the bundle again")
    return content


def parse() -> Content:
    """The packaged content parsed from its YAML and validated (every check, every call)."""
    workout = parse_workout(read_yaml("workout.yaml"))
    prompts = parse_prompts(read_yaml("prompts.yaml"))
    if len(prompts.count_words) <= max(workout.reps.max, workout.breath_seconds.max):
        raise ContentError("prompts.yaml: count_words must spell every rep and breath count")
    return Content(workout=workout, prompts=prompts, corpus=load_corpus())
