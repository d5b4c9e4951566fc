"""The Flask host: real envelopes through the test client, errors as JSON, never a 500."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from flask.testing import FlaskClient

from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.skill import build_skill
from spine_stretch.core.ssml import to_plain
from spine_stretch.core.workout import Content
from spine_stretch.store.memory import MemoryStore
from spine_stretch.web.app import MAX_BODY_BYTES, create_app
from tests.conftest import FakeClock


@pytest.fixture
def client(content: Content) -> FlaskClient:
    app = create_app(build_skill(content, MemoryStore(), random.Random(1)))
    return app.test_client()


def post(client: FlaskClient, conversation: Conversation, envelope: dict[str, Any],
         clock: FakeClock) -> dict[str, Any]:
    reply = client.post("/alexa", json=envelope)
    assert reply.status_code == 200, reply.get_data(as_text=True)
    body: dict[str, Any] = reply.get_json()
    conversation.absorb(body)
    ssml = body["response"].get("outputSpeech", {}).get("ssml", "")
    from spine_stretch.core.ssml import spoken_seconds

    clock.advance(spoken_seconds(ssml) + 1)
    return body


def test_a_whole_session_from_launch_to_the_last_rep(
        client: FlaskClient, conversation: Conversation, clock: FakeClock,
        content: Content, caplog: pytest.LogCaptureFixture) -> None:
    launch = post(client, conversation, conversation.launch(), clock)
    text = to_plain(launch["response"]["outputSpeech"]["ssml"])
    for step in content.workout.setup:
        assert step.say in text
    assert launch["response"]["shouldEndSession"] is False
    assert launch["response"]["reprompt"]["outputSpeech"]["ssml"]
    # Hands-free: the setup flows into rep one and on through the last rep.
    workout = content.workout
    assert (text.index(workout.setup[-1].say) < text.index(workout.phases[0].step.say)
            < text.index(workout.phases[1].step.say))
    assert "[1 s] two [1 s] three [1 s] four" in text
    assert "That's all" in text or "reps done" in text
    after = post(client, conversation, conversation.intent("AMAZON.NextIntent"), clock)
    assert "last rep" in to_plain(after["response"]["outputSpeech"]["ssml"])
    stop = post(client, conversation, conversation.intent("AMAZON.StopIntent"), clock)
    assert stop["response"]["shouldEndSession"] is True
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def test_unknown_intent_gets_a_spoken_answer(client: FlaskClient,
                                            conversation: Conversation, clock: FakeClock) -> None:
    body = post(client, conversation, conversation.intent("DanceIntent"), clock)
    assert "didn" in to_plain(body["response"]["outputSpeech"]["ssml"])


def test_start_without_slots_key_uses_the_default(client: FlaskClient,
                                                  conversation: Conversation,
                                                  clock: FakeClock) -> None:
    envelope = conversation.intent("StartStretchIntent")
    del envelope["request"]["intent"]["slots"]
    body = post(client, conversation, envelope, clock)
    assert "five reps" in to_plain(body["response"]["outputSpeech"]["ssml"])


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[1, 2]", b'{"version": "1.0"}', b'{"version": "1.0", "request": 3}',
     b'{"version": "1.0", "request": {"type": 7}}', b'{"truncated": ',
     b'{"version": "1.0", "request": {"type": "LaunchRequest"}, "session": "x"}'],
)
def test_a_body_that_is_not_an_envelope_is_a_json_400(client: FlaskClient, body: bytes) -> None:
    reply = client.post("/alexa", data=body, content_type="application/json")
    assert reply.status_code == 400
    assert "error" in reply.get_json()
    assert "Traceback" not in reply.get_data(as_text=True)


def test_a_request_without_a_user_is_answered_with_an_apology(
        client: FlaskClient, conversation: Conversation) -> None:
    envelope = conversation.launch()
    del envelope["context"]["System"]["user"]
    del envelope["session"]["user"]
    reply = client.post("/alexa", json=envelope)
    assert reply.status_code == 200
    assert "Sorry" in reply.get_json()["response"]["outputSpeech"]["ssml"]


def test_oversized_bodies_are_refused(client: FlaskClient) -> None:
    reply = client.post("/alexa", data=b"{" + b" " * MAX_BODY_BYTES + b"}",
                        content_type="application/json")
    assert reply.status_code == 413 and "error" in reply.get_json()


def test_healthz_and_unknown_paths(client: FlaskClient) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok"}
    missing = client.get("/nope")
    assert missing.status_code == 404 and json.loads(missing.data)["error"]
    assert client.get("/alexa").status_code == 405
