"""Request verification through the real Flask app: refused requests never reach the skill."""

from __future__ import annotations

import json
import random

import pytest
from flask.testing import FlaskClient

from spine_stretch.alexa.skill import build_skill
from spine_stretch.core.workout import Content
from spine_stretch.store.memory import MemoryStore
from spine_stretch.web import create_app

from .tamper_ca import TamperCA, build_ca
from .test_verify import CERT_URL, envelope, signed, verifier


@pytest.fixture(scope="module")
def ca() -> TamperCA:
    return build_ca()


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def client(content: Content, ca: TamperCA, store: MemoryStore) -> FlaskClient:
    checker, _ = verifier(ca)
    return create_app(build_skill(content, store, random.Random(0)), checker).test_client()


def test_a_signed_request_is_answered(client: FlaskClient, ca: TamperCA,
                                      store: MemoryStore) -> None:
    headers, body = signed(ca.leaf_key, envelope())
    reply = client.post("/alexa", data=body, headers=headers, content_type="application/json")
    assert reply.status_code == 200
    assert "Sit on the floor" in reply.get_json()["response"]["outputSpeech"]["ssml"]
    assert store.get("amzn1.ask.account.local-user").version == 1


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        ("body", "signature_mismatch"),
        ("key", "signature_mismatch"),
        ("url", "cert_url_host"),
        ("unsigned", "missing_header"),
    ],
)
def test_tampered_requests_are_a_400_and_reach_nothing(
        client: FlaskClient, ca: TamperCA, store: MemoryStore, tamper: str, reason: str) -> None:
    key = ca.other_key if tamper == "key" else ca.leaf_key
    url = "https://evil.example.com/echo.api/cert.pem" if tamper == "url" else CERT_URL
    headers, body = signed(key, envelope(), url)
    if tamper == "body":
        body = body.replace(b"LaunchRequest", b"IntentRequest")
    if tamper == "unsigned":
        headers = {}
    reply = client.post("/alexa", data=body, headers=headers, content_type="application/json")
    assert reply.status_code == 400
    answer = json.loads(reply.data)
    assert answer["reason"] == reason and answer["error"]
    assert store.get("amzn1.ask.account.local-user").version == 0
