"""Alexa's signing certificate: where it may come from, how its chain is trusted, how it is cached.

Amazon's rules: the `SignatureCertChainUrl` is https://s3.amazonaws.com[:443]/echo.api/...; the
PEM there holds the signing (leaf) certificate first, then intermediates; the chain must lead to a
trusted root, every certificate must be within its dates, and the leaf's subject alternative
names must include echo-api.amazon.com.
"""

from __future__ import annotations

import http.client
import posixpath
import re
import ssl
import threading
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import certifi
from cryptography import x509
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509 import verification

CERT_HOST = "s3.amazonaws.com"
CERT_PATH_PREFIX = "/echo.api/"
ECHO_API_NAME = "echo-api.amazon.com"

CertificateFetcher = Callable[[str], bytes]

_PEM_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)


class Reason(StrEnum):
    """Why a request was refused, short and stable: the web edge returns it to the caller."""

    MISSING_HEADER = "missing_header"
    CERT_URL_SCHEME = "cert_url_scheme"
    CERT_URL_HOST = "cert_url_host"
    CERT_URL_PORT = "cert_url_port"
    CERT_URL_PATH = "cert_url_path"
    CERT_FETCH_FAILED = "cert_fetch_failed"
    CERT_UNPARSEABLE = "cert_unparseable"
    CERT_NOT_YET_VALID = "cert_not_yet_valid"
    CERT_EXPIRED = "cert_expired"
    CERT_NAME_MISSING = "cert_name_missing"
    CERT_CHAIN_UNTRUSTED = "cert_chain_untrusted"
    SIGNATURE_ENCODING = "signature_encoding"
    SIGNATURE_MISMATCH = "signature_mismatch"
    BODY_UNPARSEABLE = "body_unparseable"
    TIMESTAMP_INVALID = "timestamp_invalid"
    TIMESTAMP_OUT_OF_RANGE = "timestamp_out_of_range"
    WRONG_APPLICATION_ID = "wrong_application_id"


class VerificationError(Exception):
    """A request that must be refused: `reason` for machines, the message for logs."""

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def canonical_cert_url(url: str) -> str:
    """The URL to download, rebuilt from the parts Amazon's rules allow; raises if they don't.

    Host and scheme compare case-insensitively, the path after normalisation (so
    `/echo.api/../x` fails), and the port may only be 443.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        raise VerificationError(Reason.CERT_URL_HOST, f"{url!r} is not a URL") from None
    if parts.scheme.lower() != "https":
        raise VerificationError(Reason.CERT_URL_SCHEME, f"{url!r} is not https")
    # Credentials in the URL would only ever be an attempt to confuse a parser.
    if parts.hostname != CERT_HOST or parts.username is not None or parts.password is not None:
        raise VerificationError(Reason.CERT_URL_HOST, f"{url!r} is not on {CERT_HOST}")
    try:
        port = parts.port
    except ValueError:
        raise VerificationError(Reason.CERT_URL_PORT, f"{url!r} has no valid port") from None
    if port not in (None, 443):
        raise VerificationError(Reason.CERT_URL_PORT, f"{url!r} is not on port 443")
    path = posixpath.normpath(parts.path) if parts.path else ""
    if not path.startswith(CERT_PATH_PREFIX):
        raise VerificationError(Reason.CERT_URL_PATH, f"{url!r} is not under {CERT_PATH_PREFIX}")
    # Fetching the rebuilt URL means what is downloaded is exactly what was checked.
    return urlunsplit(("https", CERT_HOST, path, parts.query, ""))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Amazon serves the chain directly; a redirect would lead away from the checked URL."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def default_fetcher(timeout: float = 5.0, max_bytes: int = 64 * 1024) -> CertificateFetcher:
    """A fetcher over HTTPS (certifi's roots) that follows no redirect and gives up beyond
    `max_bytes` bytes or when connecting or any read takes over `timeout` seconds.

    Every failure raises `VerificationError`. The timeout bounds each network operation, not
    the whole download: enough, because only Amazon's S3 is ever asked (`canonical_cert_url`).
    """
    context = ssl.create_default_context(cafile=certifi.where())
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=context), _NoRedirects()
    )

    def fetch(url: str) -> bytes:
        try:
            with opener.open(url, timeout=timeout) as response:
                data: bytes = response.read(max_bytes + 1)
        except urllib.error.HTTPError as exc:
            exc.close()  # it holds the response's socket open
            raise VerificationError(
                Reason.CERT_FETCH_FAILED, f"could not fetch {url}: HTTP {exc.code}"
            ) from None
        except (OSError, http.client.HTTPException, ValueError) as exc:
            # OSError covers URLError, timeouts, refused and reset connections.
            raise VerificationError(
                Reason.CERT_FETCH_FAILED, f"could not fetch {url}: {exc}"
            ) from exc
        if len(data) > max_bytes:
            raise VerificationError(
                Reason.CERT_FETCH_FAILED, f"{url} is larger than {max_bytes} bytes"
            )
        return data

    return fetch


def load_trusted_roots(bundle: Path | None = None) -> list[x509.Certificate]:
    """The root certificates in a PEM `bundle` (certifi's, i.e. Mozilla's, by default).

    A root `cryptography` cannot parse is left out rather than failing them all. Call it once,
    at start-up: it briefly changes the process's warning filters.
    """
    path = Path(certifi.where()) if bundle is None else bundle
    roots = []
    for block in _PEM_BLOCK.findall(path.read_bytes()):
        # Some roots Mozilla trusts have serial number 0, among them Starfield Services Root
        # G2, which cross-signs Amazon Root CA 1; cryptography warns about them (and will one
        # day refuse them). They are still the roots we are told to trust.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            try:
                roots.append(x509.load_pem_x509_certificate(block))
            except ValueError:
                continue
    if not roots:
        raise ValueError(f"{path} holds no usable root certificate")
    return roots


@dataclass(frozen=True)
class _Cached:
    leaf: x509.Certificate
    expires: datetime


class SigningCertificates:
    """Verified signing certificates by URL, each kept until the first expiry in its chain.

    Thread-safe: the lock guards only the dict, so a slow download never blocks a cache hit.
    """

    def __init__(
        self, fetch: CertificateFetcher, roots: list[x509.Certificate], max_entries: int = 16
    ) -> None:
        self._fetch = fetch
        self._store = verification.Store(roots)
        self._max_entries = max_entries
        self._cache: dict[str, _Cached] = {}
        self._lock = threading.Lock()

    def leaf_for(self, url: str, now: datetime) -> x509.Certificate:
        """The verified leaf certificate behind `url` at time `now`; raises `VerificationError`."""
        canonical = canonical_cert_url(url)
        with self._lock:
            cached = self._cache.get(canonical)
        if cached is not None and now <= cached.expires:
            return cached.leaf
        chain = verify_chain(self._download(canonical), self._store, now)
        entry = _Cached(chain[0], min(cert.not_valid_after_utc for cert in chain))
        with self._lock:
            self._cache.pop(canonical, None)
            if len(self._cache) >= self._max_entries:
                del self._cache[next(iter(self._cache))]
            self._cache[canonical] = entry
        return entry.leaf

    def _download(self, url: str) -> bytes:
        try:
            return self._fetch(url)
        except VerificationError:
            raise
        except Exception as exc:
            # An injected fetcher may fail in ways of its own; none of them may become a 500.
            raise VerificationError(
                Reason.CERT_FETCH_FAILED, f"could not fetch {url}: {exc!r}"
            ) from exc


def verify_chain(pem: bytes, store: verification.Store, now: datetime) -> list[x509.Certificate]:
    """The trusted path, leaf first, for the PEM chain Amazon serves; raises if there is none."""
    try:
        certs = x509.load_pem_x509_certificates(pem)
    except ValueError:
        raise VerificationError(Reason.CERT_UNPARSEABLE, "certificate chain is not PEM") from None
    leaf = certs[0]
    # The path validation below checks these dates too; checking the leaf first names the cause.
    if now < leaf.not_valid_before_utc:
        raise VerificationError(Reason.CERT_NOT_YET_VALID, "signing certificate is not yet valid")
    if now > leaf.not_valid_after_utc:
        raise VerificationError(Reason.CERT_EXPIRED, "signing certificate has expired")
    if ECHO_API_NAME not in _dns_names(leaf):
        raise VerificationError(
            Reason.CERT_NAME_MISSING, f"signing certificate is not for {ECHO_API_NAME}"
        )
    # Why the server verifier, with a relaxed leaf profile: it builds the path to a trusted
    # root, checks each signature and each certificate's dates at `now`, holds intermediates
    # to the CA/B Forum profile and insists on the leaf's SAN. Its default leaf profile is a TLS
    # server's, though (an AKI; the serverAuth usage if any usage is listed), and Amazon's
    # signing certificate is no TLS certificate by contract, so a renewal may drop those
    # without being any less trustworthy. The verifier's own name match accepts wildcards
    # (*.amazon.com); the exact check above is Amazon's rule.
    leaf_policy = verification.ExtensionPolicy.permit_all().require_present(
        x509.SubjectAlternativeName, verification.Criticality.AGNOSTIC, None
    )
    verifier = (
        verification.PolicyBuilder()
        .store(store)
        .time(now)
        .extension_policies(
            ca_policy=verification.ExtensionPolicy.webpki_defaults_ca(), ee_policy=leaf_policy
        )
        .build_server_verifier(x509.DNSName(ECHO_API_NAME))
    )
    try:
        return verifier.verify(leaf, certs[1:])
    except verification.VerificationError as exc:
        raise VerificationError(
            Reason.CERT_CHAIN_UNTRUSTED, f"signing certificate is not trusted: {exc}"
        ) from None


def _dns_names(cert: x509.Certificate) -> list[str]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    except ValueError:
        raise VerificationError(
            Reason.CERT_UNPARSEABLE, "signing certificate's extensions are malformed"
        ) from None
    return [name.lower() for name in san.get_values_for_type(x509.DNSName)]
