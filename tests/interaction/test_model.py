"""The interaction model: generated from one source, consistent with the handlers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from spine_stretch.alexa import reminders
from spine_stretch.alexa.names import IntentName, SlotName
from spine_stretch.alexa.routes import ROUTES
from spine_stretch.interaction.matcher import FALLBACK, Matcher
from spine_stretch.interaction.source import (
    build_model,
    drifted_models,
    load_interaction,
    model_path,
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
    for intent in source.intents:
        if not intent.name.startswith("AMAZON."):
            assert len(intent.samples) >= 8, intent.name
        for sample in intent.samples:
            assert sample == sample.strip() and not any(c in sample for c in ".,!?")
    start = source.intent(IntentName.START_STRETCH)
    assert dict(start.slots) == {SlotName.REPS: "AMAZON.NUMBER"}
    all_samples = [s.lower() for i in source.intents for s in i.samples]
    assert len(all_samples) == len(set(all_samples)), "one sample, two intents"


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
        ("start with banana reps", IntentName.START_STRETCH, {"reps": "?"}),
        ("start the stretch", IntentName.START_STRETCH, {"reps": None}),
        ("please go back", IntentName.PREVIOUS, {}),
        ("what's the capital of peru", FALLBACK, {}),
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
