"""The content as validated at build time, for a host that should not parse YAML at start.

`make lambda-zip` runs the loader once (every check of `content.load()`) and writes what it
returns, pickled, beside the YAML it came from, with the sha256 of every YAML file in the
folder and of the pickle itself. A process that finds the snapshot loads it instead of
parsing (no PyYAML import, no validation at a cold start) after checking that the YAML beside
it is byte for byte what was validated: a bundle whose content was edited, added to or
removed since it was built raises ContentError naming the file, so it never runs unvalidated
content. A source checkout has no snapshot and parses the YAML as before.

Whatever `load()` returns is snapshotted, so new content keys need nothing here. The pickle
is code shipped with the code that reads it (same bundle), not outside input.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Callable
from typing import Any

SNAPSHOT_NAME = "snapshot.pickle"
FORMAT = 1
SOURCE_SUFFIX = ".yaml"


class SnapshotMismatch(ValueError):
    """The snapshot does not describe the content beside it; the message says how."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def source_digests(folder: str) -> dict[str, str]:
    """The sha256 of every content YAML file in `folder`, by file name."""
    digests = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith(SOURCE_SUFFIX):
            with open(os.path.join(folder, name), "rb") as file:
                digests[name] = _sha256(file.read())
    return digests


def dumps(content: Any, folder: str) -> bytes:
    """The snapshot of `content`, validated from the YAML in `folder`: a JSON header line
    (format, the sources' digests, the pickle's digest), then the pickle."""
    body = pickle.dumps(content, protocol=5)
    header = {"format": FORMAT, "sources": source_digests(folder), "pickle": _sha256(body)}
    return json.dumps(header, sort_keys=True).encode() + b"\n" + body


def loads(data: bytes, folder: str) -> Any:
    """The content in a snapshot, after proving the YAML in `folder` is what it was made from;
    SnapshotMismatch otherwise."""
    line, _, body = data.partition(b"\n")
    try:
        header = json.loads(line)
        recorded: dict[str, str] = header["sources"]
        ok = header["format"] == FORMAT and _sha256(body) == header["pickle"]
    except (ValueError, KeyError, TypeError):
        ok = False
    if not ok:
        raise SnapshotMismatch(f"{SNAPSHOT_NAME} is damaged or from another build")
    present = source_digests(folder)
    for name in sorted(recorded.keys() | present.keys()):
        if name not in present:
            raise SnapshotMismatch(f"{name} was validated but is missing")
        if name not in recorded:
            raise SnapshotMismatch(f"{name} was added after the content was validated")
        if present[name] != recorded[name]:
            raise SnapshotMismatch(f"{name} differs from the validated content")
    return pickle.loads(body)


def load_or_parse(folder: str, parse: Callable[[], Any]) -> Any:
    """The snapshot's content when `folder` has one (checked as `loads` says), else `parse()`."""
    try:
        with open(os.path.join(folder, SNAPSHOT_NAME), "rb") as file:
            data = file.read()
    except FileNotFoundError:
        return parse()
    return loads(data, folder)
