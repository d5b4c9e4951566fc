"""Asides from the exercise: questions, pain, and changes to reps or pace, at any moment.

A question is answered from the corpus and the session waits, paused, with the way back
offered ("Say resume to continue with rep three"). Pain stops the counting at once. A change
of reps or pace applies to the running session, which carries on, and is kept for next time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from . import flow
from .answers import Answer, Query, answer_query
from .corpus import Hint, Moment
from .events import Event, EventKind, Slot
from .flow import Transition
from .speech import Part, Prompt, Text
from .state import Pace, Question, Stage, State
from .workout import Content

# What the intents ask when the user gave no words beyond the intent itself; retrieval
# queries, never spoken.
WHY_QUERY = "why am I doing this"
MODIFY_QUERY = "how do I modify this"
TIP_QUERY = "give me a tip"
PAIN_QUERY = "it hurts, should I stop"
EASIER_REPS_DROP = 2


def _said(answer: Answer) -> Text:
    key = f"corpus.{answer.sources[0]}" if answer.sources else "corpus.not_sure"
    return Text(key, answer.text)


def way_back(content: Content, state: State, lead: list[Part]) -> Transition:
    """After an aside: a session in progress waits, paused, and says how to get back."""
    if state.in_progress:
        stage, rep = flow.place(content, state)
        back = (Prompt.of("back_to_setup") if stage is Stage.SETUP
                else Prompt.of("back_to_rep", rep=rep))
        return Transition(replace(state, paused=True, asking=Question.NONE), (*lead, back),
                          (back,))
    if state.stage is Stage.FINISHED:
        back = Prompt.of("back_finished")
        return Transition(replace(state, asking=Question.NONE), (*lead, back), (back,))
    return flow.ask(state, Question.START, [*lead, Prompt.of("back_to_start")],
                    Prompt.of("reprompt_question"))


def _answered(content: Content, state: State, query: Query) -> Transition:
    return way_back(content, state, [_said(answer_query(content.corpus, query))])


def _on_why(content: Content, state: State, event: Event, now: Moment | None) -> Transition:
    topic = event.slot(Slot.TOPIC)
    question = f"why {topic}" if topic else WHY_QUERY
    return _answered(content, state, Query(question, topic=topic, phase=now,
                                           kind_hint=Hint.WHY))


def _on_question(content: Content, state: State, event: Event,
                 now: Moment | None) -> Transition:
    query = event.slot(Slot.QUERY)
    if not query:
        return flow.ask(state, Question.NONE, [Prompt.of("ask_question")],
                        Prompt.of("ask_question"))
    return _answered(content, state, Query(query, phase=now))


def _on_modify(content: Content, state: State, event: Event, now: Moment | None) -> Transition:
    return _answered(content, state, Query(
        MODIFY_QUERY, prop=event.slot(Slot.PROP), difficulty=event.slot(Slot.DIFFICULTY),
        body_part=event.slot(Slot.BODY_PART), phase=now, kind_hint=Hint.MODIFY))


def _on_tip(content: Content, state: State, event: Event, now: Moment | None) -> Transition:
    query = Query(TIP_QUERY, kind_hint=Hint.TIP, rotation=state.tips_heard)
    return way_back(content, replace(state, tips_heard=state.tips_heard + 1),
                    [_said(answer_query(content.corpus, query))])


def _on_pain(content: Content, state: State, event: Event, now: Moment | None) -> Transition:
    body_part = event.slot(Slot.BODY_PART)
    # The general safety advice first, whatever hurts; then what helps that body part.
    safety = answer_query(content.corpus, Query(PAIN_QUERY, kind_hint=Hint.SAFETY))
    say: list[Part] = [Prompt.of("pain_stop"), _said(safety)]
    if body_part:
        gentler = answer_query(content.corpus, Query(PAIN_QUERY, body_part=body_part,
                                                     kind_hint=Hint.MODIFY))
        if gentler.confident and gentler.sources != safety.sources:
            say.append(_said(gentler))
    if not state.in_progress:
        return Transition(replace(state, asking=Question.NONE),
                          (*say, Prompt.of("pain_rest")), end_session=True)
    # The counting stops here: the session waits, paused, for a gentler version or the end.
    return flow.ask(replace(state, paused=True), Question.EASIER,
                    [*say, Prompt.of("offer_easier")], Prompt.of("offer_easier"))


def easier(content: Content, state: State, now: float | None) -> Transition:
    """Fewer reps and shorter breaths, carrying on from where the user stopped."""
    limits = content.workout
    _, rep = flow.place(content, state)
    gentler = replace(
        state,
        reps=max(min(rep, state.reps), limits.reps.clamp(state.reps - EASIER_REPS_DROP)),
        breath_seconds=limits.breath_seconds.clamp(state.breath_seconds - 1),
        asking=Question.NONE,
    )
    lead = [Prompt.of("easier_on", reps=gentler.reps, seconds=gentler.breath_seconds)]
    return flow.carry_on(content, gentler, now, lead)


def _on_set_reps(content: Content, state: State, event: Event,
                 now: Moment | None) -> Transition:
    raw = event.slot(Slot.REPS)
    reps, lead = flow.requested_reps(content, raw) if raw is not None else (None, [])
    if reps is None:
        return flow.ask(state, Question.NONE, [Prompt.of("ask_reps")], Prompt.of("ask_reps"))
    if not state.in_progress:
        return flow.begin(content, replace(state, reps=reps), lead, event.at)
    stage, rep = flow.place(content, state)
    if stage is Stage.REPS and rep > reps:
        reps, lead = rep, [Prompt.of("reps_last_one", rep=rep)]
    return flow.carry_on(content, replace(state, reps=reps), event.at, lead)


def _on_pace(content: Content, state: State, event: Event, now: Moment | None) -> Transition:
    try:
        pace = Pace((event.slot(Slot.PACE) or "").strip().lower())
    except ValueError:
        return flow.ask(state, state.asking, [Prompt.of("ask_pace")], Prompt.of("ask_pace"))
    limits = content.workout.breath_seconds
    wanted = state.breath_seconds + (1 if pace is Pace.SLOWER else -1)
    breath = limits.clamp(wanted)
    if breath == wanted:
        lead: list[Part] = [Prompt.of("pace_set", seconds=breath)]
    else:
        key = "pace_slowest" if pace is Pace.SLOWER else "pace_fastest"
        lead = [Prompt.of(key, seconds=breath)]
    paced = replace(state, breath_seconds=breath)
    if paced.in_progress:
        return flow.carry_on(content, paced, event.at, lead)
    return way_back(content, paced, lead)


HANDLERS: dict[EventKind, Callable[[Content, State, Event, Moment | None], Transition]] = {
    EventKind.WHY: _on_why,
    EventKind.QUESTION: _on_question,
    EventKind.MODIFY: _on_modify,
    EventKind.TIP: _on_tip,
    EventKind.PAIN: _on_pain,
    EventKind.SET_REPS: _on_set_reps,
    EventKind.PACE: _on_pace,
}
