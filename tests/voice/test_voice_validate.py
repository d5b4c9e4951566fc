"""`validate` finds every way content, manifest and files can disagree; the commands report it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from spine_stretch import content
from spine_stretch.cli import audio as commands
from spine_stretch.voice.engines import EspeakEngine
from spine_stretch.voice.manifest import MANIFEST_NAME, read_manifest
from spine_stretch.voice.plan import RenderItem
from spine_stretch.voice.post import Postprocessor
from spine_stretch.voice.probe import Mp3Spec
from spine_stretch.voice.render import render
from spine_stretch.voice.track_index import TrackEntry
from spine_stretch.voice.validate import Problem, ProblemKind, validate


@pytest.fixture
def rendered(tmp_path: Path, espeak: EspeakEngine, post: Postprocessor,
             small_plan: list[RenderItem]) -> Path:
    render(small_plan, espeak, post, tmp_path)
    return tmp_path


def kinds(problems: list[Problem]) -> list[tuple[ProblemKind, str]]:
    return [(problem.kind, problem.subject) for problem in problems]


def test_a_fresh_render_validates_clean(rendered: Path, small_plan: list[RenderItem]) -> None:
    assert validate(small_plan, rendered) == []


def test_a_hand_edited_prompt_is_stale(rendered: Path, small_plan: list[RenderItem]) -> None:
    edited = [RenderItem(small_plan[0].key, "Rep one, nice and slow."), *small_plan[1:]]
    problems = validate(edited, rendered)
    assert kinds(problems) == [(ProblemKind.STALE, small_plan[0].key)]
    assert "Rep one, nice and slow." in str(problems[0])


def test_a_new_key_is_missing_and_a_dropped_one_unplanned(
        rendered: Path, small_plan: list[RenderItem]) -> None:
    changed = [*small_plan[1:], RenderItem("count.3", "three")]
    assert kinds(validate(changed, rendered)) == [
        (ProblemKind.MISSING, "count.3"), (ProblemKind.UNPLANNED, small_plan[0].key)]


def test_a_deleted_file_is_lost(rendered: Path, small_plan: list[RenderItem]) -> None:
    entry = read_manifest(rendered).entries["count.2"]
    (rendered / entry.file).unlink()
    assert kinds(validate(small_plan, rendered)) == [(ProblemKind.LOST, "count.2")]


def test_an_off_spec_file_is_reported(rendered: Path, post: Postprocessor, espeak: EspeakEngine,
                                      small_plan: list[RenderItem]) -> None:
    entry = read_manifest(rendered).entries["count.2"]
    cd_quality = Mp3Spec(version="MPEG-1", sample_rate=44100)
    (rendered / entry.file).write_bytes(post.export(post.to_segment(espeak.synthesize("two")),
                                                    cd_quality))
    problems = validate(small_plan, rendered)
    assert {(kind, subject) for kind, subject in kinds(problems)} == {
        (ProblemKind.OFF_SPEC, entry.file)}
    assert any("44100 Hz, needs 24000 Hz" in str(problem) for problem in problems)


def test_a_truncated_file_is_off_spec(rendered: Path, small_plan: list[RenderItem]) -> None:
    entry = read_manifest(rendered).entries["step.sit"]
    path = rendered / entry.file
    path.write_bytes(path.read_bytes()[:-300])
    problems = validate(small_plan, rendered)
    assert kinds(problems) == [(ProblemKind.OFF_SPEC, entry.file)]
    assert "truncated" in problems[0].detail


def test_files_no_entry_names_are_orphans(rendered: Path, small_plan: list[RenderItem]) -> None:
    (rendered / "0000000000000000.mp3").write_bytes(b"")
    (rendered / "notes.txt").write_text("hi")
    assert kinds(validate(small_plan, rendered)) == [
        (ProblemKind.ORPHAN, "0000000000000000.mp3"), (ProblemKind.ORPHAN, "notes.txt")]


def test_a_broken_manifest_is_one_problem(rendered: Path, small_plan: list[RenderItem]) -> None:
    (rendered / MANIFEST_NAME).write_text('{"version": 1, "entries": {"x": {"file": "../a"}}}')
    problems = validate(small_plan, rendered)
    assert kinds(problems) == [(ProblemKind.MANIFEST, str(rendered / MANIFEST_NAME))]
    assert "render again" in problems[0].detail


def test_validate_command_tells_never_rendered_from_broken(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Content that grew since the last render: only missing sentences, its own exit code.
    assert commands.validate_command(tmp_path) == commands.EXIT_MISSING
    captured = capsys.readouterr()
    assert "missing: prompt.welcome.0: no audio for 'Welcome to Spine Stretch Coach.'" in (
        captured.out)
    assert "missing: sentences content has and no render has made yet" in captured.err
    assert "renders only those" in captured.err
    # Anything else wrong too, and it is a failure that names each kind.
    (tmp_path / "stray.mp3").write_bytes(b"")
    assert commands.validate_command(tmp_path) == commands.EXIT_FAILED
    err = capsys.readouterr().err
    assert re.search(r"\d+ missing, 1 orphan: `spine-stretch render", err)
    assert "delete orphans by hand" in err


def test_render_command_reports_a_bad_engine(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert commands.render_command("festival", tmp_path, force=False, quiet=True) == 1
    assert "choose one of gtts, piper, espeak" in capsys.readouterr().err


def test_commands_render_then_validate_a_small_content(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, espeak: EspeakEngine,
        capsys: pytest.CaptureFixture[str]) -> None:
    # The full plan is a thousand sentences; the command's wiring is the same for three.
    def tiny_plan(_: object) -> tuple[RenderItem, ...]:
        return (RenderItem("count.2", "two"), RenderItem("count.3", "three"),
                RenderItem("step.sit", content.load().workout.steps[0].say))

    monkeypatch.setattr(commands, "build_plan", tiny_plan)
    # Three sentences cannot make a cool-down track; tests/voice/test_cooldown_track.py builds one.
    monkeypatch.setattr(commands, "build_default_track",
                        lambda *_: TrackEntry("t", "tracks/t.mp3", 5, 4, 1000, ()))
    monkeypatch.setattr(commands, "validate_tracks", lambda *_: [])
    # Nor the blocks of speech: tests/voice/test_assembly.py and test_voice_publish.py do.
    monkeypatch.setattr(commands, "block_problems", lambda *_: [])
    assert commands.render_command("espeak", tmp_path, force=False, quiet=False) == 0
    assert "3 files rendered with espeak" in capsys.readouterr().out
    assert commands.validate_command(tmp_path) == 0
    assert "on spec" in capsys.readouterr().out
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text("utf-8"))
    assert len(manifest["entries"]) == 3
