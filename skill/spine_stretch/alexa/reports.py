"""Requests that come from the device, not from the user's voice, and requests of types this
skill does not answer: no speech, and the session left as it was."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.request_util import get_request_type
from ask_sdk_model.response import Response

from .codec import raw_request
from .persistence import hashed_user
from .routes import Kind, kind_of

log = logging.getLogger(__name__)

# An error report quotes at most this many errors, each field at most this long: a report
# is the device's text, and a log line must stay a line.
_ERRORS_LIMIT = 5
_FIELD_LIMIT = 120


def describe_errors(raw: Mapping[str, Any]) -> str:
    """An APL/APLA RuntimeError's errors as one short line, whatever their shape."""
    errors = raw.get("errors")
    if not isinstance(errors, list) or not errors:
        return "no errors listed"
    parts = []
    for error in errors[:_ERRORS_LIMIT]:
        if not isinstance(error, dict):
            parts.append(repr(error)[:_FIELD_LIMIT])
            continue
        fields = (f"{key}={str(error[key])[:_FIELD_LIMIT]!r}"
                  for key in ("type", "reason", "message") if key in error)
        parts.append(" ".join(fields) or "an error without type, reason or message")
    more = len(errors) - _ERRORS_LIMIT
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


class DeviceReports(AbstractRequestHandler):
    """APL user events, element selections, Connections responses...: nothing to say.
    A runtime error means our document failed on a screen: a WARNING naming its errors."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return kind_of(str(get_request_type(handler_input))) in (Kind.REPORT,
                                                                 Kind.RUNTIME_ERROR)

    def handle(self, handler_input: HandlerInput) -> Response:
        kind = str(get_request_type(handler_input))
        if kind_of(kind) is Kind.RUNTIME_ERROR:
            request = handler_input.request_envelope.request
            log.warning("%s from user %s: %s", kind,
                        hashed_user(handler_input.request_envelope),
                        describe_errors(raw_request(request)))
        return handler_input.response_builder.response


class Unanswered(AbstractRequestHandler):
    """A request type this skill does not answer: an empty response and one INFO line
    (the request log leaves such requests to this line)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return kind_of(str(get_request_type(handler_input))) is None

    def handle(self, handler_input: HandlerInput) -> Response:
        log.info("ignored %.80s from user %s: not a request this skill answers",
                 get_request_type(handler_input), hashed_user(handler_input.request_envelope))
        return handler_input.response_builder.response
