"""The simulator page: GET / and the two small JSON endpoints it needs, as a Flask blueprint.

The page never matches text or builds envelopes itself: POST /simulator/resolve runs the same
`interaction.matcher.Matcher` as `spine-stretch chat`, and POST /simulator/envelope builds the
request with the same `Conversation` (the page keeps only the session id and attributes
between turns, and what its AudioPlayer reports). The page then posts that envelope to /alexa
like any other client and draws the step card from the response's APL datasource.

The page is a device with AudioPlayer, so the cool-down is the skill's real `AudioPlayer.Play`;
the page plays it and reports PlaybackStarted/Stopped/Finished as envelopes built here too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, jsonify, request

from ..alexa.apl import SCREEN_INTERFACES
from ..alexa.cooldown import PLAYBACK_EVENTS
from ..alexa.envelopes import Conversation
from ..interaction.matcher import FALLBACK, Matcher, Resolution
from ..interaction.source import load_interaction
from .simulator_media import add_media_routes

MAX_TEXT_CHARS = 500
MAX_SLOT_CHARS = 200
MAX_TOKEN_CHARS = 400
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.]{0,99}")
# Every device the page plays has an AudioPlayer (an Echo Show and an Echo Dot alike).
PLAYER_INTERFACES: Mapping[str, Any] = {"AudioPlayer": {}}
PLAYER_ACTIVITIES = frozenset({"IDLE", "PLAYING", "PAUSED", "STOPPED", "FINISHED",
                               "BUFFER_UNDERRUN"})


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


def _player(raw: Any) -> dict[str, Any] | None:
    """The AudioPlayer context the page reports, as a device puts it in every request."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise BadTurn('player must be null or {"token", "offsetInMilliseconds", '
                      '"playerActivity"}')
    token, offset, activity = (raw.get("token"), raw.get("offsetInMilliseconds"),
                               raw.get("playerActivity"))
    if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS:
        raise BadTurn(f"player token must be a string of at most {MAX_TOKEN_CHARS} characters")
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise BadTurn("player offsetInMilliseconds must be a whole number, 0 or more")
    if not isinstance(activity, str) or activity not in PLAYER_ACTIVITIES:
        raise BadTurn(f"player playerActivity must be one of {sorted(PLAYER_ACTIVITIES)}")
    return {"token": token, "offsetInMilliseconds": offset, "playerActivity": activity}


def _conversation(session: Any, screen: Any, player: dict[str, Any] | None) -> Conversation:
    if not isinstance(screen, bool):
        raise BadTurn("screen must be true or false")
    interfaces: Mapping[str, Any] = {**PLAYER_INTERFACES, **(SCREEN_INTERFACES if screen else {})}
    if session is None:
        return Conversation(interfaces=interfaces, player=player)
    if not isinstance(session, dict) or not isinstance(session.get("id"), str):
        raise BadTurn("session must be null or {\"id\": string, \"attributes\": object}")
    attributes = session.get("attributes", {})
    if not isinstance(attributes, dict):
        raise BadTurn("session attributes must be an object")
    return Conversation(interfaces=interfaces, session_id=session["id"],
                        attributes=attributes, player=player)


def _player_event(conversation: Conversation, kind: Any, error: Any) -> dict[str, Any]:
    if not isinstance(kind, str) or kind not in PLAYBACK_EVENTS:
        raise BadTurn(f"event must be one of {sorted(PLAYBACK_EVENTS)}")
    player = conversation.player
    if player is None:
        raise BadTurn("an AudioPlayer event needs the player it is about")
    extra: dict[str, Any] = {}
    if kind == "AudioPlayer.PlaybackFailed":
        if not isinstance(error, str) or len(error) > MAX_SLOT_CHARS:
            raise BadTurn(f"a failure needs its error: at most {MAX_SLOT_CHARS} characters")
        extra["error"] = {"type": "MEDIA_ERROR_UNKNOWN", "message": error}
    return conversation.player_event(kind, player["token"], player["offsetInMilliseconds"],
                                     **extra)


def build_envelope(body: Mapping[str, Any]) -> dict[str, Any]:
    """The ASK request for one turn: {"launch": true} or {"intent", "slots", "resolved"} (as
    /simulator/resolve answers), in the session the page carries ({"id", "attributes"}, or
    null for a new one), from a device with a screen (the default) or without; or an
    AudioPlayer report, {"event": "AudioPlayer.PlaybackStopped", ...}, which has no session.
    "player" is what the page's AudioPlayer reports in the context (null: it never played).
    """
    conversation = _conversation(body.get("session"), body.get("screen", True),
                                 _player(body.get("player")))
    if "event" in body:
        return _player_event(conversation, body["event"], body.get("error"))
    if body.get("launch") is True:
        return conversation.launch()
    intent = body.get("intent")
    if not isinstance(intent, str) or not _NAME.fullmatch(intent):
        raise BadTurn('send {"launch": true} or an intent name such as "AMAZON.PauseIntent"')
    return conversation.intent(intent, _slots(body.get("slots")),
                               _resolved(body.get("resolved")))


def simulator_blueprint(audio_dir: Path | None = None) -> Blueprint:
    """GET / (the page), its static files, /simulator/resolve and /simulator/envelope, and
    what the page needs from `audio_dir` to show what it plays (see simulator_media)."""
    matcher = Matcher(load_interaction())
    page = Blueprint("simulator", __name__, static_folder="static",
                     static_url_path="/simulator/static")

    @page.get("/")
    def index() -> Response:
        return page.send_static_file("index.html")

    @page.post("/simulator/resolve")
    def resolve() -> Any:
        try:
            body = _body()
            text, in_session = body.get("text"), body.get("in_session", False)
            if not isinstance(text, str):
                raise BadTurn("text must be what you said, as a string")
            if not isinstance(in_session, bool):
                raise BadTurn("in_session must be true or false")
        except BadTurn as exc:
            return _error(str(exc))
        # Whatever was typed is something said: nothing, a paragraph or emoji is not
        # understood, as Alexa would send AMAZON.FallbackIntent, never an error.
        if len(text) > MAX_TEXT_CHARS:
            resolution, opened = Resolution(intent=FALLBACK), False
        else:
            resolution, opened = matcher.resolve(text, in_session=in_session)
        return jsonify({**asdict(resolution), "opened": opened})

    @page.post("/simulator/envelope")
    def envelope() -> Any:
        try:
            return jsonify({"envelope": build_envelope(_body())})
        except BadTurn as exc:
            return _error(str(exc))

    add_media_routes(page, audio_dir)
    return page
