"""The signing certificate's edges: the URL rule, the trusted roots, the default fetcher.

The fetcher is exercised against a local HTTP server and a silent socket, so no test needs the
internet; the URL rule gets outside input from hypothesis.
"""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from hypothesis import given, settings
from hypothesis import strategies as st

from spine_stretch.web.signing_cert import (
    Reason,
    VerificationError,
    canonical_cert_url,
    default_fetcher,
    load_trusted_roots,
)


def fetch_refusal(url: str, timeout: float = 5.0) -> Reason:
    with pytest.raises(VerificationError) as caught:
        default_fetcher(timeout=timeout)(url)
    return caught.value.reason


# ---- the URL rule ---------------------------------------------------------------------------

@settings(max_examples=200)
@given(st.text(max_size=80) | st.from_regex(r"(?i)https?://s3\.amazonaws\.com(:\d{1,6})?/[./a-z]*"))
def test_any_url_is_refused_or_canonical(url: str) -> None:
    try:
        canonical = canonical_cert_url(url)
    except VerificationError:
        return
    assert canonical.startswith("https://s3.amazonaws.com/echo.api/")
    assert canonical_cert_url(canonical) == canonical


# ---- trusted roots --------------------------------------------------------------------------

def test_roots_load_without_warnings_and_include_amazons() -> None:
    names = {root.subject.rfc4514_string() for root in load_trusted_roots()}
    assert "CN=Amazon Root CA 1,O=Amazon,C=US" in names


def test_an_unparseable_root_is_left_out(tmp_path: Path) -> None:
    root = load_trusted_roots()[0]
    bundle = tmp_path / "roots.pem"
    broken = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
    bundle.write_bytes(broken + root.public_bytes(serialization.Encoding.PEM))
    assert load_trusted_roots(bundle) == [root]
    bundle.write_bytes(broken)
    with pytest.raises(ValueError, match="no usable root"):
        load_trusted_roots(bundle)


# ---- the default fetcher --------------------------------------------------------------------

class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/chain")
            self.end_headers()
            return
        sizes = {"/chain": 1000, "/big": 64 * 1024 + 1}
        if self.path not in sizes:
            self.send_error(404)
            return
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"x" * sizes[self.path])

    def log_message(self, format: str, *args: object) -> None:
        return None


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_default_fetcher_reads_a_chain(server: str) -> None:
    assert default_fetcher()(f"{server}/chain") == b"x" * 1000


@pytest.mark.parametrize("path", ["/big", "/missing", "/redirect"])
def test_default_fetcher_refuses_big_missing_and_redirected(server: str, path: str) -> None:
    assert fetch_refusal(f"{server}{path}") is Reason.CERT_FETCH_FAILED


def test_default_fetcher_times_out() -> None:
    # A socket that listens but never answers: the fetch must give up, not hang.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/chain"
        assert fetch_refusal(url, timeout=0.2) is Reason.CERT_FETCH_FAILED


def test_default_fetcher_reports_a_refused_connection() -> None:
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]
    assert fetch_refusal(f"https://127.0.0.1:{port}/x", timeout=1) is Reason.CERT_FETCH_FAILED
