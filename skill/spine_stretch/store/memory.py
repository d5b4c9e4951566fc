"""An in-process store, for tests and throwaway runs."""

from __future__ import annotations

import copy
import threading

from . import Record


class MemoryStore:
    def __init__(self) -> None:
        self._records: dict[str, Record] = {}
        self._lock = threading.Lock()

    def get(self, user_id: str) -> Record | None:
        with self._lock:
            record = self._records.get(user_id)
            return copy.deepcopy(record) if record is not None else None

    def put(self, user_id: str, record: Record) -> None:
        with self._lock:
            self._records[user_id] = copy.deepcopy(record)
