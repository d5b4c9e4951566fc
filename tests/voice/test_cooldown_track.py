"""The cool-down track: assembled from real rendered clips and silence, probed, cached."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spine_stretch.core.cooldown import (
    Track,
    next_chapter,
    parse_token,
    previous_chapter,
    token_for,
    track_for,
)
from spine_stretch.core.speech import Pause, Spoken
from spine_stretch.core.workout import Content
from spine_stretch.voice.engines import EspeakEngine
from spine_stretch.voice.plan import build_plan
from spine_stretch.voice.post import Postprocessor
from spine_stretch.voice.probe import ALEXA_MP3, probe_file, spec_problems
from spine_stretch.voice.render import render
from spine_stretch.voice.track import assemble, build_track, validate_tracks
from spine_stretch.voice.track_index import IndexedTracks, read_index
from spine_stretch.voice.validate import ProblemKind

REPS, BREATH = 2, 2


def render_track_clips(content: Content, track: Track, folder: Path, espeak: EspeakEngine,
                       post: Postprocessor) -> None:
    keys = {item.key for item in track.items if isinstance(item, Spoken)}
    render([item for item in build_plan(content) if item.key in keys], espeak, post, folder,
           workers=2)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, espeak: EspeakEngine,
             post: Postprocessor) -> Path:
    from spine_stretch import content as content_module

    folder = tmp_path_factory.mktemp("audio")
    loaded = content_module.load()
    render_track_clips(loaded, track_for(loaded, REPS, BREATH), folder, espeak, post)
    return folder


def test_the_track_says_the_setup_then_every_rep(content: Content) -> None:
    track = track_for(content, 3, 4)
    spoken = [item.key for item in track.items if isinstance(item, Spoken)]
    assert spoken[0] == "prompt.cooldown_intro.0" and spoken[-1] == "prompt.cooldown_done.0"
    assert [spoken.index(f"step.{step.id}") for step in content.workout.setup] == [1, 2, 3]
    assert len(track.chapters) == 3
    assert track_for(content, 3, 4) == track, "the same setting is always the same track"
    assert track_for(content, 3, 5).id != track.id


def test_assembled_track_is_on_spec_and_as_long_as_its_parts(
        content: Content, rendered: Path, ffmpeg: str, post: Postprocessor) -> None:
    track = track_for(content, REPS, BREATH)
    data, chapters, parts_ms = assemble(track, rendered, ffmpeg, post)
    out = rendered / "probe.mp3"
    out.write_bytes(data)
    info = probe_file(out)
    assert spec_problems(info, ALEXA_MP3) == []
    assert abs(info.duration * 1000 - parts_ms) <= 50
    pauses = sum(item.seconds for item in track.items if isinstance(item, Pause))
    assert parts_ms > pauses * 1000
    assert len(chapters) == REPS and 0 < chapters[0] < chapters[1] < parts_ms


def test_build_caches_by_content_and_validates(content: Content, rendered: Path, ffmpeg: str,
                                               post: Postprocessor) -> None:
    entry = build_track(content, rendered, REPS, BREATH, ffmpeg, post)
    file = rendered / entry.file
    stamp = file.stat().st_mtime_ns
    assert build_track(content, rendered, REPS, BREATH, ffmpeg, post) == entry
    assert file.stat().st_mtime_ns == stamp, "a built track is not built again"
    assert IndexedTracks(rendered).track(REPS, BREATH) == entry
    assert [p for p in validate_tracks(content, rendered) if p.subject == entry.file] == []
    index = rendered / "tracks.json"
    data = json.loads(index.read_text())
    data[entry.id]["id"] = "cooldown-2x2-built-from-older-content"
    index.write_text(json.dumps(data))
    assert [p.kind for p in validate_tracks(content, rendered)
            if p.subject == entry.file] == [ProblemKind.STALE]
    (rendered / entry.file).unlink()
    assert [p.kind for p in validate_tracks(content, rendered)
            if p.subject == entry.file] == [ProblemKind.LOST]
    assert read_index(rendered)


def test_a_clip_that_was_never_rendered_is_a_clear_error(content: Content, tmp_path: Path,
                                                         ffmpeg: str,
                                                         post: Postprocessor) -> None:
    from spine_stretch.voice.audio import RenderError

    with pytest.raises(RenderError, match="run `spine-stretch render` first"):
        build_track(content, tmp_path, 1, 2, ffmpeg, post)


CHAPTERS = (10_000, 30_000, 50_000)


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(-5, 10_000), (0, 10_000), (9_999, 10_000), (10_000, 30_000), (49_999, 50_000),
     (50_000, None), (90_000, None)],
)
def test_next_chapter_at_the_edges(offset: int, expected: int | None) -> None:
    assert next_chapter(CHAPTERS, offset) == expected


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(-5, 0), (0, 0), (12_999, 0), (13_000, 10_000), (32_000, 10_000), (33_000, 30_000),
     (999_999, 50_000)],
)
def test_previous_chapter_restarts_the_rep_or_goes_back_one(offset: int, expected: int) -> None:
    assert previous_chapter(CHAPTERS, offset) == expected


@pytest.mark.parametrize("token", [None, "", "x", "spine-stretch::t", "other:u:t", "a:b:c:d"])
def test_foreign_tokens_are_not_ours(token: str | None) -> None:
    assert parse_token(token) is None
    assert parse_token(token_for("u1", "t1")) == ("u1", "t1")
