"""Reminders by voice against a local Reminders API over real HTTP (tests/alexa_api.py),
which validates every request the way Amazon documents it."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from ask_sdk_core.skill import CustomSkill

from spine_stretch.alexa.alexa_api import REMINDERS_SCOPE, AlexaApi, UrllibClient
from spine_stretch.alexa.codec import invoke
from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.reminders import delete_for
from spine_stretch.alexa.skill import build_skill
from spine_stretch.core.ssml import to_plain
from spine_stretch.core.workout import Content
from spine_stretch.store.memory import MemoryStore
from tests.alexa_api import TOKEN, AlexaApiState, alexa_api
from tests.conftest import FakeClock

USER = "amzn1.ask.account.local-user"


@pytest.fixture
def api() -> Iterator[tuple[str, AlexaApiState]]:
    with alexa_api() as running:
        yield running


@pytest.fixture
def device(api: tuple[str, AlexaApiState], clock: FakeClock) -> Conversation:
    return Conversation(clock=clock, api_endpoint=api[0], api_access_token=TOKEN,
                        scopes={REMINDERS_SCOPE: "GRANTED"})


@pytest.fixture
def coach(content: Content, store: MemoryStore, clock: FakeClock) -> CustomSkill:
    return build_skill(content, store, random.Random(7), clock=lambda: clock().timestamp())


def said(response: dict[str, Any]) -> str:
    return to_plain(str(response["response"].get("outputSpeech", {}).get("ssml", ""))).lower()


def one_of(content: Content, key: str, speech: str) -> bool:
    """Whether `speech` holds a variant of prompt `key` (compared up to its first field)."""
    return any(v.split("{")[0].strip().lower() in speech
               for v in content.prompts.variants[key])


def remind(skill: CustomSkill, device: Conversation, time: str | None,
           recurrence: str | None = None) -> dict[str, Any]:
    slots = {"time": time, "recurrence": recurrence}
    resolved = {"recurrence": recurrence} if recurrence else None
    response = invoke(skill, device.intent("ReminderIntent", slots, resolved))
    device.absorb(response)
    return response


def test_a_reminder_is_created_listed_and_deleted(coach: CustomSkill, device: Conversation,
                                                  api: tuple[str, AlexaApiState],
                                                  content: Content) -> None:
    _, server = api
    created = remind(coach, device, "19:00", "mornings")
    assert "every morning at 7 am" in said(created)
    (alert,) = server.reminders.values()
    trigger = alert["trigger"]
    assert trigger["timeZoneId"] == "Europe/London"
    assert trigger["recurrence"]["recurrenceRules"] == [
        "FREQ=DAILY;BYHOUR=7;BYMINUTE=0;BYSECOND=0;INTERVAL=1;"]
    # 07:00 UTC on 26 November is 07:00 in London: today's 7 AM has just begun, so tomorrow.
    assert trigger["scheduledTime"] == "2026-11-27T07:00:00.000"
    assert alert["alertInfo"]["spokenInfo"]["content"][0]["locale"] == "en-US"

    listed = invoke(coach, device.intent("ListRemindersIntent"))
    assert one_of(content, "reminders_count_one", said(listed))
    assert "7 am" in said(listed)

    deleted = invoke(coach, device.intent("DeleteRemindersIntent"))
    assert one_of(content, "reminders_deleted_one", said(deleted))
    assert server.reminders == {}
    assert one_of(content, "reminders_none",
                  said(invoke(coach, device.intent("ListRemindersIntent"))))


def test_missing_consent_asks_for_it_and_a_denial_sets_nothing(
        coach: CustomSkill, device: Conversation, api: tuple[str, AlexaApiState],
        content: Content) -> None:
    _, server = api
    device.scopes = {}
    asked = remind(coach, device, "07:30", "weekdays")
    (directive,) = asked["response"]["directives"]
    assert directive["type"] == "Connections.SendRequest"
    assert directive["name"] == "AskFor"
    assert directive["payload"]["@type"] == "AskForPermissionsConsentRequest"
    assert directive["payload"]["@version"] == "2"
    assert directive["payload"]["permissionScopes"][0]["permissionScope"] == REMINDERS_SCOPE
    assert server.reminders == {}

    denied = invoke(coach, device.connections_response(
        "AskFor", "200", directive["token"],
        {"permissionScope": REMINDERS_SCOPE, "status": "DENIED"}))
    assert one_of(content, "reminder_denied", said(denied))
    unanswered = invoke(coach, device.connections_response(
        "AskFor", "200", directive["token"],
        {"permissionScope": REMINDERS_SCOPE, "status": "NOT_ANSWERED"}))
    assert one_of(content, "reminder_not_answered", said(unanswered))
    assert server.reminders == {}

    device.scopes = {REMINDERS_SCOPE: "GRANTED"}
    accepted = invoke(coach, device.connections_response(
        "AskFor", "200", directive["token"],
        {"permissionScope": REMINDERS_SCOPE, "status": "ACCEPTED"}))
    assert "every weekday at 7:30 am" in said(accepted)
    (alert,) = server.reminders.values()
    assert "BYDAY=MO,TU,WE,TH,FR;BYHOUR=7;BYMINUTE=30" in alert["trigger"]["recurrence"][
        "recurrenceRules"][0]


@pytest.mark.parametrize(("time", "key"), [
    ("MO", "reminder_time_vague"), ("EV", "reminder_time_vague"),
    ("NI", "reminder_time_vague"), ("AF", "reminder_time_vague"),
    ("25:00", "reminder_time_invalid"), ("?", "reminder_time_invalid"),
    (None, "reminder_time_missing"),
])
def test_unusable_times_get_a_clarification_and_create_nothing(
        coach: CustomSkill, device: Conversation, api: tuple[str, AlexaApiState],
        content: Content, time: str | None, key: str) -> None:
    response = remind(coach, device, time, "daily")
    assert one_of(content, key, said(response))
    assert response["response"]["shouldEndSession"] is False
    assert api[1].reminders == {}
    assert not any(call[0] == "POST" for call in api[1].calls)


def test_a_one_off_time_already_past_today_is_set_for_tomorrow(
        coach: CustomSkill, device: Conversation, api: tuple[str, AlexaApiState],
        content: Content) -> None:
    _, server = api
    server.now = datetime(2026, 11, 26, 7, 0)  # the server refuses times in the past
    response = remind(coach, device, "06:15")
    assert one_of(content, "reminder_set_tomorrow", said(response))
    (alert,) = server.reminders.values()
    assert alert["trigger"]["scheduledTime"] == "2026-11-27T06:15:00.000"
    assert "recurrence" not in alert["trigger"]


@pytest.mark.parametrize(("status", "key"), [
    (401, "reminder_error_unauthorized"), (403, "reminder_error_forbidden"),
    (429, "reminder_error_throttled"), (500, "reminder_error_unavailable"),
    (503, "reminder_error_unavailable"), (400, "reminder_error_invalid"),
])
def test_each_api_error_has_its_spoken_answer_and_loses_nothing(
        coach: CustomSkill, device: Conversation, api: tuple[str, AlexaApiState],
        store: MemoryStore, content: Content, status: int, key: str) -> None:
    _, server = api
    invoke(coach, device.launch())  # the zone is looked up and kept, the session starts
    before = store.get(USER)
    server.fail = [status]
    response = remind(coach, device, "08:00", "daily")
    assert one_of(content, key, said(response))
    assert server.reminders == {}
    assert store.get(USER) == before


def test_a_timeout_is_said_honestly(coach: CustomSkill, device: Conversation,
                                    api: tuple[str, AlexaApiState], content: Content) -> None:
    _, server = api
    invoke(coach, device.launch())
    server.delay = 2.0
    response = remind(coach, device, "08:00", "daily")
    assert one_of(content, "reminder_error_timeout", said(response))


def test_without_a_time_zone_no_reminder_is_set(coach: CustomSkill, device: Conversation,
                                                api: tuple[str, AlexaApiState],
                                                content: Content) -> None:
    _, server = api
    server.zone = None
    response = remind(coach, device, "08:00", "daily")
    assert one_of(content, "reminder_no_time_zone", said(response))
    assert server.reminders == {}


def test_the_server_refuses_a_malformed_reminder(api: tuple[str, AlexaApiState]) -> None:
    url, _ = api
    client = AlexaApi(url, TOKEN, UrllibClient())
    with pytest.raises(Exception, match="invalid"):
        client.create_reminder({"trigger": {"type": "SCHEDULED_ABSOLUTE",
                                            "scheduledTime": "2026-11-27T07:00:00Z"}})


def test_forget_me_deletes_every_reminder_and_then_the_record(
        coach: CustomSkill, device: Conversation, api: tuple[str, AlexaApiState],
        store: MemoryStore) -> None:
    _, server = api
    invoke(coach, device.launch())
    remind(coach, device, "07:00", "daily")
    remind(coach, device, "18:00", "weekends")
    assert len(server.reminders) == 2 and store.get(USER).record
    device.absorb(invoke(coach, device.intent("DeleteDataIntent")))
    invoke(coach, device.intent("AMAZON.YesIntent"))
    assert server.reminders == {}
    assert not store.get(USER).record


def test_forget_me_deletes_the_record_even_when_the_reminders_api_fails(
        coach: CustomSkill, device: Conversation, api: tuple[str, AlexaApiState],
        store: MemoryStore, caplog: pytest.LogCaptureFixture) -> None:
    _, server = api
    invoke(coach, device.launch())
    remind(coach, device, "07:00", "daily")
    device.absorb(invoke(coach, device.intent("DeleteDataIntent")))
    server.fail = [503]
    invoke(coach, device.intent("AMAZON.YesIntent"))
    assert len(server.reminders) == 1  # left for the user to delete by voice or in the app
    assert not store.get(USER).record
    assert "could not delete the reminders" in caplog.text


def test_deleting_reminders_by_voice_says_how_many(coach: CustomSkill, device: Conversation,
                                                   api: tuple[str, AlexaApiState]) -> None:
    url, server = api
    remind(coach, device, "07:00", "daily")
    remind(coach, device, "18:00", "weekends")
    assert len(server.reminders) == 2
    parts = delete_for(AlexaApi(url, TOKEN, UrllibClient()))
    assert [getattr(p, "key", None) for p in parts] == ["reminders_deleted"]
    assert server.reminders == {}
