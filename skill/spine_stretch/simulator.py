"""The simulator page: GET / and the two small JSON endpoints it needs, as a Flask blueprint.

The page never matches text or builds envelopes itself: POST /simulator/resolve runs the same
`nlu.Matcher` as `spine-stretch chat`, and POST /simulator/envelope builds the request with the
same `Conversation` (the page keeps only the session id and attributes between turns). The page
then posts that envelope to /alexa like any other client and draws the step card from the
response's APL datasource.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from flask import Blueprint, Response, jsonify, request

from .alexa.apl import SCREEN_INTERFACES
from .alexa.envelopes import Conversation
from .interaction import load_interaction
from .nlu import Matcher

MAX_TEXT_CHARS = 500
MAX_SLOT_CHARS = 200
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.]{0,99}")


class BadTurn(ValueError):
    """A simulator request the page should never send; the message says what is wrong."""


def _error(message: str) -> tuple[Response, int]:
    return jsonify({"error": message}), 400


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadTurn("the body must be a JSON object")
    return body


def _slots(raw: Any) -> dict[str, str | None]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise BadTurn("slots must be an object of slot name to value (or null)")
    slots: dict[str, str | None] = {}
    for name, value in raw.items():
        if not _NAME.fullmatch(name):
            raise BadTurn(f"slot name {name!r} is not a slot name")
        if value is not None and (not isinstance(value, str) or len(value) > MAX_SLOT_CHARS):
            raise BadTurn(f"slot {name!r} must be a string of at most {MAX_SLOT_CHARS} "
                          "characters, or null")
        slots[name] = value
    return slots


def _resolved(raw: Any) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(
            isinstance(name, str) and _NAME.fullmatch(name) and isinstance(value, str)
            and len(value) <= MAX_SLOT_CHARS for name, value in raw.items()):
        raise BadTurn("resolved must be an object of slot name to canonical value")
    return dict(raw)


def _conversation(session: Any, screen: Any) -> Conversation:
    if not isinstance(screen, bool):
        raise BadTurn("screen must be true or false")
    interfaces: Mapping[str, Any] = SCREEN_INTERFACES if screen else {}
    if session is None:
        return Conversation(interfaces=interfaces)
    if not isinstance(session, dict) or not isinstance(session.get("id"), str):
        raise BadTurn("session must be null or {\"id\": string, \"attributes\": object}")
    attributes = session.get("attributes", {})
    if not isinstance(attributes, dict):
        raise BadTurn("session attributes must be an object")
    return Conversation(interfaces=interfaces, session_id=session["id"],
                        attributes=attributes)


def build_envelope(body: Mapping[str, Any]) -> dict[str, Any]:
    """The ASK request for one turn: {"launch": true} or {"intent", "slots", "resolved"} (as
    /simulator/resolve answers), in the session the page carries ({"id", "attributes"}, or
    null for a new one), from a device with a screen (the default) or without."""
    conversation = _conversation(body.get("session"), body.get("screen", True))
    if body.get("launch") is True:
        return conversation.launch()
    intent = body.get("intent")
    if not isinstance(intent, str) or not _NAME.fullmatch(intent):
        raise BadTurn('send {"launch": true} or an intent name such as "AMAZON.PauseIntent"')
    return conversation.intent(intent, _slots(body.get("slots")),
                               _resolved(body.get("resolved")))


def simulator_blueprint() -> Blueprint:
    """GET / (the page), its static files, /simulator/resolve and /simulator/envelope."""
    matcher = Matcher(load_interaction())
    page = Blueprint("simulator", __name__, static_folder="web_static",
                     static_url_path="/simulator/static")

    @page.get("/")
    def index() -> Response:
        return page.send_static_file("index.html")

    @page.post("/simulator/resolve")
    def resolve() -> Any:
        try:
            text = _body().get("text")
            if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT_CHARS:
                raise BadTurn(f"text must be what you said: 1 to {MAX_TEXT_CHARS} characters")
        except BadTurn as exc:
            return _error(str(exc))
        resolution, opened = matcher.resolve(text)
        return jsonify({**asdict(resolution), "opened": opened})

    @page.post("/simulator/envelope")
    def envelope() -> Any:
        try:
            return jsonify({"envelope": build_envelope(_body())})
        except BadTurn as exc:
            return _error(str(exc))

    return page
