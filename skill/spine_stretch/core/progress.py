"""The coach's memory at work: sessions written into the history as they end, the launch
line, "how am I doing?", and gentle progression.

Pure. `account` runs after every engine handler and compares the state the handler was
given with the one it returned, so no handler needs to know that history exists.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from . import flow, history
from .events import Event, EventKind, Slot
from .flow import Transition
from .history import History, Session
from .speech import Part, Prompt
from .state import Pace, Question, Stage, State
from .workout import Content, StepKind


def local_day(event: Event) -> date | None:
    """The user's date for the event: the edge's, else the request time's UTC date."""
    if event.day is not None:
        return event.day
    if event.at is None:
        return None
    return datetime.fromtimestamp(event.at, UTC).date()


def _ended(content: Content, state: State) -> Session:
    """A session given up on: the reps fully done before where it stopped."""
    _, rep = flow.place(content, state)
    done = 0 if state.stage is Stage.SETUP else max(0, min(state.reps, rep - 1))
    return Session(done, state.reps, state.breath_seconds, False, state.cooldown)


def _finished(state: State) -> Session:
    return Session(state.reps, state.reps, state.breath_seconds, True, state.cooldown)


def _comfort(hist: History, state: State) -> History:
    """A finished stretch session moves the run of comfortable sessions on, or resets it."""
    if state.eased:
        return replace(hist, comfortable_run=0)
    return replace(hist, comfortable_run=hist.comfortable_run + 1,
                   comfortable_reps=state.reps, comfortable_breath=state.breath_seconds)


def _eases(prior: State, event: Event) -> bool:
    if event.kind is EventKind.PAIN:
        return True
    if event.kind is EventKind.PACE:
        return (event.slot(Slot.PACE) or "").strip().lower() == Pace.SLOWER
    return event.kind is EventKind.YES and prior.asking is Question.EASIER


def account(content: Content, prior: State, event: Event, transition: Transition) -> Transition:
    """`transition` with its session's end written into the history, and easing noted.

    `prior` is the state the handler started from (settled). A session ends when it
    finishes, when a new one replaces it, or when the user declines to continue it.
    """
    today = local_day(event)
    after = transition.state
    hist = after.history
    replaced = after.session != prior.session
    declined = (event.kind is EventKind.NO and prior.asking is Question.CONTINUE
                and prior.in_progress)
    if (replaced or declined) and prior.stage is not Stage.READY and not prior.logged:
        done = prior.stage is Stage.FINISHED
        hist = history.record(hist, _finished(prior) if done else _ended(content, prior), today)
        if done and not prior.cooldown:
            hist = _comfort(hist, prior)
        if declined:
            after = replace(after, logged=True)
    if after.stage is Stage.FINISHED and not after.logged:
        hist = history.record(hist, _finished(after), today)
        if not after.cooldown:
            hist = _comfort(hist, after)
        after = replace(after, logged=True)
    if _eases(prior, event):
        after = replace(after, eased=True)
        hist = replace(hist, comfortable_run=0)
        if event.kind is EventKind.PAIN:
            after = _step_back(content, after, hist)
    after = replace(after, history=hist)
    return transition if after == transition.state else replace(transition, state=after)


def _step_back(content: Content, state: State, hist: History) -> State:
    """Any pain: back to the setting of the last comfortable session, if it was gentler."""
    if hist.comfortable_reps <= 0:
        return state
    reps = min(state.reps, content.workout.reps.clamp(hist.comfortable_reps))
    breath = min(state.breath_seconds,
                 content.workout.breath_seconds.clamp(hist.comfortable_breath))
    return replace(state, reps=reps, breath_seconds=breath, rep=min(state.rep, reps))


# ---- the launch ---------------------------------------------------------------------------

def greeting(state: State, event: Event) -> tuple[State, list[Part]]:
    """The welcome, and once a day one short line when there is something worth saying."""
    lead: list[Part] = [Prompt.of("welcome")]
    today = local_day(event)
    hist = state.history
    if today is None or hist.announced == today:
        return state, lead
    days = history.streak(hist, today)
    ran_today = history.finished_on(hist, today)
    # A run that reaches yesterday becomes "day N" with today's session.
    coming = days if ran_today else days + 1
    if days >= 1 and coming >= 2:
        lead.append(Prompt.of("streak_launch", days=coming))
        state = replace(state, history=replace(hist, announced=today))
    return state, lead


def next_step(content: Content, state: State) -> tuple[StepKind, int] | None:
    """The step up to offer now, if the rule says one is due: (what, its new value)."""
    rule = content.workout.progression
    hist = state.history
    if hist.comfortable_run < rule.comfortable_sessions or not rule.steps:
        return None
    for turn in range(len(rule.steps)):
        kind = rule.steps[(hist.steps_taken + turn) % len(rule.steps)]
        if kind is StepKind.REPS and state.reps < content.workout.reps.max:
            return kind, state.reps + 1
        if kind is StepKind.BREATH and state.breath_seconds < content.workout.breath_seconds.max:
            return kind, state.breath_seconds + 1
    return None


def start_fresh(content: Content, state: State, event: Event) -> Transition:
    """A launch with nothing in progress: the greeting, then a step-up offer when one is
    due, else straight into the session."""
    greeted, lead = greeting(state, event)
    step = next_step(content, greeted)
    if step is None:
        return flow.begin(content, greeted, lead, event.at)
    kind, value = step
    sessions = greeted.history.comfortable_run
    offer = (Prompt.of("offer_reps", sessions=sessions, reps=value) if kind is StepKind.REPS
             else Prompt.of("offer_breath", sessions=sessions, seconds=value))
    return flow.ask(greeted, Question.STEP_UP, [*lead, offer], Prompt.of("offer_reprompt"))


def answer_step_up(content: Content, state: State, event: Event, accepted: bool) -> Transition:
    """Yes: the step becomes the user's setting. No: ask again after a few more sessions.
    Either way the session starts."""
    rule = content.workout.progression
    hist = state.history
    step = next_step(content, state)
    asked = replace(state, asking=Question.NONE)
    if accepted and step is not None:
        kind, value = step
        raised = (replace(asked, reps=value) if kind is StepKind.REPS
                  else replace(asked, breath_seconds=value))
        raised = replace(raised, history=replace(hist, comfortable_run=0,
                                                 steps_taken=hist.steps_taken + 1))
        lead = (Prompt.of("step_up_reps", reps=value) if kind is StepKind.REPS
                else Prompt.of("step_up_breath", seconds=value))
        return flow.begin(content, raised, [lead], event.at)
    waiting = replace(asked, history=replace(
        hist, comfortable_run=rule.comfortable_sessions - rule.wait_after_no))
    return flow.begin(content, waiting, [Prompt.of("step_up_declined", reps=state.reps)],
                      event.at)


# ---- "how am I doing?" --------------------------------------------------------------------

def report(content: Content, state: State, event: Event) -> list[Part]:
    """Sessions this week, the streak, total reps, and the reps and pace now set."""
    hist = state.history
    settings = Prompt.of("progress_settings", reps=state.reps, seconds=state.breath_seconds)
    today = local_day(event)
    if hist.finished == 0 or today is None:
        return [Prompt.of("progress_none"), settings]
    sessions = history.sessions_this_week(hist, today)
    days = history.streak(hist, today)
    said: list[Part] = [
        Prompt.of("progress_week_one") if sessions == 1
        else Prompt.of("progress_week", sessions=sessions)]
    if days >= 2:
        said.append(Prompt.of("progress_streak", days=days))
    said += [Prompt.of("progress_total", total=hist.reps), settings]
    return said
