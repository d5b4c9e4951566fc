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


# (optional parts used, words, text): the plainest phrasing leaves every optional part out,
# then has the fewest words.
Phrasing = tuple[int, int, str]


def _cost(item: Phrasing) -> tuple[int, int]:
    return item[0], item[1]


def _distinct(phrasings: Iterable[Phrasing], keep: int) -> list[Phrasing]:
    seen: dict[str, Phrasing] = {}
    for item in phrasings:
        if len(seen) >= keep:
            break
        seen.setdefault(item[2], item)
    return list(seen.values())


def _merge(left: list[Phrasing], right: list[Phrasing], keep: int) -> list[Phrasing]:
    """The `keep` plainest concatenations of a left and a right part, each sorted plainest
    first: the plainest whole never needs a part outside that part's own `keep` plainest."""
    joined = sorted(((lo + ro, lw + rw, lt + rt) for lo, lw, lt in left for ro, rw, rt in right),
                    key=_cost)
    return _distinct(joined, keep)


def _shortest(expression: Expression, rules: Mapping[str, Sentence],
              keep: int) -> list[Phrasing]:
    if isinstance(expression, TextChunk):
        text = expression.original_text
        return [(0, len(text.split()), text)]
    if isinstance(expression, ListReference):
        return [(0, 1, f" {{{expression.list_name}}} ")]
    if isinstance(expression, RuleReference):
        if expression.rule_name not in rules:
            raise TemplateError(f"no rule <{expression.rule_name}>")
        return _shortest(rules[expression.rule_name].expression, rules, keep)
    if isinstance(expression, Alternative):
        optional = 1 if expression.is_optional else 0
        options = [(used + (optional if text.strip() else 0), words, text)
                   for option in expression.items
                   for used, words, text in _shortest(option, rules, keep)]
        return _distinct(sorted(options, key=_cost), keep)
    if isinstance(expression, Sequence):
        result: list[Phrasing] = [(0, 0, "")]
        for item in expression.items:
            result = _merge(result, _shortest(item, rules, keep), keep)
        return result
    raise TemplateError(f"unsupported template part {type(expression).__name__} "
                        "(permutations are not used here)")


def expand(template: str, rules: Mapping[str, Sentence], keep: int) -> list[str]:
    """The `keep` plainest phrasings of a template, slots kept as `{slot}`: first those with
    no optional part, then with one, ...; fewest words first among those; then the order the
    template lists its alternatives."""
    phrasings = _shortest(parse_template(template).expression, rules, keep)
    return list(dict.fromkeys(text for text in (clean(raw) for _, _, raw in phrasings) if text))


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
