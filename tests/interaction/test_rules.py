"""Alexa's sample rules (interaction/rules.py): each is enforced, and the build refuses a model
that breaks one (`spine-stretch model` exits 1 naming the sample)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from spine_stretch import cli
from spine_stretch.interaction import rules, source
from spine_stretch.interaction.source import Intent, InteractionSource, load_interaction
from tests.paths import ROOT

SLOTS = {"pace": "PACE", "count": "AMAZON.NUMBER", "query": "AMAZON.SearchQuery"}


@pytest.mark.parametrize(("sample", "complaint"), [
    ("do 8 reps", "digits"),
    ("go slower!", "only letters"),
    ("go  slower", "only letters"),
    ("go {speed}", "does not define"),
    ("{pace}", "only slots and filler"),
    ("{pace} please", "only slots and filler"),
    ("um {count} okay", "only slots and filler"),
    ("{query}", "carrier phrase"),
    ("alexa next", "wake word"),
    ("ask spine stretch to go {pace}", "launch phrase"),
    ("open the exercise", "launch phrase"),
])
def test_a_sample_breaking_a_rule_is_named(sample: str, complaint: str) -> None:
    problems = rules.sample_problems(sample, SLOTS, "spine stretch")
    assert any(complaint in problem for problem in problems), problems


@pytest.mark.parametrize("sample", ["go {pace}", "I'm ready", "start at eight a. m.",
                                    "tell me {query}", "do {count} reps",
                                    "start spine stretch"])
def test_a_good_sample_passes(sample: str) -> None:
    assert rules.sample_problems(sample, SLOTS, "spine stretch") == []


def _with_sample(base: InteractionSource, name: str, template: str) -> InteractionSource:
    def add(intent: Intent) -> Intent:
        return replace(intent, samples=(*intent.samples, template)) \
            if intent.name == name else intent
    return replace(base, intents=tuple(add(intent) for intent in base.intents))


def test_a_sample_two_intents_share_is_refused() -> None:
    broken = _with_sample(load_interaction(), "AMAZON.PauseIntent", "[please] next")
    problems = rules.check(broken, source.model_samples(broken))
    assert "AMAZON.PauseIntent: 'next' is also a sample of AMAZON.NextIntent" in problems


def test_spine_stretch_model_fails_on_a_broken_rule(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    broken = _with_sample(load_interaction(), "PaceIntent", "[um] {pace} please")
    monkeypatch.setattr(source, "load_interaction", lambda: broken)
    assert cli.main(["model", "--root", str(ROOT)]) == 1
    assert "PaceIntent: '{pace} please' is only slots and filler" in capsys.readouterr().err


def test_every_locale_model_is_within_the_size_ceiling() -> None:
    built = source.build_model(load_interaction())
    assert rules.model_size(built) <= rules.MAX_MODEL_BYTES
    language = built["interactionModel"]["languageModel"]
    characters = sum(len(s) for intent in language["intents"] for s in intent["samples"])
    assert characters <= rules.MAX_SAMPLE_CHARACTERS
