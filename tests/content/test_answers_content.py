"""corpus.yaml and vocab.yaml: what ships, and how a broken file is reported."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from spine_stretch.content import (
    ContentError,
    load_corpus,
    parse_corpus,
    parse_vocab,
    read_yaml,
)
from spine_stretch.core.corpus import Kind, SlotType, Source

SEED_TIPS = ["tip_alignment", "tip_core", "tip_breath", "tip_gradual", "tip_smooth",
             "tip_listen", "tip_routine", "tip_consult", "tip_warmup", "tip_strength"]
SEED_BENEFITS = ["benefit_tension", "benefit_posture", "benefit_core", "benefit_mobility",
                 "benefit_warmup"]


def test_the_seed_is_all_there() -> None:
    entries = {entry.id: entry for entry in load_corpus().entries}
    for entry_id in ["about", *SEED_BENEFITS, *SEED_TIPS]:
        assert entries[entry_id].source is Source.SEED
    assert [entries[t].kind for t in SEED_TIPS] == [Kind.TIP] * 10


@pytest.mark.parametrize(("slot", "value"), [
    (SlotType.PROP, "ring"), (SlotType.PROP, "band"), (SlotType.PROP, "towel"),
    (SlotType.PROP, "cushion"), (SlotType.PROP, "wall"), (SlotType.PROP, "chair"),
    (SlotType.DIFFICULTY, "easier"), (SlotType.DIFFICULTY, "harder"),
    (SlotType.BODY_PART, "neck"), (SlotType.BODY_PART, "hamstrings"),
    (SlotType.BODY_PART, "lower back"), (SlotType.BODY_PART, "knees"),
])
def test_every_slot_value_the_brief_names_has_an_entry(slot: SlotType, value: str) -> None:
    corpus = load_corpus()
    assert value in {term.value for term in corpus.vocab.values(slot)}
    assert any(value in entry.tags(slot) for entry in corpus.entries)


def corpus_data() -> Any:
    return copy.deepcopy(read_yaml("corpus.yaml"))


def vocab_data() -> Any:
    return copy.deepcopy(read_yaml("vocab.yaml"))


def set_entry(index: int, key: str, value: Any) -> Callable[[Any], None]:
    def change(data: Any) -> None:
        data["entries"][index][key] = value
    return change


CORPUS_BREAKS: list[tuple[Callable[[Any], None], str]] = [
    (set_entry(1, "id", "about"), r"entries\[1\]\.id: duplicate id 'about'"),
    (set_entry(0, "source", "invented"), r"entries\[0\]\.source: must be one of seed, added"),
    (set_entry(0, "kind", "trivia"), r"entries\[0\]\.kind: must be one of"),
    (set_entry(0, "props", ["kettlebell"]), r"entries\[0\]\.props: 'kettlebell' is not a PROP"),
    (set_entry(0, "difficulty", "medium"), r"entries\[0\]\.difficulty: 'medium'"),
    (set_entry(0, "phases", ["plank"]), r"entries\[0\]\.phases: must be one of setup"),
    (set_entry(0, "prop", ["ring"]), r"entries\[0\]: unknown keys \['prop'\]"),
    (set_entry(0, "answer", "One. Two. Three. Four."), r"entries\[0\]\.answer: must be 1 to 3"),
    (set_entry(0, "answer", " "), r"entries\[0\]\.answer: must not be empty"),
    (set_entry(0, "keywords", ["why"]), r"entries\[0\]\.keywords\[0\]: 'why' is only cue"),
    (lambda d: d["entries"][0].pop("rationale"), r"entries\[0\]: needs a key 'rationale'"),
    (lambda d: d["answers"].update(not_sure=["Not sure, try {first}."]),
     r"answers\.not_sure\[0\]: needs \{first\} and \{second\}"),
    (lambda d: d["answers"].update(offers=[{"entry": "about", "say": "why"}]),
     r"answers\.offers: needs at least two"),
    (lambda d: d["answers"]["offers"].append({"entry": "gone", "say": "nothing"}),
     r"answers\.offers\[\d+\]: names no entry 'gone'"),
    (lambda d: d["answers"]["offers"].append({"entry": "about"}),
     r"answers\.offers\[\d+\]: needs a key 'say'"),
    (lambda d: d["answers"].update(see_a_professional="about"),
     r"answers\.see_a_professional: must name a safety entry, got 'about'"),
    (lambda d: d["answers"].pop("see_a_professional"),
     r"answers: needs a key 'see_a_professional'"),
    (set_entry(0, "conditions", ["hiccups"]),
     r"entries\[0\]\.conditions: 'hiccups' is not a condition"),
    (lambda d: d.update(entries=[]), r"entries: must not be empty"),
]


@pytest.mark.parametrize(("change", "message"), CORPUS_BREAKS)
def test_a_broken_corpus_names_file_and_key(
        change: Callable[[Any], None], message: str) -> None:
    data = corpus_data()
    change(data)
    with pytest.raises(ContentError, match=rf"^corpus\.yaml: {message}"):
        parse_corpus(data, parse_vocab(vocab_data()))


VOCAB_BREAKS: list[tuple[Callable[[Any], None], str]] = [
    (lambda d: d["slot_types"].pop("PROP"), r"slot_types: needs a key 'PROP'"),
    (lambda d: d["slot_types"].update(COLOUR={"values": []}), r"slot_types: unknown keys"),
    (lambda d: d["cues"].update(gossip=["rumour"]), r"cues: unknown keys \['gossip'\]"),
    (lambda d: d["stopwords"].append(False), r"stopwords\[\d+\]: must be a non-empty string"),
    (lambda d: d["stopwords"].append("two words"), r"stopwords\[\d+\]: must be one word"),
    (lambda d: d["synonyms"].append({"value": "ring", "synonyms": ["band"]}),
     r"'band' means both band and ring"),
    (lambda d: d["cues"]["why"].append("neck"), r"'neck' means both neck and the cue why"),
    (lambda d: d["conditions"].append({"value": "bad knees"}),
     r"condition 'bad knees' must be one word"),
    (lambda d: d["conditions"].append({"value": "hip", "synonyms": ["hips"]}),
     r"'hip' means both"),
    (lambda d: d.pop("conditions"), r"needs a key 'conditions'"),
]


@pytest.mark.parametrize(("change", "message"), VOCAB_BREAKS)
def test_a_broken_vocab_names_file_and_key(change: Callable[[Any], None], message: str) -> None:
    data = vocab_data()
    change(data)
    with pytest.raises(ContentError, match=rf"^vocab\.yaml: {message}"):
        parse_vocab(data)


def test_every_condition_answer_points_to_a_professional() -> None:
    corpus = load_corpus()
    entries = {entry.id: entry for entry in corpus.entries}
    advice = [entries[corpus.see_a_professional],
              *(entry for entry in corpus.entries if entry.conditions)]
    assert len(advice) >= 5
    for entry in advice:
        assert entry.kind is Kind.SAFETY or entry.id == "tip_consult"
        assert "doctor" in entry.answer, entry.id


def test_the_issue_conditions_are_in_the_vocab() -> None:
    said = {word for term in load_corpus().vocab.conditions
            for word in (term.value, *term.synonyms)}
    for condition in ["pregnant", "surgery", "injury", "osteoporosis", "slipped disc",
                      "arthritis", "sciatica", "still hurts", "won't go away"]:
        assert condition in said


def test_the_seed_adds_when_and_a_chair_is_offered() -> None:
    entries = {entry.id: entry for entry in load_corpus().entries}
    assert entries["about_when"].source is Source.SEED
    assert "chair" in entries["mod_chair"].props
    assert "chair" in entries["mod_options"].answer
    assert "chair" in entries["mod_setup_options"].answer
    assert {"chair"} <= {offer.say.split()[-1] for offer in load_corpus().offers}


def test_load_corpus_is_parsed_once() -> None:
    assert load_corpus() is load_corpus()
