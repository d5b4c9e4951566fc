"""The DynamoDB store against moto: round trips, resume across skills, and every failure as
a StoreError that the skill turns into a spoken apology."""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from spine_stretch.alexa.codec import invoke
from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.skill import build_skill
from spine_stretch.core.ssml import to_plain
from spine_stretch.core.workout import Content
from spine_stretch.store import Snapshot, StoreConflict, StoreError, open_store
from spine_stretch.store.dynamodb import CLIENT_CONFIG, DynamoStore
from tests.aws import REGION, TABLE, create_table, fake_aws
from tests.conftest import FakeClock


@pytest.fixture
def dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    fake_aws(monkeypatch)
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        create_table(client)
        yield client


def spoken(response: dict[str, Any]) -> str:
    return to_plain(response["response"]["outputSpeech"]["ssml"])


def test_round_trip_keeps_floats_and_users_apart(dynamodb: Any) -> None:
    store = open_store(f"dynamodb://{TABLE}")
    assert isinstance(store, DynamoStore)
    assert store.get("a") == Snapshot()
    store.put("a", {"state": {"rep": 3, "block_end_at": 1764140400.25}}, 0)
    store.put("b", {"state": {"rep": 1}}, 0)
    store.put("a", {"state": {"rep": 4, "block_end_at": 0.5}}, 1)
    assert store.get("a") == Snapshot({"state": {"rep": 4, "block_end_at": 0.5}}, 2)
    assert store.get("b") == Snapshot({"state": {"rep": 1}}, 1)
    item = dynamodb.get_item(TableName=TABLE, Key={"id": {"S": "a"}})["Item"]
    assert json.loads(item["record"]["S"]) == {"state": {"block_end_at": 0.5, "rep": 4}}


def test_the_client_is_made_on_first_use_not_when_the_store_opens(dynamodb: Any) -> None:
    made: list[Any] = []

    def factory() -> Any:
        made.append(boto3.client("dynamodb", region_name=REGION))
        return made[-1]

    store = DynamoStore(TABLE, client_factory=factory)
    assert made == []
    store.get("a")
    store.put("a", {}, 0)
    assert len(made) == 1


@pytest.mark.parametrize("stale", [0, 1, 5])
def test_a_write_over_a_version_that_moved_on_is_a_conflict(dynamodb: Any, stale: int) -> None:
    store = open_store(f"dynamodb://{TABLE}")
    store.put("a", {"turn": 1}, 0)
    store.put("a", {"turn": 2}, 1)
    with pytest.raises(StoreConflict):
        store.put("a", {"turn": "lost"}, stale)
    assert store.get("a") == Snapshot({"turn": 2}, 2)


def test_resume_in_a_new_skill_over_the_same_table(dynamodb: Any, content: Content) -> None:
    clock = FakeClock()
    talk = Conversation(clock=clock)
    first = build_skill(content, open_store(f"dynamodb://{TABLE}"), random.Random(0))
    talk.absorb(invoke(first, talk.intent("StartStretchIntent", {"reps": "12"})))
    clock.advance(10)  # "next" during the setup: on to rep one
    talk.absorb(invoke(first, talk.intent("AMAZON.NextIntent")))
    clock.advance(300)
    talk.absorb(invoke(first, talk.intent("AMAZON.NextIntent")))
    clock.advance(10)
    invoke(first, talk.session_ended("USER_INITIATED"))
    talk.end()

    clock.advance(3600)
    second = build_skill(content, open_store(f"dynamodb://{TABLE}"), random.Random(0))
    welcome = spoken(invoke(second, talk.launch()))
    assert welcome.startswith(("Welcome back", "Good to have you back"))
    assert "rep six of twelve" in welcome


@pytest.mark.parametrize("url", ["dynamodb://", "dynamodb://a", "dynamodb://has space"])
def test_bad_table_names_are_refused_when_the_store_opens(url: str) -> None:
    with pytest.raises(StoreError, match="not a DynamoDB table name"):
        open_store(url)


def test_a_missing_table_is_a_store_error_that_names_it(dynamodb: Any) -> None:
    store = DynamoStore("no-such-table")
    with pytest.raises(StoreError, match="'no-such-table' does not exist"):
        store.get("a")
    with pytest.raises(StoreError, match="does not exist"):
        store.put("a", {}, 0)


def test_a_record_that_is_not_json_is_a_store_error(dynamodb: Any) -> None:
    dynamodb.put_item(TableName=TABLE, Item={"id": {"S": "a"}, "record": {"S": "{nope"}})
    dynamodb.put_item(TableName=TABLE, Item={"id": {"S": "b"}, "record": {"N": "1"}})
    dynamodb.put_item(TableName=TABLE, Item={"id": {"S": "c"}, "record": {"S": "[1]"}})
    store = DynamoStore(TABLE)
    for user, reason in (("a", "not a JSON string"), ("b", "not a JSON string"),
                         ("c", "not a JSON object")):
        with pytest.raises(StoreError, match=reason):
            store.get(user)


def test_no_region_is_a_store_error(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_aws(monkeypatch)
    monkeypatch.delenv("AWS_REGION")
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    with pytest.raises(StoreError, match="region"):
        DynamoStore(TABLE).get("a")


def throttled_client(*errors: str) -> Any:
    """A real botocore client whose calls answer as DynamoDB does when it throttles."""
    client = boto3.client("dynamodb", region_name=REGION, config=CLIENT_CONFIG)
    stubber = Stubber(client)
    stubber.add_response("get_item", {})
    for code in errors:
        stubber.add_client_error("put_item", service_error_code=code, http_status_code=400)
    stubber.activate()
    return client


def test_a_throttled_write_is_an_apology_and_a_log_line(
        monkeypatch: pytest.MonkeyPatch, content: Content,
        caplog: pytest.LogCaptureFixture) -> None:
    fake_aws(monkeypatch)
    client = throttled_client("ProvisionedThroughputExceededException")
    skill = build_skill(content, DynamoStore(TABLE, client_factory=lambda: client),
                        random.Random(0))
    talk = Conversation(clock=FakeClock())
    with caplog.at_level(logging.ERROR):
        response = invoke(skill, talk.intent("StartStretchIntent"))
    assert spoken(response).startswith("Sorry")
    assert response["response"]["shouldEndSession"] is False
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "throttled a write (ProvisionedThroughputExceededException)" in record.getMessage()
    assert talk.user_id not in caplog.text


def test_a_missing_table_is_an_apology_too(dynamodb: Any, content: Content,
                                           caplog: pytest.LogCaptureFixture) -> None:
    skill = build_skill(content, DynamoStore("gone"), random.Random(0))
    with caplog.at_level(logging.ERROR):
        response = invoke(skill, Conversation(clock=FakeClock()).launch())
    assert spoken(response).startswith("Sorry")
    assert "'gone' does not exist" in caplog.text
