"""Content is data: it loads, it is validated, and it keeps the seed's meaning."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from spine_stretch.content import ContentError, load, parse_prompts, parse_workout, read_yaml
from spine_stretch.core.engine import advance, initial_state
from spine_stretch.core.events import Event, EventKind
from spine_stretch.core.history import History
from spine_stretch.core.prompts import PromptPicker
from spine_stretch.core.speech import Prompt
from spine_stretch.core.workout import Content
from tests.paths import ROOT

SEED = ROOT.parent / "shared" / "seed" / "spine-stretch.txt"


def test_the_six_seed_steps_are_kept_in_order(content: Content) -> None:
    if not SEED.exists():
        pytest.skip(f"the seed file is not beside this checkout ({SEED})")
    bullets = [line.strip("• \t") for line in SEED.read_text().splitlines() if "•" in line]
    assert [step.seed for step in content.workout.steps] == bullets[:6]


def test_movement_is_setup_then_two_breaths(content: Content) -> None:
    workout = content.workout
    assert [s.id for s in workout.setup] == ["sit", "hands", "core"]
    assert [p.breath for p in workout.phases] == ["exhale", "inhale"]
    assert (workout.reps.default, workout.reps.min, workout.reps.max) == (5, 1, 20)
    assert (workout.breath_seconds.default, workout.breath_seconds.min,
            workout.breath_seconds.max) == (4, 2, 8)


# Prompts a user hears at most once in a session: the first-launch safety line, the ends of a
# session, and the cool-down's (its track always uses the first variant of each prompt).
ONCE = {"safety", "declined_resume", "pain_rest", "cooldown_intro", "cooldown_done",
        "cooldown_start", "cooldown_unconfigured", "cooldown_no_loop",
        "cooldown_nothing_to_resume", "forgotten", "forget_nothing",
        # Sent once to the Reminders API as the reminder's text (Alexa reads it when it rings).
        "reminder_spoken"}


def test_prompts_heard_more_than_once_have_variants(content: Content) -> None:
    single = {key for key, variants in content.prompts.variants.items() if len(variants) < 2}
    assert single <= ONCE, f"prompts a user can hear twice with one wording: {single - ONCE}"


# Said by handlers outside the engine: the apology, and the cool-down's playback replies.
SPOKEN_BY_THE_ALEXA_LAYER = {"error", "cooldown_start", "cooldown_no_loop",
                             "cooldown_nothing_to_resume", "forget_nothing"} | {
    key for key in load().prompts.variants if key.startswith(("reminder_", "reminders_"))}


# Walks cross local days often enough to build streaks and earn progression offers.
FIRST_DAY = date(2026, 11, 1)
DAY_SECONDS = 1500


def test_every_prompt_the_engine_can_use_exists_and_fills(content: Content) -> None:
    """A long random walk over events, values and timings reaches every prompt."""
    rng = random.Random(3)
    picker = PromptPicker(content.prompts, rng)
    used: set[str] = set()
    limits = content.workout.breath_seconds
    for walk in range(60):
        # Start some walks at the pace limits, so "as slow as I go" is reachable too.
        breath = (limits.min, limits.default, limits.max)[walk % 3]
        state, now = replace(initial_state(content), breath_seconds=breath), 0.0
        # Some walks start with a step up due, so its offer and answers are reachable.
        state = replace(state, history=History(comfortable_run=3 * (walk % 2),
                                               steps_taken=walk % 4 // 2))
        for _ in range(120):
            kind = rng.choice(list(EventKind))
            now += rng.choice([1.0, 5.0, 400.0])
            event = Event.of(
                kind, now, FIRST_DAY + timedelta(days=int(now // DAY_SECONDS)),
                reps=rng.choice([None, "7", "99", "0", "?", "3"]),
                unresolved=rng.choice([None, None, "pace", "topic", "prop", "difficulty",
                                       "body_part"]),
                pace=rng.choice([None, "slower", "faster", "sideways"]),
                body_part=rng.choice([None, "neck", "back", "elbow"]),
                query=rng.choice([None, "what muscles does this work"]),
            )
            transition = advance(content, state, event)
            parts = [*transition.say, *transition.reprompt]
            picker.resolve(parts)
            used |= {p.key for p in parts if isinstance(p, Prompt)}
            state = transition.state
    # Each answer to each kind of step-up offer, which a random walk reaches too rarely.
    for steps, answer in itertools.product((0, 1), (EventKind.YES, EventKind.NO)):
        state = replace(initial_state(content),
                        history=History(comfortable_run=3, steps_taken=steps))
        for kind in (EventKind.WHAT_NOW, answer):
            transition = advance(content, state, Event.of(kind, 0.0, FIRST_DAY))
            picker.resolve(transition.say)
            used |= {p.key for p in transition.say if isinstance(p, Prompt)}
            state = transition.state
    unused = set(content.prompts.variants) - used - SPOKEN_BY_THE_ALEXA_LAYER
    assert not unused, f"prompts nobody says: {sorted(unused)}"


def broken(name: str, edit: Any) -> Any:
    data = read_yaml(name)
    edit(data)
    return data


@pytest.mark.parametrize(
    ("edit", "names"),
    [
        (lambda d: d.pop("steps"), "workout.yaml: needs a key 'steps'"),
        (lambda d: d["movement"].update(setup=["sit", "levitate"]), "movement.setup[1]"),
        (lambda d: d["reps"].update(default=40), "reps: needs 1 <= min"),
        (lambda d: d["steps"][0].update(say=""), "steps[0].say: must not be empty"),
        (lambda d: d["movement"]["phases"][0].update(breath="hold"), "phases[0].breath"),
    ],
)
def test_a_broken_workout_names_file_and_key(edit: Any, names: str) -> None:
    with pytest.raises(ContentError, match=names.replace("[", r"\[").replace("]", r"\]")):
        parse_workout(broken("workout.yaml", edit))


def test_a_prompt_with_an_unknown_field_is_refused() -> None:
    data = broken("prompts.yaml", lambda d: d["prompts"]["paused"].append("Wait {minutes}."))
    with pytest.raises(ContentError, match=r"prompts.paused\[2\]: unknown fields"):
        parse_prompts(data)


def test_content_loads_once() -> None:
    assert load() is load()
