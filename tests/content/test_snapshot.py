"""The bundle's content snapshot: what the YAML parses to, refused once the YAML changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from spine_stretch import content
from spine_stretch.content import snapshot


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the packaged content with its snapshot, as `make lambda-zip` ships them."""
    copy = tmp_path / "content"
    shutil.copytree(content.FOLDER, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (copy / snapshot.SNAPSHOT_NAME).write_bytes(snapshot.dumps(content.parse(), str(copy)))
    return copy


def flip_last_byte(folder: Path) -> bytes:
    data = (folder / snapshot.SNAPSHOT_NAME).read_bytes()
    return data[:-2] + bytes([data[-2] ^ 1]) + data[-1:]


def test_the_snapshot_holds_exactly_what_the_yaml_parses_to(folder: Path) -> None:
    loaded = snapshot.load_or_parse(str(folder), lambda: pytest.fail("parsed the YAML"))
    assert loaded == content.parse()
    assert loaded.corpus.vocab.stopwords == content.parse().corpus.vocab.stopwords


def test_without_a_snapshot_the_yaml_is_parsed(tmp_path: Path) -> None:
    assert snapshot.load_or_parse(str(tmp_path), lambda: "parsed") == "parsed"


@pytest.mark.parametrize(("change", "message"), [
    (lambda f: (f / "prompts.yaml").write_text((f / "prompts.yaml").read_text() + "\n# x\n"),
     "prompts.yaml differs from the validated content"),
    (lambda f: (f / "workout.yaml").unlink(), "workout.yaml was validated but is missing"),
    (lambda f: (f / "extra.yaml").write_text("a: 1\n"),
     "extra.yaml was added after the content was validated"),
    (lambda f: (f / snapshot.SNAPSHOT_NAME).write_bytes(flip_last_byte(f)),
     "snapshot.pickle is damaged or from another build"),
    (lambda f: (f / snapshot.SNAPSHOT_NAME).write_bytes(b"not json\n"),
     "snapshot.pickle is damaged or from another build"),
])
def test_content_that_is_not_what_was_validated_is_refused(
        folder: Path, change: object, message: str) -> None:
    assert callable(change)
    change(folder)
    with pytest.raises(snapshot.SnapshotMismatch, match=message):
        snapshot.load_or_parse(str(folder), lambda: pytest.fail("parsed the YAML"))
