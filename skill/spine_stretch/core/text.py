"""Turns spoken text into comparable terms: tokens, a light stemmer, synonyms, cues, stopwords.

Questions and corpus entries go through the same `Normalizer`, so whatever a rule does to
one it does to the other, and the vocabulary's phrases are normalised the same way too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .corpus import Hint, Vocab

# Letters and digits, keeping inner apostrophes so "can't" stays apart from "can".
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# Consonants that stay doubled when a suffix goes ("pulling" -> "pull", "sitting" -> "sit").
_KEEP_DOUBLE = frozenset("lsz")


def tokenize(text: str) -> list[str]:
    text = text.casefold().replace("\u2019", "'").replace("-", " ")
    words = []
    for word in _TOKEN.findall(text):
        words.append(word[:-2] if word.endswith("'s") else word)
    return words


def _undouble(word: str) -> str:
    if len(word) > 2 and word[-1] == word[-2] and word[-1] not in _KEEP_DOUBLE:
        return word[:-1]
    return word


def stem(word: str) -> str:
    """A few English suffix rules: enough that "breathing", "breathes" and "breathe" meet.

    Not a real stemmer: it only has to be consistent, since both sides use it.
    """
    if len(word) <= 3:
        return word
    if word.endswith(("ies", "ied")) and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("ness") and len(word) > 6:
        word = word[:-4]
    elif word.endswith("ful") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ing") and len(word) > 5:
        word = _undouble(word[:-3])
    elif word.endswith("ly") and len(word) > 5:
        word = word[:-2]
    elif word.endswith("ed") and len(word) > 4:
        word = _undouble(word[:-2])
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def stems(text: str) -> tuple[str, ...]:
    return tuple(stem(word) for word in tokenize(text))


@dataclass(frozen=True)
class Parsed:
    """A text's content terms, the hints its cue words gave, and the health conditions it
    names (as the vocab's condition values, which are among the terms too)."""

    terms: tuple[str, ...]
    hints: frozenset[Hint]
    conditions: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Normalizer:
    rewrites: dict[tuple[str, ...], tuple[str, ...]]
    cues: dict[tuple[str, ...], Hint]
    stopwords: frozenset[str]
    longest: int
    conditions: frozenset[str] = frozenset()

    def parse(self, text: str) -> Parsed:
        """Stems, then synonyms and cues by longest phrase first, then drops stopwords.

        Phrases are matched before stopwords go, so "breathe in" and "too hard" keep the
        small words that give them their meaning.
        """
        words = stems(text)
        terms: list[str] = []
        hints: set[Hint] = set()
        at = 0
        while at < len(words):
            for size in range(min(self.longest, len(words) - at), 0, -1):
                phrase = words[at:at + size]
                if phrase in self.cues:
                    hints.add(self.cues[phrase])
                    break
                if phrase in self.rewrites:
                    terms.extend(self.rewrites[phrase])
                    break
            else:
                size = 1
                terms.append(words[at])
            at += size
        kept = tuple(t for t in terms if t not in self.stopwords)
        return Parsed(kept, frozenset(hints), self.conditions.intersection(kept))


def build_normalizer(vocab: Vocab) -> Normalizer:
    """Raises ValueError naming the phrase when one phrase is given two meanings."""
    meaning: dict[tuple[str, ...], str] = {}
    rewrites: dict[tuple[str, ...], tuple[str, ...]] = {}
    cues: dict[tuple[str, ...], Hint] = {}

    def claim(phrase: str, what: str) -> tuple[str, ...]:
        key = stems(phrase)
        if not key:
            raise ValueError(f"phrase {phrase!r} has no words")
        if meaning.get(key, what) != what:
            raise ValueError(f"{phrase!r} means both {meaning[key]} and {what}")
        meaning[key] = what
        return key

    terms = [*(term for _, values in vocab.slot_types for term in values), *vocab.synonyms,
             *vocab.conditions]
    conditions = set()
    for condition in vocab.conditions:
        # One word, so that finding it among a question's terms is a set lookup.
        if len(stems(condition.value)) != 1:
            raise ValueError(f"condition {condition.value!r} must be one word")
        conditions.add(stem(condition.value))
    for term in terms:
        canonical = stems(term.value)
        claim(term.value, term.value)
        for synonym in term.synonyms:
            key = claim(synonym, term.value)
            if key != canonical:
                rewrites[key] = canonical
    for hint, phrases in vocab.cues:
        for phrase in phrases:
            cues[claim(phrase, f"the cue {hint}")] = hint
    stopwords = frozenset(stem(word) for text in vocab.stopwords for word in tokenize(text))
    if conditions & stopwords:
        raise ValueError(f"conditions {sorted(conditions & stopwords)} are also stopwords")
    return Normalizer(rewrites, cues, stopwords, max(map(len, meaning), default=1),
                      frozenset(conditions))
