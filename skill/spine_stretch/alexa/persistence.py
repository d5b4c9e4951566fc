"""ASK's persistence interface over our stores, keyed by the Alexa user id.

Saves are compare-and-swap (see `store`): the version read at the start of a turn travels
with the persistent attributes under `VERSION_KEY`, and the save at its end names it. A turn
whose save lost the race to another request for the same user is run again, from its
request, on the record as the other request left it (`RetryingSkill`), so neither update is
lost.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model.request_envelope import RequestEnvelope
from ask_sdk_model.response_envelope import ResponseEnvelope

from ..core.logsafe import hashed_user_id
from ..store import StoreConflict, StoreError, UserStore

log = logging.getLogger(__name__)

VERSION_KEY = "_version"
# Runs of one turn in all, when its saves keep losing races. One device sends one request at
# a time, so even a busy household rarely has more than two of a user's turns in flight.
ATTEMPTS = 3

# Request attributes: the user's state as loaded, and as the handler left it.
LOADED_STATE = "loaded_state"
NEW_STATE = "new_state"


def user_id_of(envelope: RequestEnvelope) -> str:
    system = envelope.context.system if envelope.context else None
    if system is not None and system.user is not None and system.user.user_id:
        return str(system.user.user_id)
    session = envelope.session
    if session is not None and session.user is not None and session.user.user_id:
        return str(session.user.user_id)
    raise StoreError("the request names no user, so there is nowhere to keep progress")


def hashed_user(envelope: RequestEnvelope) -> str:
    """The request's user as logs may name them (see `logsafe`), or "unknown"."""
    try:
        return hashed_user_id(user_id_of(envelope))
    except StoreError:
        return "unknown"


class StoreAdapter(AbstractPersistenceAdapter):
    def __init__(self, store: UserStore) -> None:
        self.store = store

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        snapshot = self.store.get(user_id_of(request_envelope))
        return {**snapshot.record, VERSION_KEY: snapshot.version}

    def save_attributes(self, request_envelope: RequestEnvelope,
                        attributes: dict[str, Any]) -> None:
        record = dict(attributes)
        version = record.pop(VERSION_KEY, None)
        if not isinstance(version, int):
            raise StoreError("attributes to save must be the ones read this turn, with their "
                             f"{VERSION_KEY}: without it a save could erase another's update")
        self.store.put(user_id_of(request_envelope), record, version)
        # The manager keeps this dict: a second save in the same turn writes over this one.
        attributes[VERSION_KEY] = version + 1

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        self.store.delete(user_id_of(request_envelope))


# ASK gives an exception handler no way to know that a turn will run again; this per-thread
# (and per-task) flag tells it, so that it lets a lost race through instead of apologising.
_will_run_again: ContextVar[bool] = ContextVar("will_run_again", default=False)


def will_retry(exception: Exception) -> bool:
    """Whether `RetryingSkill` will run this turn again after `exception`."""
    return isinstance(exception, StoreConflict) and _will_run_again.get()


class RetryingSkill(CustomSkill):
    """A skill whose turns run again, on fresh state, when their save lost a race.

    A run re-reads the record, so the engine advances from what the other request saved.
    The last run's conflict reaches the exception handler like any other store error.
    """

    def invoke(self, request_envelope: RequestEnvelope, context: Any) -> ResponseEnvelope:
        for attempt in range(1, ATTEMPTS):
            token = _will_run_again.set(True)
            try:
                return super().invoke(request_envelope, context)
            except StoreConflict:
                log.info("user %s's record changed during the turn; running it again (%d/%d)",
                         hashed_user(request_envelope), attempt + 1, ATTEMPTS)
            finally:
                _will_run_again.reset(token)
        return super().invoke(request_envelope, context)
