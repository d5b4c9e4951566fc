"""Loads and validates the content YAML shipped in the package, once per process."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any, TypeVar

import yaml

from .core.prompts import prompt_fields
from .core.workout import Breath, Content, Phase, Prompts, Prop, Range, Step, Workout

T = TypeVar("T")


class ContentError(ValueError):
    """A content file is missing, malformed, or inconsistent; the message names file and key."""


def read_yaml(name: str) -> Any:
    try:
        text = resources.files("spine_stretch").joinpath("content", name).read_text("utf-8")
        return yaml.safe_load(text)
    except FileNotFoundError:
        raise ContentError(f"{name}: file is missing from the package") from None
    except yaml.YAMLError as exc:
        raise ContentError(f"{name}: not valid YAML: {exc}") from None


class Reader:
    """Typed access to one YAML file's data, naming file and key in every error."""

    def __init__(self, file: str, data: Any, path: str = "") -> None:
        self.file, self.data, self.path = file, data, path

    def fail(self, message: str) -> ContentError:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return ContentError(f"{where}: {message}")

    def child(self, key: str | int) -> Reader:
        if isinstance(key, int):
            if not isinstance(self.data, list) or key >= len(self.data):
                raise self.fail(f"needs an item {key}")
            path, value = f"{self.path}[{key}]", self.data[key]
        else:
            if not isinstance(self.data, dict) or key not in self.data:
                raise self.fail(f"needs a key {key!r}")
            path, value = f"{self.path}.{key}" if self.path else key, self.data[key]
        return Reader(self.file, value, path)

    def get(self, key: str, kind: type[T]) -> T:
        value = self.child(key).data
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            raise self.child(key).fail(f"must be {kind.__name__}, got {value!r}")
        if isinstance(value, str) and not value.strip():
            raise self.child(key).fail("must not be empty")
        return value

    def items(self, key: str) -> list[Reader]:
        seq = self.get(key, list)
        if not seq:
            raise self.child(key).fail("must not be empty")
        return [self.child(key).child(i) for i in range(len(seq))]

    def strings(self, key: str) -> tuple[str, ...]:
        out = []
        for item in self.items(key):
            if not isinstance(item.data, str) or not item.data.strip():
                raise item.fail(f"must be a non-empty string, got {item.data!r}")
            out.append(item.data)
        return tuple(out)


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


# Fields the engine fills in; a prompt naming any other field could never be spoken.
PROMPT_FIELDS = frozenset({"rep", "reps", "remaining"})


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
    """The packaged content, parsed and validated once per process."""
    workout = parse_workout(read_yaml("workout.yaml"))
    prompts = parse_prompts(read_yaml("prompts.yaml"))
    if len(prompts.count_words) <= max(workout.reps.max, workout.breath_seconds.max):
        raise ContentError("prompts.yaml: count_words must spell every rep and breath count")
    return Content(workout=workout, prompts=prompts)
