"""JSON request envelope in, JSON response envelope out, through the skill."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model.request import Request
from ask_sdk_model.request_envelope import RequestEnvelope

from .names import RequestType
from .routes import Kind, kind_of


class EnvelopeSerializer(DefaultSerializer):
    """ask-sdk-core's serializer without two costs its request path adds to every request
    (benchmarks/skill_overhead.py shows deserialising as the largest stage of a warm one):
    the envelope is read from the dict it already is, rather than dumped to JSON and parsed
    back, and an ISO 8601 timestamp (every request has one) is parsed by the standard library
    rather than dateutil's general parser, which is some fifty times slower and is imported
    at a cold start's first request just for this. Anything fromisoformat does not read
    still goes to ask-sdk-core's parser. The SDK's private methods are reached by their
    mangled names (a KeyError at import if a new SDK renames them): pinned versions
    (lambda/requirements.txt) and the codec's tests keep them honest.
    """

    def from_dict(self, payload: Mapping[str, Any], obj_type: type) -> Any:
        return _SDK_DESERIALIZE(self, payload, obj_type)

    def _DefaultSerializer__deserialize_datetime(self, payload: Any, obj_type: Any) -> Any:
        if obj_type is datetime and isinstance(payload, str):
            try:
                return datetime.fromisoformat(payload)
            except ValueError:
                pass
        return _SDK_DATETIME(self, payload, obj_type)


_SDK_DESERIALIZE: Any = vars(DefaultSerializer)["_DefaultSerializer__deserialize"]
_SDK_DATETIME: Any = vars(DefaultSerializer)["_DefaultSerializer__deserialize_datetime"]


_serializer = EnvelopeSerializer()
# An error quotes at most this much of what was sent: a body may be 128 KiB of anything.
QUOTE_LIMIT = 200
# The request as sent, kept on the parsed request under this attribute: the SDK's models drop
# what they do not know (a SkillDisabled event's body, an APL error of a newer type).
RAW_REQUEST = "raw_request"


class BadEnvelope(ValueError):
    """The body is not an ASK request envelope; the message says what is wrong."""


def _require(mapping: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    value = mapping.get(key)
    if not isinstance(value, kind):
        raise BadEnvelope(f"{where}{key} must be a {kind.__name__}")
    return value


def _quote(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) <= QUOTE_LIMIT else f"{text[:QUOTE_LIMIT]}..."


def parse_envelope(body: Any) -> RequestEnvelope:
    if not isinstance(body, dict):
        raise BadEnvelope("the body must be a JSON object (an ASK request envelope)")
    _require(body, "version", str, "")
    request = _require(body, "request", dict, "")
    if _require(request, "type", str, "request.") == RequestType.INTENT:
        # Every intent handler asks the intent's name: an IntentRequest without one is not.
        _require(_require(request, "intent", dict, "request."), "name", str, "request.intent.")
    for key in ("session", "context"):
        if key in body and not isinstance(body[key], dict):
            raise BadEnvelope(f"{key} must be an object")
    try:
        envelope = _deserialize(body)
    except (SerializationException, TypeError, ValueError, AttributeError) as exc:
        if kind_of(str(request["type"])) is Kind.COACHING:
            raise BadEnvelope(f"not a valid ASK request envelope: {_quote(exc)}") from None
        # A request type this SDK does not model, or one with a part it cannot (an APL error
        # of a newer type): a well-formed envelope is answered, not refused, so keep what
        # every request has and let its handler read the rest from RAW_REQUEST.
        envelope = _bare(body, request)
    if not isinstance(envelope, RequestEnvelope) or envelope.request is None:
        raise BadEnvelope("not a valid ASK request envelope")
    setattr(envelope.request, RAW_REQUEST, request)
    return envelope


class UnmodelledRequest(Request):
    """A request whose type (or a part of it) the SDK has no model for: only what every
    request has, the rest left in RAW_REQUEST."""

    def __init__(self, object_type: str, request_id: str | None = None,
                 locale: str | None = None) -> None:
        super().__init__(object_type=object_type, request_id=request_id, locale=locale)


def _deserialize(body: Mapping[str, Any]) -> Any:
    return _serializer.from_dict(body, RequestEnvelope)


def _bare(body: Mapping[str, Any], request: Mapping[str, Any]) -> RequestEnvelope:
    try:
        envelope = _deserialize({key: value for key, value in body.items() if key != "request"})
    except (SerializationException, TypeError, ValueError, AttributeError) as exc:
        raise BadEnvelope(f"not a valid ASK request envelope: {_quote(exc)}") from None
    if not isinstance(envelope, RequestEnvelope):
        raise BadEnvelope("not a valid ASK request envelope")
    request_id, locale = request.get("requestId"), request.get("locale")
    envelope.request = UnmodelledRequest(
        str(request["type"]), request_id if isinstance(request_id, str) else None,
        locale if isinstance(locale, str) else None)
    return envelope


def raw_request(request: Any) -> Mapping[str, Any]:
    """The request as Alexa sent it (see RAW_REQUEST); empty when it was built in-process."""
    raw = getattr(request, RAW_REQUEST, None)
    return raw if isinstance(raw, Mapping) else {}


def invoke(skill: CustomSkill, body: Any) -> dict[str, Any]:
    """The response envelope as JSON; BadEnvelope for a body that is not a request."""
    response = skill.invoke(request_envelope=parse_envelope(body), context=None)
    serialized = _serializer.serialize(response)
    assert isinstance(serialized, dict)
    return serialized
