"""The checks Amazon applies before certification, run on the package (and shown to catch
what each rule is for)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from spine_stretch.interaction import certification as cert
from spine_stretch.interaction import rules
from spine_stretch.interaction.manifest import manifest_path
from spine_stretch.interaction.source import load_interaction, model_path
from tests.paths import ROOT

SOURCE = load_interaction()
# What Amazon checks is the model as built: every expanded sample, not our templates.
_LANGUAGE = json.loads(model_path(ROOT, "en-US").read_text())["interactionModel"]["languageModel"]
SAMPLES = {intent["name"]: list(intent.get("samples", [])) for intent in _LANGUAGE["intents"]}
SLOTS = {intent["name"]: {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
         for intent in _LANGUAGE["intents"]}


def manifest() -> Any:
    return json.loads(manifest_path(ROOT).read_text())


def models() -> dict[str, Any]:
    return {locale: json.loads(model_path(ROOT, locale).read_text())
            for locale in SOURCE.locales}


def interfaces(data: Any) -> list[str]:
    return [i["type"] for i in data["manifest"]["apis"]["custom"]["interfaces"]]


def test_amazons_model_classes_read_the_manifest_and_every_model_back_unchanged() -> None:
    assert cert.check_round_trip(manifest(), "manifest") == []
    for locale, model in models().items():
        assert cert.check_round_trip(model, "model") == [], locale


def test_the_package_passes_every_published_rule() -> None:
    data = manifest()
    assert cert.check_invocation(SOURCE.invocation) == []
    assert rules.check_samples(SAMPLES, SLOTS, SOURCE.invocation) == []
    assert cert.check_required_intents(list(SAMPLES), interfaces(data)) == []
    assert cert.check_locales(models(), data) == []
    assert cert.check_store_fields(data) == []
    for locale, entry in data["manifest"]["publishingInformation"]["locales"].items():
        assert cert.check_example_phrases(entry["examplePhrases"], SOURCE.invocation,
                                          SAMPLES) == [], locale


def test_the_round_trip_catches_keys_and_types_amazon_does_not_have() -> None:
    data = manifest()
    data["manifest"]["publishingInformation"]["locales"]["en-US"]["iconUri"] = "x"
    data["manifest"]["privacyAndCompliance"]["containsAds"] = "no"
    data["manifest"]["apis"]["custom"]["interfaces"].append({"type": "TELEPATHY"})
    found = " ".join(cert.check_round_trip(data, "manifest"))
    assert "iconUri is not in Amazon's schema" in found
    assert "containsAds" in found
    assert "'TELEPATHY' is not a type" in found
    model = models()["en-GB"]
    model["interactionModel"]["languageModel"]["intents"][0]["sampels"] = ["start"]
    assert cert.check_round_trip(model, "model")


@pytest.mark.parametrize(("name", "why"), [
    ("Spine Stretch", "lower-case"), ("stretch", "two or more"), ("alexa stretch", "may not"),
    ("the stretch", "article"), ("stretch 2 go", "lower-case")])
def test_invocation_rules(name: str, why: str) -> None:
    assert why in " ".join(cert.check_invocation(name))


@pytest.mark.parametrize(("samples", "why"), [
    ({"A": ["do 8 reps"]}, "spell numbers out"),
    ({"A": ["why?"]}, "may hold only letters"),
    ({"A": ["start with {sets} sets"]}, "does not define"),
    ({"QuestionIntent": ["{query}"]}, "without a carrier phrase"),
    ({"QuestionIntent": ["ask {query} with {count}"]}, "beside another slot"),
    ({"A": ["do {count} and {count}"]}, "a slot twice"),
    ({"A": ["tell me"], "B": ["Tell  me"]}, "also a sample of A"),
    ({"A": ["go {n}"], "B": ["go {count}"]}, "also a sample of A"),
    ({"A": ["alexa next"]}, "wake word"),
    ({"A": ["open spine stretch"]}, "launch phrase"),
])
def test_sample_rules(samples: dict[str, list[str]], why: str) -> None:
    slots = {"QuestionIntent": {"query": "AMAZON.SearchQuery", "count": "AMAZON.NUMBER"},
             "A": {"count": "AMAZON.NUMBER"}, "B": {"count": "AMAZON.NUMBER"}}
    slots["A"]["n"] = "AMAZON.NUMBER"
    assert why in " ".join(rules.check_samples(samples, slots, "spine stretch"))


@pytest.mark.parametrize(("phrases", "why"), [
    ([], "one to 3"),
    (["Alexa, open spine stretch"] * 4, "one to 3"),
    (["Alexa, ask spine stretch to start with eight reps"], "the first opens the skill"),
    (["Alexa, open spine stretch", "Alexa, ask spine stretch to juggle"], "around one of"),
    (["Alexa, open spine stretch", "Alexa, ask spine stretch to start with 8 reps"],
     "around one of"),
])
def test_example_phrase_rules(phrases: list[str], why: str) -> None:
    assert why in " ".join(cert.check_example_phrases(phrases, "spine stretch", SAMPLES))


def test_example_phrases_match_samples_with_slots_and_connecting_words() -> None:
    assert cert.check_example_phrases(
        ["Alexa, launch spine stretch", "Alexa, ask spine stretch to start with twelve reps",
         "Alexa, tell spine stretch I'm ready to stretch"], "spine stretch", SAMPLES) == []


def test_required_built_ins_and_the_audio_players() -> None:
    without = [name for name in SAMPLES if name not in ("AMAZON.NavigateHomeIntent",
                                                        "AMAZON.ResumeIntent")]
    found = cert.check_required_intents(without, ["AUDIO_PLAYER"])
    assert len(found) == 2 and "NavigateHomeIntent" in found[0] and "AUDIO_PLAYER" in found[1]
    assert len(cert.check_required_intents(without, [])) == 1


def test_locales_must_all_be_listed_and_alike() -> None:
    data = manifest()
    del data["manifest"]["privacyAndCompliance"]["locales"]["en-IN"]
    del data["manifest"]["publishingInformation"]["locales"]["en-AU"]
    lagging = models()
    lagging["en-CA"]["interactionModel"]["languageModel"]["intents"].pop()
    found = cert.check_locales(lagging, data)
    assert any("en-AU: a model but no publishingInformation" in p for p in found)
    assert any("en-IN: a model but no privacyAndCompliance" in p for p in found)
    assert any("locales differ" in p for p in found)


def test_store_field_limits() -> None:
    data = copy.deepcopy(manifest())
    entry = data["manifest"]["publishingInformation"]["locales"]["en-GB"]
    entry["name"] = "x" * 51
    entry["summary"] = ""
    entry["keywords"] = []
    entry["smallIconUri"] = "http://example.org/icon.png"
    data["manifest"]["privacyAndCompliance"]["locales"]["en-US"]["termsOfUseUrl"] = "ftp://x"
    found = " ".join(cert.check_store_fields(data))
    for part in ("en-GB name", "en-GB summary", "en-GB keywords", "en-GB smallIconUri",
                 "en-US termsOfUseUrl"):
        assert part in found, part
