"""Request verification through the real Flask app: the verifier's whole tamper table.

Every case of tests/web/test_verify.py's tables goes through `app.test_client()`: a genuine
request is answered with speech and saved, a tampered one is a JSON 400 naming its reason
and never reaches the skill or the store. No false accepts and no false rejects.
"""

from __future__ import annotations

import random

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from spine_stretch.alexa.skill import build_skill
from spine_stretch.core.workout import Content
from spine_stretch.store.memory import MemoryStore
from spine_stretch.web.app import create_app
from spine_stretch.web.verify import Reason

from .tamper_ca import TamperCA, build_ca
from .test_verify import (
    ACCEPTED,
    BAD_CHAINS,
    GOOD_CHAINS,
    REFUSED,
    Case,
    envelope,
    signed,
    verifier,
)

USER = envelope()["session"]["user"]["userId"]
# The cases issue 7 names, each of which must be in the tables above.
NAMED_IN_THE_ISSUE = {
    "accepted": {"genuine", "host in capitals"},
    "refused": {"body changed after signing", "signed with another key", "151 s old",
                "151 s ahead", "another skill", "url http", "url another host",
                "url dot-dot escaping", "url port 8443"},
    "bad chains": {"expired_leaf", "leaf_without_san", "self_signed_leaf",
                   "missing_intermediate"},
}


@pytest.fixture(scope="module")
def ca() -> TamperCA:
    return build_ca()


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


def client_for(content: Content, ca: TamperCA, store: MemoryStore,
               *chains: bytes) -> FlaskClient:
    checker, _ = verifier(ca, *chains)
    return create_app(build_skill(content, store, random.Random(0)), checker).test_client()


def send(client: FlaskClient, headers: dict[str, str], body: bytes) -> TestResponse:
    return client.post("/alexa", data=body, headers=headers, content_type="application/json")


def assert_answered(reply: TestResponse, store: MemoryStore) -> None:
    assert reply.status_code == 200, reply.get_data(as_text=True)
    assert "Sit on the floor" in reply.get_json()["response"]["outputSpeech"]["ssml"]
    assert store.get(USER).version == 1


def assert_refused(reply: TestResponse, reason: Reason, store: MemoryStore) -> None:
    assert reply.status_code == 400 and reply.mimetype == "application/json"
    answer = reply.get_json()
    assert answer["reason"] == reason.value and answer["error"]
    assert store.get(USER).version == 0


def test_the_issues_cases_are_all_in_the_tables() -> None:
    assert NAMED_IN_THE_ISSUE["accepted"] <= set(ACCEPTED)
    assert NAMED_IN_THE_ISSUE["refused"] <= set(REFUSED)
    assert NAMED_IN_THE_ISSUE["bad chains"] <= set(BAD_CHAINS)


@pytest.mark.parametrize("case", ACCEPTED)
def test_genuine_requests_are_answered(content: Content, ca: TamperCA, store: MemoryStore,
                                       case: str) -> None:
    reply = send(client_for(content, ca, store), *ACCEPTED[case].build(ca))
    assert_answered(reply, store)


@pytest.mark.parametrize("chain", GOOD_CHAINS)
def test_requests_signed_under_good_chains_are_answered(
        content: Content, ca: TamperCA, store: MemoryStore, chain: str) -> None:
    client = client_for(content, ca, store, ca.good_chains[chain])
    assert_answered(send(client, *Case().build(ca)), store)


@pytest.mark.parametrize("case", REFUSED)
def test_tampered_requests_are_a_json_400_and_reach_nothing(
        content: Content, ca: TamperCA, store: MemoryStore, case: str) -> None:
    request, reason = REFUSED[case]
    assert_refused(send(client_for(content, ca, store), *request.build(ca)), reason, store)


@pytest.mark.parametrize("chain", BAD_CHAINS)
def test_requests_signed_under_bad_chains_are_a_json_400(
        content: Content, ca: TamperCA, store: MemoryStore, chain: str) -> None:
    client = client_for(content, ca, store, ca.bad_chains[chain])
    assert_refused(send(client, *signed(ca.leaf_key, envelope())), BAD_CHAINS[chain], store)


def test_an_unsigned_request_is_a_json_400(content: Content, ca: TamperCA,
                                           store: MemoryStore) -> None:
    _, body = Case().build(ca)
    assert_refused(send(client_for(content, ca, store), {}, body), Reason.MISSING_HEADER, store)
