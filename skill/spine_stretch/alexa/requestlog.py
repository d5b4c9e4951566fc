"""One log line per request: what was asked and by whom, the user only as a hash.

Never the raw user id, the device id, the access token or what the user said in a slot:
logs are read by more people, and kept longer, than the store.
"""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components.request_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput

from .persistence import hashed_user
from .routes import PRIVATE_INTENTS, kind_of

log = logging.getLogger(__name__)

# An intent name is at most a few dozen characters; anything longer is not Alexa's.
_NAME_LIMIT = 80


class LogRequest(AbstractRequestInterceptor):
    def process(self, handler_input: HandlerInput) -> None:
        # Hashing the user costs more than the rest of this line: not done for a line no one
        # logs (Lambda's default level is WARNING).
        if not log.isEnabledFor(logging.INFO):
            return
        envelope = handler_input.request_envelope
        name = getattr(getattr(envelope.request, "intent", None), "name", None)
        what = str(getattr(envelope.request, "object_type", None))
        if kind_of(what) is None:
            return  # reports.Unanswered logs the one line such a request gets
        if name in PRIVATE_INTENTS:
            what += " (a private intent)"
        elif isinstance(name, str):
            what += f" {name[:_NAME_LIMIT]!r}"
        log.info("%s from user %s", what, hashed_user(envelope))
