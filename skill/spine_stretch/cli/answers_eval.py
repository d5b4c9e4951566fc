"""Measures answer retrieval against a file of questions with known right answers.

`evaluate` is pure; `load_questions` reads the YAML (tests/data/questions.yaml) through the
same validating `Reader` as content, so a typo there fails with file and key.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..content import ContentError, Reader
from ..core.answers import Query, answer_query
from ..core.corpus import Corpus


@dataclass(frozen=True)
class Case:
    """`says`: words the spoken answer must contain, for the questions that name some."""

    query: Query
    expect: frozenset[str]
    says: tuple[str, ...] = ()


@dataclass(frozen=True)
class Questions:
    cases: tuple[Case, ...]
    off_topic: tuple[str, ...]


@dataclass(frozen=True)
class EvalResult:
    """Shares of `n` questions answered confidently with a right entry first (top1) or
    among the first three (top3); `misses` are the questions top3 got wrong; `off_topic_ok`
    the share of off-topic questions answered "not sure". `keyword` is the share of the
    `keyword_n` questions with `says` whose spoken answer contains all those words;
    `unsaid` the ones that did not."""

    top1: float
    top3: float
    n: int
    misses: tuple[str, ...] = ()
    off_topic_ok: float = 1.0
    keyword: float = 1.0
    keyword_n: int = 0
    unsaid: tuple[str, ...] = ()


def _context(item: Reader, key: str) -> str | None:
    """Optional context a question may carry, named like the `Query` field it fills."""
    return item.get(key, str) if isinstance(item.data, dict) and key in item.data else None


def parse_questions(data: Any, corpus: Corpus, file: str = "questions.yaml") -> Questions:
    """Every expected id must exist in `corpus`, so a renamed entry cannot pass silently."""
    root = Reader(file, data)
    ids = {entry.id for entry in corpus.entries}
    cases = []
    for item in root.items("questions"):
        question = item.child("q").data
        if not isinstance(question, str):
            raise item.child("q").fail("must be a string (it may be empty)")
        expect = item.strings("expect")
        unknown = sorted(set(expect) - ids)
        if unknown:
            raise item.child("expect").fail(f"names no corpus entry: {unknown}")
        query = Query(question, topic=_context(item, "topic"), prop=_context(item, "prop"),
                      difficulty=_context(item, "difficulty"),
                      body_part=_context(item, "body_part"), phase=_context(item, "phase"),
                      kind_hint=_context(item, "kind_hint"))
        says = item.strings("says") if isinstance(item.data, dict) and "says" in item.data else ()
        cases.append(Case(query, frozenset(expect), says))
    return Questions(tuple(cases), root.strings("off_topic"))


def load_questions(path: Path, corpus: Corpus) -> Questions:
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: cannot read questions: {exc}") from None
    return parse_questions(data, corpus, file=path.name)


def evaluate(corpus: Corpus, questions: Questions) -> EvalResult:
    top1 = top3 = 0
    misses, unsaid, keyword_n = [], [], 0
    for case in questions.cases:
        result = answer_query(corpus, case.query)
        if case.says:
            keyword_n += 1
            spoken = result.text.casefold()
            if not all(word.casefold() in spoken for word in case.says):
                unsaid.append(case.query.question)
        first3 = (result.sources + result.alternatives)[:3] if result.confident else ()
        if first3 and first3[0] in case.expect:
            top1 += 1
        if case.expect.intersection(first3):
            top3 += 1
        else:
            misses.append(case.query.question)
    rejected = sum(not answer_query(corpus, Query(q)).confident for q in questions.off_topic)
    n = len(questions.cases)
    return EvalResult(
        top1=top1 / n if n else 0.0,
        top3=top3 / n if n else 0.0,
        n=n,
        misses=tuple(misses),
        off_topic_ok=rejected / len(questions.off_topic) if questions.off_topic else 1.0,
        keyword=(keyword_n - len(unsaid)) / keyword_n if keyword_n else 1.0,
        keyword_n=keyword_n,
        unsaid=tuple(unsaid),
    )
