"""User state persistence behind one small interface, chosen by a URL.

`memory`, `sqlite:///path/to.db` (the default, a file in the local data folder) and, in
deployments, `dynamodb://TABLE`. Records are JSON-able dicts keyed by the Alexa user id.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

Record = dict[str, Any]


class StoreError(RuntimeError):
    """The store could not be read or written; the message says what to check."""


class UserStore(Protocol):
    def get(self, user_id: str) -> Record | None:
        """The user's record, or None for a user never seen."""
        ...

    def put(self, user_id: str, record: Record) -> None:
        """Replace the user's record atomically."""
        ...


def open_store(url: str) -> UserStore:
    """A store for `url`; StoreError for a URL this build does not understand."""
    if url == "memory":
        from .memory import MemoryStore

        return MemoryStore()
    if url.startswith("sqlite:///"):
        from .sqlite import SqliteStore

        return SqliteStore(Path(url.removeprefix("sqlite:///")))
    if url.startswith("dynamodb://"):
        return _open_dynamodb(url.removeprefix("dynamodb://"))
    raise StoreError(
        f"unknown store {url!r}: use memory, sqlite:///path/to/file.db or dynamodb://TABLE"
    )


def _open_dynamodb(table: str) -> UserStore:
    # Imported here, not above: boto3 costs more to import than ask-sdk-core, and only a
    # deployment that asks for DynamoDB should pay for it (on Lambda, at the first request).
    try:
        from .dynamodb import DynamoStore
    except ModuleNotFoundError as exc:
        raise StoreError(f"dynamodb:// needs boto3 ({exc}): pip install "
                         "'spine-stretch-coach[aws]' (AWS Lambda provides it)") from exc
    return DynamoStore(table)
