"""The skill factory: ASK handlers registered from the route table, kept thin.

Each handler turns the request into an engine event; the request interceptor loads the
user's state, the response interceptor saves it; the exception handler apologises.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from ask_sdk_core.dispatch_components.exception_components import AbstractExceptionHandler
from ask_sdk_core.dispatch_components.request_components import (
    AbstractRequestHandler,
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils.request_util import get_request_type, get_slot
from ask_sdk_model.response import Response

from ..core.engine import Transition, advance, initial_state
from ..core.events import Event, EventKind, Slot
from ..core.prompts import PromptPicker
from ..core.speech import Prompt
from ..core.ssml import AudioLookup, BlockSource
from ..core.state import State
from ..core.workout import Content
from ..store import UserStore
from . import cooldown, privacy, reminders
from .alexa_api import HttpClient, UrllibClient
from .apl import add_step_card
from .fulfil import CanFulfil
from .names import RequestType
from .persistence import (
    LOADED_STATE,
    NEW_STATE,
    RetryingSkill,
    StoreAdapter,
    hashed_user,
    will_retry,
)
from .render import render
from .reports import DeviceReports, Unanswered
from .requestlog import LogRequest
from .routes import ROUTES, UNKNOWN_INTENT, Kind, Route, kind_of
from .timezone import CHANGES, local_day

log = logging.getLogger(__name__)

STATE_KEY = "state"
# The requests a failure is apologised for: the user spoke and waits for an answer. Any other
# request (the session ended, the device reports) takes no speech in answer.
_SPOKEN = (RequestType.LAUNCH, RequestType.INTENT)


def request_time(handler_input: HandlerInput) -> float | None:
    """The request's timestamp in epoch seconds (Alexa always sends one)."""
    request = handler_input.request_envelope.request
    stamp = request.timestamp if request is not None else None
    if not isinstance(stamp, datetime):
        return None
    return (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).timestamp()


def slot_value(handler_input: HandlerInput, name: str) -> str | None:
    """A slot's canonical value when entity resolution matched one, else what was heard."""
    try:
        slot = get_slot(handler_input, name)
    except (AttributeError, KeyError, TypeError):
        return None
    if slot is None:
        return None
    authorities = getattr(slot.resolutions, "resolutions_per_authority", None) or []
    for authority in authorities:
        status = getattr(getattr(authority, "status", None), "code", None)
        if str(getattr(status, "value", status)) == "ER_SUCCESS_MATCH" and authority.values:
            name_value = authority.values[0].value.name
            if isinstance(name_value, str):
                return name_value
    return slot.value if isinstance(slot.value, str) else None


def unmatched(handler_input: HandlerInput, name: str) -> bool:
    """Whether Alexa heard a value for this slot that entity resolution matched to none of
    its type's values (a custom type's ER_SUCCESS_NO_MATCH)."""
    try:
        slot = get_slot(handler_input, name)
    except (AttributeError, KeyError, TypeError):
        return False
    authorities = getattr(getattr(slot, "resolutions", None), "resolutions_per_authority",
                          None) or []
    codes = {str(getattr(code, "value", code)) for code in
             (getattr(getattr(authority, "status", None), "code", None)
              for authority in authorities)}
    return bool(codes) and "ER_SUCCESS_MATCH" not in codes and "ER_SUCCESS_NO_MATCH" in codes


class Coach:
    """What every handler shares: the content, the engine, and the prompt picker."""

    def __init__(self, content: Content, rng: random.Random, store: UserStore,
                 audio: AudioLookup | None = None, http: HttpClient | None = None) -> None:
        self.content = content
        self.rng = rng
        self.store = store
        self.audio = audio
        self.http: HttpClient = http or UrllibClient()

    def respond(self, handler_input: HandlerInput, event: Event) -> Response:
        attributes = handler_input.attributes_manager.request_attributes
        loaded = attributes[LOADED_STATE]
        assert isinstance(loaded, State), "LoadState runs before every handler"
        transition = advance(self.content, loaded, event)
        if transition.forget:
            # Nothing is saved after this turn: the record is gone.
            return self.render(handler_input, privacy.forget(self.store, handler_input,
                                                             transition, self.http))
        if event.kind is EventKind.FORGET and not privacy.has_record(handler_input):
            return self.render(handler_input, privacy.nothing_to_forget(loaded))
        attributes[NEW_STATE] = transition.state
        add_step_card(handler_input, self.content, transition, event.day)
        return self.render(handler_input, transition)

    def say(self, handler_input: HandlerInput, prompt: Prompt, end_session: bool) -> Response:
        reprompt = () if end_session else (Prompt.of("reprompt_continue"),)
        return self.render(handler_input, Transition(State(), (prompt,), reprompt, end_session))

    def render(self, handler_input: HandlerInput, transition: Transition) -> Response:
        picker = PromptPicker(self.content.prompts, self.rng)
        block = self.audio.block if isinstance(self.audio, BlockSource) else None
        return render(handler_input.response_builder, transition, picker, self.audio, block)


def route_key(handler_input: HandlerInput) -> tuple[str, str | None]:
    """(request type, intent name) of a request, as the route table is keyed."""
    request = handler_input.request_envelope.request
    intent = getattr(request, "intent", None)
    name = getattr(intent, "name", None)
    return str(getattr(request, "object_type", "")), name if isinstance(name, str) else None


class RouteHandler(AbstractRequestHandler):
    """Every route of the table in one handler: a dict lookup rather than a scan of
    dozens of can_handle calls. An intent the table lacks is not understood."""

    def __init__(self, coach: Coach, routes: tuple[Route, ...]) -> None:
        self.coach = coach
        self.routes = {(str(r.request_type), r.intent and str(r.intent)): r for r in routes}

    def _route(self, handler_input: HandlerInput) -> Route | None:
        kind, intent = route_key(handler_input)
        route = self.routes.get((kind, intent if kind == RequestType.INTENT else None))
        if route is None and kind == RequestType.INTENT:
            return Route(RequestType.INTENT, None, UNKNOWN_INTENT)
        return route

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return self._route(handler_input) is not None

    def handle(self, handler_input: HandlerInput) -> Response:
        route = self._route(handler_input)
        assert route is not None, "can_handle said this request has a route"
        slots = dict(route.fixed)
        kind = route.event
        for alexa_name, core_name in route.slots:
            if unmatched(handler_input, alexa_name):
                # A value the slot's type does not know is not understood, whatever the intent.
                kind, slots = EventKind.FALLBACK, {Slot.UNRESOLVED: core_name.value}
                break
            value = slot_value(handler_input, alexa_name)
            if value is not None:
                slots[core_name] = value
        at = request_time(handler_input)
        event = Event(kind, MappingProxyType(slots), at,
                      local_day(handler_input, self.coach.http, at))
        return self.coach.respond(handler_input, event)


class LoadState(AbstractRequestInterceptor):
    def __init__(self, content: Content) -> None:
        self.content = content

    def process(self, handler_input: HandlerInput) -> None:
        if kind_of(str(get_request_type(handler_input))) is not Kind.COACHING:
            return  # answered without the user's state, which is then neither read nor written
        stored: Any = handler_input.attributes_manager.persistent_attributes.get(STATE_KEY)
        default = initial_state(self.content)
        state = State.from_dict(stored, default) if isinstance(stored, dict) else default
        handler_input.attributes_manager.request_attributes[LOADED_STATE] = state


class SaveState(AbstractResponseInterceptor):
    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        attributes = handler_input.attributes_manager.request_attributes
        changes: dict[str, Any] = {}
        new = attributes.get(NEW_STATE)
        if isinstance(new, State) and new != attributes.get(LOADED_STATE):
            changes[STATE_KEY] = new.to_dict()
        if cooldown.DIRTY in attributes:
            changes[cooldown.PLAYBACK_KEY] = attributes[cooldown.DIRTY]
        extra: Any = attributes.get(CHANGES)
        if isinstance(extra, dict):
            changes.update(extra)
        if not changes:
            return
        manager = handler_input.attributes_manager
        manager.persistent_attributes = {**manager.persistent_attributes, **changes}
        manager.save_persistent_attributes()


class Apologise(AbstractExceptionHandler):
    """The one catch-all: log the cause, say sorry, keep the session open."""

    def __init__(self, coach: Coach) -> None:
        self.coach = coach

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        # A turn that lost a race for its record runs again; only its last run apologises.
        return not will_retry(exception)

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        request_type = get_request_type(handler_input)
        log.error("failed on %s for user %s: %s", request_type,
                  hashed_user(handler_input.request_envelope), exception, exc_info=exception)
        if request_type not in _SPOKEN:
            return handler_input.response_builder.response
        apology = Transition(State(), (Prompt.of("error"),), (Prompt.of("reprompt_continue"),))
        return self.coach.render(handler_input, apology)


def build_skill(content: Content, store: UserStore, rng: random.Random | None = None,
                audio: AudioLookup | None = None,
                cooldown_config: cooldown.CoolDownConfig | None = None,
                http: HttpClient | None = None,
                clock: Callable[[], float] = time.time) -> CustomSkill:
    """The whole skill; every host (web server, Lambda, chat) invokes this same object.

    `http` reaches Alexa's Settings and Reminders APIs (urllib by default); `clock` is the
    time a reminder is set from, in epoch seconds.
    """
    coach = Coach(content, rng or random.Random(), store, audio, http)
    builder = CustomSkillBuilder(persistence_adapter=StoreAdapter(store))
    for handler in cooldown.handlers(cooldown_config or cooldown.CoolDownConfig(), coach):
        builder.add_request_handler(handler)
    alerts = reminders.Reminders(coach.render, slot_value, content.prompts, coach.http, clock)
    for handler in reminders.handlers(alerts):
        builder.add_request_handler(handler)
    builder.add_request_handler(RouteHandler(coach, ROUTES))
    builder.add_request_handler(CanFulfil())
    builder.add_request_handler(privacy.SkillEvents(store))
    builder.add_request_handler(DeviceReports())
    builder.add_request_handler(Unanswered())  # last: whatever no other handler takes
    builder.add_global_request_interceptor(LogRequest())
    builder.add_global_request_interceptor(LoadState(content))
    builder.add_global_response_interceptor(SaveState())
    builder.add_exception_handler(Apologise(coach))
    return RetryingSkill(builder.skill_configuration)
