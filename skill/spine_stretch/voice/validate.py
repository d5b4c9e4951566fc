"""Checks that content, manifest and files agree, and that every file is one Alexa plays,
at the one loudness every other file has."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from .assembly import FOLDER_NAME as BLOCKS_FOLDER
from .audio import RenderError
from .loudness import ALEXA_LOUDNESS, LoudnessSpec, level_problems, measure_mp3
from .manifest import MANIFEST_NAME, read_manifest
from .plan import RenderItem
from .probe import ALEXA_MP3, Mp3Spec, ProbeError, probe_mp3, spec_problems
from .track_index import FOLDER_NAME as TRACKS_FOLDER
from .track_index import INDEX_NAME as TRACKS_INDEX

# A manifest's duration may differ from the file's by rounding, not by a different recording.
DURATION_TOLERANCE = 0.05


class ProblemKind(StrEnum):
    MANIFEST = "manifest"  # the manifest itself cannot be read
    MISSING = "missing"  # a planned key was never rendered (new content, most likely)
    LOST = "lost"  # an entry names a file that is not in the folder
    STALE = "stale"  # the entry says another text than content does now
    UNPLANNED = "unplanned"  # an entry for a key content no longer has
    OFF_SPEC = "off-spec"  # a file Alexa would refuse, unreadable, or not what the entry says
    LOUDNESS = "loudness"  # on spec, but louder, quieter or peakier than every other file
    ORPHAN = "orphan"  # a file in the folder no entry names


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    subject: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.subject}: {self.detail}"


def loudness_problems(data: bytes, subject: str,
                      spec: LoudnessSpec = ALEXA_LOUDNESS) -> list[Problem]:
    """The ways an on-spec MP3's measured loudness or true peak breaks `spec`."""
    try:
        level = measure_mp3(data)
    except RenderError as exc:
        return [Problem(ProblemKind.OFF_SPEC, subject, str(exc))]
    return [Problem(ProblemKind.LOUDNESS, subject, detail)
            for detail in level_problems(level, spec)]


def file_problems(path: Path, duration: float | None, spec: Mp3Spec = ALEXA_MP3,
                  loudness: LoudnessSpec | None = ALEXA_LOUDNESS) -> list[Problem]:
    """Format first; the loudness is measured only of a file Alexa would play at all.
    `duration` is what an index says the file lasts (None: not checked)."""
    try:
        data = path.read_bytes()
        info = probe_mp3(data)
    except (OSError, ProbeError) as exc:
        return [Problem(ProblemKind.OFF_SPEC, path.name, f"cannot be read as MP3 ({exc})")]
    details = spec_problems(info, spec)
    if duration is not None and abs(info.duration - duration) > DURATION_TOLERANCE:
        details.append(f"lasts {info.duration:.2f} s but the manifest says {duration:.2f} s")
    if details:
        return [Problem(ProblemKind.OFF_SPEC, path.name, detail) for detail in details]
    return [] if loudness is None else loudness_problems(data, path.name, loudness)


def validate(items: Sequence[RenderItem], out: Path, spec: Mp3Spec = ALEXA_MP3,
             loudness: LoudnessSpec | None = ALEXA_LOUDNESS, workers: int = 2) -> list[Problem]:
    """Every disagreement between `items`, `out/manifest.json` and the files in `out`."""
    try:
        manifest = read_manifest(out)
    except RenderError as exc:
        return [Problem(ProblemKind.MANIFEST, str(out / MANIFEST_NAME), str(exc))]
    problems: list[Problem] = []
    planned = {item.key: item for item in items}
    for key, item in planned.items():
        entry = manifest.entries.get(key)
        if entry is None:
            problems.append(Problem(ProblemKind.MISSING, key, f"no audio for {item.text!r}"))
        elif entry.text != item.text:
            problems.append(Problem(ProblemKind.STALE, key,
                                    f"audio says {entry.text!r}, content says {item.text!r}"))
    for key in manifest.entries.keys() - planned.keys():
        problems.append(Problem(ProblemKind.UNPLANNED, key, "content no longer has this key"))
    durations: dict[str, float] = {}
    for key, entry in manifest.entries.items():
        if not (out / entry.file).is_file():
            problems.append(Problem(ProblemKind.LOST, key, f"{entry.file} is not in {out}"))
        else:
            durations.setdefault(entry.file, entry.duration)
    # Decoding and measuring run mostly outside the GIL (miniaudio, numpy, scipy): threads
    # use every core, which matters over two thousand files.
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for found in pool.map(lambda file: file_problems(out / file, durations[file], spec,
                                                          loudness), sorted(durations)):
            problems += found
    # Cool-down tracks have their own index, checked by voice.track.validate_tracks.
    # Assembled blocks live in blocks/ (git-ignored, rebuilt from the clips on demand).
    named = manifest.files() | {MANIFEST_NAME, TRACKS_INDEX, TRACKS_FOLDER, BLOCKS_FOLDER}
    if out.is_dir():
        problems += [Problem(ProblemKind.ORPHAN, path.name, "no manifest entry names this file")
                     for path in sorted(out.iterdir()) if path.name not in named]
    return sorted(problems, key=lambda problem: (problem.kind, problem.subject))
