"""History, streaks and gentle progression: the engine's memory, tested without I/O."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest

from spine_stretch.core import history
from spine_stretch.core.engine import Transition, advance, initial_state
from spine_stretch.core.events import Event, EventKind
from spine_stretch.core.history import KEEP_DAYS, History, Session
from spine_stretch.core.speech import Prompt
from spine_stretch.core.state import Question, Stage, State
from spine_stretch.core.workout import Content

E = EventKind
DAY1 = date(2026, 11, 23)
# DynamoDB's item limit; the record must stay far below it.
DYNAMODB_ITEM_LIMIT = 400 * 1024


def prompt_keys(transition: Transition) -> list[str]:
    return [p.key for p in transition.say if isinstance(p, Prompt)]


def finish_session(content: Content, state: State, day: date,
                   *extra: EventKind) -> tuple[State, Transition]:
    """Launch, answer yes to any offer, say `extra` things, listen to every block, end."""
    at = 1000.0 * (day - DAY1).days * 86.4
    launch = advance(content, state, Event(E.WHAT_NOW, at=at, day=day))
    t = launch
    if t.state.asking is Question.STEP_UP:
        t = advance(content, t.state, Event(E.YES, at=at, day=day))
    for kind in extra:
        t = advance(content, t.state, Event(kind, at=at, day=day))
        if t.state.asking is Question.EASIER:
            t = advance(content, t.state, Event(E.YES, at=at, day=day))
    while t.state.stage is not Stage.FINISHED:
        kind = E.RESUME if t.state.paused else E.NEXT
        t = advance(content, t.state, Event(kind, at=t.state.block_end_at + 1, day=day))
    ended = advance(content, t.state, Event(E.SESSION_ENDED, at=t.state.block_end_at + 1,
                                              day=day))
    return ended.state, launch


def test_a_finished_session_is_recorded_once_on_its_local_day(content: Content) -> None:
    state, _ = finish_session(content, initial_state(content), DAY1)
    h = state.history
    assert (h.finished, h.abandoned, h.reps) == (1, 0, 5)
    assert h.days == (history.Day(DAY1, finished=1, reps=5),)
    assert h.last == Session(5, 5, 4, True, False)
    again = advance(content, state, Event(E.REPEAT, at=9e9, day=DAY1))
    assert advance(content, again.state, Event(E.STOP, at=9e9 + 500, day=DAY1)).state.history \
        .finished == 1


def test_a_session_replaced_or_declined_is_recorded_as_abandoned(content: Content) -> None:
    # The launch flows from the setup into the reps (hands-free) ...
    t = advance(content, initial_state(content), Event(E.WHAT_NOW, at=0.0, day=DAY1))
    # ... and is interrupted during the reps, before they were all heard.
    t = advance(content, t.state, Event(E.START_OVER, at=t.state.block_end_at - 5, day=DAY1))
    assert t.state.history.abandoned == 1 and t.state.history.finished == 0
    t = advance(content, t.state, Event(E.STOP, at=t.state.block_end_at - 5, day=DAY1))
    t = advance(content, t.state, Event(E.WHAT_NOW, at=t.state.block_end_at + 99, day=DAY1))
    assert t.state.asking is Question.CONTINUE
    t = advance(content, t.state, Event(E.NO, day=DAY1))
    assert t.state.history.abandoned == 2
    assert advance(content, t.state, Event(E.NO, day=DAY1)).state.history.abandoned == 2


def test_three_days_in_a_row_make_a_streak_said_once_a_day(content: Content) -> None:
    state = initial_state(content)
    for offset in range(2):
        state, _ = finish_session(content, state, DAY1 + timedelta(days=offset))
    day3 = DAY1 + timedelta(days=2)
    launch = advance(content, state, Event(E.WHAT_NOW, at=5e6, day=day3))
    streak = [p for p in launch.say if isinstance(p, Prompt) and p.key == "streak_launch"]
    assert streak == [Prompt.of("streak_launch", days=3)]
    stopped = advance(content, launch.state, Event(E.STOP, at=5e6, day=day3)).state
    again = advance(content, replace(stopped, stage=Stage.READY),
                    Event(E.WHAT_NOW, at=5e6 + 60, day=day3))
    assert "streak_launch" not in prompt_keys(again)


def test_progress_reports_week_streak_total_and_settings(content: Content) -> None:
    state = initial_state(content)
    for offset in (0, 1, 2):
        state, _ = finish_session(content, state, DAY1 + timedelta(days=offset))
    report = advance(content, state, Event(E.PROGRESS, day=DAY1 + timedelta(days=2)))
    assert Prompt.of("progress_week", sessions=3) in report.say
    assert Prompt.of("progress_streak", days=3) in report.say
    assert Prompt.of("progress_total", total=15) in report.say
    assert Prompt.of("progress_settings", reps=5, seconds=4) in report.say
    fresh = advance(content, initial_state(content), Event(E.PROGRESS, day=DAY1))
    assert prompt_keys(fresh)[0] == "progress_none"


def test_comfortable_sessions_earn_one_step_up_and_yes_changes_the_defaults(
        content: Content) -> None:
    rule = content.workout.progression
    state = initial_state(content)
    for offset in range(rule.comfortable_sessions):
        state, launch = finish_session(content, state, DAY1 + timedelta(days=offset))
        assert launch.state.asking is not Question.STEP_UP
    day = DAY1 + timedelta(days=rule.comfortable_sessions)
    offer = advance(content, state, Event(E.WHAT_NOW, at=9e6, day=day))
    assert offer.state.asking is Question.STEP_UP
    assert Prompt.of("offer_reps", sessions=rule.comfortable_sessions, reps=6) in offer.say
    yes = advance(content, offer.state, Event(E.YES, at=9e6, day=day))
    assert yes.state.reps == 6 and yes.state.stage is Stage.SETUP
    assert prompt_keys(yes)[0] == "step_up_reps"
    assert yes.state.history.comfortable_run == 0


def test_no_waits_a_few_sessions_and_the_next_step_is_a_slower_breath(
        content: Content) -> None:
    rule = content.workout.progression
    due = replace(initial_state(content), history=History(
        comfortable_run=rule.comfortable_sessions, steps_taken=1))
    offer = advance(content, due, Event(E.WHAT_NOW, at=0.0, day=DAY1))
    assert Prompt.of("offer_breath", sessions=rule.comfortable_sessions, seconds=5) in offer.say
    no = advance(content, offer.state, Event(E.NO, at=0.0, day=DAY1))
    assert no.state.breath_seconds == 4 and no.state.stage is Stage.SETUP
    state = replace(no.state, stage=Stage.READY)
    for offset in range(1, rule.wait_after_no + 1):
        state, launch = finish_session(content, state, DAY1 + timedelta(days=offset))
        assert launch.state.asking is not Question.STEP_UP
    later = advance(content, state, Event(E.WHAT_NOW, at=9e7, day=DAY1 + timedelta(days=9)))
    assert later.state.asking is Question.STEP_UP


@pytest.mark.parametrize("easing", [E.PAIN, E.PACE])
def test_an_eased_session_does_not_count_as_comfortable(content: Content,
                                                        easing: EventKind) -> None:
    state, _ = finish_session(content, initial_state(content), DAY1)
    assert state.history.comfortable_run == 1
    if easing is E.PACE:
        launch = advance(content, state, Event(E.WHAT_NOW, at=5e6, day=DAY1))
        slower = advance(content, launch.state, Event.of(E.PACE, 5e6, DAY1, pace="slower"))
        assert slower.state.eased
        state = slower.state
    state, _ = finish_session(content, state, DAY1 + timedelta(days=1),
                              *([E.PAIN] if easing is E.PAIN else []))
    assert state.history.comfortable_run == 0
    assert state.history.finished == 2


def test_pain_steps_back_to_the_last_comfortable_setting(content: Content) -> None:
    stepped = replace(initial_state(content), reps=7, breath_seconds=6,
                      history=History(comfortable_run=0, comfortable_reps=6,
                                      comfortable_breath=5))
    pain = advance(content, stepped, Event(E.PAIN, day=DAY1))
    assert (pain.state.reps, pain.state.breath_seconds) == (6, 5)
    assert pain.state.eased
    assert "pain" not in json.dumps(pain.state.to_dict())


def test_history_is_bounded_and_a_year_of_it_fits_a_dynamodb_item(content: Content) -> None:
    h = History()
    for offset in range(365):
        for _ in range(3):
            h = history.record(h, Session(20, 20, 8, True, False), DAY1 + timedelta(days=offset))
    assert len(h.days) == KEEP_DAYS
    assert h.days[0].day == DAY1 + timedelta(days=365 - KEEP_DAYS)
    assert (h.finished, h.reps) == (1095, 21900)
    record = {"state": replace(initial_state(content), history=h).to_dict()}
    size = len(json.dumps(record).encode())
    assert size < DYNAMODB_ITEM_LIMIT // 100  # 2.2 KB measured: ample room for the rest
    assert State.from_dict(json.loads(json.dumps(record))["state"],
                           initial_state(content)).history == h


@pytest.mark.parametrize("stored", [None, "x", {"days": [["not a date", 1]], "totals": "x"},
                                    {"days": [[1, 2]], "last": [1, 2]}, {"announced": 5}])
def test_a_malformed_stored_history_is_dropped_not_fatal(stored: object) -> None:
    assert History.from_dict(stored) == History()


def test_the_streak_survives_until_the_day_is_over() -> None:
    h = History()
    for offset in (0, 1, 2):
        h = history.record(h, Session(5, 5, 4, True, False), DAY1 + timedelta(days=offset))
    assert history.streak(h, DAY1 + timedelta(days=2)) == 3
    assert history.streak(h, DAY1 + timedelta(days=3)) == 3
    assert history.streak(h, DAY1 + timedelta(days=4)) == 0
    week = history.week(h, DAY1 + timedelta(days=3))
    assert [d.finished for d in week] == [0, 0, 0, 1, 1, 1, 0]


def test_malformed_day_entries_are_skipped_and_today_without_a_finish_keeps_the_run() -> None:
    stored = History.from_dict({"days": "junk 2026-13-01:1,0,5,0 2026-11-22:1,x,5,0 "
                                        "2026-11-22:1,0,5,0 2026-11-23:0,1,2,0"})
    assert stored.days == (history.Day(date(2026, 11, 22), 1, 0, 5, 0),
                           history.Day(DAY1, 0, 1, 2, 0))
    assert history.streak(stored, DAY1) == 1
    assert not history.finished_on(stored, DAY1)
    assert history.finished_on(stored, DAY1 - timedelta(days=1))
    assert history.streak(stored, DAY1 + timedelta(days=1)) == 0
