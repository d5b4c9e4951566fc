"""Assembled blocks on disk: `<audio folder>/blocks/<name>.mp3` and the index beside them.

The index (`blocks/index.json`) lists every assembled file a response can name: its file
name, the words it says, its duration in seconds, and each sentence's text with its offset,
so tests, the simulator's log and outside tools read what a response says from there. The
folder is git-ignored: the local server fills it on demand, `spine-stretch publish` fills it
with every reachable block before uploading.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.prompts import block_picker
from ..core.reachable import reachable_blocks
from ..core.workout import Content
from .assembly import (
    FOLDER_NAME,
    Assembled,
    AssemblyError,
    Piece,
    assemble,
    block_name,
    pieces_for,
)
from .manifest import Entry, write_atomic

INDEX_NAME = "index.json"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BlockEntry:
    file: str                 # relative to the audio folder: blocks/<name>.mp3
    text: str
    duration: float
    sentences: tuple[tuple[str, float], ...]   # (text, offset in seconds)
    pauses: tuple[tuple[float, float], ...] = ()  # (offset, seconds) of each run of silence

    @staticmethod
    def of(built: Assembled) -> BlockEntry:
        return BlockEntry(f"{FOLDER_NAME}/{built.name}", built.words, built.duration,
                          tuple((placed.text, placed.offset) for placed in built.sentences),
                          built.pauses)

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "text": self.text, "duration": self.duration,
                "sentences": [{"text": text, "offset": offset}
                              for text, offset in self.sentences],
                "pauses": [{"offset": offset, "seconds": seconds}
                           for offset, seconds in self.pauses]}


def _entry(data: Any) -> BlockEntry | None:
    try:
        return BlockEntry(str(data["file"]), str(data["text"]), float(data["duration"]),
                          tuple((str(s["text"]), float(s["offset"]))
                                for s in data["sentences"]),
                          tuple((float(p["offset"]), float(p["seconds"]))
                                for p in data.get("pauses", ())))
    except (KeyError, TypeError, ValueError):
        return None


def read_block_index(folder: Path) -> dict[str, BlockEntry]:
    """Blocks by file name (`<name>.mp3`); empty when the index is missing or unreadable."""
    try:
        data = json.loads((folder / FOLDER_NAME / INDEX_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    entries = {name: _entry(value) for name, value in data.items()}
    return {name: entry for name, entry in entries.items() if entry is not None}


def write_block_index(folder: Path, entries: Mapping[str, BlockEntry]) -> None:
    body = {name: entries[name].to_json() for name in sorted(entries)}
    (folder / FOLDER_NAME).mkdir(parents=True, exist_ok=True)
    write_atomic(folder / FOLDER_NAME / INDEX_NAME,
                 (json.dumps(body, indent=1, ensure_ascii=False) + "\n").encode())


class BlockStore:
    """Builds blocks into the audio folder on first use, then serves them from there."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._index: dict[str, BlockEntry] | None = None
        self._clips: dict[str, tuple[bytes, int]] = {}

    def _entries(self) -> dict[str, BlockEntry]:
        if self._index is None:
            self._index = read_block_index(self.folder)
        return self._index

    def _read(self, file: str) -> bytes:
        return (self.folder / file).read_bytes()

    def get(self, pieces: Sequence[Piece]) -> BlockEntry | None:
        """The block's entry, built now if it is not on disk; None (logged) if it cannot be."""
        name = block_name(pieces)
        with self._lock:
            entry = self._entries().get(name)
            if entry is not None and (self.folder / entry.file).is_file():
                return entry
            try:
                entry = self._write(assemble(pieces, self._read, cache=self._clips))
                self._save_index({name: entry})
            except (AssemblyError, OSError) as exc:
                log.warning("cannot assemble a recorded block, speaking with Alexa's voice: "
                            "%s", exc)
                return None
            return entry

    def build_all(self, blocks: Iterable[Sequence[Piece]]) -> tuple[int, int]:
        """Builds every block not already on disk, one at a time, writing the index once at
        the end; (files, bytes) written. AssemblyError if one cannot be built."""
        with self._lock:
            entries = self._entries()
            added: dict[str, BlockEntry] = {}
            written = 0
            for pieces in blocks:
                name = block_name(pieces)
                known = entries.get(name) or added.get(name)
                if known is not None and (self.folder / known.file).is_file():
                    continue
                built = assemble(pieces, self._read, cache=self._clips)
                added[name] = self._write(built)
                written += len(built.data)
            self._save_index(added)
            return len(added), written

    def _write(self, built: Assembled) -> BlockEntry:
        entry = BlockEntry.of(built)
        (self.folder / FOLDER_NAME).mkdir(parents=True, exist_ok=True)
        write_atomic(self.folder / entry.file, built.data)
        return entry

    def _save_index(self, added: Mapping[str, BlockEntry]) -> None:
        if not added:
            return
        entries = self._entries()
        # Another process (publish, a second server) may have added blocks meanwhile.
        entries.update(read_block_index(self.folder))
        entries.update(added)
        write_block_index(self.folder, entries)


def reachable_pieces(content: Content, entries: Mapping[str, Entry]
                     ) -> tuple[list[list[Piece]], set[str]]:
    """The pieces of every reachable block that can be assembled from `entries`, and the
    keys of the sentences the others lack (those blocks are spoken with Alexa's voice)."""
    found: list[list[Piece]] = []
    missing: set[str] = set()
    for parts in reachable_blocks(content):
        pieces, lacking = pieces_for(block_picker(content.prompts, parts).resolve(parts),
                                     entries)
        if lacking:
            missing.update(lacking)
        else:
            found.append(pieces)
    return found, missing
