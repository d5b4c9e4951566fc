"""The Lambda entry in-process (one skill per container, refusals as JSON) and its imports."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest

from spine_stretch.alexa.envelopes import LOCAL_SKILL_ID, Conversation
from spine_stretch.core.ssml import to_plain
from spine_stretch.hosts.aws_lambda import LambdaHandler, application_id
from spine_stretch.settings import Settings
from spine_stretch.store import StoreError
from tests.aws import NEVER_ON_LAMBDA
from tests.conftest import FakeClock
from tests.paths import ROOT


class CountingSettings:
    def __init__(self, environ: dict[str, str]) -> None:
        self.environ = environ
        self.calls = 0

    def __call__(self) -> Settings:
        self.calls += 1
        return Settings.from_env(self.environ)


def handler_for(environ: dict[str, str]) -> tuple[LambdaHandler, CountingSettings]:
    settings = CountingSettings(environ)
    return LambdaHandler(settings), settings


def test_one_skill_per_container_answers_a_session(tmp_path: Path) -> None:
    handler, settings = handler_for({"SPINE_STRETCH_STORE": f"sqlite:///{tmp_path / 'u.db'}",
                                     "SPINE_STRETCH_SKILL_ID": LOCAL_SKILL_ID})
    assert settings.calls == 0  # nothing built until the first event
    talk = Conversation(clock=FakeClock())
    welcome = handler(talk.launch(), None)
    talk.absorb(welcome)
    start = handler(talk.intent("StartStretchIntent", {"reps": "5"}), None)
    assert to_plain(welcome["response"]["outputSpeech"]["ssml"])
    assert start["response"]["shouldEndSession"] is False
    assert settings.calls == 1


@pytest.mark.parametrize(("event", "reason"), [
    ([1, 2], "must be a JSON object"),
    ({"version": "1.0"}, "request must be a dict"),
    ({"version": "1.0", "request": {"type": 7}}, "request.type must be a str"),
])
def test_events_that_are_not_requests_get_a_json_error(
        event: Any, reason: str, caplog: pytest.LogCaptureFixture) -> None:
    handler, _ = handler_for({"SPINE_STRETCH_STORE": "memory"})
    reply = handler(event, None)
    assert list(reply) == ["error"] and reason in reply["error"]
    assert "refused an event" in caplog.text


def test_with_a_skill_id_set_other_skills_are_refused() -> None:
    handler, _ = handler_for({"SPINE_STRETCH_STORE": "memory",
                              "SPINE_STRETCH_SKILL_ID": "amzn1.ask.skill.ours"})
    stranger = Conversation(application_id="amzn1.ask.skill.someone-else").launch()
    assert handler(stranger, None) == {"error": "the request is for another skill"}
    ours = Conversation(application_id="amzn1.ask.skill.ours").launch()
    assert "outputSpeech" in handler(ours, None)["response"]


def test_application_id_reads_the_context_only() -> None:
    assert application_id(Conversation().launch()) == LOCAL_SKILL_ID
    assert application_id({"context": {"System": "nope"}}) is None
    assert application_id({}) is None


def test_a_store_url_it_cannot_use_fails_loudly_at_the_first_event() -> None:
    handler, _ = handler_for({"SPINE_STRETCH_STORE": "dynamo://typo"})
    with pytest.raises(StoreError, match="dynamodb://TABLE"):
        handler(Conversation().launch(), None)


PROBE = """
import json, sys
sys.path[:0] = {path!r}
import lambda_function
at_import = sorted({{name.split('.')[0] for name in sys.modules}})
lambda_function.lambda_handler({event!r}, None)
after_event = sorted({{name.split('.')[0] for name in sys.modules}})
print(json.dumps([at_import, after_event]))
"""


def test_the_entry_loads_neither_the_server_nor_audio_nor_boto3_at_import_or_later() -> None:
    # Everything is installed here, so only the import graph can keep these out.
    path = [str(ROOT / "lambda"), str(ROOT / "skill"), sysconfig.get_paths()["purelib"]]
    program = PROBE.format(path=path, event=Conversation().launch())
    out = subprocess.run([sys.executable, "-I", "-S", "-c", program], check=True,
                         capture_output=True, text=True,
                         env={"SPINE_STRETCH_STORE": "memory"}).stdout
    at_import, after_event = (set(names) for names in json.loads(out))
    assert "ask_sdk_core" in at_import and "yaml" not in at_import  # content: first event
    assert {"spine_stretch", "yaml"} <= after_event
    for loaded in (at_import, after_event):
        assert not loaded & NEVER_ON_LAMBDA


def test_on_lambda_over_dynamodb_a_disabled_skill_forgets_and_name_free_requests_are_answered(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import boto3
    from moto import mock_aws

    from tests.aws import REGION, TABLE, create_table, fake_aws

    fake_aws(monkeypatch)
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        create_table(client)
        handler, _ = handler_for({"SPINE_STRETCH_STORE": f"dynamodb://{TABLE}",
                                  "SPINE_STRETCH_SKILL_ID": LOCAL_SKILL_ID})
        talk = Conversation(clock=FakeClock())
        handler(talk.intent("StartStretchIntent", {"reps": "6"}), None)
        key = {"id": {"S": talk.user_id}}
        assert "Item" in client.get_item(TableName=TABLE, Key=key)
        can = talk.intent("CoolDownIntent")
        can["request"]["type"] = "CanFulfillIntentRequest"
        answer = handler(can, None)
        assert answer["response"]["canFulfillIntent"] == {"canFulfill": "YES"}
        disabled = talk.launch()
        disabled.pop("session")
        disabled["request"] = {"type": "AlexaSkillEvent.SkillDisabled", "requestId": "r1",
                               "timestamp": "2026-11-26T07:00:00Z",
                               "eventCreationTime": "2026-11-26T07:00:00Z",
                               "eventPublishingTime": "2026-11-26T07:00:00Z",
                               "body": {"userInformationPersistenceStatus": "NOT_PERSISTED"}}
        assert handler(disabled, None)["response"] == {}
        assert "Item" not in client.get_item(TableName=TABLE, Key=key)
