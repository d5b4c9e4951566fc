"""The interaction model: generated from one source, consistent with the handlers."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from spine_stretch.alexa import reminders
from spine_stretch.alexa.names import IntentName, SlotName
from spine_stretch.alexa.routes import ROUTES
from spine_stretch.interaction import rules
from spine_stretch.interaction.matcher import FALLBACK, Matcher
from spine_stretch.interaction.source import (
    build_model,
    drifted_models,
    load_interaction,
    model_path,
    model_samples,
    parse_interaction,
)
from tests.paths import ROOT


def committed(locale: str) -> Any:
    return json.loads(model_path(ROOT, locale).read_text())


def test_committed_models_match_their_source() -> None:
    assert drifted_models(ROOT, load_interaction()) == []


def test_drift_is_detected(tmp_path: Path) -> None:
    source = load_interaction()
    path = model_path(tmp_path, "en-US")
    path.parent.mkdir(parents=True)
    path.write_text("{}")
    assert any("en-US" in problem for problem in drifted_models(tmp_path, source))


def test_every_model_intent_has_a_handler_and_every_handler_intent_is_modelled() -> None:
    for locale in load_interaction().locales:
        model = build_model(load_interaction())["interactionModel"]["languageModel"]
        modelled = {intent["name"] for intent in model["intents"]}
        routed = {route.intent for route in ROUTES if route.intent is not None}
        routed |= reminders.INTENTS  # answered by the Reminders API handlers
        assert modelled == routed == set(IntentName), locale
        assert committed(locale) == build_model(load_interaction())


def test_every_locale_shares_the_same_intents_and_slots() -> None:
    shapes = {
        locale: json.dumps([(i["name"], i["slots"]) for i in
                            committed(locale)["interactionModel"]["languageModel"]["intents"]])
        for locale in load_interaction().locales
    }
    assert set(load_interaction().locales) >= {"en-US", "en-GB", "en-CA", "en-AU", "en-IN"}
    assert len(set(shapes.values())) == 1


def test_invocation_and_samples() -> None:
    source = load_interaction()
    assert source.invocation == "spine stretch"
    samples = model_samples(source)
    for intent in source.intents:
        # Every custom intent, and every built-in given samples of our own, has 40 or more.
        if not intent.name.startswith("AMAZON.") or intent.samples:
            assert len(set(samples[intent.name])) >= 40, intent.name
        assert len(samples[intent.name]) <= (intent.budget or source.default_budget)
    start = source.intent(IntentName.START_STRETCH)
    assert dict(start.slots) == {SlotName.REPS: "AMAZON.NUMBER"}
    assert rules.check(source, samples) == []


def test_numbers_politeness_and_filler_are_in_the_model() -> None:
    samples = {s for found in model_samples(load_interaction()).values() for s in found}
    for said in ("next please", "um next", "can you repeat that", "could we pause",
                 "okay stop", "help me please", "go back please", "start spine stretch"):
        assert said in samples, said


def test_a_plain_sample_is_a_template_without_choices() -> None:
    """The old format (one phrasing per line) still builds: what other branches add merges."""
    source = load_interaction()
    tip = source.intent(IntentName.TIP)
    plain = replace(tip, samples=(*tip.samples, "what would a teacher tell me"))
    merged = replace(source, intents=tuple(plain if i is tip else i for i in source.intents))
    # Each template's plainest phrasing comes first, in the order the templates are listed.
    assert model_samples(merged)["TipIntent"][len(plain.samples) - 1] \
        == "what would a teacher tell me"


def test_a_sample_naming_a_slot_the_intent_lacks_is_refused() -> None:
    from spine_stretch.content import ContentError, read_yaml

    data = read_yaml("interaction.yaml")
    data["intents"]["AMAZON.NextIntent"]["samples"].append("skip {count}")
    with pytest.raises(ContentError, match=r"AMAZON.NextIntent.samples\[\d+\]"):
        parse_interaction(data)


@pytest.mark.parametrize(
    ("said", "intent", "slots"),
    [
        ("next", IntentName.NEXT, {}),
        ("Hold on!", IntentName.PAUSE, {}),
        ("I'm back", IntentName.RESUME, {}),
        ("start with eight reps", IntentName.START_STRETCH, {"reps": "8"}),
        ("start with 12 reps", IntentName.START_STRETCH, {"reps": "12"}),
        # Like Alexa's entity resolution, a slot takes only values its type knows.
        ("start with banana reps", FALLBACK, {}),
        ("start the stretch", IntentName.START_STRETCH, {"reps": None}),
        ("please go back", IntentName.PREVIOUS, {}),
        ("what's the capital of peru", FALLBACK, {}),
        # The phrasings (#13), and the catch-alls it found.
        ("let's move on", IntentName.NEXT, {}),
        ("could we slow it down", IntentName.SLOWER, {}),
        ("slower please", IntentName.SLOWER, {}),
        ("too fast", IntentName.SLOWER, {}),
        ("speed it up please", IntentName.FASTER, {}),
        ("I'd like to finish now", IntentName.STOP, {}),
        ("what's this exercise good for", IntentName.WHY, {"topic": None}),
        ("give me eight", IntentName.SET_REPS, {"count": "8"}),
        ("um next", IntentName.NEXT, {}),
        ("stop please", IntentName.STOP, {}),
        ("next please", IntentName.NEXT, {}),
        ("repeat please", IntentName.REPEAT, {}),
        ("wait please", IntentName.PAUSE, {}),
        ("could you say that again please", IntentName.REPEAT, {}),
        ("how do I modify this", IntentName.MODIFY,
         {"prop": None, "difficulty": None, "bodyPart": None}),
    ],
)
def test_matcher_resolves_like_the_model(said: str, intent: str,
                                         slots: dict[str, str | None]) -> None:
    resolution, opened = Matcher(load_interaction()).resolve(said)
    assert (resolution.intent, resolution.slots, opened) == (intent, slots, False)


@pytest.mark.parametrize("said", ["Alexa, start spine stretch", "open spine stretch"])
def test_matcher_launches(said: str) -> None:
    resolution, opened = Matcher(load_interaction()).resolve(said)
    assert resolution.launch and opened


def test_one_shot_cool_down() -> None:
    resolution, opened = Matcher(load_interaction()).resolve(
        "Alexa, ask spine stretch for a cool down")
    assert opened and resolution.intent == "CoolDownIntent"


def test_matcher_one_shot() -> None:
    resolution, opened = Matcher(load_interaction()).resolve(
        "Alexa, ask spine stretch to start with six reps")
    assert opened and resolution.intent == IntentName.START_STRETCH
    assert resolution.slots == {"reps": "6"}


def test_the_manifest_declares_the_interfaces_the_skill_uses() -> None:
    """Alexa sends AudioPlayer and APL requests, and accepts their directives, only for
    skills whose manifest declares those interfaces."""
    manifest = json.loads((ROOT / "interaction_model" / "skill.json").read_text())
    interfaces = {i["type"]: i for i in manifest["manifest"]["apis"]["custom"]["interfaces"]}
    assert {"AUDIO_PLAYER", "ALEXA_PRESENTATION_APL"} <= set(interfaces)
    assert interfaces["ALEXA_PRESENTATION_APL"]["supportedViewports"]
    modelled = {i.name for i in load_interaction().intents}
    # AudioPlayer skills must handle these built-ins.
    assert {"AMAZON.PauseIntent", "AMAZON.ResumeIntent", "AMAZON.LoopOnIntent",
            "AMAZON.ShuffleOnIntent", "AMAZON.StartOverIntent"} <= modelled


@pytest.mark.parametrize(("said", "intent"), [
    ("start spine stretch", IntentName.START_STRETCH),
    ("start over", IntentName.START_OVER),
    ("let's begin", IntentName.START_STRETCH),
])
def test_inside_a_session_starting_phrases_are_intents(said: str, intent: str) -> None:
    resolution, opened = Matcher(load_interaction()).resolve(said, in_session=True)
    assert (resolution.intent, opened) == (intent, False)


def test_the_wake_word_reopens_the_skill_even_inside_a_session() -> None:
    resolution, opened = Matcher(load_interaction()).resolve("Alexa, open spine stretch",
                                                             in_session=True)
    assert resolution.launch and opened


ONE_SHOTS = [
    ("Alexa, ask spine stretch how do I make this easier", IntentName.MODIFY),
    ("Alexa, tell spine stretch I'm done", IntentName.STOP),
    ("ask spine stretch why do we do this", IntentName.WHY),
    ("ask spine stretch I have a question is this safe every day", IntentName.QUESTION),
    ("tell spine stretch to give me a tip", IntentName.TIP),
    ("tell spine stretch my neck hurts", IntentName.PAIN),
    ("tell spine stretch to do six reps", IntentName.SET_REPS),
    ("ask spine stretch to go slower", IntentName.PACE),
    ("ask spine stretch for a cool down", IntentName.COOL_DOWN),
    ("ask spine stretch to start", IntentName.START_STRETCH),
    ("tell spine stretch to forget me", IntentName.DELETE_DATA),
    ("ask spine stretch how am I doing", IntentName.PROGRESS),
    ("ask spine stretch to remind me to stretch every day at seven", IntentName.REMINDER),
    ("ask spine stretch what reminders do I have", IntentName.LIST_REMINDERS),
    ("tell spine stretch to stop reminding me", IntentName.DELETE_REMINDERS),
    ("tell spine stretch to slow down", IntentName.SLOWER),
    ("tell spine stretch to speed up", IntentName.FASTER),
]


@pytest.mark.parametrize(("said", "intent"), ONE_SHOTS)
def test_every_custom_intent_has_a_one_shot_form(said: str, intent: str) -> None:
    resolution, opened = Matcher(load_interaction()).resolve(said)
    assert (resolution.intent, opened) == (intent, True)


def test_one_shot_forms_cover_every_custom_intent() -> None:
    custom = {i.name for i in load_interaction().intents if not i.name.startswith("AMAZON.")}
    assert custom <= {intent for _, intent in ONE_SHOTS}


def test_the_word_prefilter_answers_as_the_whole_grammar_would() -> None:
    """The matcher tries only intents that know every word said; hassil over the whole
    grammar at once must reach the same intent for every held-out phrasing."""
    from hassil import recognize_best

    from spine_stretch.cli.utterances_eval import load_cases
    from spine_stretch.interaction.matcher import build_intents, normalise

    source = load_interaction()
    matcher, whole = Matcher(source), build_intents(source)
    for case in load_cases(ROOT / "tests" / "data" / "utterances.yaml"):
        said = normalise(case.say)
        found = recognize_best(said, whole, language="en")
        assert matcher.intent_for(said).intent == (found.intent.name if found else FALLBACK), said
