"""Logs name a user only by logsafe's hash: never the raw id, the device or an access token.

A whole session through the Flask app, with every logger at DEBUG, a lost race and a damaged
database on the way: every record, its arguments and any traceback are searched.
"""

from __future__ import annotations

import logging
import random
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.skill import build_skill
from spine_stretch.core.logsafe import hashed_user_id
from spine_stretch.core.workout import Content
from spine_stretch.store import Record, StoreConflict
from spine_stretch.store.memory import MemoryStore
from spine_stretch.store.sqlite import SqliteStore
from spine_stretch.web.app import create_app
from tests.conftest import FakeClock
from tests.store.test_store_faults import is_apology

USER = "amzn1.ask.account.AHRAWUSERIDTHATMUSTNEVERBELOGGED0123456789"
DEVICE = "amzn1.ask.device.AHDEVICEIDTHATMUSTNEVERBELOGGED9876543210"
TOKEN = "Atc|MQEBIACCESSTOKENTHATMUSTNEVERBELOGGED"
SECRETS = (USER, DEVICE, TOKEN)


class ConflictOnce(MemoryStore):
    """A memory store whose first save loses a race, as if another request had just saved.

    Its error names the user, so a log line that printed it would fail the test.
    """

    def __init__(self) -> None:
        super().__init__()
        self.conflicted = False

    def put(self, user_id: str, record: Record, version: int) -> None:
        if not self.conflicted:
            self.conflicted = True
            raise StoreConflict(f"the record for {user_id} changed")
        super().put(user_id, record, version)


def everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    formatter = logging.Formatter()
    texts = []
    for record in caplog.records:
        texts += [record.getMessage(), repr(record.args)]
        if record.exc_info:
            texts.append(formatter.formatException(record.exc_info))
    return "\n".join(texts)


def post(client: FlaskClient, talk: Conversation, envelope: dict[str, Any]) -> dict[str, Any]:
    envelope["context"]["System"]["apiAccessToken"] = TOKEN
    reply = client.post("/alexa", json=envelope)
    assert reply.status_code == 200
    body: dict[str, Any] = reply.get_json()
    talk.absorb(body)
    return body


def test_a_whole_session_and_its_failures_log_only_the_hashed_user(
        tmp_path: Path, content: Content, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    clock = FakeClock()
    talk = Conversation(user_id=USER, device_id=DEVICE, clock=clock)
    store = ConflictOnce()
    client = create_app(build_skill(content, store, random.Random(3))).test_client()
    post(client, talk, talk.launch())
    assert store.conflicted and store.get(USER).version == 1
    for intent in ("AMAZON.NextIntent", "AMAZON.PauseIntent", "AMAZON.ResumeIntent",
                   "AMAZON.HelpIntent", "NoSuchIntent", "AMAZON.StopIntent"):
        clock.advance(30)
        post(client, talk, talk.intent(intent))
    post(client, talk, talk.session_ended())

    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"not a database " * 100)
    failing = create_app(build_skill(content, SqliteStore(damaged), random.Random(3)))
    assert is_apology(post(failing.test_client(), talk, talk.launch()), content)

    logged = everything_logged(caplog)
    assert "is damaged" in logged and "running it again" in logged
    assert logged.count(hashed_user_id(USER)) >= 10
    for secret in SECRETS:
        assert secret not in logged


def test_a_request_without_a_user_logs_an_unknown_user(
        content: Content, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    talk = Conversation(user_id=USER)
    envelope = talk.launch()
    del envelope["context"]["System"]["user"], envelope["session"]["user"]
    client = create_app(build_skill(content, MemoryStore(), random.Random(3))).test_client()
    assert is_apology(post(client, talk, envelope), content)
    assert "LaunchRequest from user unknown" in everything_logged(caplog)
