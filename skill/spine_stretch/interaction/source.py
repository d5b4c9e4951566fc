"""The interaction model's one source, content/interaction.yaml, and the models built from it.

Samples in the source are templates (grammar.py); a model holds their expansions, each intent
within its budget, and is refused when a sample breaks Alexa's rules (rules.py).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content import ContentError, Reader, read_yaml
from . import rules

FILE = "interaction.yaml"


@dataclass(frozen=True)
class SlotType:
    name: str
    values: tuple[tuple[str, tuple[str, ...]], ...]  # (value, synonyms)


@dataclass(frozen=True)
class Intent:
    name: str
    slots: tuple[tuple[str, str], ...]  # (slot name, slot type)
    samples: tuple[str, ...]  # sample templates; a plain sample is a template without choices
    budget: int | None = None  # most samples its model keeps; None: the source's default


@dataclass(frozen=True)
class InteractionSource:
    invocation: str
    locales: tuple[str, ...]
    launch_phrases: tuple[str, ...]
    one_shot_phrases: tuple[str, ...]
    intents: tuple[Intent, ...]
    types: tuple[SlotType, ...]
    rules: tuple[tuple[str, str], ...] = ()  # named template pieces: (name, template)
    default_budget: int = 300

    def intent(self, name: str) -> Intent:
        for intent in self.intents:
            if intent.name == name:
                return intent
        raise KeyError(name)


def _samples(reader: Reader, slots: dict[str, str]) -> tuple[str, ...]:
    samples = reader.child("samples")
    if not isinstance(samples.data, list):
        raise samples.fail("must be a list of sample templates")
    out = []
    for index, sample in enumerate(samples.data):
        if not isinstance(sample, str) or not sample.strip():
            raise samples.child(index).fail("must be a non-empty string")
        for slot in {part.split("}")[0] for part in sample.split("{")[1:]}:
            if slot not in slots:
                raise samples.child(index).fail(f"uses slot {{{slot}}} the intent lacks")
        out.append(sample)
    return tuple(out)


def _budget(entry: Reader) -> int | None:
    raw = entry.data.get("budget") if isinstance(entry.data, dict) else None
    if raw is not None and (not isinstance(raw, int) or isinstance(raw, bool) or raw < 1):
        raise entry.child("budget").fail("must be a whole number of samples, 1 or more")
    return raw


def _rules(root: Reader) -> tuple[tuple[str, str], ...]:
    if not isinstance(root.data, dict) or "rules" not in root.data:
        return ()
    table = root.child("rules")
    raw = table.data
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise table.fail("must map rule names to templates")
    return tuple((str(k), v) for k, v in raw.items())


def parse_interaction(data: Any, file: str = FILE,
                      check_templates: bool = True) -> InteractionSource:
    """The model's source. With `check_templates`, every rule and sample template is parsed
    too (that needs hassil); without, only the intents, slots and types are read, which is
    all a running skill needs (CanFulfillIntentRequest on Lambda, where hassil is not)."""
    root = Reader(file, data)
    intents = []
    table = root.child("intents")
    if not isinstance(table.data, dict):
        raise table.fail("must map intent names to their slots and samples")
    for name in table.data:
        entry = table.child(str(name))
        slot_table = entry.data.get("slots", {}) if isinstance(entry.data, dict) else None
        if not isinstance(slot_table, dict):
            raise entry.fail("slots must map slot names to slot types")
        slots = {str(k): str(v) for k, v in slot_table.items()}
        intents.append(Intent(str(name), tuple(slots.items()), _samples(entry, slots),
                              _budget(entry)))
    types = []
    type_table = root.child("types")
    if not isinstance(type_table.data, dict):
        raise type_table.fail("must map slot type names to values")
    for name in type_table.data:
        values = []
        for item in type_table.child(str(name)).items("values"):
            synonyms = item.data.get("synonyms", []) if isinstance(item.data, dict) else None
            if not isinstance(synonyms, list):
                raise item.fail("synonyms must be a list")
            values.append((item.get("value", str), tuple(str(s) for s in synonyms)))
        types.append(SlotType(str(name), tuple(values)))
    known = {t.name for t in types}
    for intent in intents:
        for slot, slot_type in intent.slots:
            if not slot_type.startswith("AMAZON.") and slot_type not in known:
                raise table.child(intent.name).fail(f"slot {slot} has undefined type {slot_type}")
    kinds: dict[str, str] = {}
    for intent in intents:
        for slot, slot_type in intent.slots:
            # The matcher keeps one list per slot name, so a name means one type everywhere.
            if kinds.setdefault(slot, slot_type) != slot_type:
                raise table.child(intent.name).fail(
                    f"slot {slot} is {slot_type} here but {kinds[slot]} elsewhere")
    default_budget = root.data.get("default_budget", 300) if isinstance(root.data, dict) else 0
    if not isinstance(default_budget, int) or default_budget < 1:
        raise root.child("default_budget").fail("must be a whole number of samples, 1 or more")
    source = InteractionSource(
        invocation=root.get("invocation", str),
        locales=root.strings("locales"),
        launch_phrases=root.strings("launch_phrases"),
        one_shot_phrases=root.strings("one_shot_phrases"),
        intents=tuple(intents),
        types=tuple(types),
        rules=_rules(root),
        default_budget=default_budget,
    )
    if check_templates:
        _check_templates(source, root)
    return source


def _check_templates(source: InteractionSource, root: Reader) -> None:
    from .grammar import TemplateError, expand, parse_rules

    try:
        parsed = parse_rules(dict(source.rules))
    except TemplateError as exc:
        raise root.child("rules").fail(str(exc)) from None
    table = root.child("intents")
    for intent in source.intents:
        for number, template in enumerate(intent.samples):
            try:
                expand(template, parsed, 1)
            except TemplateError as exc:
                raise table.child(intent.name).child("samples").child(number).fail(
                    str(exc)) from None


@functools.cache
def load_interaction(check_templates: bool = True) -> InteractionSource:
    """The model source, with the slot types vocab.yaml shares with answer retrieval."""
    data = read_yaml(FILE)
    shared = read_yaml("vocab.yaml")
    if isinstance(data, dict) and isinstance(shared, dict):
        data = {**data, "types": {**(data.get("types") or {}),
                                  **(shared.get("slot_types") or {})}}
    return parse_interaction(data, check_templates=check_templates)


def model_samples(source: InteractionSource) -> dict[str, list[str]]:
    """Each intent's samples as the model holds them: its templates expanded within budget."""
    from .grammar import budgeted, parse_rules

    parsed = parse_rules(dict(source.rules))
    return {intent.name: budgeted(intent.samples, parsed, intent.budget or source.default_budget)
            for intent in source.intents}


def build_model(source: InteractionSource) -> dict[str, Any]:
    """The ASK interaction model JSON for one locale (all locales share the English source).
    Raises ContentError naming every sample that breaks Alexa's rules (see rules.py)."""
    samples = model_samples(source)
    problems = rules.check(source, samples)
    if problems:
        raise ContentError(f"{FILE}: the model breaks Alexa's rules:\n  " + "\n  ".join(problems))
    model = {
        "interactionModel": {
            "languageModel": {
                "invocationName": source.invocation,
                "intents": [
                    {
                        "name": intent.name,
                        "slots": [{"name": slot, "type": kind} for slot, kind in intent.slots],
                        "samples": samples[intent.name],
                    }
                    for intent in source.intents
                ],
                "types": [
                    {
                        "name": slot_type.name,
                        "values": [
                            {"name": {"value": value, "synonyms": list(synonyms)}}
                            for value, synonyms in slot_type.values
                        ],
                    }
                    for slot_type in source.types
                ],
            }
        }
    }
    too_big = rules.size_problems(model, samples)
    if too_big:
        raise ContentError(f"{FILE}: {'; '.join(too_big)}: lower the intents' budgets")
    return model


def model_path(root: Path, locale: str) -> Path:
    return root / "interaction_model" / "interactionModels" / "custom" / f"{locale}.json"


def model_text(source: InteractionSource) -> str:
    return json.dumps(build_model(source), indent=2, ensure_ascii=False) + "\n"


def write_models(root: Path, source: InteractionSource) -> list[Path]:
    written = []
    for locale in source.locales:
        path = model_path(root, locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(model_text(source), encoding="utf-8")
        written.append(path)
    return written


def drifted_models(root: Path, source: InteractionSource) -> list[str]:
    """Locales whose committed model differs from what the source generates."""
    expected = model_text(source)
    problems = []
    for locale in source.locales:
        path = model_path(root, locale)
        if not path.exists():
            problems.append(f"{locale}: {path} is missing")
        elif path.read_text(encoding="utf-8") != expected:
            problems.append(f"{locale}: {path} differs from content/{FILE}")
    return problems
