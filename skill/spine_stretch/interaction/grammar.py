"""Sample templates (hassil's template language) expanded into Alexa samples.

One template such as `(start | begin) [the] {reps} reps` stands for every phrasing it allows;
the model gets them within a budget per intent, plainest first. The same parsed templates feed
the local matcher (matcher.py), so the model and the matcher never disagree about the grammar.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping

from hassil.expression import (
    Alternative,
    Expression,
    ListReference,
    RuleReference,
    Sentence,
    Sequence,
    TextChunk,
)
from hassil.parse_expression import ParseExpressionError, parse_sentence

_SPACES = re.compile(r"\s+")


class TemplateError(ValueError):
    """A template hassil cannot parse, or one naming a rule that does not exist."""


def clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def parse_template(template: str) -> Sentence:
    try:
        return parse_sentence(template, keep_text=True)
    except (ParseExpressionError, IndexError, ValueError) as exc:
        raise TemplateError(f"cannot parse {template!r}: {exc}") from None


def parse_rules(rules: Mapping[str, str]) -> dict[str, Sentence]:
    return {name: parse_template(body) for name, body in rules.items()}


Phrasings = list[tuple[int, str]]  # (words, text), fewest words first


def _merge(left: Phrasings, right: Phrasings, keep: int) -> Phrasings:
    """The `keep` shortest concatenations of a left and a right part, each sorted by length:
    the shortest whole never needs a part outside that part's own `keep` shortest."""
    joined = sorted(((lw + rw, lt + rt) for lw, lt in left for rw, rt in right),
                    key=lambda item: item[0])
    return _distinct(joined, keep)


def _distinct(phrasings: Iterable[tuple[int, str]], keep: int) -> Phrasings:
    seen: dict[str, int] = {}
    for words, text in phrasings:
        if len(seen) >= keep:
            break
        seen.setdefault(text, words)
    return [(words, text) for text, words in seen.items()]


def _shortest(expression: Expression, rules: Mapping[str, Sentence], keep: int) -> Phrasings:
    if isinstance(expression, TextChunk):
        text = expression.original_text
        return [(len(text.split()), text)]
    if isinstance(expression, ListReference):
        return [(1, f" {{{expression.list_name}}} ")]
    if isinstance(expression, RuleReference):
        if expression.rule_name not in rules:
            raise TemplateError(f"no rule <{expression.rule_name}>")
        return _shortest(rules[expression.rule_name].expression, rules, keep)
    if isinstance(expression, Alternative):
        options = [item for option in expression.items
                   for item in _shortest(option, rules, keep)]
        return _distinct(sorted(options, key=lambda item: item[0]), keep)
    if isinstance(expression, Sequence):
        result: Phrasings = [(0, "")]
        for item in expression.items:
            result = _merge(result, _shortest(item, rules, keep), keep)
        return result
    raise TemplateError(f"unsupported template part {type(expression).__name__} "
                        "(permutations are not used here)")


def expand(template: str, rules: Mapping[str, Sentence], keep: int) -> list[str]:
    """The `keep` plainest phrasings of a template (fewest words first; among equals, the
    order the template lists its alternatives), slots kept as `{slot}`."""
    phrasings = _shortest(parse_template(template).expression, rules, keep)
    return list(dict.fromkeys(text for text in (clean(raw) for _, raw in phrasings) if text))


def budgeted(templates: Iterable[str], rules: Mapping[str, Sentence], budget: int) -> list[str]:
    """At most `budget` distinct samples from an intent's templates: each template's plainest
    phrasing first, then turns across templates so none is crowded out by a prolific one."""
    queues = [expand(template, rules, budget) for template in templates]
    chosen: dict[str, None] = {}
    for turn in itertools.zip_longest(*queues):
        for sample in turn:
            if len(chosen) >= budget:
                return list(chosen)
            if sample is not None:
                chosen.setdefault(sample, None)
    return list(chosen)
