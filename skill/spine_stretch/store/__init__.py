"""User state persistence behind one small interface, chosen by a URL.

`memory`, `sqlite:///path/to.db` (the default, a file in the local data folder) and, in
deployments, `dynamodb://TABLE`. Records are JSON-able dicts keyed by the Alexa user id.

Every write is conditional on the version that was read (optimistic concurrency): two
requests for the same user at once cannot both save over the same version, so one of them
learns it lost the race (`StoreConflict`) instead of silently erasing the other's update.
A lock could only serialise threads of one process; a version works wherever the record
lives, and maps onto a DynamoDB conditional write
(`attribute_not_exists(user_id) OR version = :read`) as directly as onto SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

Record = dict[str, Any]


class StoreError(RuntimeError):
    """The store could not be read or written; the message says what to check."""


class StoreConflict(StoreError):
    """The record changed since it was read: the write was not made."""


@dataclass(frozen=True)
class Snapshot:
    """A user's record as read, and the version a write of its successor must name.

    A user never seen has an empty record and version 0.
    """

    record: Record = field(default_factory=dict)
    version: int = 0


class UserStore(Protocol):
    def get(self, user_id: str) -> Snapshot:
        """The user's record and its version."""
        ...

    def put(self, user_id: str, record: Record, version: int) -> None:
        """Replace the record atomically if it is still at `version` (it then moves to the
        next version); raise StoreConflict, writing nothing, if it has moved on."""
        ...

    def delete(self, user_id: str) -> bool:
        """Remove the user's record whatever its version; True if there was one. A user
        who asks to be forgotten is forgotten even if another turn saved in between."""
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
