"""Blocks assembled from real espeak-ng clips: counts on the beat in the decoded audio, the index,
the cache, and every bad clip refused with Alexa's voice instead of a broken `<audio>` tag."""

from __future__ import annotations

import array
import logging
import random
from pathlib import Path

import pytest

from spine_stretch.core import blocks
from spine_stretch.core.prompts import PromptPicker, block_picker
from spine_stretch.core.speech import Pause, Resolved, Spoken
from spine_stretch.core.workout import Content
from spine_stretch.voice.assembly import (
    AssemblyError,
    Piece,
    assemble,
    block_name,
    pieces_for,
    silent_frame,
)
from spine_stretch.voice.audio import Pcm, decode_mp3
from spine_stretch.voice.block_store import BlockStore, read_block_index
from spine_stretch.voice.clips import AudioLibrary
from spine_stretch.voice.engines import EspeakEngine
from spine_stretch.voice.manifest import read_manifest
from spine_stretch.voice.plan import RenderItem
from spine_stretch.voice.post import Postprocessor
from spine_stretch.voice.probe import ALEXA_MP3, Mp3Spec, audio_frames, probe_mp3
from spine_stretch.voice.render import render

RATE = ALEXA_MP3.sample_rate
FRAME = 576 / RATE  # one MP3 frame: 24 ms
BASE = "https://coach.example/audio"


def breath(content: Content, seconds: int) -> list[Resolved]:
    """One breath as the engine says it on rep 2: a short cue, then the count."""
    phase = content.workout.phases[0]
    parts = blocks.breath_parts(phase, 2, seconds, content.prompts)
    return PromptPicker(content.prompts, random.Random(1)).resolve(parts)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, espeak: EspeakEngine,
           post: Postprocessor) -> Path:
    from spine_stretch import content as content_module

    content = content_module.load()
    out = tmp_path_factory.mktemp("audio")
    spoken = {item for item in breath(content, 8) if isinstance(item, Spoken)}
    render(sorted((RenderItem(s.key, s.text) for s in spoken), key=lambda i: i.key), espeak,
           post, out, workers=2)
    return out


def pieces(content: Content, folder: Path, seconds: int) -> list[Piece]:
    found, missing = pieces_for(breath(content, seconds), read_manifest(folder).entries)
    assert missing == []
    return found


def first_sound(pcm: Pcm, start: int = 0, quiet: int = RATE // 10) -> int | None:
    """The first non-zero sample from `start` after at least `quiet` zero samples."""
    samples = array.array("h", pcm.samples)
    zeros = quiet if start == 0 else 0
    for index in range(start, len(samples)):
        if samples[index] != 0:
            if zeros >= quiet:
                return index
            zeros = 0
        else:
            zeros += 1
    return None


@pytest.mark.parametrize("seconds", [2, 4, 8])
def test_each_count_starts_on_its_beat_in_the_decoded_audio(
        content: Content, folder: Path, ffmpeg: str, seconds: int) -> None:
    plan = pieces(content, folder, seconds)
    built = assemble(plan, lambda name: (folder / name).read_bytes())
    cue, *counts = built.sentences
    assert [c.key for c in counts] == [f"count.{n}" for n in range(2, seconds + 1)]
    # The plan: the breath starts as the cue ends, each count one beat (breath / beats) on.
    cue_frames = audio_frames((folder / plan[0].file).read_bytes())[1]
    breath_start = cue_frames * FRAME
    beat = seconds / seconds
    for number, count in enumerate(counts, start=1):
        assert abs(count.offset - (breath_start + number * beat)) <= FRAME / 2 + 1e-9
    assert abs(built.duration - (breath_start + seconds)) <= FRAME / 2 + 1e-9
    # The decoded file: each count's first sound is where the plan put the clip, plus that
    # clip's own lead-in (found by decoding the clip alone), within one frame.
    decoded = decode_mp3(built.data, ffmpeg, RATE)
    assert abs(len(decoded.samples) / 2 / RATE - built.duration) <= FRAME
    for count in counts:
        clip = next(p for p in plan if p.key == count.key)
        alone = decode_mp3(audio_frames((folder / clip.file).read_bytes())[0], ffmpeg, RATE)
        lead_in = first_sound(alone) or 0
        heard = first_sound(decoded, round((count.offset - 0.3) * RATE), quiet=RATE // 20)
        assert heard is not None
        assert abs(heard / RATE - (count.offset + lead_in / RATE)) <= FRAME, count.key


def test_a_block_is_one_valid_stream_named_by_what_it_says(content: Content,
                                                             folder: Path) -> None:
    plan = pieces(content, folder, 4)
    built = assemble(plan, lambda name: (folder / name).read_bytes())
    info = probe_mp3(built.data)
    assert (info.version, info.sample_rate, info.bitrate_kbps) == ("MPEG-2", RATE, 48)
    assert built.name == block_name(plan) != block_name(pieces(content, folder, 5))
    assert probe_mp3(silent_frame() * 10).duration == pytest.approx(10 * FRAME)


def test_the_same_block_always_picks_the_same_variants_and_reps_differ(
        content: Content) -> None:
    parts = [part for rep in (2, 3, 4, 5)
             for part in blocks.rep_parts(content.workout, content.prompts, rep, 8, 4)]
    first = block_picker(content.prompts, parts).resolve(parts)
    assert first == block_picker(content.prompts, parts).resolve(parts)
    starts = [s.key.split(".")[2] for s in first
              if isinstance(s, Spoken) and s.key.startswith("prompt.rep_start.")]
    assert all(a != b for a, b in zip(starts, starts[1:], strict=False))


def test_the_store_builds_once_and_indexes_each_sentence(content: Content, folder: Path,
                                                          tmp_path: Path) -> None:
    store = BlockStore(folder)
    plans = [pieces(content, folder, seconds) for seconds in (2, 3)]
    files, size = store.build_all(plans)
    assert files == 2 and size > 0
    assert BlockStore(folder).build_all(plans) == (0, 0)  # a second run writes nothing
    entry = read_block_index(folder)[block_name(plans[0])]
    assert entry.file == f"blocks/{block_name(plans[0])}" and (folder / entry.file).is_file()
    assert [text for text, _ in entry.sentences] == [p.text for p in plans[0] if p.file]
    assert entry.duration == pytest.approx(probe_mp3((folder / entry.file).read_bytes())
                                           .duration, abs=FRAME)


def copy_with(folder: Path, tmp_path: Path, change: dict[str, bytes]) -> Path:
    out = tmp_path / "audio"
    out.mkdir()
    for path in folder.iterdir():
        if path.is_file():
            (out / path.name).write_bytes(change.get(path.name, path.read_bytes()))
    return out


def bad_versions(content: Content, folder: Path, post: Postprocessor) -> tuple[str, dict[
        str, bytes | None]]:
    """The file of "three", and what a bad copy of it holds in each case (None: no file)."""
    name = next(p.file for p in pieces(content, folder, 4) if p.key == "count.3")
    data = (folder / name).read_bytes()
    other = post.export(post.to_segment(Pcm(b"\x10\x00" * RATE, RATE, 2, 1)),
                        Mp3Spec("MPEG-1", 3, 44100, 1, 64))
    return name, {"missing": None, "truncated": data[: len(data) - 50],
                  "other format": other, "not audio": b"<html>not found</html>"}


@pytest.mark.parametrize("case", ["missing", "truncated", "other format", "not audio"])
def test_a_bad_clip_means_alexas_voice_never_a_broken_tag(
        content: Content, folder: Path, tmp_path: Path, post: Postprocessor, case: str,
        caplog: pytest.LogCaptureFixture) -> None:
    name, versions = bad_versions(content, folder, post)
    bad = versions[case]
    out = copy_with(folder, tmp_path, {} if bad is None else {name: bad})
    if bad is None:
        (out / name).unlink()
    with pytest.raises(AssemblyError, match=name):
        assemble(pieces(content, out, 4), lambda file: (out / file).read_bytes())
    library = AudioLibrary(read_manifest(out).entries, BASE, BlockStore(out))
    count = next(s for s in breath(content, 4) if isinstance(s, Spoken) and s.key == "count.3")
    with caplog.at_level(logging.WARNING):
        assert library.block(breath(content, 4), True) is None
        assert library(count) is None
    assert name in caplog.text
    assert not list(out.glob("blocks/*.mp3"))


def test_a_sentence_without_a_recording_is_named_in_the_warning(
        content: Content, folder: Path, caplog: pytest.LogCaptureFixture) -> None:
    library = AudioLibrary(read_manifest(folder).entries, BASE, None)
    items = [*breath(content, 4), Pause(1.0), Spoken("prompt.finished.0", "All done.")]
    with caplog.at_level(logging.WARNING):
        assert library.block(items, True) is None
    assert "prompt.finished.0" in caplog.text
    # Lambda (no store) names published blocks from the manifest alone, never others.
    assert library.block(breath(content, 4), True) is not None
    assert library.block(breath(content, 4), False) is None


def test_validate_lists_what_the_blocks_lack(folder: Path) -> None:
    from spine_stretch.cli.audio import block_problems

    problems = block_problems(folder, {"step.hands"})
    subjects = {problem.subject for problem in problems}
    # Only one breath's sentences were rendered here: the setup is what every block lacks.
    assert "step.sit" in subjects and "step.hands" not in subjects  # reported once
    assert all(problem.kind == "missing" and "block" in problem.detail for problem in problems)
