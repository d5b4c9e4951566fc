"""Assembles a cool-down track with pydub: the rendered clips and real silence, one MP3.

Cached by the track's id (a hash of everything it says): a track is built once per setting.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..core.cooldown import Track, chapter_offsets_ms, item_seconds, track_for
from ..core.speech import Pause
from ..core.workout import Content
from .audio import Pcm, RenderError, decode_mp3
from .manifest import read_manifest, write_atomic
from .post import Postprocessor
from .probe import probe_mp3
from .track_index import FOLDER_NAME, INDEX_NAME, TrackEntry, index_json, read_index
from .validate import Problem, ProblemKind, file_problems

_index_lock = threading.Lock()


def _clips(track: Track, folder: Path, ffmpeg: str, post: Postprocessor) -> dict[str, Any]:
    """Each distinct clip of the track, decoded once; RenderError when one is missing or stale."""
    manifest = read_manifest(folder)
    rate = post.settings.spec.sample_rate
    clips: dict[str, Any] = {}
    for item in track.items:
        if isinstance(item, Pause) or item.key in clips:
            continue
        entry = manifest.entries.get(item.key)
        if entry is None or entry.text != item.text:
            raise RenderError(f"no up-to-date audio for {item.key!r} in {folder}: "
                              "run `spine-stretch render` first")
        try:
            data = (folder / entry.file).read_bytes()
        except OSError as exc:
            raise RenderError(f"cannot read {entry.file}: {exc}") from None
        clips[item.key] = post.to_segment(decode_mp3(data, ffmpeg, rate))
    return clips


def assemble(track: Track, folder: Path, ffmpeg: str,
             post: Postprocessor) -> tuple[bytes, tuple[int, ...], int]:
    """The track's MP3, the chapter offsets (ms) and the sum of its parts' lengths (ms)."""
    clips = _clips(track, folder, ffmpeg, post)
    rate = post.settings.spec.sample_rate
    seconds = {key: len(segment) / 1000 for key, segment in clips.items()}
    pieces = [
        post.to_segment(Pcm(b"\0\0" * round(item.seconds * rate), rate, 2, 1))
        if isinstance(item, Pause) else clips[item.key]
        for item in track.items
    ]
    if not pieces:
        raise RenderError(f"track {track.id} says nothing")
    whole = pieces[0]
    for piece in pieces[1:]:
        whole += piece
    total_ms = round(sum(item_seconds(item, seconds) for item in track.items) * 1000)
    # Re-encoding moves peaks: the whole track is brought to the spec again, measured as sent.
    return post.finish(whole), chapter_offsets_ms(track, seconds), total_ms


def build_track(content: Content, folder: Path, reps: int, breath_seconds: int, ffmpeg: str,
                post: Postprocessor) -> TrackEntry:
    """The track for a setting, built and indexed unless it already is."""
    track = track_for(content, reps, breath_seconds)
    existing = read_index(folder).get(track.id)
    if existing is not None and (folder / existing.file).is_file():
        return existing
    data, chapters, _ = assemble(track, folder, ffmpeg, post)
    relative = f"{FOLDER_NAME}/{track.id}.mp3"
    (folder / FOLDER_NAME).mkdir(parents=True, exist_ok=True)
    write_atomic(folder / relative, data)
    entry = TrackEntry(track.id, relative, track.reps, track.breath_seconds,
                       round(probe_mp3(data).duration * 1000), chapters)
    with _index_lock:
        entries = read_index(folder)
        # One track per setting: an older build of the same setting is replaced.
        for key in [k for k, e in entries.items()
                    if (e.reps, e.breath_seconds) == (entry.reps, entry.breath_seconds)]:
            stale = entries.pop(key)
            if stale.file != entry.file:
                (folder / stale.file).unlink(missing_ok=True)
        entries[entry.id] = entry
        write_atomic(folder / INDEX_NAME, index_json(entries).encode())
    return entry


class BuildingTracks:
    """Tracks built on demand (then cached), for hosts that have the audio libraries."""

    def __init__(self, content: Content, folder: Path, ffmpeg: str,
                 post: Postprocessor) -> None:
        self.content, self.folder, self.ffmpeg, self.post = content, folder, ffmpeg, post
        self._lock = threading.Lock()

    def track(self, reps: int, breath_seconds: int) -> TrackEntry | None:
        with self._lock:
            try:
                return build_track(self.content, self.folder, reps, breath_seconds,
                                   self.ffmpeg, self.post)
            except RenderError:
                return None


def validate_tracks(content: Content, folder: Path) -> list[Problem]:
    """Problems with the cool-down tracks: the default setting's track never built, a listed
    file gone or off spec, or a track built from older content (its id no longer matches)."""
    workout = content.workout
    default = track_for(content, workout.reps.default, workout.breath_seconds.default)
    entries = read_index(folder)
    problems = []
    if default.id not in entries:
        problems.append(Problem(ProblemKind.MISSING, default.id,
                                "the default cool-down track was never built"))
    for entry in entries.values():
        path = folder / entry.file
        if not path.is_file():
            problems.append(Problem(ProblemKind.LOST, entry.file, f"not in {folder}"))
            continue
        if track_for(content, entry.reps, entry.breath_seconds).id != entry.id:
            problems.append(Problem(ProblemKind.STALE, entry.file,
                                    "built from older content"))
        problems += [replace(problem, subject=entry.file)
                     for problem in file_problems(path, None)]
    return problems
