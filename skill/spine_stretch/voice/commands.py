"""`spine-stretch render` and `spine-stretch validate`: the only place here that prints."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from .. import content
from ..tracks import TrackEntry
from .audio import RenderError, find_ffmpeg
from .engines import make_engine
from .plan import PlanError, build_plan
from .post import Postprocessor
from .progress import ProgressBar
from .render import render
from .track import build_track, validate_tracks
from .validate import validate

EXIT_OK, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 130


def _cores() -> int:
    # The cores this process may use, which in a container can be fewer than the machine has.
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def build_default_track(out: Path, ffmpeg: str, post: Postprocessor) -> TrackEntry:
    """The cool-down track for the default setting; others are built when first asked for."""
    loaded = content.load()
    defaults = loaded.workout
    return build_track(loaded, out, defaults.reps.default, defaults.breath_seconds.default,
                       ffmpeg, post)


def render_command(engine: str, out: Path, force: bool, quiet: bool) -> int:
    """Renders every planned sentence into `out`; prints a summary; returns the exit code."""
    try:
        items = build_plan(content.load())
        ffmpeg = find_ffmpeg()
        post = Postprocessor(ffmpeg)
        speaker = make_engine(engine, ffmpeg)
        bar = ProgressBar(sys.stderr, time.monotonic,
                          enabled=not quiet and sys.stderr.isatty())
        report = render(items, speaker, post, out, force=force, workers=_cores(), progress=bar)
        track = build_default_track(out, ffmpeg, post)
    except (content.ContentError, PlanError, RenderError) as exc:
        print(f"render failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(f"\ninterrupted: {out / 'manifest.json'} lists the files finished so far; "
              "run render again to continue", file=sys.stderr)
        return EXIT_INTERRUPTED
    if not quiet:
        print(f"{len(report.manifest.entries)} sentences in {out}: "
              f"{report.rendered} files rendered with {speaker.name} ({speaker.voice}), "
              f"{report.reused} reused, {report.removed} removed; cool-down track "
              f"{track.file} ({track.duration_ms / 1000:.0f} s)")
    return EXIT_OK


def validate_command(out: Path) -> int:
    """Prints every problem with `out` against the content; non-zero exit if there are any."""
    try:
        items = build_plan(content.load())
    except (content.ContentError, PlanError) as exc:
        print(f"validate failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    problems = [str(problem) for problem in validate(items, out)]
    problems += validate_tracks(content.load(), out)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problems in {out}: run `spine-stretch render --out {out}` "
              "to fix missing, stale and off-spec audio", file=sys.stderr)
        return EXIT_FAILED
    print(f"{out}: audio for all {len(items)} sentences, on spec")
    return EXIT_OK
