"""`spine-stretch render`, `validate` and `publish`: the only place here that prints."""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from pathlib import Path

from .. import content
from ..content.listing import Listing, load_listing, page_html
from ..core.workout import Content
from ..interaction.icons import IconError, icon_path, render_icon
from ..voice.audio import RenderError, find_ffmpeg
from ..voice.block_store import BlockStore, reachable_pieces
from ..voice.engines import make_engine
from ..voice.manifest import read_manifest
from ..voice.plan import PlanError, build_plan
from ..voice.post import Postprocessor
from ..voice.progress import ProgressBar
from ..voice.publish import PublishError, StoreFile, publish, s3_client
from ..voice.render import render
from ..voice.track import build_track, validate_tracks
from ..voice.track_index import TrackEntry
from ..voice.validate import Problem, ProblemKind, validate

EXIT_OK, EXIT_FAILED, EXIT_MISSING, EXIT_INTERRUPTED = 0, 1, 3, 130


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


def block_problems(out: Path, reported: set[str]) -> list[Problem]:
    """Sentences some reachable block needs and no fresh recording says, not yet reported:
    a response with such a block is spoken by Alexa."""
    try:
        entries = read_manifest(out).entries
    except RenderError:
        return []
    _, missing = reachable_pieces(content.load(), entries)
    return [Problem(ProblemKind.MISSING, key, "a block of speech needs it: blocks saying it "
                    "are spoken by Alexa until it is rendered")
            for key in sorted(missing - reported)]


def validate_command(out: Path) -> int:
    """Prints every problem with `out` against the content; returns the exit code.

    EXIT_MISSING when the only problems are sentences never rendered (content has grown,
    and a render adds just those); EXIT_FAILED for anything else (stale, lost, off-spec,
    orphan or unplanned audio, or an unreadable manifest).
    """
    try:
        items = build_plan(content.load())
    except (content.ContentError, PlanError) as exc:
        print(f"validate failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    problems = validate(items, out, workers=_cores()) + validate_tracks(content.load(), out)
    problems += block_problems(out, {problem.subject for problem in problems})
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{out}: audio for all {len(items)} sentences, on spec")
        return EXIT_OK
    counts = Counter(problem.kind for problem in problems)
    summary = ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items()))
    if counts.keys() == {ProblemKind.MISSING}:
        print(f"{out}: {summary}: sentences content has and no render has made yet; "
              f"`spine-stretch render --out {out}` renders only those", file=sys.stderr)
        return EXIT_MISSING
    print(f"{out}: {summary}: `spine-stretch render --out {out}` redoes missing, lost and "
          "stale audio and drops unplanned entries; off-spec and loudness problems need --force "
          "(or delete the files first); delete orphans by hand", file=sys.stderr)
    return EXIT_FAILED


def build_blocks(out: Path, loaded: Content | None = None) -> str:
    """Builds every reachable block from `out`'s clips (Lambda names them from the manifest
    and cannot build them); what was done, in a sentence. RenderError if one cannot be."""
    try:
        entries = read_manifest(out).entries
    except RenderError:
        return ""  # publish itself says what is wrong with the manifest
    reachable, missing = reachable_pieces(loaded or content.load(), entries)
    files, size = BlockStore(out).build_all(reachable)
    said = (f"{files} block files written ({size} bytes) of {len(reachable)} reachable "
            f"blocks; the others were already built")
    if missing:
        said += (f"; blocks using {len(missing)} unrecorded sentences are spoken by Alexa "
                 f"(first: {sorted(missing)[0]}): run spine-stretch render")
    return said


def store_files(listing: Listing, root: Path) -> tuple[StoreFile, ...]:
    """The pages and icons the manifest names, as `publish` uploads them: the committed
    icons under `root`, or freshly rendered ones where there are none (an installed package)."""
    files = [StoreFile(listing.files[key], page_html(listing.pages[key]).encode("utf-8"),
                       "text/html; charset=utf-8") for key in ("privacy", "terms")]
    for key, size in (("small_icon", 108), ("large_icon", 512)):
        path = icon_path(root, size)
        data = path.read_bytes() if path.is_file() else render_icon(size)
        files.append(StoreFile(listing.files[key], data, "image/png"))
    return tuple(files)


def publish_command(out: Path, bucket: str, prefix: str, quiet: bool,
                    root: Path = Path(".")) -> int:
    """Builds every reachable block, then uploads what changed in `out`, and the store's
    files, to S3; prints the base URL to set; returns the exit code."""
    bar = ProgressBar(sys.stderr, time.monotonic, enabled=not quiet and sys.stderr.isatty(),
                      label="uploading")
    listing = load_listing()
    try:
        built = build_blocks(out)
        report = publish(out, bucket, prefix, s3_client(), bar, store_files(listing, root))
    except (PublishError, RenderError, IconError) as exc:
        print(f"publish failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if report.base_url.rstrip("/") != listing.published_at.rstrip("/"):
        print(f"note: the manifest names the store's files under {listing.published_at}: set "
              f"published_at in content/store.yaml to {report.base_url} and run "
              "spine-stretch model --write", file=sys.stderr)
    if built:
        print(built)
    print(f"{len(report.uploaded)} files uploaded ({report.bytes_uploaded} bytes), "
          f"{report.unchanged} already there")
    print(f"Alexa fetches the audio anonymously: the bucket (or a CDN in front of it) must "
          f"allow public reads under {report.base_url}/")
    print(f"SPINE_STRETCH_AUDIO_BASE_URL={report.base_url}")
    return EXIT_OK
