"""Measures how many held-out phrasings (tests/data/utterances.yaml) reach the right intent.

Two ways: the local matcher (`chat`, the simulator page), and virtual-alexa's exact matching
of the committed en-US model (tests/e2e/resolve.mjs, run with Node). A phrasing counts only
when its intent and every slot it lists are right (custom slots by canonical value, numbers
as digits). `evaluate` is pure; the loaders read files, the virtual-alexa run starts Node.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..alexa.routes import ALIASES
from ..content import ContentError, Reader
from ..interaction.matcher import FALLBACK, Matcher

LAUNCH = "LaunchRequest"
# Alexa itself takes the wake word and the invocation off a one-shot; virtual-alexa's matcher
# sees only what follows, as a skill's model does.
_WAKE = re.compile(r"^\s*alexa\b[\s,]*", re.IGNORECASE)
_ONE_SHOT = r"^(?:ask|tell) {name}\b\s*(?:(?:to|for|about|if|whether|that)\b\s*)?(?P<rest>.+)$"
_OPEN = r"^(?:open|launch|start|begin|load|run|play)? ?{name}(?: please)?$"
# A guard against a hung Node process, not a speed check.
NODE_TIMEOUT_S = 120


@dataclass(frozen=True)
class Case:
    say: str
    intent: str
    slots: dict[str, str] = field(default_factory=dict)
    opened: bool = False


@dataclass(frozen=True)
class Outcome:
    intent: str
    slots: dict[str, str | None] = field(default_factory=dict)  # canonical, else as heard


@dataclass(frozen=True)
class Score:
    hits: int
    misses: tuple[tuple[Case, Outcome], ...]

    @property
    def n(self) -> int:
        return self.hits + len(self.misses)

    @property
    def rate(self) -> float:
        return self.hits / self.n if self.n else 0.0


def load_cases(path: Path) -> tuple[Case, ...]:
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path.name}: cannot read: {exc}") from None
    cases = []
    for item in Reader(path.name, data).items("utterances"):
        slots = item.data.get("slots") or {}
        if not isinstance(slots, dict):
            raise item.fail("slots must map slot names to values")
        cases.append(Case(item.get("say", str), item.get("intent", str),
                          {str(k): str(v) for k, v in slots.items()},
                          bool(item.data.get("opened", False))))
    return tuple(cases)


def meaning(intent: str, slots: Mapping[str, str | None]) -> tuple[str, dict[str, str | None]]:
    """What the skill takes an intent and its slots to mean: an alias ("slower please") is
    the intent it stands for with its slot filled (alexa/routes.py ALIASES)."""
    for alias, (target, values) in ALIASES.items():
        if intent == alias:
            return str(target), {**slots, **{str(name): value for name, value in values}}
    return intent, dict(slots)


def is_hit(case: Case, outcome: Outcome) -> bool:
    wanted, expected = meaning(case.intent, case.slots)
    got, slots = meaning(outcome.intent, outcome.slots)
    return got == wanted and all((slots.get(slot) or "").lower() == str(value).lower()
                                 for slot, value in expected.items())


def evaluate(cases: Sequence[Case], outcomes: Sequence[Outcome]) -> Score:
    pairs = list(zip(cases, outcomes, strict=True))
    return Score(sum(is_hit(c, o) for c, o in pairs),
                 tuple((c, o) for c, o in pairs if not is_hit(c, o)))


def local_outcomes(matcher: Matcher, cases: Sequence[Case]) -> list[Outcome]:
    """A phrasing that opens the skill is said from outside a session; the rest inside one."""
    outcomes = []
    for case in cases:
        resolution, _ = matcher.resolve(case.say, in_session=not case.opened)
        if resolution.launch:
            outcomes.append(Outcome(LAUNCH))
            continue
        slots = {slot: resolution.resolved.get(slot, value)
                 for slot, value in resolution.slots.items()}
        outcomes.append(Outcome(resolution.intent or FALLBACK, slots))
    return outcomes


def as_alexa_hears(case: Case, invocation: str) -> str | None:
    """What a skill's model is asked to match (None: a plain launch, no utterance)."""
    said = _WAKE.sub("", case.say).strip().rstrip(".!?")
    if not case.opened:
        return said
    name = re.escape(invocation)
    if re.fullmatch(_OPEN.format(name=name), said, re.IGNORECASE):
        return None
    one_shot = re.match(_ONE_SHOT.format(name=name), said, re.IGNORECASE)
    return one_shot.group("rest") if one_shot else said


def virtual_alexa_outcomes(cases: Sequence[Case], invocation: str, model: Path,
                           script: Path, node: str) -> list[Outcome]:
    """Each case as virtual-alexa resolves it against `model` (Node runs `script`)."""
    heard = [as_alexa_hears(case, invocation) for case in cases]
    asked = [text for text in heard if text is not None]
    run = subprocess.run([node, str(script), str(model)], input=json.dumps(asked),
                         capture_output=True, text=True, timeout=NODE_TIMEOUT_S, check=False)
    if run.returncode != 0:
        raise RuntimeError(f"{script.name} exited {run.returncode}: {run.stderr.strip()}")
    answers = iter(json.loads(run.stdout))
    outcomes = []
    for text in heard:
        if text is None:
            outcomes.append(Outcome(LAUNCH))
            continue
        answer = next(answers)
        slots = {name: slot.get("resolved") or slot.get("value")
                 for name, slot in answer["slots"].items()}
        outcomes.append(Outcome(answer["intent"], slots))
    return outcomes


def describe(score: Score, label: str, goal: float) -> list[str]:
    lines = [f"{label}: {score.hits}/{score.n} = {score.rate:.1%} (goal >= {goal:.0%})"]
    for case, outcome in score.misses:
        lines.append(f"  missed {case.say!r}: want {case.intent} {case.slots or ''}, "
                     f"got {outcome.intent} {outcome.slots or ''}".rstrip())
    return lines
