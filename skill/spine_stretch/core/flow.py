"""How a session moves through its blocks: what is spoken next, and where to carry on.

The building blocks the event handlers share. Pure: no I/O, no randomness.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from . import blocks
from .corpus import Moment
from .speech import Part, Pause, Prompt
from .state import Question, Stage, State
from .workout import Content


@dataclass(frozen=True)
class Transition:
    state: State
    say: tuple[Part, ...]
    reprompt: tuple[Part, ...] = ()
    end_session: bool = False
    # The user confirmed "delete my data": the caller removes their record instead of
    # saving `state`, and says `say` only if there was a record to remove.
    forget: bool = False
    # Where in `say` a block (setup or reps) begins: from there on it is the same for everyone
    # at the same setting and place, so it can be assembled once as recorded audio and cached.
    block_from: int | None = None


def initial_state(content: Content) -> State:
    workout = content.workout
    return State(reps=workout.reps.default, breath_seconds=workout.breath_seconds.default)


def normalise(content: Content, state: State) -> State:
    """Bring a stored state back within the content's limits (content may have changed)."""
    workout = content.workout
    reps = workout.reps.clamp(state.reps)
    within = replace(
        state,
        reps=reps,
        breath_seconds=workout.breath_seconds.clamp(state.breath_seconds),
        rep=max(1, min(reps, state.rep)),
    )
    # A finished workout has nothing paused or playing; a last block already heard is a
    # finished workout (settle makes it one as it happens, a stored record may not have).
    if within.stage is Stage.REPS and within.heard and next_start(content, within)[1] > reps:
        within = replace(within, stage=Stage.FINISHED)
    if within.stage is Stage.FINISHED:
        within = replace(within, paused=False, heard=False, block_end_at=0.0)
    return within


def parse_count(raw: str | None) -> int | None:
    """A slot's number as Alexa sends it ("8"); None when absent or not a whole number."""
    if raw is None:
        return None
    text = raw.strip()
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    return int(text) if text.isdecimal() else None


# ---- blocks -------------------------------------------------------------------------------

CONTINUE = (Prompt.of("reprompt_continue"),)


def speaking(content: Content, state: State, say: Sequence[Part], now: float | None) -> State:
    """The state while a block is being spoken: not yet heard, ending at an estimated time."""
    end = now + blocks.estimate_seconds(say, content.prompts) if now is not None else 0.0
    return replace(state, paused=False, asking=Question.NONE, heard=False, block_end_at=end)


def setup_block(content: Content, state: State, lead: Sequence[Part],
                 now: float | None) -> Transition:
    """The setup, then a settling pause and straight into the first block of reps: no "next"
    is needed to start moving ("wait" still pauses, "next" still skips to rep one)."""
    body = setup_flow_parts(content, state)
    say = [*lead, *body]
    new = replace(speaking(content, state, say, now), stage=Stage.SETUP, rep=1)
    return Transition(new, tuple(say), _reprompt_after(content, state, 1),
                      block_from=len(lead))


def setup_flow_parts(content: Content, state: State) -> list[Part]:
    """What a setup block says: the setup, the settling pause, then the first reps."""
    workout = content.workout
    setup = blocks.setup_parts(workout, blocks.SETUP_GAP_SECONDS)[:-1]
    return [*setup, Pause(blocks.SETTLE_SECONDS),
            *rep_block_parts(content, state, 1, announce_first=False)]


def _reprompt_after(content: Content, state: State, first: int) -> tuple[Part, ...]:
    last = blocks.block_from(content.workout, first, state.reps, state.breath_seconds).last
    # The session stays open after the last block too, so "Alexa, pause" during it still
    # reaches us; the workout counts as finished once that block has been heard.
    return (Prompt.of("reprompt_finished"),) if last >= state.reps else CONTINUE


def rep_block_parts(content: Content, state: State, first: int,
                    announce_first: bool = True) -> list[Part]:
    """The reps of the block starting at `first`, and what closes it; without
    `announce_first` the first rep starts with its breath, not with "Rep one"."""
    block = blocks.block_from(content.workout, first, state.reps, state.breath_seconds)
    parts: list[Part] = []
    for rep in range(block.first, block.last + 1):
        parts += blocks.rep_parts(content.workout, content.prompts, rep, state.reps,
                                  state.breath_seconds,
                                  announce=announce_first or rep != block.first)
    if block.last >= state.reps:
        parts.append(Prompt.of("cooldown_done") if state.cooldown
                     else Prompt.of("finished", reps=state.reps))
    elif state.cooldown:
        parts.append(Prompt.of("cooldown_continue"))
    else:
        parts.append(Prompt.of("block_end", rep=block.last + 1))
    return parts


def rep_block(content: Content, state: State, first: int, lead: Sequence[Part],
              now: float | None) -> Transition:
    say = [*lead, *rep_block_parts(content, state, first)]
    new = replace(speaking(content, state, say, now), stage=Stage.REPS, rep=first)
    return Transition(new, tuple(say), _reprompt_after(content, state, first),
                      block_from=len(lead))


def next_start(content: Content, state: State) -> tuple[Stage, int]:
    """Where the block after the current one starts (SETUP is followed by rep 1)."""
    if state.stage is Stage.SETUP:
        return Stage.REPS, 1
    block = blocks.block_from(content.workout, state.rep, state.reps, state.breath_seconds)
    return Stage.REPS, block.last + 1


def place(content: Content, state: State) -> tuple[Stage, int]:
    """Where to carry on from: after the current block if it was heard, else at its start."""
    return next_start(content, state) if state.heard else (state.stage, state.rep)


def block_at(content: Content, state: State, stage: Stage, rep: int, lead: Sequence[Part],
              now: float | None) -> Transition:
    if stage is Stage.SETUP:
        return setup_block(content, state, lead, now)
    return rep_block(content, state, rep, lead, now)


def begin(content: Content, state: State, lead: list[Part], now: float | None,
          *, cooldown: bool = False) -> Transition:
    """A fresh session from the setup: a coached one, or the spoken cool-down."""
    opening = list(lead)
    if not state.safety_heard:
        opening.append(Prompt.of("safety"))
    opening.append(Prompt.of("cooldown_intro") if cooldown
                   else Prompt.of("intro", reps=state.reps))
    fresh = replace(state, safety_heard=True, cooldown=cooldown, session=state.session + 1,
                    logged=False, eased=False)
    return setup_block(content, fresh, opening, now)


def ask(state: State, question: Question, say: list[Part], reprompt: Prompt) -> Transition:
    return Transition(replace(state, asking=question), tuple(say), (reprompt,))


def not_started(state: State) -> Transition:
    return ask(state, Question.START, [Prompt.of("nothing_started")],
                Prompt.of("reprompt_question"))


def where(content: Content, state: State, lead: list[Part]) -> Transition:
    stage, rep = place(content, state)
    if state.stage is Stage.FINISHED:
        said = Prompt.of("where_finished", reps=state.reps)
    elif stage is Stage.SETUP:
        said = Prompt.of("where_setup")
    else:
        said = Prompt.of("where_rep", rep=rep, reps=state.reps)
    return Transition(replace(state, asking=Question.NONE), (*lead, said), CONTINUE)


def carry_on(content: Content, state: State, now: float | None,
             lead: Sequence[Part] = ()) -> Transition:
    stage, rep = place(content, state)
    if stage is Stage.SETUP:
        return setup_block(content, state, [*lead, Prompt.of("resume_setup")], now)
    return rep_block(content, state, rep, [*lead, Prompt.of("resume_from", rep=rep)], now)


def requested_reps(content: Content, raw: str) -> tuple[int | None, list[Part]]:
    """The reps for a number the user said, within limits, and what to say about it;
    None when it was not a number."""
    wanted = parse_count(raw)
    limits = content.workout.reps
    if wanted is None:
        return None, []
    if wanted > limits.max:
        return limits.max, [Prompt.of("reps_clamped_high", reps=limits.max)]
    if wanted < limits.min:
        return limits.min, [Prompt.of("reps_clamped_low", reps=limits.min)]
    return wanted, [Prompt.of("reps_set", reps=wanted)]


def moment(content: Content, state: State, at: float | None) -> Moment | None:
    """Which part of the exercise was being spoken when a request came in, if any."""
    if state.stage is Stage.SETUP and not state.heard:
        if not _in_first_reps(content, state, at):
            return Moment.SETUP
        state = replace(state, stage=Stage.REPS, rep=1)  # the setup block's reps had begun
    if state.stage is not Stage.REPS or state.block_end_at <= 0 or at is None:
        return None
    remaining = state.block_end_at - at
    if remaining <= 0:
        return None
    parts = rep_block_parts(content, state, state.rep)
    # Walk back from the block's end to the part being spoken, then to its breath.
    elapsed_from_end = 0.0
    index = len(parts)
    while index > 0 and elapsed_from_end < remaining:
        index -= 1
        elapsed_from_end += blocks.estimate_seconds(parts[index:index + 1], content.prompts)
    for part in reversed(parts[: index + 1]):
        breath = blocks.breath_of(content.workout, part)
        if breath is not None:
            return Moment(breath)
    return None


def settle(content: Content, state: State, at: float | None) -> State:
    """Account for the speech that just ended: any request means Alexa stopped talking.

    If the last block ran to its expected end it counts as heard (and a heard final block
    finishes the workout); otherwise it was interrupted and will be resumed from its start.
    A setup block flows into the first reps: stopped once those had begun, it stands as the
    first block of reps (heard, or to resume from rep one).
    """
    if state.block_end_at <= 0:
        return state
    heard = state.heard or (at is not None and at >= state.block_end_at)
    settled = replace(state, heard=heard, block_end_at=0.0)
    if state.stage is Stage.SETUP and (heard or _in_first_reps(content, state, at)):
        settled = replace(settled, stage=Stage.REPS, rep=1)
    if heard and settled.stage is Stage.REPS and next_start(content, settled)[1] > state.reps:
        return replace(settled, stage=Stage.FINISHED, heard=False)
    return settled


def _in_first_reps(content: Content, state: State, at: float | None) -> bool:
    """Whether a setup block was stopped after its first reps had begun."""
    if at is None:
        return False
    reps = rep_block_parts(content, state, 1, announce_first=False)
    return state.block_end_at - at < blocks.estimate_seconds(reps, content.prompts)
