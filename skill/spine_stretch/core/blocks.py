"""How the exercise is cut into spoken blocks: the setup, then runs of reps.

A block is what one response says without the user speaking, so its size is bounded by the
workout's `block_seconds_max`, estimated conservatively from the longest thing each rep can say.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .speech import Part, Pause, Prompt, Text, speaking_seconds
from .workout import Breath, Phase, Prompts, Workout

BEAT_SECONDS = 1.0
# What a rep's own prompts ("Rep three." ... "Two more to go.") add, in seconds, at most.
REP_PROMPT_SECONDS = 3.0
BLOCK_OVERHEAD_SECONDS = 8.0
# Between setup instructions in a coached session (the spoken cool-down keeps its own), and
# after the setup, to settle before the first breath: short enough that the first exhale
# cue comes within 20 s of the launch.
SETUP_GAP_SECONDS = 0.75
SETTLE_SECONDS = 1.5


@dataclass(frozen=True)
class RepBlock:
    first: int
    last: int


def _hold_seconds(breath_seconds: int) -> float:
    return (breath_seconds - 1) * (BEAT_SECONDS + 0.5) + BEAT_SECONDS


def rep_seconds(workout: Workout, breath_seconds: int) -> float:
    """A conservative estimate of one rep's length when spoken."""
    per_phase = (
        max(speaking_seconds(t) for t in (phase.step.say, *phase.cues))
        + _hold_seconds(breath_seconds)
        for phase in workout.phases
    )
    return sum(per_phase) + REP_PROMPT_SECONDS


def reps_per_block(workout: Workout, breath_seconds: int) -> int:
    budget = workout.block_seconds_max - BLOCK_OVERHEAD_SECONDS
    return max(1, int(budget // rep_seconds(workout, breath_seconds)))


def block_from(workout: Workout, first: int, reps: int, breath_seconds: int) -> RepBlock:
    size = reps_per_block(workout, breath_seconds)
    return RepBlock(first, min(reps, first + size - 1))


def previous_block_start(workout: Workout, first: int, breath_seconds: int) -> int:
    return max(1, first - reps_per_block(workout, breath_seconds))


def last_block_start(workout: Workout, reps: int, breath_seconds: int) -> int:
    return max(1, reps - reps_per_block(workout, breath_seconds) + 1)


def estimate_seconds(parts: Sequence[Part], prompts: Prompts) -> float:
    """How long the parts take to say, from word counts (the first variant for prompts)."""
    total = 0.0
    for part in parts:
        if isinstance(part, Pause):
            total += part.seconds
        elif isinstance(part, Text):
            total += speaking_seconds(part.text)
        else:
            variants = prompts.variants.get(part.key, ("",))
            total += speaking_seconds(variants[0])
    return total


def breath_of(workout: Workout, part: Part) -> Breath | None:
    """The breath a part begins (its full instruction or a short cue), if it begins one."""
    if isinstance(part, Text):
        for phase in workout.phases:
            if part.key == f"step.{phase.step.id}" or part.key.startswith(f"cue.{phase.breath}."):
                return phase.breath
    return None


def setup_parts(workout: Workout, gap: float = 2.0) -> list[Part]:
    """The setup instructions, each followed by `gap` seconds to move into position."""
    parts: list[Part] = []
    for step in workout.setup:
        # Time to actually move into position before the next instruction.
        parts += [Text(f"step.{step.id}", step.say), Pause(gap)]
    return parts


def breath_parts(phase: Phase, rep: int, breath_seconds: int, prompts: Prompts) -> list[Part]:
    """One breath: the instruction (in full on rep 1, a rotating short cue after) and a count."""
    if rep == 1:
        parts: list[Part] = [Text(f"step.{phase.step.id}", phase.step.say)]
    else:
        index = (rep - 2) % len(phase.cues)
        parts = [Text(f"cue.{phase.breath}.{index}", phase.cues[index])]
    for beat in range(2, breath_seconds + 1):
        parts += [Pause(BEAT_SECONDS), Text(f"count.{beat}", prompts.count_word(beat))]
    parts.append(Pause(BEAT_SECONDS))
    return parts


def rep_parts(workout: Workout, prompts: Prompts, rep: int, reps: int,
              breath_seconds: int, announce: bool = True) -> list[Part]:
    parts: list[Part] = [Prompt.of("rep_start", rep=rep)] if announce else []
    for phase in workout.phases:
        parts += breath_parts(phase, rep, breath_seconds, prompts)
    remaining = reps - rep
    if remaining == 1:
        parts.append(Prompt.of("rep_done_one_left"))
    elif remaining > 1:
        parts.append(Prompt.of("rep_done", rep=rep, remaining=remaining))
    return parts
