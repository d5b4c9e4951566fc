"""CanFulfillIntentRequest: whether this skill can take an intent, asked before Alexa picks
a skill for a request made without one's name ("Alexa, I want to stretch my back").

Answered from the interaction model and the route table alone: Amazon requires that the
answer change nothing and be observable nowhere, so the user's record is not read either
(see https://developer.amazon.com/en-US/docs/alexa/custom-skills/implement-canfulfillintentrequest-for-name-free-interaction.html).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.request_util import get_request_type
from ask_sdk_model.canfulfill.can_fulfill_intent import CanFulfillIntent
from ask_sdk_model.canfulfill.can_fulfill_intent_values import CanFulfillIntentValues
from ask_sdk_model.canfulfill.can_fulfill_slot import CanFulfillSlot
from ask_sdk_model.canfulfill.can_fulfill_slot_values import CanFulfillSlotValues
from ask_sdk_model.canfulfill.can_understand_slot_values import CanUnderstandSlotValues
from ask_sdk_model.response import Response

from ..core.flow import parse_count
from ..interaction.source import InteractionSource, load_interaction
from .names import IntentName
from .routes import NAME_FREE, Fulfil, Kind, kind_of

# The intents, slots and types only: the templates are checked where models are built.
RUNTIME_SOURCE = functools.partial(load_interaction, check_templates=False)

_RANK = {Fulfil.YES: 0, Fulfil.MAYBE: 1, Fulfil.NO: 2}


def _worst(*answers: Fulfil) -> Fulfil:
    return max(answers, key=_RANK.__getitem__)


def slot_answer(source: InteractionSource, slot_type: str | None,
                value: str) -> tuple[Fulfil, Fulfil]:
    """(can understand, can fulfil) for one slot value of a type of the model."""
    if slot_type == "AMAZON.NUMBER":
        # Any whole number is taken: one outside the limits is clamped to them.
        ok = Fulfil.YES if parse_count(value) is not None else Fulfil.NO
        return ok, ok
    if slot_type == "AMAZON.SearchQuery":
        return Fulfil.MAYBE, Fulfil.MAYBE  # the answers cover the exercise, not everything
    for custom in source.types:
        if custom.name == slot_type:
            said = value.strip().lower()
            known = any(said == name.lower() or said in (s.lower() for s in synonyms)
                        for name, synonyms in custom.values)
            return (Fulfil.YES, Fulfil.YES) if known else (Fulfil.NO, Fulfil.NO)
    return Fulfil.NO, Fulfil.NO  # a slot the model does not have


def answer(source: InteractionSource, intent: str | None,
           slots: dict[str, str]) -> tuple[Fulfil, dict[str, tuple[Fulfil, Fulfil]]]:
    """The intent's answer and each filled slot's (understand, fulfil)."""
    try:
        base = NAME_FREE.get(IntentName(intent or ""), Fulfil.NO)
        types = dict(source.intent(str(intent)).slots)
    except (ValueError, KeyError):
        return Fulfil.NO, {}
    per_slot = {name: slot_answer(source, types.get(name), value)
                for name, value in slots.items()}
    if base is Fulfil.NO:
        return Fulfil.NO, per_slot
    # A value the skill would not understand is ignored by the handler, not refused: the
    # intent can still be served, but only maybe as the user meant it.
    worst = _worst(base, *(fulfil for _, fulfil in per_slot.values()))
    return (Fulfil.MAYBE if worst is Fulfil.NO else worst), per_slot


def filled_slots(request: Any) -> dict[str, str]:
    """The request's slots that carry a value (Alexa sends empty ones too)."""
    slots = getattr(getattr(request, "intent", None), "slots", None) or {}
    if not isinstance(slots, dict):
        return {}
    return {str(name): slot.value for name, slot in slots.items()
            if isinstance(getattr(slot, "value", None), str) and slot.value.strip()}


class CanFulfil(AbstractRequestHandler):
    def __init__(self, source: Callable[[], InteractionSource] = RUNTIME_SOURCE) -> None:
        # Read at the first such request (then cached): most requests never need the model.
        self.source = source

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return kind_of(str(get_request_type(handler_input))) is Kind.CAN_FULFILL

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        name = getattr(getattr(request, "intent", None), "name", None)
        verdict, slots = answer(self.source(), name if isinstance(name, str) else None,
                                filled_slots(request))
        builder = handler_input.response_builder
        builder.set_can_fulfill_intent(CanFulfillIntent(
            can_fulfill=CanFulfillIntentValues(verdict.value),
            slots={slot: CanFulfillSlot(can_understand=CanUnderstandSlotValues(understand),
                                        can_fulfill=CanFulfillSlotValues(fulfil))
                   for slot, (understand, fulfil) in slots.items()} or None))
        return builder.response
