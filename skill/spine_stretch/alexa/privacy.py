"""Personal data: forgetting a user when they ask, and when they disable the skill.

What is kept is the coaching state (place, reps, pace); nothing about pain or body parts is
stored or logged. A user can have it deleted by voice ("delete my data", then "yes") and
it is deleted when they disable the skill and Alexa says their data is not to be kept.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.request_util import get_request_type
from ask_sdk_model.response import Response

from ..core.engine import Transition
from ..core.speech import Prompt
from ..core.state import State
from ..store import StoreError, UserStore
from .alexa_api import ApiError, HttpClient, delete_all_reminders
from .codec import raw_request
from .names import RequestType
from .persistence import VERSION_KEY, hashed_user, user_id_of
from .routes import Kind, kind_of
from .timezone import api_of

log = logging.getLogger(__name__)

# What a SkillDisabled event's body says when the user's data is not to be kept: see
# https://developer.amazon.com/en-US/docs/alexa/smapi/skill-events-in-alexa-skills.html
NOT_PERSISTED = "NOT_PERSISTED"


def has_record(handler_input: HandlerInput) -> bool:
    """Whether the user had a record when this turn loaded it (a new user has version 0)."""
    attributes = handler_input.attributes_manager.persistent_attributes
    version = attributes.get(VERSION_KEY, 0)
    return isinstance(version, int) and version > 0


def nothing_to_forget(state: State) -> Transition:
    """What a user with no record hears: there is nothing to confirm, nor to delete."""
    return Transition(state, (Prompt.of("forget_nothing"),), end_session=True)


def forget(store: UserStore, handler_input: HandlerInput, confirmed: Transition,
           http: HttpClient) -> Transition:
    """Delete the user's reminders and record after their yes; if the record was already
    gone, say so instead. Reminders go first and only as far as the Reminders API lets us
    (no permission, no reminders): a failure there is logged, never keeps the record."""
    envelope = handler_input.request_envelope
    api = api_of(handler_input, http)
    if api is not None:
        try:
            deleted = delete_all_reminders(api)
            log.info("deleted %d reminders of user %s at their request", deleted,
                     hashed_user(envelope))
        except ApiError as error:
            log.warning("could not delete the reminders of user %s: %s", hashed_user(envelope),
                        error)
    existed = store.delete(user_id_of(envelope))
    log.info("deleted the record of user %s at their request (%s)", hashed_user(envelope),
             "it existed" if existed else "there was none")
    return confirmed if existed else replace(confirmed, say=nothing_to_forget(State()).say)


class SkillEvents(AbstractRequestHandler):
    """AlexaSkillEvent.*: acknowledged without speech; a disable that asks for the user's
    data not to be kept deletes their record."""

    def __init__(self, store: UserStore) -> None:
        self.store = store

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return kind_of(str(get_request_type(handler_input))) is Kind.SKILL_EVENT

    def handle(self, handler_input: HandlerInput) -> Response:
        envelope = handler_input.request_envelope
        body = raw_request(envelope.request).get("body")
        status = body.get("userInformationPersistenceStatus") if isinstance(body, dict) else None
        if (get_request_type(handler_input) == RequestType.SKILL_DISABLED
                and status == NOT_PERSISTED):
            try:
                existed = self.store.delete(user_id_of(envelope))
            except StoreError as exc:
                # Alexa does not resend skill events: say loudly that a deletion was missed.
                log.error("could not delete the record of user %s who disabled the skill: %s",
                          hashed_user(envelope), exc)
            else:
                log.info("user %s disabled the skill: record %s", hashed_user(envelope),
                         "deleted" if existed else "already absent")
        return handler_input.response_builder.response
