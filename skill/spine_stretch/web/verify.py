"""Checks that an HTTP request really comes from Alexa, by Amazon's rules for web-service skills.

The rules: the signing certificate's URL, its chain and name (see `signing_cert`), the body's
`Signature-256`, the request's timestamp, and the skill's application id. The network and the
clock are injected, and nothing here knows about Flask: the web edge passes headers and the raw
body in and turns a `VerificationError` into an HTTP 400 naming its `reason`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, Protocol

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from .signing_cert import (
    CertificateFetcher,
    Reason,
    SigningCertificates,
    VerificationError,
    default_fetcher,
    load_trusted_roots,
)

__all__ = [
    "CERT_URL_HEADER",
    "SIGNATURE_HEADER",
    "CertificateFetcher",
    "Clock",
    "HeaderItems",
    "Reason",
    "RequestVerifier",
    "VerificationError",
    "default_fetcher",
    "load_trusted_roots",
]

CERT_URL_HEADER = "SignatureCertChainUrl"
SIGNATURE_HEADER = "Signature-256"
# Amazon's limit for ordinary requests, in seconds, either side of now.
DEFAULT_TOLERANCE = 150

Clock = Callable[[], datetime]


class HeaderItems(Protocol):
    """What `verify` reads headers from: a plain dict, or werkzeug's `Headers` as Flask has it."""

    def items(self) -> Iterable[tuple[str, str]]: ...


class RequestVerifier:
    """Verifies Alexa requests; safe to share between threads (the certificate cache locks).

    `fetch_certificate(url)` returns the PEM chain at `url` and `clock()` an aware datetime.
    `trusted_roots` defaults to certifi's bundle. With `application_id` set, requests for any
    other skill are rejected.
    """

    def __init__(
        self,
        fetch_certificate: CertificateFetcher,
        clock: Clock,
        trusted_roots: list[x509.Certificate] | None = None,
        application_id: str | None = None,
        timestamp_tolerance: int = DEFAULT_TOLERANCE,
    ) -> None:
        roots = load_trusted_roots() if trusted_roots is None else trusted_roots
        self._certificates = SigningCertificates(fetch_certificate, roots)
        self._clock = clock
        self._application_id = application_id
        self._tolerance = timestamp_tolerance

    def verify(self, headers: HeaderItems, body: bytes) -> None:
        """Return if the request is genuine and fresh; raise `VerificationError` otherwise.

        `body` must be the raw bytes as received: the signature covers them exactly. Any
        failure, including an unreachable certificate URL, raises `VerificationError`, never
        another exception (only a clock returning a naive datetime, a programming error,
        raises `ValueError`).
        """
        now = self._clock()
        if now.tzinfo is None:
            raise ValueError("the verifier's clock must return an aware datetime")
        cert_url = _header(headers, CERT_URL_HEADER)
        signature = _decode_signature(_header(headers, SIGNATURE_HEADER))
        # The checks that need no network come first, so a stale or foreign request never
        # costs a certificate download.
        envelope = _parse(body)
        self._check_timestamp(envelope, now)
        self._check_application(envelope)
        leaf = self._certificates.leaf_for(cert_url, now)
        _check_signature(leaf, signature, body)

    def _check_timestamp(self, envelope: dict[str, Any], now: datetime) -> None:
        raw = _dig(envelope, "request", "timestamp")
        when = _parse_timestamp(raw)
        if abs((now - when).total_seconds()) > self._tolerance:
            raise VerificationError(
                Reason.TIMESTAMP_OUT_OF_RANGE,
                f"request timestamp {raw!r} is more than {self._tolerance} s from now",
            )

    def _check_application(self, envelope: dict[str, Any]) -> None:
        if self._application_id is None:
            return
        # Amazon names the skill in `context`; old envelopes carry it only in `session`.
        found = _dig(envelope, "context", "System", "application", "applicationId")
        if found is None:
            found = _dig(envelope, "session", "application", "applicationId")
        if found != self._application_id:
            raise VerificationError(
                Reason.WRONG_APPLICATION_ID, f"request is for application {found!r}"
            )


def _header(headers: HeaderItems, name: str) -> str:
    wanted = name.casefold()
    for key, value in headers.items():
        if key.casefold() == wanted and value.strip():
            return value.strip()
    raise VerificationError(Reason.MISSING_HEADER, f"request has no {name} header")


def _decode_signature(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise VerificationError(
            Reason.SIGNATURE_ENCODING, f"{SIGNATURE_HEADER} is not valid base64"
        ) from None


def _parse(body: bytes) -> dict[str, Any]:
    try:
        envelope = json.loads(body)
    except (ValueError, RecursionError):
        # ValueError covers bad JSON and bad UTF-8; absurd nesting exhausts the recursion limit.
        raise VerificationError(Reason.BODY_UNPARSEABLE, "request body is not JSON") from None
    if not isinstance(envelope, dict):
        raise VerificationError(Reason.BODY_UNPARSEABLE, "request body is not a JSON object")
    return envelope


def _dig(data: object, *keys: str) -> object:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _parse_timestamp(raw: object) -> datetime:
    if not isinstance(raw, str):
        raise VerificationError(Reason.TIMESTAMP_INVALID, "request has no timestamp")
    try:
        when = datetime.fromisoformat(raw)
    except ValueError:
        raise VerificationError(
            Reason.TIMESTAMP_INVALID, f"request timestamp {raw!r} is not ISO 8601"
        ) from None
    # Alexa always sends UTC with a "Z"; a timestamp without an offset is read as UTC too.
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _check_signature(leaf: x509.Certificate, signature: bytes, body: bytes) -> None:
    key = leaf.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise VerificationError(Reason.SIGNATURE_MISMATCH, "signing certificate has no RSA key")
    try:
        key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        raise VerificationError(
            Reason.SIGNATURE_MISMATCH, "body does not match its Signature-256"
        ) from None
