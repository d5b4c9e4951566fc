"""Rendering real audio with espeak-ng into a folder: files, manifest, and what a re-render does."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from spine_stretch.voice.audio import RenderError
from spine_stretch.voice.engines import EspeakEngine
from spine_stretch.voice.manifest import MANIFEST_NAME, read_manifest
from spine_stretch.voice.plan import RenderItem
from spine_stretch.voice.post import Postprocessor
from spine_stretch.voice.probe import probe_file
from spine_stretch.voice.progress import ProgressBar
from spine_stretch.voice.render import render

from .counting_engine import CountingEngine


def folder_files(out: Path) -> set[str]:
    return {path.name for path in out.iterdir()} - {MANIFEST_NAME}


def assert_consistent(out: Path) -> None:
    """The invariant an interrupted render must keep: manifest files == files on disk."""
    manifest = read_manifest(out)
    assert manifest.files() == folder_files(out)
    for entry in manifest.entries.values():
        assert (out / entry.file).stat().st_size > 0


def test_render_writes_alexa_mp3s_and_a_matching_manifest(
        tmp_path: Path, espeak: EspeakEngine, post: Postprocessor,
        small_plan: list[RenderItem]) -> None:
    report = render(small_plan, espeak, post, tmp_path, workers=2)
    assert (report.rendered, report.reused, report.removed) == (5, 0, 0)
    data = json.loads((tmp_path / MANIFEST_NAME).read_text("utf-8"))
    assert set(data["entries"]) == {item.key for item in small_plan}
    for item in small_plan:
        entry = data["entries"][item.key]
        assert (entry["text"], entry["engine"], entry["voice"]) == (
            item.text, "espeak", espeak.voice)
        info = probe_file(tmp_path / entry["file"])
        assert (info.version, info.layer, info.sample_rate, info.channels,
                info.bitrate_kbps) == ("MPEG-2", 3, 24000, 1, 48)
        assert info.duration > 0
        assert entry["duration"] == pytest.approx(info.duration, abs=0.001)
    assert folder_files(tmp_path) == {e["file"] for e in data["entries"].values()}


def test_a_second_render_calls_no_engine_and_changes_nothing(
        tmp_path: Path, espeak: EspeakEngine, post: Postprocessor,
        small_plan: list[RenderItem]) -> None:
    render(small_plan, espeak, post, tmp_path)
    before = {path.name: path.stat().st_mtime_ns for path in tmp_path.iterdir()}
    counting = CountingEngine(espeak)
    report = render(small_plan, counting, post, tmp_path)
    assert counting.calls == 0
    assert (report.rendered, report.reused, report.removed) == (0, 5, 0)
    assert {path.name: path.stat().st_mtime_ns for path in tmp_path.iterdir()} == before


def test_changing_one_text_renders_only_that_item_and_drops_its_old_file(
        tmp_path: Path, espeak: EspeakEngine, post: Postprocessor,
        small_plan: list[RenderItem]) -> None:
    first = render(small_plan, espeak, post, tmp_path).manifest
    edited = [*small_plan[:2], replace(small_plan[2], text="Exhale, curl forward."),
              *small_plan[3:]]
    counting = CountingEngine(espeak)
    report = render(edited, counting, post, tmp_path)
    assert counting.texts == ["Exhale, curl forward."]
    assert (report.rendered, report.reused, report.removed) == (1, 4, 1)
    old_file = first.entries["cue.exhale.0"].file
    assert not (tmp_path / old_file).exists()
    assert report.manifest.entries["cue.exhale.0"].text == "Exhale, curl forward."
    assert_consistent(tmp_path)


def test_dropped_keys_leave_the_manifest_and_the_folder(
        tmp_path: Path, espeak: EspeakEngine, post: Postprocessor,
        small_plan: list[RenderItem]) -> None:
    render(small_plan, espeak, post, tmp_path)
    report = render(small_plan[:3], espeak, post, tmp_path)
    assert (report.rendered, report.removed) == (0, 2)
    assert set(report.manifest.entries) == {item.key for item in small_plan[:3]}
    assert_consistent(tmp_path)


def test_force_renders_everything_again(
        tmp_path: Path, espeak: EspeakEngine, post: Postprocessor,
        small_plan: list[RenderItem]) -> None:
    render(small_plan, espeak, post, tmp_path)
    counting = CountingEngine(espeak)
    report = render(small_plan, counting, post, tmp_path, force=True)
    assert counting.calls == 5 and report.rendered == 5
    assert_consistent(tmp_path)


def test_keys_that_say_the_same_thing_share_one_file(
        tmp_path: Path, espeak: EspeakEngine, post: Postprocessor) -> None:
    items = [RenderItem("count.2", "two"), RenderItem("prompt.other.0", "two")]
    counting = CountingEngine(espeak)
    manifest = render(items, counting, post, tmp_path).manifest
    assert counting.calls == 1
    assert manifest.entries["count.2"].file == manifest.entries["prompt.other.0"].file


@pytest.mark.parametrize("failure", [
    lambda: RenderError("engine failed"),
    KeyboardInterrupt,
], ids=["error", "ctrl-c"])
def test_an_interrupted_render_leaves_only_complete_files_that_the_manifest_lists(
        tmp_path: Path, espeak: EspeakEngine, post: Postprocessor,
        small_plan: list[RenderItem], failure: Callable[[], BaseException]) -> None:
    counting = CountingEngine(espeak, fail_on=3, failure=failure)
    with pytest.raises(type(failure())):
        render(small_plan, counting, post, tmp_path, workers=2)
    manifest = read_manifest(tmp_path)
    assert 2 <= len(manifest.entries) < 5
    assert not [path for path in tmp_path.iterdir() if path.name.endswith(".tmp")]
    assert_consistent(tmp_path)
    # The next render picks up where this one stopped.
    resumed = CountingEngine(espeak)
    report = render(small_plan, resumed, post, tmp_path)
    assert resumed.calls == 5 - len(manifest.entries) == report.rendered
    assert_consistent(tmp_path)


def test_a_failed_engine_switch_keeps_the_old_audio(
        tmp_path: Path, espeak: EspeakEngine, post: Postprocessor,
        small_plan: list[RenderItem]) -> None:
    render(small_plan, espeak, post, tmp_path)
    slower = EspeakEngine(words_per_minute=140)
    failing = CountingEngine(slower, fail_on=2, failure=lambda: RenderError("down"))
    with pytest.raises(RenderError):
        render(small_plan, failing, post, tmp_path, workers=1)
    manifest = read_manifest(tmp_path)
    assert set(manifest.entries) == {item.key for item in small_plan}
    assert {entry.voice for entry in manifest.entries.values()} == {espeak.voice, slower.voice}
    assert_consistent(tmp_path)


def test_temp_files_left_by_a_killed_render_are_cleared(
        tmp_path: Path, espeak: EspeakEngine, post: Postprocessor,
        small_plan: list[RenderItem]) -> None:
    (tmp_path / ".0123456789abcdef.mp3.x1y2.tmp").write_bytes(b"half a file")
    render(small_plan[:1], espeak, post, tmp_path)
    assert_consistent(tmp_path)


def test_progress_bar_counts_and_estimates_time_left() -> None:
    stream, now = io.StringIO(), [100.0]
    bar = ProgressBar(stream, lambda: now[0], enabled=True)
    bar.start(4)
    now[0] += 3.0
    bar.advance()
    assert bar.line().endswith("1/4  0:09 left")
    bar.finish()
    assert stream.getvalue().count("\r") == 2 and stream.getvalue().endswith("\n")
    quiet = io.StringIO()
    silent = ProgressBar(quiet, lambda: 0.0, enabled=False)
    silent.start(3)
    silent.advance()
    silent.finish()
    assert quiet.getvalue() == ""
