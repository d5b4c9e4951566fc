"""The step card a screen shows: where the user is, and how a spoken block moves through steps.

Pure, like the engine: it reads a transition and the content, and says what a screen (an
Echo Show, or the simulator page) should show. A block of speech can run through several
steps and reps without the user speaking, so the card carries a timeline: each segment starts
after a number of SSML break runs (adjacent `<break>` tags count as one run), which is the
one position a player of the speech can count exactly, whatever the voice's speed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from . import blocks, flow
from .flow import Transition
from .speech import Part, Pause, Text
from .state import Stage, State
from .workout import Content


class CardPhase(StrEnum):
    """What the card shows as the phase; the breath values match `Breath`'s."""

    READY = "ready"
    SETUP = "setup"
    EXHALE = "exhale"
    INHALE = "inhale"
    FINISHED = "finished"


@dataclass(frozen=True)
class Segment:
    """One step of a spoken block: it begins at the speech after `after_breaks` break runs
    and lasts `beats` break runs (a breath's counted beats, or a setup step's pause)."""

    phase: CardPhase
    rep: int  # 0 outside the reps
    text: str
    after_breaks: int
    beats: int


@dataclass(frozen=True)
class Card:
    """What the screen shows now: the first segment of the block being spoken, or, when the
    response speaks no block, where the exercise will carry on from."""

    stage: Stage
    phase: CardPhase
    rep: int
    reps: int
    breath_seconds: int
    text: str | None  # the step's instruction; None where there is none (ready, finished)
    paused: bool
    timeline: tuple[Segment, ...]


def timeline(content: Content, state: State, say: Sequence[Part]) -> tuple[Segment, ...]:
    """The steps `say` runs through, in order; empty when it speaks no exercise block.

    `state` is the transition's new state: for a block of reps its `rep` is the block's first.
    """
    workout = content.workout
    setup = {part for part in blocks.setup_parts(workout) if isinstance(part, Text)}
    starts: list[tuple[CardPhase, int, str, int]] = []
    breaks, pausing, rep = 0, 0.0, state.rep - 1
    for part in say:
        if isinstance(part, Pause):
            pausing += part.seconds
            continue
        if pausing > 0:  # adjacent pauses are one run of breaks, as ssml.render writes them
            breaks += 1
        pausing = 0.0
        if not isinstance(part, Text):
            continue
        breath = blocks.breath_of(workout, part)
        if breath is not None:
            if breath is workout.phases[0].breath:  # a rep begins with its first breath
                rep += 1
            starts.append((CardPhase(breath.value), rep, part.text, breaks))
        elif part in setup:
            starts.append((CardPhase.SETUP, 0, part.text, breaks))
    if not starts:
        return ()
    if pausing > 0:
        breaks += 1
    ends = [after for *_, after in starts[1:]] + [breaks]
    return tuple(Segment(phase, rep, text, after, end - after)
                 for (phase, rep, text, after), end in zip(starts, ends, strict=True))


def card_for(content: Content, transition: Transition) -> Card:
    """The card for a transition's response."""
    state = transition.state
    segments = timeline(content, state, transition.say)
    if segments:
        first = segments[0]
        return Card(state.stage, first.phase, first.rep, state.reps, state.breath_seconds,
                    first.text, state.paused, segments)
    stage, rep = flow.place(content, state)
    phase, text = CardPhase.READY, None
    if stage is Stage.SETUP:
        phase, text, rep = CardPhase.SETUP, content.workout.setup[0].say, 0
    elif stage is Stage.REPS:
        lead = content.workout.phases[0]
        opening = blocks.breath_parts(lead, rep, 1, content.prompts)[0]
        phase = CardPhase(lead.breath.value)
        text = opening.text if isinstance(opening, Text) else lead.step.say
    elif stage is Stage.FINISHED:
        phase, rep = CardPhase.FINISHED, state.reps
    else:
        rep = 0
    return Card(stage, phase, rep, state.reps, state.breath_seconds, text, state.paused, ())
