"""Every request type Alexa sends, as Amazon documents its envelope (tests/data/requests),
posted to the real Flask app as `serve --no-verify` runs it."""

from __future__ import annotations

import json
import logging
import random
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from spine_stretch.alexa.names import IntentName
from spine_stretch.alexa.skill import build_skill
from spine_stretch.content import load
from spine_stretch.core.workout import Content
from spine_stretch.store import Record, Snapshot
from spine_stretch.store.memory import MemoryStore
from spine_stretch.web.app import create_app

REQUESTS = Path(__file__).resolve().parents[1] / "data" / "requests"
USER = "amzn1.ask.account.TESTUSER"


class WatchedStore(MemoryStore):
    """A memory store that counts every read, write and delete."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def get(self, user_id: str) -> Snapshot:
        self.calls.append("get")
        return super().get(user_id)

    def put(self, user_id: str, record: Record, version: int) -> None:
        self.calls.append("put")
        super().put(user_id, record, version)

    def delete(self, user_id: str) -> bool:
        self.calls.append("delete")
        return super().delete(user_id)


def envelope(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((REQUESTS / name).read_text(encoding="utf-8"))
    return data


@pytest.fixture
def watched() -> WatchedStore:
    store = WatchedStore()
    store.put(USER, {"state": {"stage": "reps", "rep": 3}}, 0)
    store.calls.clear()
    return store


@pytest.fixture
def client(content: Content, watched: WatchedStore) -> FlaskClient:
    return create_app(build_skill(content, watched, random.Random(3))).test_client()


def post(client: FlaskClient, body: dict[str, Any]) -> dict[str, Any]:
    reply = client.post("/alexa", json=body)
    assert reply.status_code == 200, reply.get_json()
    data: dict[str, Any] = reply.get_json()
    return data


def can_fulfil(client: FlaskClient, name: str) -> dict[str, Any]:
    answer: dict[str, Any] = post(client, envelope(name))["response"]["canFulfillIntent"]
    return answer


def test_can_fulfil_answers_from_the_model_without_reading_or_writing_the_store(
        client: FlaskClient, watched: WatchedStore) -> None:
    assert can_fulfil(client, "can_fulfill.start.json") == {
        "canFulfill": "YES", "slots": {"reps": {"canUnderstand": "YES", "canFulfill": "YES"}}}
    # Pain is not something to be picked for without being asked by name.
    assert can_fulfil(client, "can_fulfill.pain.json")["canFulfill"] == "NO"
    # An intent of another skill's model.
    assert can_fulfil(client, "can_fulfill.other_skill.json") == {"canFulfill": "NO"}
    # A prop the model does not know: the intent maybe, the slot not; the empty slot is left out.
    assert can_fulfil(client, "can_fulfill.modify_unknown_prop.json") == {
        "canFulfill": "MAYBE", "slots": {"prop": {"canUnderstand": "NO", "canFulfill": "NO"}}}
    assert watched.calls == []


@pytest.mark.parametrize("name", ["apl_user_event.json", "connections_response.other.json",
                                  "display_element_selected.json", "game_engine_input.json",
                                  "skill_enabled.json", "skill_disabled.persisted.json"])
def test_device_reports_and_skill_events_get_no_speech_and_leave_the_session_alone(
        client: FlaskClient, watched: WatchedStore, name: str,
        caplog: pytest.LogCaptureFixture) -> None:
    body = envelope(name)
    if "session" in body:
        body["session"]["attributes"] = {"kept": [1, 2]}
    with caplog.at_level(logging.INFO):
        reply = post(client, body)
    assert reply["response"] == {}  # no speech, no shouldEndSession: the session as it was
    if "session" in body:
        assert reply["sessionAttributes"] == {"kept": [1, 2]}
    assert watched.calls == []
    assert watched.get(USER).record  # the record is untouched
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize("name", ["apl_runtime_error.json",
                                  "apl_runtime_error.unknown_shape.json"])
def test_an_apl_runtime_error_is_one_warning_naming_its_errors(
        client: FlaskClient, name: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        reply = post(client, envelope(name))
    assert reply["response"] == {}
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    assert warnings[0].exc_info is None
    errors = envelope(name)["request"]["errors"]
    assert isinstance(errors[0], dict) and errors[0]["type"] in warnings[0].getMessage()
    assert errors[0]["message"] in warnings[0].getMessage()


@pytest.mark.parametrize("name", ["unknown_type.json", "messaging_received.json"])
def test_a_type_the_skill_does_not_answer_gets_an_empty_response_and_one_info_line(
        client: FlaskClient, watched: WatchedStore, name: str,
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="spine_stretch"):
        reply = post(client, envelope(name))
    assert reply["response"] == {}
    assert watched.calls == []
    lines = [r for r in caplog.records if r.name.startswith("spine_stretch")]
    assert [r.levelno for r in lines] == [logging.INFO], [r.getMessage() for r in lines]
    assert envelope(name)["request"]["type"] in lines[0].getMessage()


@pytest.mark.parametrize("name", sorted(p.name for p in REQUESTS.glob("*.json")))
def test_known_types_with_their_optional_fields_missing_are_answered_not_refused(
        client: FlaskClient, name: str, caplog: pytest.LogCaptureFixture) -> None:
    body = envelope(name)
    body.pop("session", None)
    body["request"] = {key: body["request"][key] for key in ("type", "requestId", "timestamp")}
    reply = post(client, body)
    assert "outputSpeech" not in reply["response"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("name", ["can_fulfill.start.json", "skill_enabled.json",
                                  "apl_runtime_error.json", "unknown_type.json"])
def test_requests_that_name_no_user_are_answered_too(client: FlaskClient, name: str) -> None:
    body = envelope(name)
    body.pop("session", None)
    del body["context"]["System"]["user"]
    reply = post(client, body)
    assert "outputSpeech" not in reply["response"]


def test_skill_disabled_without_keeping_data_deletes_the_record(
        client: FlaskClient, watched: WatchedStore) -> None:
    assert post(client, envelope("skill_disabled.not_persisted.json"))["response"] == {}
    assert watched.get(USER) == Snapshot()
    # Once more, with nothing left to delete: still an acknowledgement.
    assert post(client, envelope("skill_disabled.not_persisted.json"))["response"] == {}


def test_a_failure_on_a_device_report_is_not_apologised_for(
        content: Content, caplog: pytest.LogCaptureFixture) -> None:
    class Broken(MemoryStore):
        def delete(self, user_id: str) -> bool:
            raise RuntimeError("disk on fire")

    app = create_app(build_skill(content, Broken(), random.Random(3))).test_client()
    reply = post(app, envelope("skill_disabled.not_persisted.json"))
    assert "outputSpeech" not in reply["response"]


def test_the_answer_to_our_permission_request_continues_the_reminder(
        client: FlaskClient, watched: WatchedStore) -> None:
    """Connections.Response to the AskFor for reminders is ours to answer (alexa/reminders.py);
    one for any other connection (a purchase, say) is a report, as above."""
    reply = post(client, envelope("connections_response.json"))
    said = reply["response"]["outputSpeech"]["ssml"]
    assert any(variant in said for variant in load().prompts.variants["reminder_time_missing"])
    assert watched.calls == []


@pytest.mark.parametrize("intent", [IntentName.REMINDER, IntentName.LIST_REMINDERS,
                                    IntentName.DELETE_REMINDERS, IntentName.PROGRESS])
def test_can_fulfil_about_an_api_intent_is_only_answered_never_acted_on(
        client: FlaskClient, watched: WatchedStore, intent: str) -> None:
    """The reminders handlers act on an IntentRequest; the same intent named in a
    CanFulfillIntentRequest gets an answer and nothing else (the fuzz test found this)."""
    body = envelope("can_fulfill.start.json")
    body["request"]["intent"] = {"name": intent, "confirmationStatus": "NONE", "slots": {}}
    response = post(client, body)["response"]
    assert set(response) == {"canFulfillIntent"}
    assert response["canFulfillIntent"]["canFulfill"] in ("YES", "MAYBE", "NO")
    assert watched.calls == []
