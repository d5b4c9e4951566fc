"""Loads and validates the content YAML shipped in the package, once per process."""

from __future__ import annotations

import functools
import re
from enum import StrEnum
from importlib import resources
from typing import Any, TypeVar

import yaml

from ..core.corpus import Corpus, Entry, Hint, Kind, Moment, SlotType, Source, Term, Vocab
from ..core.prompts import prompt_fields
from ..core.text import build_normalizer, tokenize
from ..core.workout import (
    Breath,
    Content,
    Phase,
    Progression,
    Prompts,
    Prop,
    Range,
    Step,
    StepKind,
    Workout,
)

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)


# libyaml's safe loader parses the content about seven times faster than the pure-Python
# one (it is most of a Lambda's first-request set-up); same safe subset of YAML.
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ContentError(ValueError):
    """A content file is missing, malformed, or inconsistent; the message names file and key."""


def read_yaml(name: str) -> Any:
    try:
        text = resources.files("spine_stretch").joinpath("content", name).read_text("utf-8")
        return yaml.load(text, Loader=_SAFE_LOADER)
    except FileNotFoundError:
        raise ContentError(f"{name}: file is missing from the package") from None
    except yaml.YAMLError as exc:
        raise ContentError(f"{name}: not valid YAML: {exc}") from None


class Reader:
    """Typed access to one YAML file's data, naming file and key in every error."""

    def __init__(self, file: str, data: Any, path: str = "") -> None:
        self.file, self.data, self.path = file, data, path

    def fail(self, message: str) -> ContentError:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return ContentError(f"{where}: {message}")

    def child(self, key: str | int) -> Reader:
        if isinstance(key, int):
            if not isinstance(self.data, list) or key >= len(self.data):
                raise self.fail(f"needs an item {key}")
            path = f"{self.path}[{key}]"
        else:
            if not isinstance(self.data, dict) or key not in self.data:
                raise self.fail(f"needs a key {key!r}")
            path = f"{self.path}.{key}" if self.path else key
        container: Any = self.data
        return Reader(self.file, container[key], path)

    def get(self, key: str, kind: type[T]) -> T:
        value = self.child(key).data
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            raise self.child(key).fail(f"must be {kind.__name__}, got {value!r}")
        if isinstance(value, str) and not value.strip():
            raise self.child(key).fail("must not be empty")
        return value

    def items(self, key: str) -> list[Reader]:
        seq = self.get(key, list)
        if not seq:
            raise self.child(key).fail("must not be empty")
        return [self.child(key).child(i) for i in range(len(seq))]

    def strings(self, key: str) -> tuple[str, ...]:
        out = []
        for item in self.items(key):
            if not isinstance(item.data, str) or not item.data.strip():
                raise item.fail(f"must be a non-empty string, got {item.data!r}")
            out.append(item.data)
        return tuple(out)


def _range(reader: Reader) -> Range:
    value = Range(reader.get("default", int), reader.get("min", int), reader.get("max", int))
    if not value.min <= value.default <= value.max or value.min < 1:
        raise reader.fail("needs 1 <= min <= default <= max")
    return value


def parse_workout(data: Any, file: str = "workout.yaml") -> Workout:
    root = Reader(file, data)
    steps = {}
    for item in root.items("steps"):
        step = Step(item.get("id", str), item.get("say", str), item.get("seed", str))
        if step.id in steps:
            raise item.fail(f"duplicate step id {step.id!r}")
        steps[step.id] = step

    def step_ref(reader: Reader, key: str) -> Step:
        ref = reader.get(key, str)
        if ref not in steps:
            raise reader.child(key).fail(f"names no step: {ref!r}")
        return steps[ref]

    movement = root.child("movement")
    setup = []
    for item in movement.items("setup"):
        if item.data not in steps:
            raise item.fail(f"names no step: {item.data!r}")
        setup.append(steps[item.data])
    phases = []
    for item in movement.items("phases"):
        try:
            breath = Breath(item.get("breath", str))
        except ValueError:
            raise item.child("breath").fail("must be exhale or inhale") from None
        phases.append(Phase(breath, step_ref(item, "step"), item.strings("cues")))
    breath_range = _range(root.child("breath_seconds"))
    block_seconds = root.get("block_seconds_max", int)
    if block_seconds < 30:
        raise root.child("block_seconds_max").fail("must be at least 30 seconds")
    return Workout(
        progression=_progression(root.child("progression")),
        id=root.get("id", str),
        title=root.get("title", str),
        description=root.get("description", str),
        benefits=root.strings("benefits"),
        props=tuple(Prop(p.get("name", str), p.get("note", str)) for p in root.items("props")),
        steps=tuple(steps.values()),
        setup=tuple(setup),
        phases=tuple(phases),
        repeat_step=step_ref(movement, "repeat_step"),
        reps=_range(root.child("reps")),
        breath_seconds=breath_range,
        block_seconds_max=block_seconds,
    )


def _progression(reader: Reader) -> Progression:
    sessions = reader.get("comfortable_sessions", int)
    wait = reader.get("wait_after_no", int)
    if sessions < 1 or not 1 <= wait <= sessions:
        raise reader.fail("needs comfortable_sessions >= 1 and 1 <= wait_after_no <= it")
    steps = tuple(_choice(item, str(item.data), StepKind) for item in reader.items("steps"))
    return Progression(sessions, wait, steps)


# Fields the engine fills in; a prompt naming any other field could never be spoken.
PROMPT_FIELDS = frozenset({"rep", "reps", "remaining", "seconds", "sessions", "days", "total",
                           "time", "count"})


def parse_prompts(data: Any, file: str = "prompts.yaml") -> Prompts:
    root = Reader(file, data)
    count_words = root.strings("count_words")
    table = root.child("prompts")
    if not isinstance(table.data, dict) or not table.data:
        raise table.fail("must map prompt keys to lists of variants")
    variants = {}
    for key in table.data:
        texts = table.strings(str(key))
        for index, text in enumerate(texts):
            try:
                unknown = prompt_fields(text) - PROMPT_FIELDS
            except ValueError as exc:
                raise table.child(str(key)).child(index).fail(f"bad braces: {exc}") from None
            if unknown:
                raise table.child(str(key)).child(index).fail(f"unknown fields {sorted(unknown)}")
        variants[str(key)] = texts
    return Prompts(variants=variants, count_words=count_words)


@functools.cache
def load() -> Content:
    """The packaged content, parsed and validated once per process."""
    workout = parse_workout(read_yaml("workout.yaml"))
    prompts = parse_prompts(read_yaml("prompts.yaml"))
    if len(prompts.count_words) <= max(workout.reps.max, workout.breath_seconds.max):
        raise ContentError("prompts.yaml: count_words must spell every rep and breath count")
    return Content(workout=workout, prompts=prompts, corpus=load_corpus())


# ---- the answer corpus (corpus.yaml) and the words it is found by (vocab.yaml) -------------

ENTRY_KEYS = frozenset({"id", "source", "rationale", "kind", "answer", "keywords", "props",
                        "difficulty", "body_parts", "phases"})
# An answer is heard, not read: more than three sentences and the listener loses the thread.
MAX_SENTENCES = 3
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


def _optional(reader: Reader, key: str) -> tuple[str, ...]:
    return reader.strings(key) if isinstance(reader.data, dict) and key in reader.data else ()


def _choice(reader: Reader, value: str, kind: type[E]) -> E:
    try:
        return kind(value)
    except ValueError:
        raise reader.fail(f"must be one of {', '.join(kind)}, got {value!r}") from None


def _terms(reader: Reader, key: str) -> tuple[Term, ...]:
    return tuple(Term(item.get("value", str), _optional(item, "synonyms"))
                 for item in reader.items(key))


def _mapping(reader: Reader, allowed: type[StrEnum]) -> dict[str, Any]:
    if not isinstance(reader.data, dict):
        raise reader.fail(f"must be a mapping with keys from {', '.join(allowed)}")
    unknown = sorted(map(str, reader.data.keys() - set(map(str, allowed))))
    if unknown:
        raise reader.fail(f"unknown keys {unknown}; allowed: {', '.join(allowed)}")
    return reader.data


def parse_vocab(data: Any, file: str = "vocab.yaml") -> Vocab:
    root = Reader(file, data)
    types = root.child("slot_types")
    _mapping(types, SlotType)
    cues = root.child("cues")
    stopwords = root.strings("stopwords")
    for index, word in enumerate(stopwords):
        if len(tokenize(word)) != 1:
            raise root.child("stopwords").child(index).fail(f"must be one word, got {word!r}")
    vocab = Vocab(
        slot_types=tuple((slot, _terms(types.child(str(slot)), "values")) for slot in SlotType),
        synonyms=_terms(root, "synonyms"),
        cues=tuple((Hint(str(key)), cues.strings(str(key))) for key in _mapping(cues, Hint)),
        stopwords=frozenset(stopwords),
    )
    try:
        build_normalizer(vocab)
    except ValueError as exc:
        raise root.fail(str(exc)) from None
    return vocab


def _entry(item: Reader, vocab: Vocab) -> Entry:
    keys = item.data.keys() if isinstance(item.data, dict) else ENTRY_KEYS
    if keys - ENTRY_KEYS:
        raise item.fail(f"unknown keys {sorted(map(str, keys - ENTRY_KEYS))}")

    def tags(key: str, slot: SlotType) -> tuple[str, ...]:
        said = (item.get(key, str),) if slot is SlotType.DIFFICULTY and key in keys else ()
        values = said or _optional(item, key)
        for value in values:
            if value not in {term.value for term in vocab.values(slot)}:
                raise item.child(key).fail(f"{value!r} is not a {slot} value in vocab.yaml")
        return values

    answer = item.get("answer", str)
    if not 1 <= len(_SENTENCE_END.findall(answer)) <= MAX_SENTENCES:
        raise item.child("answer").fail(f"must be 1 to {MAX_SENTENCES} full sentences")
    return Entry(
        id=item.get("id", str),
        source=_choice(item.child("source"), item.get("source", str), Source),
        rationale=item.get("rationale", str),
        kind=_choice(item.child("kind"), item.get("kind", str), Kind),
        answer=answer,
        keywords=_optional(item, "keywords"),
        props=tags("props", SlotType.PROP),
        difficulty=next(iter(tags("difficulty", SlotType.DIFFICULTY)), None),
        body_parts=tags("body_parts", SlotType.BODY_PART),
        phases=tuple(_choice(item.child("phases"), p, Moment) for p in _optional(item, "phases")),
    )


def parse_corpus(data: Any, vocab: Vocab, file: str = "corpus.yaml") -> Corpus:
    """Validates entries against `vocab`: unique ids, known slot values, keywords that match."""
    root = Reader(file, data)
    answers = root.child("answers")
    not_sure = answers.strings("not_sure")
    for index, text in enumerate(not_sure):
        try:
            fields = prompt_fields(text)
        except ValueError as exc:
            raise answers.child("not_sure").child(index).fail(f"bad braces: {exc}") from None
        if fields != {"first", "second"}:
            raise answers.child("not_sure").child(index).fail("needs {first} and {second}")
    offers = answers.strings("offers")
    if len(offers) < 2:
        raise answers.child("offers").fail("needs at least two, one for each of two fields")
    normalizer = build_normalizer(vocab)
    entries: dict[str, Entry] = {}
    for item in root.items("entries"):
        entry = _entry(item, vocab)
        if entry.id in entries:
            raise item.child("id").fail(f"duplicate id {entry.id!r}")
        for index, keyword in enumerate(entry.keywords):
            # A keyword made only of cue words and stopwords could never match anything.
            if not normalizer.parse(keyword).terms:
                raise item.child("keywords").child(index).fail(
                    f"{keyword!r} is only cue words or stopwords, so it never matches")
        entries[entry.id] = entry
    return Corpus(tuple(entries.values()), vocab, not_sure, offers)


@functools.cache
def load_corpus() -> Corpus:
    """The packaged answer corpus with its vocabulary, parsed and validated once per process."""
    return parse_corpus(read_yaml("corpus.yaml"), parse_vocab(read_yaml("vocab.yaml")))
