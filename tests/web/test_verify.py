"""The Alexa request verifier against a throw-away CA: real keys, real signatures, no mocks.

Every case states the one flaw it plants; a genuine request must pass and each flaw must be
refused with its own reason (no false accepts, no false rejects).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.datastructures import Headers

from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.web.verify import (
    Reason,
    RequestVerifier,
    VerificationError,
    load_trusted_roots,
)
from tests.conftest import FakeClock

from .tamper_ca import NOW, TamperCA, build_ca, sign

APP_ID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"


@pytest.fixture(scope="session")
def ca() -> TamperCA:
    return build_ca()


@dataclass
class Fetcher:
    """Serves `chains` in turn (the last one thereafter) and records every URL asked for."""

    chains: list[bytes]
    urls: list[str] = field(default_factory=list)

    def __call__(self, url: str) -> bytes:
        self.urls.append(url)
        return self.chains[min(len(self.urls), len(self.chains)) - 1]


def stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope(timestamp: object = stamp(NOW), app_id: str | None = APP_ID) -> dict[str, Any]:
    """A real LaunchRequest envelope from the project's builder, timestamp and skill id set."""
    data = Conversation(application_id=APP_ID).launch()
    data["request"]["timestamp"] = timestamp
    for holder in (data["session"], data["context"]["System"]):
        holder["application"] = {"applicationId": app_id}
    return data


def signed(
    key: rsa.RSAPrivateKey, data: dict[str, Any] | bytes, url: str = CERT_URL
) -> tuple[dict[str, str], bytes]:
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    return {"SignatureCertChainUrl": url, "Signature-256": sign(body, key)}, body


def verifier(
    ca: TamperCA, *chains: bytes, clock: FakeClock | None = None, app_id: str | None = APP_ID
) -> tuple[RequestVerifier, Fetcher]:
    fetcher = Fetcher(list(chains) or [ca.valid_chain])
    built = RequestVerifier(fetcher, clock or FakeClock(NOW), [ca.root], application_id=app_id)
    return built, fetcher


def refused(check: Callable[[], object]) -> Reason:
    with pytest.raises(VerificationError) as caught:
        check()
    return caught.value.reason


# ---- requests, one flaw at a time -----------------------------------------------------------

def at(seconds: int) -> str:
    """A request timestamp `seconds` from the tests' now."""
    return stamp(NOW + timedelta(seconds=seconds))


@dataclass(frozen=True)
class Case:
    """A request: what is signed and with which key, then what is changed after signing."""

    data: dict[str, Any] | bytes = field(default_factory=envelope)
    url: str = CERT_URL
    other_key: bool = False
    set_headers: dict[str, str] = field(default_factory=dict)
    edit_body: tuple[bytes, bytes] | None = None

    def build(self, ca: TamperCA) -> tuple[dict[str, str], bytes]:
        key = ca.other_key if self.other_key else ca.leaf_key
        headers, body = signed(key, self.data, self.url)
        if self.edit_body is not None:
            body = body.replace(*self.edit_body)
        return {**headers, **self.set_headers}, body


def _legacy_envelope() -> dict[str, Any]:
    data = envelope()
    del data["context"]
    return data


ACCEPTED = {
    "genuine": Case(),
    "149 s old": Case(envelope(at(-149))),
    "149 s ahead": Case(envelope(at(149))),
    "150 s old": Case(envelope(at(-150))),
    "150 s ahead": Case(envelope(at(150))),
    "fractions and an offset": Case(envelope("2026-11-26T05:01:00.250+01:00")),
    "host in capitals": Case(url="https://S3.AmazonAWS.com/echo.api/echo-api-cert.pem"),
    "scheme in capitals": Case(url="HTTPS://s3.amazonaws.com/echo.api/echo-api-cert.pem"),
    "port 443": Case(url="https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem"),
    "dot-dot staying inside": Case(url="https://s3.amazonaws.com/echo.api/../echo.api/c.pem"),
    "application id only in session": Case(_legacy_envelope()),
}


@pytest.mark.parametrize("case", ACCEPTED)
def test_genuine_requests_are_accepted(ca: TamperCA, case: str) -> None:
    verifier(ca)[0].verify(*ACCEPTED[case].build(ca))


GOOD_CHAINS = ["tls_profile_leaf", "san_only_leaf", "code_signing_leaf", "no_usage_leaf",
               "chain_with_root"]


@pytest.mark.parametrize("chain", GOOD_CHAINS)
def test_good_chains_are_accepted(ca: TamperCA, chain: str) -> None:
    assert set(GOOD_CHAINS) == set(ca.good_chains)
    verifier(ca, ca.good_chains[chain])[0].verify(*Case().build(ca))


def test_header_names_match_in_any_case_and_from_werkzeug(ca: TamperCA) -> None:
    headers, body = Case().build(ca)
    checker = verifier(ca)[0]
    checker.verify({name.lower(): value for name, value in headers.items()}, body)
    checker.verify(Headers({name.upper(): value for name, value in headers.items()}), body)


def test_without_a_configured_id_any_skill_passes(ca: TamperCA) -> None:
    case = Case(envelope(app_id="amzn1.ask.skill.someone-else"))
    verifier(ca, app_id=None)[0].verify(*case.build(ca))


S3 = "https://s3.amazonaws.com"
REFUSED = {
    "body changed after signing": (
        Case(edit_body=(b"LaunchRequest", b"IntentRequest")), Reason.SIGNATURE_MISMATCH),
    "signed with another key": (Case(other_key=True), Reason.SIGNATURE_MISMATCH),
    "signature not base64": (
        Case(set_headers={"Signature-256": "**"}), Reason.SIGNATURE_ENCODING),
    "signature empty": (Case(set_headers={"Signature-256": " "}), Reason.MISSING_HEADER),
    "certificate url empty": (
        Case(set_headers={"SignatureCertChainUrl": ""}), Reason.MISSING_HEADER),
    "151 s old": (Case(envelope(at(-151))), Reason.TIMESTAMP_OUT_OF_RANGE),
    "151 s ahead": (Case(envelope(at(151))), Reason.TIMESTAMP_OUT_OF_RANGE),
    "a day old": (Case(envelope(at(-86400))), Reason.TIMESTAMP_OUT_OF_RANGE),
    "no timestamp": (Case(envelope(None)), Reason.TIMESTAMP_INVALID),
    "timestamp as a number": (Case(envelope(1795665600)), Reason.TIMESTAMP_INVALID),
    "timestamp not ISO 8601": (Case(envelope("yesterday")), Reason.TIMESTAMP_INVALID),
    "another skill": (
        Case(envelope(app_id="amzn1.ask.skill.other")), Reason.WRONG_APPLICATION_ID),
    "no application id": (Case(envelope(app_id=None)), Reason.WRONG_APPLICATION_ID),
    "body not JSON": (Case(b"\xff{"), Reason.BODY_UNPARSEABLE),
    "body a JSON list": (Case(b"[]"), Reason.BODY_UNPARSEABLE),
    "url http": (Case(url="http://s3.amazonaws.com/echo.api/echo-api-cert.pem"),
                 Reason.CERT_URL_SCHEME),
    "url another host": (Case(url="https://notamazon.com/echo.api/echo-api-cert.pem"),
                         Reason.CERT_URL_HOST),
    "url host suffix": (Case(url="https://s3.amazonaws.com.evil.example/echo.api/x.pem"),
                        Reason.CERT_URL_HOST),
    "url with credentials": (Case(url="https://evil@s3.amazonaws.com/echo.api/x.pem"),
                             Reason.CERT_URL_HOST),
    "url port 8443": (Case(url=f"{S3}:8443/echo.api/echo-api-cert.pem"), Reason.CERT_URL_PORT),
    "url port not a number": (Case(url=f"{S3}:https/echo.api/x.pem"), Reason.CERT_URL_PORT),
    "url dot-dot escaping": (Case(url=f"{S3}/echo.api/../x"), Reason.CERT_URL_PATH),
    "url path in capitals": (Case(url=f"{S3}/ECHO.API/echo-api-cert.pem"), Reason.CERT_URL_PATH),
    "url path prefix only": (Case(url=f"{S3}/echo.api.evil/cert.pem"), Reason.CERT_URL_PATH),
    "url no path": (Case(url=S3), Reason.CERT_URL_PATH),
}


@pytest.mark.parametrize("case", REFUSED)
def test_tampered_requests_are_refused(ca: TamperCA, case: str) -> None:
    request, reason = REFUSED[case]
    headers, body = request.build(ca)
    checker, _ = verifier(ca)
    assert refused(lambda: checker.verify(headers, body)) is reason


BAD_CHAINS = {
    "expired_leaf": Reason.CERT_EXPIRED,
    "leaf_not_yet_valid": Reason.CERT_NOT_YET_VALID,
    "leaf_without_san": Reason.CERT_NAME_MISSING,
    "leaf_for_another_name": Reason.CERT_NAME_MISSING,
    "leaf_with_wildcard_san": Reason.CERT_NAME_MISSING,
    "self_signed_leaf": Reason.CERT_CHAIN_UNTRUSTED,
    "missing_intermediate": Reason.CERT_CHAIN_UNTRUSTED,
    "expired_intermediate": Reason.CERT_CHAIN_UNTRUSTED,
    "untrusted_root": Reason.CERT_CHAIN_UNTRUSTED,
    "signed_by_a_leaf": Reason.CERT_CHAIN_UNTRUSTED,
    "malformed_leaf": Reason.CERT_UNPARSEABLE,
    "malformed_intermediate": Reason.CERT_CHAIN_UNTRUSTED,
    "intermediate_first": Reason.CERT_NAME_MISSING,
    "not_pem": Reason.CERT_UNPARSEABLE,
    "empty": Reason.CERT_UNPARSEABLE,
}


@pytest.mark.parametrize("chain", BAD_CHAINS)
def test_bad_certificate_chains_are_refused(ca: TamperCA, chain: str) -> None:
    assert set(BAD_CHAINS) == set(ca.bad_chains)
    headers, body = signed(ca.leaf_key, envelope())
    checker, _ = verifier(ca, ca.bad_chains[chain])
    assert refused(lambda: checker.verify(headers, body)) is BAD_CHAINS[chain]


def test_real_roots_do_not_trust_a_private_ca(ca: TamperCA) -> None:
    roots = load_trusted_roots()
    assert len(roots) > 50
    headers, body = signed(ca.leaf_key, envelope())
    checker = RequestVerifier(Fetcher([ca.valid_chain]), FakeClock(NOW), roots, APP_ID)
    assert refused(lambda: checker.verify(headers, body)) is Reason.CERT_CHAIN_UNTRUSTED


@pytest.mark.parametrize(
    "error", [TimeoutError("timed out"), OSError("unreachable"), RuntimeError("bug")]
)
def test_a_failing_fetch_is_a_refusal(ca: TamperCA, error: Exception) -> None:
    def fetch(url: str) -> bytes:
        raise error

    headers, body = signed(ca.leaf_key, envelope())
    checker = RequestVerifier(fetch, FakeClock(NOW), [ca.root], APP_ID)
    assert refused(lambda: checker.verify(headers, body)) is Reason.CERT_FETCH_FAILED
