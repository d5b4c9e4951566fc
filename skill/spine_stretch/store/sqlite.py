"""The default store: one SQLite file, one row of JSON per user."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import Record, StoreError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    user_id TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    updated REAL NOT NULL
)
"""


class SqliteStore:
    def __init__(self, path: Path, timeout: float = 5.0) -> None:
        self.path = path
        self._timeout = timeout
        self._ready = False

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # A connection per call keeps threads apart; opening one costs microseconds.
        try:
            if not self._ready:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=self._timeout)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the database {self.path}: {exc}") from exc
        try:
            if not self._ready:
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute(_SCHEMA)
                self._ready = True
            yield connection
        except sqlite3.Error as exc:
            raise StoreError(f"database {self.path} failed: {exc}") from exc
        finally:
            connection.close()

    def get(self, user_id: str) -> Record | None:
        with self._connect() as connection:
            row = connection.execute(
                "SELECT record FROM users WHERE user_id = ?", (user_id,)
            ).fetchone()
        if row is None:
            return None
        try:
            record = json.loads(row[0])
        except json.JSONDecodeError as exc:
            raise StoreError(f"the record in {self.path} is not valid JSON: {exc}") from exc
        if not isinstance(record, dict):
            raise StoreError(f"the record in {self.path} is not a JSON object")
        return record

    def put(self, user_id: str, record: Record) -> None:
        payload = json.dumps(record, separators=(",", ":"), sort_keys=True)
        with self._connect() as connection, connection:
            connection.execute(
                "INSERT INTO users (user_id, record, updated) VALUES (?, ?, ?) "
                "ON CONFLICT(user_id) DO UPDATE SET record = excluded.record, "
                "updated = excluded.updated",
                (user_id, payload, time.time()),
            )
