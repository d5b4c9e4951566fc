"""Every sentence a user can hear, each under the key the runtime files its audio under.

Pure and standard library only. The plan is the union of small generators, one per kind of
content; a new corpus (tips, answers) adds its audio by adding one generator.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from ..core.prompts import fill, prompt_fields
from ..core.schedule import spoken_time
from ..core.workout import Content, Workout


@dataclass(frozen=True)
class RenderItem:
    """One sentence to pre-render: `key` is what the runtime asks for, `text` what is said."""

    key: str
    text: str


Generator = Callable[[Content], Iterable[RenderItem]]


class PlanError(ValueError):
    """Two generators file different sentences under one key."""


def field_values(workout: Workout) -> dict[str, Sequence[int | str]]:
    """Every value the engine can put in each prompt field, from the workout's limits."""
    reps = workout.reps
    breath = workout.breath_seconds
    return {
        "seconds": range(breath.min, breath.max + 1),
        "rep": range(1, reps.max + 1),
        "reps": range(reps.min, reps.max + 1),
        # `remaining` is said only while two or more reps are left (one left has its own prompt).
        "remaining": range(2, reps.max),
        # History's numbers: the common ones are pre-rendered; rarer ones (a 40-day streak,
        # total reps, a reminder's time) are spoken by Alexa's voice.
        "days": range(2, 31),
        "sessions": range(0, 15),
        "count": range(0, 11),
        "total": range(1, 21),
        "time": tuple(spoken_time(hour, 0) for hour in range(24)),
    }


def _possible(values: Mapping[str, int | str], most_reps: int) -> bool:
    """False for field combinations no session can produce, such as rep 7 of 5."""
    rep, reps, remaining = (value if isinstance(value := values.get(name), int) else None
                            for name in ("rep", "reps", "remaining"))
    if rep is not None and reps is not None and rep > reps:
        return False
    if remaining is not None and reps is not None and remaining >= reps:
        return False
    return not (rep is not None and remaining is not None and rep + remaining > most_reps)


def prompt_items(content: Content) -> Iterator[RenderItem]:
    """Each variant of each prompt, once per combination of field values it can be given."""
    domains = field_values(content.workout)
    for key, variants in content.prompts.variants.items():
        for variant, template in enumerate(variants):
            names = sorted(prompt_fields(template))
            for combo in itertools.product(*(domains[name] for name in names)):
                values = dict(zip(names, combo, strict=True))
                if _possible(values, content.workout.reps.max):
                    spoken = fill(content.prompts, key, variant, values)
                    yield RenderItem(spoken.key, spoken.text)


def step_items(content: Content) -> Iterator[RenderItem]:
    """The steps the engine says in full: the setup, and each breath's instruction on rep 1."""
    workout = content.workout
    for step in (*workout.setup, *(phase.step for phase in workout.phases)):
        yield RenderItem(f"step.{step.id}", step.say)


def cue_items(content: Content) -> Iterator[RenderItem]:
    for phase in content.workout.phases:
        for index, cue in enumerate(phase.cues):
            yield RenderItem(f"cue.{phase.breath}.{index}", cue)


def count_items(content: Content) -> Iterator[RenderItem]:
    """The counts inside a breath; a breath starts on its instruction, so counting starts at 2."""
    for beat in range(2, content.workout.breath_seconds.max + 1):
        yield RenderItem(f"count.{beat}", content.prompts.count_word(beat))


def corpus_items(content: Content) -> Iterator[RenderItem]:
    """Each corpus answer, as the asides speak it (`corpus.<id>`). The "not sure" reply
    combines offers at run time, so it stays text-to-speech."""
    for entry in content.corpus.entries:
        yield RenderItem(f"corpus.{entry.id}", entry.answer)


GENERATORS: tuple[Generator, ...] = (prompt_items, step_items, cue_items, count_items,
                                     corpus_items)


def build_plan(content: Content,
               generators: Sequence[Generator] = GENERATORS) -> tuple[RenderItem, ...]:
    """Every item once, in generator order; PlanError if one key would carry two texts."""
    seen: dict[str, RenderItem] = {}
    for generate in generators:
        for item in generate(content):
            earlier = seen.setdefault(item.key, item)
            if earlier.text != item.text:
                raise PlanError(
                    f"audio key {item.key!r} is both {earlier.text!r} and {item.text!r}")
    return tuple(seen.values())
