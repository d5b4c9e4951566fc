"""An in-process store, for tests and throwaway runs."""

from __future__ import annotations

import json
import threading

from . import Record, Snapshot, StoreConflict


class MemoryStore:
    """Keeps each record as JSON text, as the real stores do: what is read back is a copy,
    and a record that could not be saved for real (not JSON) fails here too."""

    def __init__(self) -> None:
        self._records: dict[str, tuple[str, int]] = {}
        self._lock = threading.Lock()

    def get(self, user_id: str) -> Snapshot:
        with self._lock:
            stored = self._records.get(user_id)
        if stored is None:
            return Snapshot()
        record: Record = json.loads(stored[0])
        return Snapshot(record, stored[1])

    def put(self, user_id: str, record: Record, version: int) -> None:
        payload = json.dumps(record)
        with self._lock:
            current = self._records.get(user_id, ("", 0))[1]
            if current != version:
                raise StoreConflict(f"the record is at version {current}, not {version}")
            self._records[user_id] = (payload, version + 1)

    def delete(self, user_id: str) -> bool:
        with self._lock:
            return self._records.pop(user_id, None) is not None
