"""The simulator's server side through the Flask test client: the page, resolve, envelope."""

from __future__ import annotations

import random
import re
from dataclasses import asdict
from typing import Any

import pytest
from flask.testing import FlaskClient

from spine_stretch.alexa.apl import SCREEN_INTERFACES
from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.skill import build_skill
from spine_stretch.core.speech import WORDS_PER_SECOND
from spine_stretch.core.workout import Content
from spine_stretch.interaction.matcher import Matcher
from spine_stretch.interaction.source import load_interaction
from spine_stretch.store.memory import MemoryStore
from spine_stretch.web.app import create_app
from spine_stretch.web.simulator import PLAYER_INTERFACES
from tests.paths import ROOT

from .tamper_ca import build_ca
from .test_verify import verifier

STATIC = ROOT / "skill" / "spine_stretch" / "web" / "static"


@pytest.fixture
def client(content: Content) -> FlaskClient:
    return create_app(build_skill(content, MemoryStore(), random.Random(1))).test_client()


def ok(client: FlaskClient, url: str, body: Any) -> dict[str, Any]:
    reply = client.post(url, json=body)
    assert reply.status_code == 200, reply.get_data(as_text=True)
    data: dict[str, Any] = reply.get_json()
    return data


def comparable(value: Any) -> Any:
    """The envelope without what differs on every call: its ids and timestamp."""
    if isinstance(value, dict):
        return {key: "..." if key in {"sessionId", "requestId", "timestamp"} else comparable(v)
                for key, v in value.items()}
    return value


def test_the_page_and_its_modules_are_served(client: FlaskClient) -> None:
    # Static files are streamed: each reply is closed so its file is.
    with client.get("/") as page:
        assert page.status_code == 200 and page.mimetype == "text/html"
        html = page.get_data(as_text=True)
    assert '<script type="module" src="/simulator/static/app.js">' in html
    assert '<label for="say">' in html and 'id="say"' in html
    for name in ("Pause", "Resume", "Next", "Repeat", "Slower", "Faster"):
        assert f">{name}</button>" in html
    for module in sorted(STATIC.glob("*.js")):
        with client.get(f"/simulator/static/{module.name}") as reply:
            assert reply.status_code == 200
            assert reply.mimetype in {"text/javascript", "application/javascript"}
    with client.get("/simulator/static/style.css") as reply:
        assert reply.mimetype == "text/css"


@pytest.mark.parametrize("text", ["start spine stretch", "hold on", "start with eight reps",
                                  "ask spine stretch to pause", "how do I modify this",
                                  "Alexa, tell spine stretch to start with 3 reps"])
def test_resolve_answers_what_chat_would(client: FlaskClient, text: str) -> None:
    resolution, opened = Matcher(load_interaction()).resolve(text)
    assert ok(client, "/simulator/resolve", {"text": text}) == {**asdict(resolution),
                                                                "opened": opened}


BAD_INPUT = ["", "   ", "x" * 500, "x" * 501, "Wie geht es dir heute?", "¿Dónde está el baño?",
             "12345", "😀🙃🧘", "?!?...;;", "stop " * 100]


@pytest.mark.parametrize("text", BAD_INPUT)
def test_anything_typed_is_answered_with_a_fallback_never_an_error(
        client: FlaskClient, text: str) -> None:
    resolution = ok(client, "/simulator/resolve", {"text": text, "in_session": True})
    assert resolution["intent"] == "AMAZON.FallbackIntent" and not resolution["opened"]
    launch = ok(client, "/simulator/envelope", {"launch": True, "session": None})["envelope"]
    session = {"id": launch["session"]["sessionId"], "attributes": {}}
    turn = {key: resolution[key] for key in ("intent", "slots", "resolved")}
    envelope = ok(client, "/simulator/envelope", {**turn, "session": session})["envelope"]
    reply = ok(client, "/alexa", envelope)
    assert "didn" in reply["response"]["outputSpeech"]["ssml"]


def test_inside_a_session_start_spine_stretch_starts_the_exercise(client: FlaskClient) -> None:
    inside = ok(client, "/simulator/resolve", {"text": "start spine stretch", "in_session": True})
    outside = ok(client, "/simulator/resolve", {"text": "start spine stretch"})
    assert (inside["intent"], inside["opened"]) == ("StartStretchIntent", False)
    assert outside["launch"] and outside["opened"]


@pytest.mark.parametrize(("body", "complaint"), [
    ("not json", "JSON object"),
    ({}, "text must be"),
    ({"text": 7}, "text must be"),
    ({"text": "next", "in_session": "yes"}, "in_session must be"),
])
def test_resolve_refuses_what_is_not_an_utterance(client: FlaskClient, body: Any,
                                                  complaint: str) -> None:
    reply = (client.post("/simulator/resolve", data=body) if isinstance(body, str)
             else client.post("/simulator/resolve", json=body))
    assert reply.status_code == 400
    assert complaint in reply.get_json()["error"]


def test_envelopes_are_conversations_envelopes(client: FlaskClient) -> None:
    screen = Conversation(interfaces={**PLAYER_INTERFACES, **SCREEN_INTERFACES})
    built = ok(client, "/simulator/envelope", {"launch": True, "screen": True,
                                                "session": None})["envelope"]
    assert comparable(built) == comparable(screen.launch())
    plain = Conversation(interfaces=PLAYER_INTERFACES)
    built = ok(client, "/simulator/envelope", {
        "intent": "PaceIntent", "slots": {"pace": "slower"}, "resolved": {"pace": "slower"},
        "screen": False, "session": None})["envelope"]
    assert comparable(built) == comparable(plain.intent("PaceIntent", {"pace": "slower"},
                                                        {"pace": "slower"}))


def test_a_session_carries_over_between_turns(client: FlaskClient) -> None:
    launch = ok(client, "/simulator/envelope", {"launch": True, "screen": True})["envelope"]
    response = ok(client, "/alexa", launch)
    assert response["response"]["shouldEndSession"] is False
    assert response["response"]["directives"][0]["datasources"]["stepCard"]["stepText"]
    session = {"id": launch["session"]["sessionId"],
               "attributes": response.get("sessionAttributes") or {"kept": 1}}
    pause = ok(client, "/simulator/envelope", {"intent": "AMAZON.PauseIntent",
                                               "screen": True, "session": session})["envelope"]
    assert pause["session"]["new"] is False
    assert pause["session"]["sessionId"] == session["id"]
    assert pause["session"]["attributes"] == session["attributes"]
    paused = ok(client, "/alexa", pause)
    assert paused["response"]["directives"][0]["datasources"]["stepCard"]["status"]


PLAYER: dict[str, Any] = {"token": "spine-stretch:abc:cooldown-5x4-0",
                          "offsetInMilliseconds": 61_250,
                          "playerActivity": "PLAYING"}


def test_the_page_reports_its_audio_player_as_a_device_does(client: FlaskClient) -> None:
    device = Conversation(interfaces=PLAYER_INTERFACES, player=PLAYER)
    built = ok(client, "/simulator/envelope", {"intent": "AMAZON.PauseIntent",
                                                "screen": False, "player": PLAYER})["envelope"]
    assert comparable(built) == comparable(device.intent("AMAZON.PauseIntent"))
    event = ok(client, "/simulator/envelope", {"event": "AudioPlayer.PlaybackStopped",
                                                "screen": False, "player": PLAYER})["envelope"]
    assert comparable(event) == comparable(device.player_event(
        "AudioPlayer.PlaybackStopped", PLAYER["token"], PLAYER["offsetInMilliseconds"]))
    assert "session" not in event
    failed = ok(client, "/simulator/envelope", {"event": "AudioPlayer.PlaybackFailed",
                                                 "player": PLAYER, "error": "no decoder"})
    assert failed["envelope"]["request"]["error"] == {"type": "MEDIA_ERROR_UNKNOWN",
                                                      "message": "no decoder"}


@pytest.mark.parametrize(("body", "complaint"), [
    ([], "JSON object"),
    ({"intent": "Pause Intent"}, "intent name"),
    ({}, "intent name"),
    ({"intent": "AMAZON.PauseIntent", "slots": ["pace"]}, "slots must be"),
    ({"intent": "PaceIntent", "slots": {"pace": "x" * 201}}, "200 characters"),
    ({"intent": "PaceIntent", "slots": {"a pace": "slow"}}, "not a slot name"),
    ({"intent": "AMAZON.PauseIntent", "session": "abc"}, "session must be"),
    ({"intent": "AMAZON.PauseIntent", "session": {"id": "s", "attributes": []}},
     "attributes must be"),
    ({"launch": True, "screen": "yes"}, "screen must be"),
    ({"intent": "PaceIntent", "resolved": {"pace": 1}}, "resolved must be"),
    ({"intent": "PaceIntent", "resolved": ["pace"]}, "resolved must be"),
    ({"intent": "AMAZON.PauseIntent", "player": "playing"}, "player must be"),
    ({"intent": "AMAZON.PauseIntent", "player": dict(PLAYER, token=7)}, "token must be"),
    ({"intent": "AMAZON.PauseIntent", "player": dict(PLAYER, token="t" * 401)},
     "400 characters"),
    ({"intent": "AMAZON.PauseIntent", "player": dict(PLAYER, offsetInMilliseconds=-1)},
     "offsetInMilliseconds"),
    ({"intent": "AMAZON.PauseIntent", "player": dict(PLAYER, offsetInMilliseconds=True)},
     "offsetInMilliseconds"),
    ({"intent": "AMAZON.PauseIntent", "player": dict(PLAYER, playerActivity="JAMMING")},
     "playerActivity"),
    ({"intent": "AMAZON.PauseIntent", "player": dict(PLAYER, playerActivity=["PLAYING"])},
     "playerActivity"),
    ({"event": ["AudioPlayer.PlaybackStarted"], "player": PLAYER}, "event must be one of"),
    ({"event": "AudioPlayer.PlaybackStarted"}, "needs the player"),
    ({"event": "AudioPlayer.Play", "player": PLAYER}, "event must be one of"),
    ({"event": "AudioPlayer.PlaybackFailed", "player": PLAYER}, "needs its error"),
])
def test_envelope_refuses_a_malformed_turn(client: FlaskClient, body: Any,
                                           complaint: str) -> None:
    reply = client.post("/simulator/envelope", json=body)
    assert reply.status_code == 400
    assert complaint in reply.get_json()["error"]


def test_a_verifying_server_has_no_simulator(content: Content) -> None:
    checker, _ = verifier(build_ca())
    client = create_app(build_skill(content, MemoryStore()), checker).test_client()
    assert client.get("/").status_code == 404
    reply = client.post("/simulator/resolve", json={"text": "start"})
    assert reply.status_code in (404, 405) and "error" in reply.get_json()


def test_the_page_paces_silent_speech_like_the_skill() -> None:
    player = (STATIC / "player.js").read_text(encoding="utf-8")
    found = re.search(r"export const WORDS_PER_SECOND = ([\d.]+);", player)
    assert found is not None and float(found.group(1)) == WORDS_PER_SECOND
