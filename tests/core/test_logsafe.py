"""Log-safe user ids: stable, short, and never the id itself."""

from __future__ import annotations

import hashlib
import string

from spine_stretch.core.logsafe import USER_HASH_LENGTH, hashed_user_id

USER = "amzn1.ask.account.AFAKEUSERIDTHATISLONGANDRANDOM0123456789"


def test_the_same_id_always_hashes_the_same() -> None:
    assert hashed_user_id(USER) == hashed_user_id(USER)
    assert hashed_user_id(USER) == hashlib.sha256(USER.encode()).hexdigest()[:USER_HASH_LENGTH]


def test_the_hash_is_short_hex_and_hides_the_id() -> None:
    hashed = hashed_user_id(USER)
    assert len(hashed) == USER_HASH_LENGTH
    assert set(hashed) <= set(string.hexdigits.lower())
    assert hashed not in USER and USER not in hashed


def test_different_ids_hash_differently() -> None:
    assert hashed_user_id(USER) != hashed_user_id(USER + "x")
    assert hashed_user_id("") != hashed_user_id(" ")


def test_any_string_hashes_even_with_lone_surrogates() -> None:
    assert len(hashed_user_id("amzn1.ask.account.\udedc")) == USER_HASH_LENGTH
    assert hashed_user_id("\udedc") != hashed_user_id("\udedd")
