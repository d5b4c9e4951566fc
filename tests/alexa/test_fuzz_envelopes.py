"""Fuzzed request bodies through the Flask app, as `serve --no-verify` runs it (real SQLite).

Real envelopes with fields deleted or replaced by wrong types, huge and unicode strings,
unknown request types and intents; truncated JSON; raw bytes. The answer is always a JSON
400 (413 past the size limit) or a 200 with a well-formed spoken response (silent where
Alexa allows no speech): never a 500, never a traceback.
"""

from __future__ import annotations

import copy
import json
import random
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from spine_stretch import content as content_module
from spine_stretch.alexa.codec import QUOTE_LIMIT
from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.names import IntentName, RequestType
from spine_stretch.alexa.skill import build_skill
from spine_stretch.store.sqlite import SqliteStore
from spine_stretch.web.app import MAX_BODY_BYTES, create_app

# Examples per property: reported in the issue, and enough to reach every kind of mutation.
ENVELOPE_EXAMPLES = 500
BODY_EXAMPLES = 200
FUZZ = settings(max_examples=ENVELOPE_EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    store = SqliteStore(tmp_path_factory.mktemp("fuzz") / "users.db")
    return create_app(build_skill(content_module.load(), store, random.Random(0))).test_client()


def _bases() -> list[dict[str, Any]]:
    talk = Conversation()
    bases = [talk.launch(), talk.session_ended(), talk.intent("StartStretchIntent", {"reps": "7"})]
    bases += [talk.intent(name) for name in IntentName]
    return bases


BASES = _bases()

texts = (st.text(max_size=40)
         | st.text(st.characters(codec="utf-8"), min_size=1, max_size=20)
         | st.text(st.characters(categories=["Cs", "Co", "Cc", "Mn"]), max_size=10)
         | st.builds(lambda char, n: char * n, st.characters(), st.integers(1_000, 10_000)))
scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
           | texts)
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner,
                                                                        max_size=4),
    max_leaves=8,
)
request_types = st.sampled_from([
    *RequestType, "AudioPlayer.PlaybackStarted", "AudioPlayer.PlaybackFailed",
    "PlaybackController.NextCommandIssued", "System.ExceptionEncountered",
    "CanFulfillIntentRequest", "Connections.Response", "Alexa.Presentation.APL.UserEvent",
    "Alexa.Presentation.APL.RuntimeError", "AlexaSkillEvent.SkillDisabled",
    "Messaging.Message"]) | texts
intent_names = st.sampled_from([*IntentName, "DanceIntent", "AMAZON.ScrollUpIntent"]) | texts


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key path into nested dicts and lists."""
    items = (data.items() if isinstance(data, dict)
             else enumerate(data) if isinstance(data, list) else ())
    for key, value in items:
        yield (*prefix, key)
        yield from _paths(value, (*prefix, key))


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path[:-1]:
        data = data[key]
    return data


@st.composite
def envelopes(draw: st.DrawFn) -> dict[str, Any]:
    envelope: dict[str, Any] = copy.deepcopy(draw(st.sampled_from(BASES)))
    request = envelope["request"]
    # Mostly small changes, so that many envelopes still reach the skill's handlers.
    if draw(st.integers(0, 2)) == 0:
        request["type"] = draw(request_types)
    if "intent" in request and draw(st.booleans()):
        request["intent"]["name"] = draw(intent_names)
        request["intent"]["slots"] = draw(st.dictionaries(texts, json_values, max_size=3)
                                          | st.just({"reps": {"name": "reps",
                                                              "value": draw(texts)}}))
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2, 4]))):
        paths = list(_paths(envelope))
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(envelope, path)
        if draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(json_values)
    return envelope


def is_silent(request_type: str) -> bool:
    """Requests answered without speech: only a launch or an intent is the user speaking
    (the rest: the session is over, the device reports, Alexa asks, or a type we skip)."""
    return request_type not in (RequestType.LAUNCH, RequestType.INTENT)


def check_answer(client: FlaskClient, body: bytes) -> None:
    reply = client.post("/alexa", data=body, content_type="application/json")
    text = reply.get_data(as_text=True)
    assert "Traceback" not in text and reply.mimetype == "application/json", text
    answer = json.loads(text)
    event(f"HTTP {reply.status_code}")
    if len(body) > MAX_BODY_BYTES:
        assert reply.status_code == 413 and answer["error"]
        return
    assert reply.status_code in (200, 400), text
    if reply.status_code == 400:
        assert isinstance(answer["error"], str) and 0 < len(answer["error"]) < 2 * QUOTE_LIMIT
        return
    assert answer["version"] == "1.0"
    sent = json.loads(body)
    response = answer["response"]
    if is_silent(sent["request"]["type"]):
        assert not {"outputSpeech", "reprompt", "card"} & set(response), response
        return
    speech = response["outputSpeech"]
    assert speech["type"] == "SSML"
    assert ElementTree.fromstring(speech["ssml"]).tag == "speak"
    assert isinstance(response["shouldEndSession"], bool)


def _without_intent_name(name: object) -> dict[str, Any]:
    envelope = Conversation().intent("AMAZON.NextIntent")
    envelope["request"]["intent"] = name
    return envelope


@FUZZ
@given(envelopes())
@example(_without_intent_name(None))
@example(_without_intent_name({"slots": {}}))
@example(_without_intent_name({"name": 7}))
@example(BASES[0] | {"request": {**BASES[0]["request"], "type": "AudioPlayer.PlaybackStarted"}})
@example(Conversation(user_id="amzn1.ask.account.\udedc").launch())
def test_fuzzed_envelopes_get_a_400_or_a_spoken_answer(client: FlaskClient,
                                                      envelope: dict[str, Any]) -> None:
    check_answer(client, json.dumps(envelope).encode())


def _truncated(envelope: dict[str, Any], cut: float) -> bytes:
    body = json.dumps(envelope).encode()
    return body[:int(len(body) * cut)]


bodies = (st.builds(_truncated, st.sampled_from(BASES), st.floats(0, 0.999))
          | st.binary(max_size=300)
          | json_values.map(lambda value: json.dumps(value).encode()))


@settings(FUZZ, max_examples=BODY_EXAMPLES)
@given(bodies)
def test_truncated_json_and_raw_bytes_are_a_json_400(client: FlaskClient, body: bytes) -> None:
    check_answer(client, body)
