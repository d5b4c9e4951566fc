"""The index of assembled cool-down tracks (audio/tracks.json), readable without audio libraries.

The skill reads it at run time to address a track and jump between its chapters; building a
track (pydub) lives in voice/track.py.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

INDEX_NAME = "tracks.json"
FOLDER_NAME = "tracks"


@dataclass(frozen=True)
class TrackEntry:
    """One assembled track: its file under the audio folder, and where each rep starts."""

    id: str
    file: str
    reps: int
    breath_seconds: int
    duration_ms: int
    chapters_ms: tuple[int, ...]


class TrackSource(Protocol):
    def track(self, reps: int, breath_seconds: int) -> TrackEntry | None:
        """The track for a setting, or None when there is none to play."""
        ...


def _entry(data: Any) -> TrackEntry | None:
    try:
        return TrackEntry(str(data["id"]), str(data["file"]), int(data["reps"]),
                          int(data["breath_seconds"]), int(data["duration_ms"]),
                          tuple(int(c) for c in data["chapters_ms"]))
    except (KeyError, TypeError, ValueError):
        return None


def read_index(folder: Path) -> dict[str, TrackEntry]:
    """Tracks by id; an index that is missing or unreadable is empty (logged by callers)."""
    try:
        data = json.loads((folder / INDEX_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    entries = (_entry(item) for item in data.values())
    return {entry.id: entry for entry in entries if entry is not None}


def index_json(entries: dict[str, TrackEntry]) -> str:
    return json.dumps({key: asdict(entries[key]) for key in sorted(entries)}, indent=2) + "\n"


class IndexedTracks:
    """Tracks that were built ahead of time; the index is read once."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._entries: dict[str, TrackEntry] | None = None

    def entries(self) -> dict[str, TrackEntry]:
        if self._entries is None:
            self._entries = read_index(self.folder)
        return self._entries

    def track(self, reps: int, breath_seconds: int) -> TrackEntry | None:
        for entry in self.entries().values():
            if (entry.reps, entry.breath_seconds) == (reps, breath_seconds):
                if (self.folder / entry.file).is_file():
                    return entry
        return None
