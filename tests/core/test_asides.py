"""Questions, pain, reps and pace at any moment of a session (pure engine, table-driven)."""

from __future__ import annotations

import json
import random
from dataclasses import replace

import pytest

from spine_stretch.alexa.codec import invoke
from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.skill import build_skill
from spine_stretch.core.engine import Transition, advance, initial_state
from spine_stretch.core.events import Event, EventKind
from spine_stretch.core.speech import Prompt, Text
from spine_stretch.core.state import Question, Stage, State
from spine_stretch.core.workout import Content
from spine_stretch.store.memory import MemoryStore
from tests.conftest import FakeClock

E = EventKind
ASIDES = [E.WHY, E.QUESTION, E.MODIFY, E.TIP]


def keys(transition: Transition) -> list[str]:
    return [p.key for p in transition.say if isinstance(p, Prompt | Text)]


def in_reps(content: Content, reps: int = 5) -> State:
    """A session whose first run of reps started being spoken at t=100 (\"next\" in the
    setup)."""
    state = replace(initial_state(content), reps=reps, safety_heard=True)
    state = advance(content, state, Event.of(E.START, 90)).state
    # "next" during the setup skips straight to rep one.
    return advance(content, state, Event.of(E.NEXT, 100)).state


def speaks_exercise(transition: Transition) -> bool:
    return any(k.startswith(("step.", "cue.", "count.")) for k in keys(transition))


@pytest.mark.parametrize("kind", ASIDES)
def test_an_answer_mid_rep_pauses_and_offers_the_way_back(content: Content,
                                                          kind: EventKind) -> None:
    t = advance(content, in_reps(content, 12), Event.of(kind, 110, query="what muscles"))
    assert t.state.paused and not speaks_exercise(t)
    assert keys(t)[0].startswith("corpus.")
    assert t.say[-1] == Prompt.of("back_to_rep", rep=1) and t.reprompt
    resumed = advance(content, t.state, Event.of(E.RESUME, 200))
    assert resumed.say[0] == Prompt.of("resume_from", rep=1) and speaks_exercise(resumed)


@pytest.mark.parametrize("kind", ASIDES)
def test_answers_before_starting_and_after_finishing(content: Content, kind: EventKind) -> None:
    ready = advance(content, initial_state(content), Event.of(kind, query="why"))
    assert ready.state.asking is Question.START and not ready.end_session
    finished = replace(initial_state(content), stage=Stage.FINISHED)
    after = advance(content, finished, Event.of(kind, query="why"))
    assert after.say[-1] == Prompt.of("back_finished")


@pytest.mark.parametrize(
    ("offset", "source"), [(12, "corpus.breath_exhale"), (17, "corpus.breath_inhale")])
def test_why_follows_the_breath_being_spoken(content: Content, offset: int,
                                            source: str) -> None:
    t = advance(content, in_reps(content), Event.of(E.WHY, 100 + offset))
    assert keys(t)[0] == source


def test_how_do_i_modify_during_setup_is_about_sitting(content: Content) -> None:
    setup = advance(content, initial_state(content), Event.of(E.START, 0)).state
    t = advance(content, setup, Event.of(E.MODIFY, 5))
    answer = next(p for p in t.say if isinstance(p, Text))
    assert "sit" in answer.text.lower()
    assert t.say[-1] == Prompt.of("back_to_setup")


def test_how_do_i_modify_gives_the_options_for_the_moment(content: Content) -> None:
    # Outside a session every option; mid-rep the neck, the range and a prop.
    before = advance(content, initial_state(content), Event.of(E.MODIFY, 0))
    assert keys(before)[0] == "corpus.mod_options"
    mid_rep = advance(content, in_reps(content), Event.of(E.MODIFY, 112))
    assert keys(mid_rep)[0] == "corpus.mod_rep_options"
    assert mid_rep.state.paused


@pytest.mark.parametrize("prop", ["chair", "wheelchair", "kitchen chair"])
def test_asking_for_a_chair_gets_the_seated_version(content: Content, prop: str) -> None:
    t = advance(content, in_reps(content), Event.of(E.MODIFY, 112, prop=prop))
    assert keys(t)[0] == "corpus.mod_chair"


@pytest.mark.parametrize(("query", "source"), [
    ("I'm pregnant", "corpus.safety_pregnancy"),
    ("I had surgery on my back", "corpus.safety_surgery"),
    ("I have arthritis", "corpus.safety_professional"),
])
def test_a_condition_mid_rep_is_sent_to_a_professional_and_the_session_waits(
        content: Content, query: str, source: str) -> None:
    t = advance(content, in_reps(content), Event.of(E.QUESTION, 112, query=query))
    assert keys(t)[0] == source
    assert "doctor" in next(p for p in t.say if isinstance(p, Text)).text
    assert t.state.paused and t.say[-1] == Prompt.of("back_to_rep", rep=1)


def test_pain_stops_the_counting_at_once_and_offers_easier_or_ending(content: Content) -> None:
    t = advance(content, in_reps(content), Event.of(E.PAIN, 110, body_part="neck"))
    assert not speaks_exercise(t)
    assert keys(t)[:2] == ["pain_stop", "corpus.safety_pain"]
    assert "corpus.mod_neck" in keys(t)
    assert t.state.paused and t.state.asking is Question.EASIER
    gentler = advance(content, t.state, Event.of(E.YES, 120))
    assert gentler.state.breath_seconds == t.state.breath_seconds - 1
    assert gentler.state.reps == t.state.reps - 2 and speaks_exercise(gentler)
    ending = advance(content, t.state, Event.of(E.NO, 120))
    assert ending.end_session and keys(ending) == ["pain_rest"]


@pytest.mark.parametrize(
    ("raw", "reps", "lead"),
    [("8", 8, "reps_set"), ("50", 20, "reps_clamped_high"), ("0", 1, "reps_clamped_low")],
)
def test_set_reps_changes_the_running_session(content: Content, raw: str, reps: int,
                                              lead: str) -> None:
    t = advance(content, in_reps(content), Event.of(E.SET_REPS, 110, reps=raw))
    assert t.state.reps == reps and keys(t)[0] == lead and speaks_exercise(t)


def test_fewer_reps_than_already_done_makes_this_block_the_last(content: Content) -> None:
    state = replace(in_reps(content, 12), rep=6)
    t = advance(content, state, Event.of(E.SET_REPS, 110, reps="3"))
    assert t.state.reps == 6 and keys(t)[0] == "reps_last_one"


@pytest.mark.parametrize("raw", [None, "?", "banana"])
def test_set_reps_without_a_number_asks_back(content: Content, raw: str | None) -> None:
    t = advance(content, in_reps(content), Event.of(E.SET_REPS, 110, reps=raw))
    assert keys(t) == ["ask_reps"] and t.reprompt and t.state.reps == 5


@pytest.mark.parametrize(
    ("breath", "pace", "expected", "lead"),
    [(4, "slower", 5, "pace_set"), (4, "faster", 3, "pace_set"),
     (8, "slower", 8, "pace_slowest"), (2, "faster", 2, "pace_fastest")],
)
def test_pace_changes_the_breath_within_limits(content: Content, breath: int, pace: str,
                                               expected: int, lead: str) -> None:
    state = replace(in_reps(content), breath_seconds=breath)
    t = advance(content, state, Event.of(E.PACE, 110, pace=pace))
    assert t.state.breath_seconds == expected and keys(t)[0] == lead
    counts = [k for k in keys(t) if k.startswith("count.")]
    assert counts[: expected - 1] == [f"count.{n}" for n in range(2, expected + 1)]


def test_pace_without_a_direction_asks(content: Content) -> None:
    t = advance(content, in_reps(content), Event.of(E.PACE, 110, pace="sideways"))
    assert keys(t) == ["ask_pace"]


def test_reps_and_pace_are_kept_for_next_time_and_nothing_medical_is(content: Content) -> None:
    store = MemoryStore()
    skill = build_skill(content, store, random.Random(0))
    clock = FakeClock()
    talk = Conversation(clock=clock)
    for envelope in (talk.launch(), talk.intent("AMAZON.NextIntent"),
                     talk.intent("SetRepsIntent", {"count": "8"}),
                     talk.intent("PaceIntent", {"pace": "slower"}, {"pace": "slower"}),
                     talk.intent("PainIntent", {"bodyPart": "neck"}, {"bodyPart": "neck"}),
                     talk.intent("AMAZON.NoIntent")):
        talk.absorb(invoke(skill, envelope))
        clock.advance(3)
    record = json.dumps(store.get(talk.user_id).record)
    assert "neck" not in record and "pain" not in record
    talk.end()
    clock.advance(86_400)
    fresh = invoke(skill, talk.intent("StartStretchIntent", {"reps": None}))
    assert "eight reps" in fresh["response"]["outputSpeech"]["ssml"].lower()
    assert State.from_dict(store.get(talk.user_id).record["state"],
                           initial_state(content)).breath_seconds == 5


@pytest.mark.parametrize("locale", ["en-US", "en-GB", "en-CA", "en-AU", "en-IN"])
@pytest.mark.parametrize("intent", ["WhyIntent", "ModifyIntent", "TipIntent", "PainIntent"])
def test_every_locale_is_answered_at_every_point(content: Content, locale: str,
                                                 intent: str) -> None:
    skill = build_skill(content, MemoryStore(), random.Random(0))
    clock = FakeClock()
    talk = Conversation(clock=clock, locale=locale)
    for step in (talk.launch, lambda: talk.intent("AMAZON.NextIntent"), None):
        if step is not None:
            talk.absorb(invoke(skill, step()))
            clock.advance(4)
        reply = invoke(skill, talk.intent(intent))
        speech = reply["response"]["outputSpeech"]["ssml"]
        assert "Sorry, something went wrong" not in speech and len(speech) > 40
