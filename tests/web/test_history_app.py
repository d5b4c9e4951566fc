"""Three days through the real Flask app: the streak is heard, the step up offered; each
request reads the store once and writes at most once; the time zone is asked once."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.skill import build_skill
from spine_stretch.core.ssml import spoken_seconds, to_plain
from spine_stretch.core.workout import Content
from spine_stretch.store import Record, Snapshot
from spine_stretch.store.memory import MemoryStore
from spine_stretch.web.app import create_app
from tests.alexa_api import TOKEN, AlexaApiState, alexa_api
from tests.conftest import FakeClock

USER = "amzn1.ask.account.local-user"
# 03:00 UTC is still the evening before in New York: days must be the user's, not UTC's.
FIRST = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


class CountingStore(MemoryStore):
    def __init__(self) -> None:
        super().__init__()
        self.gets = 0
        self.puts = 0

    def get(self, user_id: str) -> Snapshot:
        self.gets += 1
        return super().get(user_id)

    def put(self, user_id: str, record: Record, version: int) -> None:
        self.puts += 1
        super().put(user_id, record, version)


@pytest.fixture
def api() -> Iterator[tuple[str, AlexaApiState]]:
    with alexa_api() as running:
        running[1].zone = "America/New_York"
        yield running


def test_three_days_through_flask_hear_the_streak_and_get_an_offer(
        content: Content, api: tuple[str, AlexaApiState]) -> None:
    url, server = api
    store = CountingStore()
    clock = FakeClock(FIRST)
    skill = build_skill(content, store, random.Random(7), clock=lambda: clock().timestamp())
    client: FlaskClient = create_app(skill).test_client()
    device = Conversation(clock=clock, api_endpoint=url, api_access_token=TOKEN)

    def say(envelope: dict[str, Any]) -> str:
        gets, puts = store.gets, store.puts
        response = client.post("/alexa", json=envelope)
        assert response.status_code == 200
        body = response.get_json()
        assert store.gets - gets <= 1 and store.puts - puts <= 1
        device.absorb(body)
        ssml = str(body["response"].get("outputSpeech", {}).get("ssml", ""))
        clock.advance(spoken_seconds(ssml) + 1)  # listened to the end
        return to_plain(ssml).lower()

    launches = []
    for day in range(4):
        clock.now = FIRST + timedelta(days=day)
        launches.append(say(device.launch()))
        if day < 3:
            say(device.intent("AMAZON.NextIntent"))
            say(device.intent("AMAZON.StopIntent"))
    assert "day two in a row" in launches[1]
    assert "day three in a row" in launches[2]
    assert "try six reps today?" in launches[3]
    accepted = say(device.intent("AMAZON.YesIntent"))
    assert re.search(r"six reps(\. first, the setup| today\. let's set up)", accepted)

    record = store.get(USER).record
    assert record["tz"] == {"zone": "America/New_York"}
    days = [entry[:10] for entry in record["state"]["history"]["days"].split()]
    assert days == ["2026-11-22", "2026-11-23", "2026-11-24"]  # New York's dates
    # The zone was asked for once; no later request (launches included) went outside.
    assert [call for call in server.calls if "timeZone" in call[1]] == [server.calls[0]]
    assert len(server.calls) == 1


def test_a_settings_api_that_times_out_falls_back_to_utc_and_waits_a_day(
        content: Content, api: tuple[str, AlexaApiState]) -> None:
    url, server = api
    server.delay = 2.0
    store = CountingStore()
    clock = FakeClock(FIRST)
    skill = build_skill(content, store, random.Random(7))
    client = create_app(skill).test_client()
    device = Conversation(clock=clock, api_endpoint=url, api_access_token=TOKEN)
    first = client.post("/alexa", json=device.launch()).get_json()
    assert "sit on the floor" in to_plain(first["response"]["outputSpeech"]["ssml"]).lower()
    assert store.get(USER).record["tz"] == {"checked": FIRST.timestamp()}
    client.post("/alexa", json=device.launch())
    assert len(server.calls) == 1  # not asked again within the day
