"""The coaching state machine: `advance(content, state, event)` -> `Transition`.

Pure: no I/O, no randomness (prompt variants are picked later, by the caller's picker).
A transition says what to say, what to ask if the user says nothing (`reprompt`), and
whether the conversation is over.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from . import blocks
from .events import Event, EventKind
from .speech import Part, Prompt
from .state import Question, Stage, State
from .workout import Content


@dataclass(frozen=True)
class Transition:
    state: State
    say: tuple[Part, ...]
    reprompt: tuple[Part, ...] = ()
    end_session: bool = False


def initial_state(content: Content) -> State:
    workout = content.workout
    return State(reps=workout.reps.default, breath_seconds=workout.breath_seconds.default)


def normalise(content: Content, state: State) -> State:
    """Bring a stored state back within the content's limits (content may have changed)."""
    workout = content.workout
    reps = workout.reps.clamp(state.reps)
    return replace(
        state,
        reps=reps,
        breath_seconds=workout.breath_seconds.clamp(state.breath_seconds),
        rep=max(1, min(reps, state.rep)),
    )


def parse_count(raw: str | None) -> int | None:
    """A slot's number as Alexa sends it ("8"); None when absent or not a whole number."""
    if raw is None:
        return None
    text = raw.strip()
    return int(text) if text.isdigit() else None


# ---- blocks -------------------------------------------------------------------------------

_CONTINUE = (Prompt.of("reprompt_continue"),)


def _speaking(content: Content, state: State, say: Sequence[Part], now: float | None) -> State:
    """The state while a block is being spoken: not yet heard, ending at an estimated time."""
    end = now + blocks.estimate_seconds(say, content.prompts) if now is not None else 0.0
    return replace(state, paused=False, asking=Question.NONE, heard=False, block_end_at=end)


def _setup_block(content: Content, state: State, lead: Sequence[Part],
                 now: float | None) -> Transition:
    say = [*lead, *blocks.setup_parts(content.workout), Prompt.of("block_end_setup")]
    new = replace(_speaking(content, state, say, now), stage=Stage.SETUP, rep=1)
    return Transition(new, tuple(say), _CONTINUE)


def _rep_block(content: Content, state: State, first: int, lead: Sequence[Part],
               now: float | None) -> Transition:
    block = blocks.block_from(content.workout, first, state.reps, state.breath_seconds)
    say = list(lead)
    for rep in range(block.first, block.last + 1):
        say += blocks.rep_parts(content.workout, content.prompts, rep, state.reps,
                                state.breath_seconds)
    if block.last >= state.reps:
        # The session stays open so "Alexa, pause" during the last block still reaches us;
        # the workout counts as finished once this block has been heard.
        say.append(Prompt.of("finished", reps=state.reps))
        reprompt: tuple[Part, ...] = (Prompt.of("reprompt_finished"),)
    else:
        say.append(Prompt.of("block_end", rep=block.last + 1))
        reprompt = _CONTINUE
    new = replace(_speaking(content, state, say, now), stage=Stage.REPS, rep=block.first)
    return Transition(new, tuple(say), reprompt)


def _next_start(content: Content, state: State) -> tuple[Stage, int]:
    """Where the block after the current one starts (SETUP is followed by rep 1)."""
    if state.stage is Stage.SETUP:
        return Stage.REPS, 1
    block = blocks.block_from(content.workout, state.rep, state.reps, state.breath_seconds)
    return Stage.REPS, block.last + 1


def _place(content: Content, state: State) -> tuple[Stage, int]:
    """Where to carry on from: after the current block if it was heard, else at its start."""
    return _next_start(content, state) if state.heard else (state.stage, state.rep)


def _block_at(content: Content, state: State, stage: Stage, rep: int, lead: Sequence[Part],
              now: float | None) -> Transition:
    if stage is Stage.SETUP:
        return _setup_block(content, state, lead, now)
    return _rep_block(content, state, rep, lead, now)


def _begin(content: Content, state: State, lead: list[Part], now: float | None) -> Transition:
    opening = list(lead)
    if not state.safety_heard:
        opening.append(Prompt.of("safety"))
    opening.append(Prompt.of("intro", reps=state.reps))
    return _setup_block(content, replace(state, safety_heard=True), opening, now)


def _ask(state: State, question: Question, say: list[Part], reprompt: Prompt) -> Transition:
    return Transition(replace(state, asking=question), tuple(say), (reprompt,))


def _not_started(state: State) -> Transition:
    return _ask(state, Question.START, [Prompt.of("nothing_started")],
                Prompt.of("reprompt_question"))


def _where(content: Content, state: State, lead: list[Part]) -> Transition:
    stage, rep = _place(content, state)
    if state.stage is Stage.FINISHED:
        said = Prompt.of("where_finished", reps=state.reps)
    elif stage is Stage.SETUP:
        said = Prompt.of("where_setup")
    else:
        said = Prompt.of("where_rep", rep=rep, reps=state.reps)
    return Transition(replace(state, asking=Question.NONE), (*lead, said), _CONTINUE)


def _carry_on(content: Content, state: State, now: float | None) -> Transition:
    stage, rep = _place(content, state)
    if stage is Stage.SETUP:
        return _setup_block(content, state, [Prompt.of("resume_setup")], now)
    return _rep_block(content, state, rep, [Prompt.of("resume_from", rep=rep)], now)


# ---- events -------------------------------------------------------------------------------

def _on_start(content: Content, state: State, event: Event) -> Transition:
    lead: list[Part] = []
    reps = state.reps
    if event.value is not None:
        wanted = parse_count(event.value)
        limits = content.workout.reps
        if wanted is None:
            lead.append(Prompt.of("reps_not_understood", reps=reps))
        elif wanted > limits.max:
            reps = limits.max
            lead.append(Prompt.of("reps_clamped_high", reps=reps))
        elif wanted < limits.min:
            reps = limits.min
            lead.append(Prompt.of("reps_clamped_low", reps=reps))
        else:
            reps = wanted
            lead.append(Prompt.of("reps_set", reps=reps))
    return _begin(content, replace(state, reps=reps), lead, event.at)


def _on_what_now(content: Content, state: State, event: Event) -> Transition:
    if not state.in_progress:
        return _begin(content, state, [Prompt.of("welcome")], event.at)
    stage, rep = _place(content, state)
    if stage is Stage.SETUP:
        question = Prompt.of("welcome_back_setup")
    else:
        question = Prompt.of("welcome_back", rep=rep, reps=state.reps)
    return _ask(replace(state, paused=False), Question.CONTINUE, [question],
                Prompt.of("reprompt_question"))


def _on_next(content: Content, state: State, event: Event) -> Transition:
    if state.stage is Stage.READY:
        return _not_started(state)
    if state.stage is Stage.FINISHED:
        return Transition(state, (Prompt.of("last_rep_passed"),), _CONTINUE)
    stage, rep = _next_start(content, state)
    if rep > state.reps:
        return Transition(state, (Prompt.of("last_rep_passed"),), _CONTINUE)
    lead = [Prompt.of("setup_done")] if state.stage is Stage.SETUP else []
    return _block_at(content, state, stage, rep, lead, event.at)


def _on_previous(content: Content, state: State, event: Event) -> Transition:
    workout, now = content.workout, event.at
    if state.stage is Stage.READY:
        return _not_started(state)
    back = [Prompt.of("going_back")]
    if state.stage is Stage.SETUP:
        return _setup_block(content, state, [Prompt.of("already_first")], now)
    if state.stage is Stage.FINISHED:
        first = blocks.last_block_start(workout, state.reps, state.breath_seconds)
        return _rep_block(content, state, first, back, now)
    if state.rep == 1:
        return _setup_block(content, state, back, now)
    first = blocks.previous_block_start(workout, state.rep, state.breath_seconds)
    return _rep_block(content, state, first, back, now)


def _on_repeat(content: Content, state: State, event: Event) -> Transition:
    again = [Prompt.of("repeating")]
    if state.stage is Stage.READY:
        return _not_started(state)
    if state.stage is Stage.FINISHED:
        first = blocks.last_block_start(content.workout, state.reps, state.breath_seconds)
        return _rep_block(content, state, first, again, event.at)
    return _block_at(content, state, state.stage, state.rep, again, event.at)


def _on_pause(content: Content, state: State, event: Event) -> Transition:
    if state.stage is Stage.READY:
        return _not_started(state)
    if state.stage is Stage.FINISHED:
        return _where(content, state, [])
    return Transition(replace(state, paused=True, asking=Question.NONE),
                      (Prompt.of("paused"),), (Prompt.of("paused_reprompt"),))


def _on_resume(content: Content, state: State, event: Event) -> Transition:
    if state.stage is Stage.READY:
        return _not_started(state)
    if not state.paused:
        return _where(content, state, [] if state.stage is Stage.FINISHED
                      else [Prompt.of("not_paused")])
    return _carry_on(content, state, event.at)


def _on_start_over(content: Content, state: State, event: Event) -> Transition:
    return _begin(content, state, [Prompt.of("starting_over")], event.at)


def _on_stop(content: Content, state: State, event: Event) -> Transition:
    stopped = replace(state, paused=False, asking=Question.NONE)
    stage, rep = _place(content, state)
    if state.stage is Stage.REPS and stage is Stage.REPS:
        say = Prompt.of("goodbye_saved", rep=rep)
    else:
        say = Prompt.of("goodbye")
    return Transition(stopped, (say,), end_session=True)


def _on_help(content: Content, state: State, event: Event) -> Transition:
    return Transition(replace(state, asking=Question.NONE), (Prompt.of("help"),),
                      (Prompt.of("help_reprompt"),))


def _on_yes(content: Content, state: State, event: Event) -> Transition:
    if state.asking is Question.CONTINUE and state.in_progress:
        return _carry_on(content, state, event.at)
    if state.asking is Question.START:
        return _begin(content, state, [], event.at)
    return Transition(state, (Prompt.of("yes_no_unexpected"),), _CONTINUE)


def _on_no(content: Content, state: State, event: Event) -> Transition:
    if state.asking is Question.CONTINUE:
        return Transition(replace(state, asking=Question.NONE),
                          (Prompt.of("declined_resume"),), end_session=True)
    if state.asking is Question.START:
        return Transition(replace(state, asking=Question.NONE), (Prompt.of("goodbye"),),
                          end_session=True)
    return Transition(state, (Prompt.of("yes_no_unexpected"),), _CONTINUE)


def _on_fallback(content: Content, state: State, event: Event) -> Transition:
    return Transition(state, (Prompt.of("fallback"),), _CONTINUE)


def _on_session_ended(content: Content, state: State, event: Event) -> Transition:
    # Keep the place: the next launch offers to continue from it.
    return Transition(replace(state, paused=False, asking=Question.NONE), (), end_session=True)


_HANDLERS: dict[EventKind, Callable[[Content, State, Event], Transition]] = {
    EventKind.START: _on_start,
    EventKind.NEXT: _on_next,
    EventKind.PREVIOUS: _on_previous,
    EventKind.REPEAT: _on_repeat,
    EventKind.PAUSE: _on_pause,
    EventKind.RESUME: _on_resume,
    EventKind.START_OVER: _on_start_over,
    EventKind.STOP: _on_stop,
    EventKind.WHAT_NOW: _on_what_now,
    EventKind.HELP: _on_help,
    EventKind.YES: _on_yes,
    EventKind.NO: _on_no,
    EventKind.FALLBACK: _on_fallback,
    EventKind.SESSION_ENDED: _on_session_ended,
}


def settle(content: Content, state: State, at: float | None) -> State:
    """Account for the speech that just ended: any request means Alexa stopped talking.

    If the last block ran to its expected end it counts as heard (and a heard final block
    finishes the workout); otherwise it was interrupted and will be resumed from its start.
    """
    if state.block_end_at <= 0:
        return state
    heard = state.heard or (at is not None and at >= state.block_end_at)
    settled = replace(state, heard=heard, block_end_at=0.0)
    if heard and state.stage is Stage.REPS and _next_start(content, state)[1] > state.reps:
        return replace(settled, stage=Stage.FINISHED, heard=False)
    return settled


def advance(content: Content, state: State, event: Event) -> Transition:
    """The next state and what to say; every (state, event) pair has an answer."""
    current = settle(content, normalise(content, state), event.at)
    return _HANDLERS[event.kind](content, current, event)
