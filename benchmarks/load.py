"""Load on loopback: concurrent clients against the served skill, verification on and off.

Off is `spine-stretch serve --no-verify` itself. On is benchmarks/_load_server.py: the same
app, skill and waitress server, with a RequestVerifier that trusts the throw-away test CA
(tests/web/tamper_ca.py) and is handed that CA's chain for the certificate URL, so no flag or
variable in the product can loosen verification. Both are separate processes with a fresh
SQLite store, so the clients here never share a GIL with the server they measure.

Bounded: CLIENTS threads each post REQUESTS real envelopes to each server (signed by the test
CA for the verified one), and the load stops at DEADLINE seconds whatever is left. The two
servers take turns, ROUNDS slices each, so that other work on the machine weighs on both
alike. Goal (issue 7): no errors, and p99 with verification at most 2x without (the
certificate chain is cached).
"""

from __future__ import annotations

import http.client
import json
import math
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from spine_stretch.alexa.envelopes import LOCAL_SKILL_ID, Conversation
from spine_stretch.web.verify import CERT_URL_HEADER, SIGNATURE_HEADER
from tests.hosts.serving import server_process
from tests.web.tamper_ca import NOW, TamperCA, build_ca, pem, sign

CLIENTS = 4
REQUESTS = 150
ROUNDS = 5
WARMUP = 10
DEADLINE = 60.0
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"
# One user's visit, over and over: each client is a different user.
VISIT = [("StartStretchIntent", {"reps": "5"}), ("AMAZON.NextIntent", None),
         ("AMAZON.PauseIntent", None), ("AMAZON.ResumeIntent", None),
         ("AMAZON.HelpIntent", None), ("AMAZON.StopIntent", None)]
ROOT = Path(__file__).resolve().parent.parent

Request = tuple[bytes, dict[str, str]]


@dataclass
class Result:
    """Every request's latency and the seconds spent under load, over all rounds."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    def p(self, percent: int) -> float:
        return statistics.quantiles(self.latencies, n=100)[percent - 1]

    def line(self, label: str) -> str:
        return (f"  {label:22s} {len(self.latencies) / self.seconds:7.1f} req/s   "
                f"p50 {self.p(50) * 1e3:6.1f} ms   p99 {self.p(99) * 1e3:6.1f} ms   "
                f"errors {self.errors} of {len(self.latencies)}")


def requests_for(client: int, count: int, ca: TamperCA | None) -> list[Request]:
    """`count` envelopes of one user's visits, each signed when `ca` is given."""
    talk = Conversation(user_id=f"amzn1.ask.account.load-{client}", clock=lambda: NOW)
    bodies = [json.dumps(talk.launch()).encode()]
    while len(bodies) < count:
        for name, slots in VISIT:
            bodies.append(json.dumps(talk.intent(name, slots)).encode())
    requests = []
    for body in bodies[:count]:
        headers = {"Content-Type": "application/json"}
        if ca is not None:
            headers |= {CERT_URL_HEADER: CERT_URL, SIGNATURE_HEADER: sign(body, ca.leaf_key)}
        requests.append((body, headers))
    return requests


def _client(url: str, requests: Sequence[Request], stop_at: float,
            latencies: list[float], errors: list[int]) -> None:
    address = urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=10)
    for body, headers in requests:
        if time.perf_counter() > stop_at:
            break
        start = time.perf_counter()
        try:
            connection.request("POST", "/alexa", body, headers)
            reply = connection.getresponse()
            ok = reply.status == 200 and "response" in json.loads(reply.read())
        except (OSError, http.client.HTTPException, ValueError):
            ok = False
            connection.close()
        latencies.append(time.perf_counter() - start)
        if not ok:
            errors.append(1)
    connection.close()


def _check_refuses_unsigned(url: str) -> None:
    """The verifying server must refuse an unsigned request, or its numbers mean nothing."""
    ((body, headers),) = requests_for(CLIENTS, 1, None)
    address = urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=10)
    try:
        connection.request("POST", "/alexa", body, headers)
        status = connection.getresponse().status
    finally:
        connection.close()
    if status != 400:
        raise RuntimeError(f"{url} answered an unsigned request with {status}, not 400")


def load(url: str, work: Sequence[Sequence[Request]], stop_at: float, into: Result) -> None:
    """One client thread per entry of `work`, all at once; adds what they saw to `into`."""
    latencies: list[float] = []
    errors: list[int] = []
    threads = [threading.Thread(target=_client, args=(url, requests, stop_at, latencies, errors))
               for requests in work]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    into.seconds += time.perf_counter() - start
    into.latencies += latencies
    into.errors += len(errors)


def run() -> None:
    ca = build_ca()
    with tempfile.TemporaryDirectory() as temporary, ExitStack() as servers:
        folder = Path(temporary)
        (folder / "root.pem").write_bytes(pem(ca.root))
        (folder / "chain.pem").write_bytes(ca.valid_chain)
        commands = {
            "serve --no-verify": ([sys.executable, "-m", "spine_stretch.cli", "serve",
                                   "--no-verify", "--port", "0"], None),
            "verifying (test CA)": ([sys.executable, "-m", "benchmarks._load_server",
                                     str(folder / "root.pem"), str(folder / "chain.pem")], ca),
        }
        urls = {}
        for n, (label, (argv, signer)) in enumerate(commands.items()):
            # Both speak with Alexa's voice: without this, --no-verify alone would serve the
            # recorded voice from itself, and the servers would differ in more than verifying.
            env = {**os.environ, "SPINE_STRETCH_STORE": f"sqlite:///{folder / str(n)}.db",
                   "SPINE_STRETCH_SKILL_ID": LOCAL_SKILL_ID, "PYTHONPATH": str(ROOT),
                   "SPINE_STRETCH_AUDIO_BASE_URL": ""}
            urls[label] = servers.enter_context(
                server_process(argv, env, folder / f"{n}.log")).url
            load(urls[label], [requests_for(CLIENTS, WARMUP, signer)], float("inf"), Result())
            if signer is not None:
                _check_refuses_unsigned(urls[label])
        work = {label: [requests_for(client, REQUESTS, signer) for client in range(CLIENTS)]
                for label, (_, signer) in commands.items()}
        results = {label: Result() for label in commands}
        stop_at = time.perf_counter() + DEADLINE
        size = math.ceil(REQUESTS / ROUNDS)
        for first in range(0, REQUESTS, size):
            for label, url in urls.items():
                load(url, [requests[first:first + size] for requests in work[label]], stop_at,
                     results[label])
    print(f"load on loopback: {CLIENTS} clients x {REQUESTS} requests per server, one user "
          f"each, in {ROUNDS} alternating rounds (goal: 0 errors, p99 ratio <= 2)")
    for label, result in results.items():
        print(result.line(label))
    plain, verified = results.values()
    print(f"  p99 verifying / p99 no-verify: {verified.p(99) / plain.p(99):.2f}  "
          f"(p50: {verified.p(50) / plain.p(50):.2f})")


if __name__ == "__main__":
    run()
