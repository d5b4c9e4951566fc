"""The step card on screens: an APL RenderDocument for devices that declare APL support.

The document is data (content/step_card.apl.json), so are its labels (content/screen.yaml);
what it shows is `core.card`'s reading of the transition. Devices without a screen get no
directive at all. The simulator page reads the same datasource to draw its own card.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.request_envelope import RequestEnvelope

from ..content import ContentError, Reader, read_yaml
from ..core import history
from ..core.card import Card, CardPhase, Segment, card_for
from ..core.engine import Transition
from ..core.history import History
from ..core.prompts import prompt_fields
from ..core.workout import Content

APL_INTERFACE = "Alexa.Presentation.APL"
# What a screen device declares in supportedInterfaces; the simulator page's "screen" too.
SCREEN_INTERFACES: Mapping[str, Any] = {APL_INTERFACE: {"runtime": {"maxVersion": "2023.3"}}}
DOCUMENT_FILE = "step_card.apl.json"
LABELS_FILE = "screen.yaml"
TOKEN = "spine-stretch-step-card"
DATASOURCE = "stepCard"
# Every field of the datasource; the document may bind any of them and no other.
CARD_FIELDS = frozenset({"title", "stepText", "repLabel", "phase", "phaseLabel", "status",
                         "reps", "breathSeconds", "settingsLabel", "timeline", "week",
                         "weekLabel"})
LABEL_FIELDS = frozenset({"rep", "reps", "breath_seconds"})
_NO_STEP = frozenset({CardPhase.READY, CardPhase.FINISHED})
_REFERENCE = re.compile(r"payload\.(\w+)\.(\w+)")


@dataclass(frozen=True)
class Labels:
    """The card's words (content/screen.yaml); templates take {rep}, {reps}, {breath_seconds}."""

    rep_counter: str
    settings: str
    paused: str
    phases: Mapping[CardPhase, str]
    no_step: Mapping[CardPhase, str]
    # The week strip: a short name for each weekday (Monday first), and the marks for a day
    # with a finished session and a day without.
    week_days: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    week_done: str = "done"
    week_rest: str = "rest"


@dataclass(frozen=True)
class StepCardDocument:
    """The validated document, kept as JSON: each response gets its own fresh copy."""

    document_json: str
    labels: Labels

    @property
    def document(self) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(self.document_json)
        return document


def _template(reader: Reader, key: str) -> str:
    text = reader.get(key, str)
    unknown = prompt_fields(text) - LABEL_FIELDS
    if unknown:
        raise reader.child(key).fail(f"uses fields {sorted(unknown)}; "
                                     f"only {sorted(LABEL_FIELDS)} are filled in")
    return text


def _by_phase(reader: Reader, wanted: frozenset[CardPhase]) -> dict[CardPhase, str]:
    if not isinstance(reader.data, dict) or set(reader.data) != {str(p) for p in wanted}:
        raise reader.fail(f"needs exactly the keys {sorted(str(p) for p in wanted)}")
    return {phase: _template(reader, str(phase)) for phase in sorted(wanted)}


def parse_labels(data: Any, file: str = LABELS_FILE) -> Labels:
    root = Reader(file, data)
    return Labels(
        rep_counter=_template(root, "rep_counter"),
        settings=_template(root, "settings"),
        paused=_template(root, "paused"),
        phases=_by_phase(root.child("phases"), frozenset(CardPhase)),
        no_step=_by_phase(root.child("no_step"), _NO_STEP),
        week_days=_week_days(root),
        week_done=_template(root, "week_done"),
        week_rest=_template(root, "week_rest"),
    )


def _week_days(root: Reader) -> tuple[str, ...]:
    names = root.strings("week_days")
    if len(names) != history.WEEK_DAYS:
        raise root.child("week_days").fail("needs the seven weekdays' names, Monday first")
    return names


def week_view(labels: Labels, hist: History, today: date | None) -> list[dict[str, Any]]:
    """The seven days ending today, oldest first: what the card's week strip shows."""
    if today is None:
        return []
    return [{"day": labels.week_days[day.day.weekday()], "date": day.day.isoformat(),
             "sessions": day.finished, "done": day.finished > 0,
             "mark": labels.week_done if day.finished else labels.week_rest}
            for day in history.week(hist, today)]


def referenced_fields(document: Any) -> set[tuple[str, str]]:
    """Every (datasource, field) the document binds with `${payload.<source>.<field>}`."""
    if isinstance(document, dict):
        return set().union(*(referenced_fields(v) for v in document.values()))
    if isinstance(document, list):
        return set().union(*(referenced_fields(v) for v in document))
    if isinstance(document, str):
        return {(m.group(1), m.group(2))
                for expression in re.findall(r"\$\{[^}]*\}", document)
                for m in _REFERENCE.finditer(expression)}
    return set()


def parse_document(data: Any, file: str = DOCUMENT_FILE) -> dict[str, Any]:
    """The APL document, checked for the shape a device needs and for bindings we fill."""
    root = Reader(file, data)
    if root.get("type", str) != "APL":
        raise root.child("type").fail('must be "APL"')
    root.get("version", str)
    template = root.child("mainTemplate")
    if template.get("parameters", list) != ["payload"]:
        raise template.child("parameters").fail('must be ["payload"]')
    template.items("items")
    unknown = {f"{source}.{field}" for source, field in referenced_fields(data)
               if source != DATASOURCE or field not in CARD_FIELDS}
    if unknown:
        raise root.fail(f"binds {sorted(unknown)}, which the datasource does not have")
    result: dict[str, Any] = root.data
    return result


@functools.cache
def load_step_card() -> StepCardDocument:
    """The document and labels, read and validated once; ContentError when either is broken."""
    try:
        from importlib import resources  # with the document, not at import (see above)

        text = resources.files("spine_stretch").joinpath("content", DOCUMENT_FILE).read_text(
            "utf-8")
        document = json.loads(text)
    except FileNotFoundError:
        raise ContentError(f"{DOCUMENT_FILE}: file is missing from the package") from None
    except ValueError as exc:
        raise ContentError(f"{DOCUMENT_FILE}: not valid JSON: {exc}") from None
    return StepCardDocument(json.dumps(parse_document(document)),
                            parse_labels(read_yaml(LABELS_FILE)))


def _fill(template: str, card: Card, rep: int) -> str:
    return template.format(rep=rep, reps=card.reps, breath_seconds=card.breath_seconds)


def _rep_label(labels: Labels, card: Card, phase: CardPhase, rep: int) -> str:
    breathing = phase in (CardPhase.EXHALE, CardPhase.INHALE)
    return _fill(labels.rep_counter, card, rep) if breathing and rep > 0 else ""


def _segment(labels: Labels, card: Card, segment: Segment) -> dict[str, Any]:
    return {
        "phase": str(segment.phase),
        "phaseLabel": labels.phases[segment.phase],
        "rep": segment.rep,
        "repLabel": _rep_label(labels, card, segment.phase, segment.rep),
        "stepText": segment.text,
        "afterBreaks": segment.after_breaks,
        "beats": segment.beats,
    }


def datasources(card: Card, labels: Labels, title: str,
                week: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """The RenderDocument datasources: the card now, the timeline of the block spoken, and
    the user's last seven days."""
    text = card.text if card.text is not None else _fill(
        labels.no_step.get(card.phase, ""), card, card.rep)
    return {DATASOURCE: {
        "title": title,
        "stepText": text,
        "repLabel": _rep_label(labels, card, card.phase, card.rep),
        "phase": str(card.phase),
        "phaseLabel": labels.phases[card.phase],
        "status": labels.paused if card.paused else "",
        "reps": card.reps,
        "breathSeconds": card.breath_seconds,
        "settingsLabel": _fill(labels.settings, card, card.rep),
        "timeline": [_segment(labels, card, segment) for segment in card.timeline],
        "week": [dict(day) for day in week],
        "weekLabel": "  ".join(f"{day['day']} {day['mark']}" for day in week),
    }}


def has_screen(envelope: RequestEnvelope) -> bool:
    """Whether the requesting device declares APL (any request may lack the context)."""
    context = envelope.context
    system = context.system if context is not None else None
    device = system.device if system is not None else None
    interfaces = device.supported_interfaces if device is not None else None
    return interfaces is not None and interfaces.alexa_presentation_apl is not None


def add_step_card(handler_input: HandlerInput, content: Content, transition: Transition,
                  today: date | None = None) -> None:
    """Add the step card to a response that speaks and keeps the session, on a screen device;
    with `today` (the user's date), it shows their week."""
    if not transition.say or transition.end_session:
        return
    if not has_screen(handler_input.request_envelope):
        return
    # Imported for a screen, not at a cold start: APL's models are some 75 modules.
    from ask_sdk_model.interfaces.alexa.presentation.apl.render_document_directive import (
        RenderDocumentDirective,
    )

    step_card = load_step_card()
    card = card_for(content, transition)
    handler_input.response_builder.add_directive(RenderDocumentDirective(
        token=TOKEN,
        document=step_card.document,
        datasources=datasources(card, step_card.labels, content.workout.title,
                                week_view(step_card.labels, transition.state.history, today)),
    ))
