"""An in-process store, for tests and throwaway runs."""

from __future__ import annotations

import copy
import threading

from . import Record, Snapshot, StoreConflict


class MemoryStore:
    def __init__(self) -> None:
        self._records: dict[str, Snapshot] = {}
        self._lock = threading.Lock()

    def get(self, user_id: str) -> Snapshot:
        with self._lock:
            stored = self._records.get(user_id, Snapshot())
            return Snapshot(copy.deepcopy(stored.record), stored.version)

    def put(self, user_id: str, record: Record, version: int) -> None:
        with self._lock:
            current = self._records.get(user_id, Snapshot()).version
            if current != version:
                raise StoreConflict(f"the record is at version {current}, not {version}")
            self._records[user_id] = Snapshot(copy.deepcopy(record), version + 1)
