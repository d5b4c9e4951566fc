"""Stretch reminders by voice: set one (asking for consent when needed), list them, delete
them. These handlers talk to the Reminders API, not the engine, and never touch the
coaching state: a failed call loses nothing and leaves nothing half-made.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.interfaces.connections.send_request_directive import SendRequestDirective
from ask_sdk_model.response import Response

from ..core import schedule
from ..core.engine import Transition
from ..core.prompts import fill
from ..core.schedule import Recurrence, Schedule, TimeProblem
from ..core.speech import Part, Prompt
from ..core.state import State
from ..core.workout import Prompts
from .alexa_api import REMINDERS_SCOPE, AlexaApi, ApiError, HttpClient, delete_all_reminders
from .names import IntentName, RequestType, SlotName
from .timezone import api_of, known_zone, local_now

log = logging.getLogger(__name__)

ASK_FOR = "AskFor"
# The intents these handlers answer (they call the Reminders API, not the engine).
INTENTS = frozenset({IntentName.REMINDER, IntentName.LIST_REMINDERS,
                     IntentName.DELETE_REMINDERS})
Clock = Callable[[], float]


def _intent_name(handler_input: HandlerInput) -> str | None:
    """The intent of an IntentRequest; None for anything else, a CanFulfillIntentRequest
    naming the same intent included (that one is answered without acting on it)."""
    request = handler_input.request_envelope.request
    if getattr(request, "object_type", None) != RequestType.INTENT:
        return None
    name = getattr(getattr(request, "intent", None), "name", None)
    return name if isinstance(name, str) else None


def _granted(handler_input: HandlerInput) -> bool:
    system = getattr(handler_input.request_envelope.context, "system", None)
    scopes = getattr(getattr(getattr(system, "user", None), "permissions", None), "scopes",
                     None)
    scope = scopes.get(REMINDERS_SCOPE) if isinstance(scopes, dict) else None
    status = getattr(scope, "status", None)
    return str(getattr(status, "value", status)) == "GRANTED"


def ask_for_consent(schedule_token: str) -> SendRequestDirective:
    """Alexa asks the user for the reminders permission, then sends Connections.Response
    with our token back: the schedule travels in it, so nothing is stored meanwhile."""
    return SendRequestDirective(name=ASK_FOR, token=schedule_token, payload={
        "@type": "AskForPermissionsConsentRequest",
        "@version": "2",
        "permissionScopes": [{"permissionScope": REMINDERS_SCOPE, "consentLevel": "ACCOUNT"}],
    })


class Reminders:
    """What the reminder handlers share: how to speak, how to reach the API, what time it is."""

    def __init__(self, speak: Callable[[HandlerInput, Transition], Response],
                 slot: Callable[[HandlerInput, str], str | None], prompts: Prompts,
                 client: HttpClient, clock: Clock) -> None:
        self.speak = speak
        self.slot = slot
        self.prompts = prompts
        self.client = client
        self.clock = clock

    def say(self, handler_input: HandlerInput, parts: Sequence[Part]) -> Response:
        # Not "say next": the user may have no session in progress.
        transition = Transition(State(), tuple(parts), (Prompt.of("reminder_reprompt"),))
        return self.speak(handler_input, transition)

    def failed(self, handler_input: HandlerInput, error: ApiError) -> Response:
        log.warning("reminders API: %s", error)
        return self.say(handler_input, [Prompt.of(f"reminder_error_{error.kind}")])

    def create(self, handler_input: HandlerInput, wanted: Schedule) -> Response:
        api = api_of(handler_input, self.client)
        if api is None:
            return self.say(handler_input, [Prompt.of("reminder_unavailable")])
        now = self.clock()
        zone = known_zone(handler_input, self.client, now)
        if zone is None:
            # A reminder in the wrong zone would ring at the wrong hour: set none.
            return self.say(handler_input, [Prompt.of("reminder_no_time_zone")])
        local = local_now(zone, now)
        locale = str(getattr(handler_input.request_envelope.request, "locale", "") or "en-US")
        # What Alexa says when the reminder rings.
        text = fill(self.prompts, "reminder_spoken", 0, {}).text
        body = {
            "requestTime": local.strftime("%Y-%m-%dT%H:%M:%S.000"),
            "trigger": schedule.trigger(wanted, local, zone),
            "alertInfo": {"spokenInfo": {"content": [{"locale": locale, "text": text}]}},
            "pushNotification": {"status": "ENABLED"},
        }
        try:
            api.create_reminder(body)
        except ApiError as error:
            return self.failed(handler_input, error)
        time = schedule.spoken_time(wanted.hour, wanted.minute)
        key = "reminder_set_tomorrow" if schedule.passed_today(wanted, local) else (
            f"reminder_set_{wanted.recurrence}")
        return self.say(handler_input, [Prompt.of(key, time=time)])


class SetReminder(AbstractRequestHandler):
    def __init__(self, reminders: Reminders) -> None:
        self.reminders = reminders

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _intent_name(handler_input) == IntentName.REMINDER

    def handle(self, handler_input: HandlerInput) -> Response:
        if api_of(handler_input, self.reminders.client) is None:
            return self.reminders.say(handler_input, [Prompt.of("reminder_unavailable")])
        slot = self.reminders.slot
        wanted = schedule.parse(slot(handler_input, SlotName.TIME),
                                slot(handler_input, SlotName.RECURRENCE))
        if isinstance(wanted, TimeProblem):
            return self.reminders.say(handler_input, [Prompt.of(str(wanted))])
        if not _granted(handler_input):
            builder = handler_input.response_builder
            builder.add_directive(ask_for_consent(wanted.to_token()))
            return builder.response
        return self.reminders.create(handler_input, wanted)


class ConsentAnswer(AbstractRequestHandler):
    """Connections.Response to our AskFor: ACCEPTED, DENIED or NOT_ANSWERED."""

    def __init__(self, reminders: Reminders) -> None:
        self.reminders = reminders

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = handler_input.request_envelope.request
        return (getattr(request, "object_type", None) == RequestType.CONNECTIONS_RESPONSE
                and getattr(request, "name", None) == ASK_FOR)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        payload: Any = getattr(request, "payload", None)
        status = payload.get("status") if isinstance(payload, Mapping) else None
        wanted = Schedule.from_token(getattr(request, "token", None))
        if status == "ACCEPTED" and wanted is not None:
            return self.reminders.create(handler_input, wanted)
        if status == "ACCEPTED":
            return self.reminders.say(handler_input, [Prompt.of("reminder_time_missing")])
        key = "reminder_denied" if status == "DENIED" else "reminder_not_answered"
        return self.reminders.say(handler_input, [Prompt.of(key)])


def _described(alert: Mapping[str, Any]) -> Prompt | None:
    """One listed reminder, said back as it was asked for."""
    trigger = alert.get("trigger")
    if not isinstance(trigger, Mapping):
        return None
    at = str(trigger.get("scheduledTime", ""))
    clock = schedule.parse(at[11:16], None)
    if not isinstance(clock, Schedule):
        return None
    rules = (trigger.get("recurrence") or {}).get("recurrenceRules") or []
    rule = " ".join(str(r) for r in rules)
    if "BYDAY=MO,TU,WE,TH,FR" in rule:
        kind = Recurrence.WEEKDAYS
    elif "BYDAY=SA,SU" in rule:
        kind = Recurrence.WEEKENDS
    elif "FREQ=DAILY" in rule:
        kind = Recurrence.DAILY
    else:
        kind = Recurrence.ONCE
    return Prompt.of(f"reminder_item_{kind}", time=schedule.spoken_time(clock.hour, clock.minute))


class ListReminders(AbstractRequestHandler):
    def __init__(self, reminders: Reminders) -> None:
        self.reminders = reminders

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _intent_name(handler_input) == IntentName.LIST_REMINDERS

    def handle(self, handler_input: HandlerInput) -> Response:
        api = api_of(handler_input, self.reminders.client)
        if api is None:
            return self.reminders.say(handler_input, [Prompt.of("reminder_unavailable")])
        try:
            alerts = api.reminders()
        except ApiError as error:
            return self.reminders.failed(handler_input, error)
        said = [p for p in map(_described, alerts) if p is not None]
        if not said:
            return self.reminders.say(handler_input, [Prompt.of("reminders_none")])
        count = (Prompt.of("reminders_count_one") if len(said) == 1
                 else Prompt.of("reminders_count", count=len(said)))
        return self.reminders.say(handler_input,
                                  [count, *said, Prompt.of("reminders_how_to_delete")])


class DeleteReminders(AbstractRequestHandler):
    def __init__(self, reminders: Reminders) -> None:
        self.reminders = reminders

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _intent_name(handler_input) == IntentName.DELETE_REMINDERS

    def handle(self, handler_input: HandlerInput) -> Response:
        api = api_of(handler_input, self.reminders.client)
        if api is None:
            return self.reminders.say(handler_input, [Prompt.of("reminder_unavailable")])
        return self.reminders.say(handler_input, delete_for(api))


def delete_for(api: AlexaApi) -> list[Part]:
    """Delete the user's reminders and say how it went. ("Forget me" deletes them too, through
    privacy.forget, which says only what happened to the record.)"""
    try:
        count = delete_all_reminders(api)
    except ApiError as error:
        log.warning("reminders API: %s", error)
        return [Prompt.of(f"reminder_error_{error.kind}")]
    if count == 0:
        return [Prompt.of("reminders_none")]
    if count == 1:
        return [Prompt.of("reminders_deleted_one")]
    return [Prompt.of("reminders_deleted", count=count)]


def handlers(reminders: Reminders) -> list[AbstractRequestHandler]:
    return [SetReminder(reminders), ConsentAnswer(reminders), ListReminders(reminders),
            DeleteReminders(reminders)]
