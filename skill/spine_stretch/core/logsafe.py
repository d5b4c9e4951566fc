"""Log-safe stand-ins for personal data: logs may correlate a user's requests, never name them."""

from __future__ import annotations

import hashlib

# 12 hex digits (48 bits) tell a household's users apart in a log without naming any of them.
USER_HASH_LENGTH = 12


def hashed_user_id(user_id: str) -> str:
    """A short, stable SHA-256 prefix of an Alexa user id, for logs.

    The same id always gives the same value, and any string has one (a forged id may hold
    lone surrogates, which strict UTF-8 refuses). No salt is needed: Alexa user ids are long
    and random, so the prefix cannot be reversed by guessing ids.
    """
    return hashlib.sha256(user_id.encode("utf-8", "surrogatepass")).hexdigest()[
        :USER_HASH_LENGTH]
