"""The verifier's certificate cache, its threads, and outside input it must refuse cleanly."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spine_stretch.web.signing_cert import SigningCertificates
from spine_stretch.web.verify import Reason, RequestVerifier, VerificationError
from tests.conftest import FakeClock
from tests.test_layering import imported_outside_stdlib

from .tamper_ca import NOW, SHORT_LIFE, TamperCA
from .test_verify import APP_ID, CERT_URL, Fetcher, envelope, refused, signed, stamp, verifier
from .test_verify import ca as ca  # the session's throw-away CA, shared

# ---- the certificate cache -----------------------------------------------------------------

def test_one_download_serves_every_spelling_of_a_url(ca: TamperCA) -> None:
    checker, fetcher = verifier(ca)
    for url in (CERT_URL, "https://S3.amazonaws.com:443/echo.api/echo-api-cert.pem"):
        checker.verify(*signed(ca.leaf_key, envelope(), url))
    assert fetcher.urls == [CERT_URL]


def test_the_cache_lasts_until_the_leaf_expires(ca: TamperCA) -> None:
    clock = FakeClock(NOW)
    checker, fetcher = verifier(ca, ca.short_lived_chain, ca.renewed_chain, clock=clock)
    checker.verify(*signed(ca.leaf_key, envelope()))
    clock.advance(SHORT_LIFE.total_seconds())
    checker.verify(*signed(ca.leaf_key, envelope(stamp(clock.now))))
    assert len(fetcher.urls) == 1
    clock.advance(1)
    checker.verify(*signed(ca.leaf_key, envelope(stamp(clock.now))))
    assert len(fetcher.urls) == 2


def test_a_refused_chain_is_not_cached(ca: TamperCA) -> None:
    checker, fetcher = verifier(ca, ca.bad_chains["missing_intermediate"], ca.valid_chain)
    headers, body = signed(ca.leaf_key, envelope())
    assert refused(lambda: checker.verify(headers, body)) is Reason.CERT_CHAIN_UNTRUSTED
    checker.verify(headers, body)
    assert len(fetcher.urls) == 2


def test_the_cache_is_bounded(ca: TamperCA) -> None:
    fetcher = Fetcher([ca.valid_chain])
    certificates = SigningCertificates(fetcher, [ca.root], max_entries=2)
    urls = [f"https://s3.amazonaws.com/echo.api/cert-{n}.pem" for n in "abca"]
    for url in urls:
        certificates.leaf_for(url, NOW)
    assert fetcher.urls == urls


def test_threads_share_one_verifier(ca: TamperCA) -> None:
    checker, _ = verifier(ca)
    headers, body = signed(ca.leaf_key, envelope())
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: checker.verify(headers, body), range(16)))
    assert results == [None] * 16


# ---- outside input never escapes as another exception --------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=10,
)


envelopes = st.fixed_dictionaries({
    "request": st.fixed_dictionaries({"timestamp": st.just(stamp(NOW)) | json_values}),
    "context": json_values,
    "session": st.just({"application": {"applicationId": APP_ID}}) | json_values,
})


@settings(max_examples=100)
@given(st.binary(max_size=200) | envelopes.map(lambda data: json.dumps(data).encode()))
def test_any_signed_body_is_accepted_or_refused_cleanly(ca: TamperCA, body: bytes) -> None:
    checker, _ = verifier(ca)
    headers, _ = signed(ca.leaf_key, body)
    try:
        checker.verify(headers, body)
    except VerificationError:
        return
    assert json.loads(body)["session"]["application"]["applicationId"] == APP_ID


def test_reasons_are_short_json_strings() -> None:
    for reason in Reason:
        assert json.loads(json.dumps({"reason": reason})) == {"reason": reason.value}
        assert reason.value.replace("_", "").isalpha() and reason.value.islower()


def test_a_naive_clock_is_a_programming_error(ca: TamperCA) -> None:
    checker = RequestVerifier(Fetcher([ca.valid_chain]), lambda: NOW.replace(tzinfo=None),
                              [ca.root], APP_ID)
    with pytest.raises(ValueError, match="aware"):
        checker.verify(*signed(ca.leaf_key, envelope()))


def test_the_verifier_needs_no_flask() -> None:
    loaded = imported_outside_stdlib(["spine_stretch.web.verify", "spine_stretch.core.logsafe"])
    assert not {"flask", "werkzeug"} & set(loaded)
