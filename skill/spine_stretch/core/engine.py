"""The coaching state machine: `advance(content, state, event)` -> `Transition`.

Pure: no I/O, no randomness (prompt variants are picked later, by the caller's picker).
A transition says what to say, what to ask if the user says nothing (`reprompt`), and
whether the conversation is over. Navigation lives here; questions, pain, reps and pace
(asides from the exercise) live in `asides`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from . import asides, blocks, flow, progress
from .events import Event, EventKind, Slot
from .flow import Transition, initial_state, normalise, parse_count, settle
from .speech import Prompt
from .state import Question, Stage, State
from .workout import Content

__all__ = ["Transition", "advance", "initial_state", "normalise", "parse_count", "settle"]


# ---- events -------------------------------------------------------------------------------

def _on_cool_down(content: Content, state: State, event: Event) -> Transition:
    """The cool-down spoken block by block, for devices that cannot play the track."""
    return flow.begin(content, state, [], event.at, cooldown=True)


def _on_cool_down_offer(content: Content, state: State, event: Event) -> Transition:
    """The track cannot be played here: say so and offer the spoken version."""
    return flow.ask(state, Question.COOLDOWN, [Prompt.of("cooldown_unconfigured")],
                    Prompt.of("reprompt_question"))


def _on_start(content: Content, state: State, event: Event) -> Transition:
    raw = event.slot(Slot.REPS)
    if raw is None:
        return flow.begin(content, state, [], event.at)
    reps, lead = flow.requested_reps(content, raw)
    if reps is None:
        return flow.begin(content, state, [Prompt.of("reps_not_understood", reps=state.reps)],
                          event.at)
    return flow.begin(content, replace(state, reps=reps), lead, event.at)


def _on_what_now(content: Content, state: State, event: Event) -> Transition:
    if not state.in_progress:
        return progress.start_fresh(content, state, event)
    stage, rep = flow.place(content, state)
    if stage is Stage.SETUP:
        question = Prompt.of("welcome_back_setup")
    else:
        question = Prompt.of("welcome_back", rep=rep, reps=state.reps)
    return flow.ask(replace(state, paused=False), Question.CONTINUE, [question],
                Prompt.of("reprompt_question"))


def _on_next(content: Content, state: State, event: Event) -> Transition:
    if state.stage is Stage.READY:
        return flow.not_started(state)
    if state.stage is Stage.FINISHED:
        return Transition(state, (Prompt.of("last_rep_passed"),), flow.CONTINUE)
    stage, rep = flow.next_start(content, state)
    if rep > state.reps:
        return Transition(state, (Prompt.of("last_rep_passed"),), flow.CONTINUE)
    lead = [Prompt.of("setup_done")] if state.stage is Stage.SETUP else []
    return flow.block_at(content, state, stage, rep, lead, event.at)


def _on_previous(content: Content, state: State, event: Event) -> Transition:
    workout, now = content.workout, event.at
    if state.stage is Stage.READY:
        return flow.not_started(state)
    back = [Prompt.of("going_back")]
    if state.stage is Stage.SETUP:
        return flow.setup_block(content, state, [Prompt.of("already_first")], now)
    if state.stage is Stage.FINISHED:
        first = blocks.last_block_start(workout, state.reps, state.breath_seconds)
        return flow.rep_block(content, state, first, back, now)
    if state.rep == 1:
        return flow.setup_block(content, state, back, now)
    first = blocks.previous_block_start(workout, state.rep, state.breath_seconds)
    return flow.rep_block(content, state, first, back, now)


def _on_repeat(content: Content, state: State, event: Event) -> Transition:
    again = [Prompt.of("repeating")]
    if state.stage is Stage.READY:
        return flow.not_started(state)
    if state.stage is Stage.FINISHED:
        first = blocks.last_block_start(content.workout, state.reps, state.breath_seconds)
        return flow.rep_block(content, state, first, again, event.at)
    return flow.block_at(content, state, state.stage, state.rep, again, event.at)


def _on_pause(content: Content, state: State, event: Event) -> Transition:
    if state.stage is Stage.READY:
        return flow.not_started(state)
    if state.stage is Stage.FINISHED:
        return flow.where(content, state, [])
    return Transition(replace(state, paused=True, asking=Question.NONE),
                      (Prompt.of("paused"),), (Prompt.of("paused_reprompt"),))


def _on_resume(content: Content, state: State, event: Event) -> Transition:
    if state.stage is Stage.READY:
        return flow.not_started(state)
    if not state.paused:
        if state.cooldown and state.in_progress:
            return _on_next(content, state, event)  # "continue" in a spoken cool-down
        return flow.where(content, state, [] if state.stage is Stage.FINISHED
                          else [Prompt.of("not_paused")])
    return flow.carry_on(content, state, event.at)


def _on_start_over(content: Content, state: State, event: Event) -> Transition:
    return flow.begin(content, state, [Prompt.of("starting_over")], event.at)


def _on_stop(content: Content, state: State, event: Event) -> Transition:
    stopped = replace(state, paused=False, asking=Question.NONE)
    stage, rep = flow.place(content, state)
    if state.stage is Stage.REPS and stage is Stage.REPS:
        say = Prompt.of("goodbye_saved", rep=rep)
    else:
        say = Prompt.of("goodbye")
    return Transition(stopped, (say,), end_session=True)


def _on_help(content: Content, state: State, event: Event) -> Transition:
    return Transition(replace(state, asking=Question.NONE), (Prompt.of("help"),),
                      (Prompt.of("help_reprompt"),))


def _on_forget(content: Content, state: State, event: Event) -> Transition:
    # Deleting is not undoable, so it waits for a yes; any other answer keeps the data.
    return flow.ask(state, Question.FORGET, [Prompt.of("forget_confirm")],
                    Prompt.of("forget_reprompt"))


def _on_progress(content: Content, state: State, event: Event) -> Transition:
    return asides.way_back(content, state, progress.report(content, state, event))


def _on_yes(content: Content, state: State, event: Event) -> Transition:
    if state.asking is Question.FORGET:
        return Transition(replace(state, asking=Question.NONE), (Prompt.of("forgotten"),),
                          end_session=True, forget=True)
    if state.asking is Question.STEP_UP and not state.in_progress:
        return progress.answer_step_up(content, state, event, accepted=True)
    if state.asking is Question.EASIER and state.in_progress:
        return asides.easier(content, state, event.at)
    if state.asking is Question.COOLDOWN:
        return _on_cool_down(content, state, event)
    if state.asking is Question.CONTINUE and state.in_progress:
        return flow.carry_on(content, state, event.at)
    if state.asking is Question.START:
        return flow.begin(content, state, [], event.at)
    return Transition(state, (Prompt.of("yes_no_unexpected"),), flow.CONTINUE)


def _on_no(content: Content, state: State, event: Event) -> Transition:
    if state.asking is Question.FORGET:
        return Transition(replace(state, asking=Question.NONE), (Prompt.of("forget_kept"),),
                          flow.CONTINUE)
    if state.asking is Question.STEP_UP and not state.in_progress:
        return progress.answer_step_up(content, state, event, accepted=False)
    if state.asking is Question.EASIER:
        return Transition(replace(state, asking=Question.NONE, paused=False),
                          (Prompt.of("pain_rest"),), end_session=True)
    if state.asking is Question.CONTINUE:
        return Transition(replace(state, asking=Question.NONE),
                          (Prompt.of("declined_resume"),), end_session=True)
    if state.asking is Question.START:
        return Transition(replace(state, asking=Question.NONE), (Prompt.of("goodbye"),),
                          end_session=True)
    return Transition(state, (Prompt.of("yes_no_unexpected"),), flow.CONTINUE)


# A request whose slot value is none its type knows ("can I use a chair") is not understood;
# the answer says what does work for that slot.
_UNRESOLVED = {
    Slot.PACE.value: "unresolved_pace",
    Slot.TOPIC.value: "unresolved_topic",
    Slot.PROP.value: "unresolved_prop",
    Slot.DIFFICULTY.value: "unresolved_difficulty",
    Slot.BODY_PART.value: "unresolved_body_part",
}


def _on_fallback(content: Content, state: State, event: Event) -> Transition:
    key = _UNRESOLVED.get(event.slot(Slot.UNRESOLVED) or "", "fallback")
    return Transition(state, (Prompt.of(key),), flow.CONTINUE)


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
    EventKind.COOL_DOWN: _on_cool_down,
    EventKind.COOL_DOWN_OFFER: _on_cool_down_offer,
    EventKind.START_OVER: _on_start_over,
    EventKind.STOP: _on_stop,
    EventKind.WHAT_NOW: _on_what_now,
    EventKind.HELP: _on_help,
    EventKind.YES: _on_yes,
    EventKind.NO: _on_no,
    EventKind.FALLBACK: _on_fallback,
    EventKind.SESSION_ENDED: _on_session_ended,
    EventKind.FORGET: _on_forget,
    EventKind.PROGRESS: _on_progress,
}


def advance(content: Content, state: State, event: Event) -> Transition:
    """The next state and what to say; every (state, event) pair has an answer. A session
    that ends on the way is written into the state's history (see `progress.account`)."""
    current = normalise(content, state)
    settled = settle(content, current, event.at)
    aside = asides.HANDLERS.get(event.kind)
    if aside is not None:
        # Where the speech was when the user spoke gives a question its context.
        now = flow.moment(content, current, event.at)
        transition = aside(content, settled, event, now)
    else:
        transition = _HANDLERS[event.kind](content, settled, event)
    return progress.account(content, settled, event, transition)
