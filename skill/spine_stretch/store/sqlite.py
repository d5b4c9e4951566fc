"""The default store: one SQLite file, one row of JSON per user, with a version per row.

Each write is one statement in its own transaction, in WAL mode: a process killed mid-write
leaves the last committed record in place, and readers never wait for a writer.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import Record, Snapshot, StoreConflict, StoreError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    user_id TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    updated REAL NOT NULL,
    version INTEGER NOT NULL DEFAULT 0
)
"""

# Insert a new user, or update one whose row is still at the version that was read; a row
# that has moved on matches nothing, so the statement changes no row.
_PUT = """
INSERT INTO users (user_id, record, updated, version) VALUES (?, ?, ?, ?)
ON CONFLICT(user_id) DO UPDATE SET
    record = excluded.record, updated = excluded.updated, version = excluded.version
WHERE users.version = ?
"""


class SqliteStore:
    def __init__(self, path: Path, timeout: float = 5.0) -> None:
        self.path = path
        self._timeout = timeout
        self._ready = False
        self._setup = threading.Lock()

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
                self._prepare(connection)
            yield connection
        except sqlite3.Error as exc:
            # The file may be replaced while we run (a restored backup): set it up again.
            self._ready = False
            raise StoreError(self._explain(exc)) from exc
        finally:
            connection.close()

    def _prepare(self, connection: sqlite3.Connection) -> None:
        with self._setup:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(_SCHEMA)
            columns = {row[1] for row in connection.execute("PRAGMA table_info(users)")}
            if "version" not in columns:
                # A file from before versions: every record starts at version 0.
                connection.execute(
                    "ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 0"
                )
            self._ready = True

    def _explain(self, exc: sqlite3.Error) -> str:
        name = getattr(exc, "sqlite_errorname", "")
        if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
            return (f"the database {self.path} is damaged ({exc}): move it aside to start "
                    "afresh, or restore it from a backup")
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return (f"the database {self.path} stayed locked by another connection for "
                    f"{self._timeout:g} s ({exc}): look for a process holding it")
        return f"database {self.path} failed: {exc}"

    def get(self, user_id: str) -> Snapshot:
        with self._connect() as connection:
            row = connection.execute(
                "SELECT record, version FROM users WHERE user_id = ?", (user_id,)
            ).fetchone()
        if row is None:
            return Snapshot()
        try:
            record = json.loads(row[0])
        except json.JSONDecodeError as exc:
            raise StoreError(f"the record in {self.path} is not valid JSON: {exc}") from exc
        if not isinstance(record, dict):
            raise StoreError(f"the record in {self.path} is not a JSON object")
        return Snapshot(record, int(row[1]))

    def put(self, user_id: str, record: Record, version: int) -> None:
        payload = json.dumps(record, separators=(",", ":"), sort_keys=True)
        with self._connect() as connection, connection:
            changed = connection.execute(
                _PUT, (user_id, payload, time.time(), version + 1, version)
            ).rowcount
        if changed != 1:
            raise StoreConflict(f"the record in {self.path} is no longer at version {version}")

    def delete(self, user_id: str) -> bool:
        with self._connect() as connection, connection:
            removed = connection.execute(
                "DELETE FROM users WHERE user_id = ?", (user_id,)).rowcount
        return bool(removed)
