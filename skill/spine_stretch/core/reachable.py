"""Every block a session can speak: what `spine-stretch publish` builds ahead of time.

A block (the part of a response from `Transition.block_from` on) depends only on the setting
(reps, breath), where it starts, and whether it is the spoken cool-down, so the set is finite:
for each setting, the setup flowing into the first reps, and a run of reps from every rep.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from .flow import initial_state, rep_block_parts, setup_flow_parts
from .speech import Part
from .workout import Content


def reachable_blocks(content: Content) -> Iterator[tuple[Part, ...]]:
    """The parts of every reachable block, each once."""
    workout = content.workout
    base = initial_state(content)
    for cooldown in (False, True):
        for breath in range(workout.breath_seconds.min, workout.breath_seconds.max + 1):
            for reps in range(workout.reps.min, workout.reps.max + 1):
                state = replace(base, reps=reps, breath_seconds=breath, cooldown=cooldown)
                yield tuple(setup_flow_parts(content, state))
                for first in range(1, reps + 1):
                    yield tuple(rep_block_parts(content, state, first))
