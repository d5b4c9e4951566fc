"""The answer corpus (corpus.yaml) and the words it is found by (vocab.yaml), validated
against each other once per process."""

from __future__ import annotations

import functools
import re
from enum import StrEnum
from typing import Any

from ..core.corpus import (
    Corpus,
    Entry,
    Hint,
    Kind,
    Moment,
    Offer,
    SlotType,
    Source,
    Term,
    Vocab,
)
from ..core.prompts import prompt_fields
from ..core.text import build_normalizer, tokenize
from .reader import Reader, choice, read_yaml

ENTRY_KEYS = frozenset({"id", "source", "rationale", "kind", "answer", "keywords", "props",
                        "difficulty", "body_parts", "phases", "conditions"})
# An answer is heard, not read: more than three sentences and the listener loses the thread.
MAX_SENTENCES = 3
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


def _optional(reader: Reader, key: str) -> tuple[str, ...]:
    return reader.strings(key) if isinstance(reader.data, dict) and key in reader.data else ()


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
        conditions=_terms(root, "conditions"),
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

    conditions = _optional(item, "conditions")
    known = {term.value for term in vocab.conditions}
    for value in conditions:
        if value not in known:
            raise item.child("conditions").fail(f"{value!r} is not a condition in vocab.yaml")
    answer = item.get("answer", str)
    if not 1 <= len(_SENTENCE_END.findall(answer)) <= MAX_SENTENCES:
        raise item.child("answer").fail(f"must be 1 to {MAX_SENTENCES} full sentences")
    return Entry(
        id=item.get("id", str),
        source=choice(item.child("source"), item.get("source", str), Source),
        rationale=item.get("rationale", str),
        kind=choice(item.child("kind"), item.get("kind", str), Kind),
        answer=answer,
        keywords=_optional(item, "keywords"),
        props=tags("props", SlotType.PROP),
        difficulty=next(iter(tags("difficulty", SlotType.DIFFICULTY)), None),
        body_parts=tags("body_parts", SlotType.BODY_PART),
        phases=tuple(choice(item.child("phases"), p, Moment) for p in _optional(item, "phases")),
        conditions=conditions,
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
    offers = tuple(Offer(item.get("entry", str), item.get("say", str))
                   for item in answers.items("offers"))
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
    for index, offer in enumerate(offers):
        if offer.entry not in entries:
            raise answers.child("offers").child(index).fail(f"names no entry {offer.entry!r}")
    professional = answers.get("see_a_professional", str)
    if entries.get(professional, None) is None or entries[professional].kind is not Kind.SAFETY:
        raise answers.child("see_a_professional").fail(
            f"must name a safety entry, got {professional!r}")
    return Corpus(tuple(entries.values()), vocab, not_sure, offers, professional)


@functools.cache
def load_corpus() -> Corpus:
    """The packaged answer corpus with its vocabulary, parsed and validated once per process."""
    return parse_corpus(read_yaml("corpus.yaml"), parse_vocab(read_yaml("vocab.yaml")))
