"""ASK's persistence interface over our stores, keyed by the Alexa user id."""

from __future__ import annotations

from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model.request_envelope import RequestEnvelope

from ..store import StoreError, UserStore

# Request attributes: the user's state as loaded, and as the handler left it.
LOADED_STATE = "loaded_state"
NEW_STATE = "new_state"


def user_id_of(envelope: RequestEnvelope) -> str:
    system = envelope.context.system if envelope.context else None
    if system is not None and system.user is not None and system.user.user_id:
        return str(system.user.user_id)
    if envelope.session is not None and envelope.session.user is not None:
        return str(envelope.session.user.user_id)
    raise StoreError("the request names no user, so there is nowhere to keep progress")


class StoreAdapter(AbstractPersistenceAdapter):
    def __init__(self, store: UserStore) -> None:
        self.store = store

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        return self.store.get(user_id_of(request_envelope)) or {}

    def save_attributes(self, request_envelope: RequestEnvelope,
                        attributes: dict[str, Any]) -> None:
        self.store.put(user_id_of(request_envelope), attributes)

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        self.store.put(user_id_of(request_envelope), {})
