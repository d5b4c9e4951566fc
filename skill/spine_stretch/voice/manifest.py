"""`audio/manifest.json`: which file holds each key's audio, and the text it says.

Files are named by a hash of everything that shapes their sound, so a name that exists on
disk is already the right audio, and two keys that say the same thing share one file.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .audio import RenderError

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1
TEMP_SUFFIX = ".tmp"


@dataclass(frozen=True)
class Entry:
    file: str
    text: str
    duration: float
    engine: str
    voice: str


@dataclass(frozen=True)
class Manifest:
    entries: Mapping[str, Entry]

    @staticmethod
    def of(entries: Mapping[str, Entry]) -> Manifest:
        return Manifest(MappingProxyType(dict(sorted(entries.items()))))

    def files(self) -> set[str]:
        return {entry.file for entry in self.entries.values()}

    def to_json(self) -> str:
        entries = {key: asdict(entry) for key, entry in sorted(self.entries.items())}
        return json.dumps({"version": MANIFEST_VERSION, "entries": entries}, indent=1,
                          ensure_ascii=False) + "\n"


EMPTY = Manifest.of({})


def audio_file_name(text: str, engine: str, voice: str, settings: str) -> str:
    """`<sha256[:16]>.mp3` over the text, engine, voice and post-processing settings."""
    identity = json.dumps([text, engine, voice, settings], ensure_ascii=False)
    return hashlib.sha256(identity.encode()).hexdigest()[:16] + ".mp3"


_FIELDS: dict[str, type | tuple[type, ...]] = {
    "file": str, "text": str, "duration": (int, float), "engine": str, "voice": str}


def _entry(key: str, data: Any) -> Entry:
    if not isinstance(data, dict):
        raise ValueError(f"entry {key!r} is not an object")
    for name, kind in _FIELDS.items():
        if not isinstance(data.get(name), kind) or isinstance(data.get(name), bool):
            raise ValueError(f"entry {key!r} needs {name!r} of type "
                             f"{getattr(kind, '__name__', 'number')}")
    # A bare file name, what Path(file).name would leave unchanged: checked on strings because
    # a Lambda cold start reads every entry, and a Path per entry was most of that.
    file = data["file"]
    if "/" in file or file in ("", ".", ".."):
        raise ValueError(f"entry {key!r} names a file outside the folder: {file!r}")
    return Entry(file, data["text"], data["duration"], data["engine"], data["voice"])


def parse_manifest(text: str) -> Manifest:
    """The manifest in `text`; ValueError saying what is wrong."""
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        raise ValueError(f"not a version {MANIFEST_VERSION} manifest")
    entries = data.get("entries")
    if not isinstance(entries, dict):
        raise ValueError("'entries' must be an object")
    return Manifest.of({key: _entry(key, value) for key, value in entries.items()})


def read_manifest(folder: Path) -> Manifest:
    """The folder's manifest; empty if there is none; RenderError if it is unreadable."""
    path = folder / MANIFEST_NAME
    try:
        return parse_manifest(path.read_text("utf-8"))
    except FileNotFoundError:
        return EMPTY
    except (OSError, ValueError) as exc:
        raise RenderError(f"{path} is unreadable ({exc}): delete it and render again") from None


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step: readers see the old file or the new, never part.

    The temporary file is in the same folder (os.replace is atomic only within a file system)
    and is removed if anything fails before the replace.
    """
    import tempfile  # here: the skill reads manifests where it runs, only rendering writes

    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                    suffix=TEMP_SUFFIX)
    try:
        # mkstemp makes the file private (0600); audio is served to others, like any file
        # a plain write would have made.
        os.fchmod(handle, 0o644)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_manifest(folder: Path, manifest: Manifest) -> None:
    write_atomic(folder / MANIFEST_NAME, manifest.to_json().encode())


def is_temp_file(path: Path) -> bool:
    """A temporary file `write_atomic` left behind when its process was killed outright."""
    return path.name.startswith(".") and path.name.endswith(TEMP_SUFFIX)
