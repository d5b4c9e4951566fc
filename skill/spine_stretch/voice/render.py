"""Renders a plan into a folder of MP3s and a manifest, redoing only what changed.

Guarantees, whatever happens part-way (an engine error, Ctrl-C):
- every MP3 in the folder is complete (each is written to a temporary file, then renamed);
- the manifest lists only files that exist, and is itself replaced in one step;
- a file is deleted only once the manifest no longer names it, and only if an older manifest
  did; besides those, only temporary files a killed render left are removed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .audio import RenderError
from .engines import Engine
from .manifest import (
    EMPTY,
    Entry,
    Manifest,
    audio_file_name,
    is_temp_file,
    read_manifest,
    write_atomic,
    write_manifest,
)
from .plan import RenderItem
from .post import Postprocessor
from .probe import probe_mp3, spec_problems

log = logging.getLogger(__name__)


class Progress(Protocol):
    def start(self, total: int) -> None: ...

    def advance(self) -> None: ...

    def finish(self) -> None: ...


@dataclass(frozen=True)
class RenderReport:
    rendered: int
    reused: int
    removed: int
    manifest: Manifest


def _make_file(engine: Engine, post: Postprocessor, out: Path, name: str, text: str) -> float:
    """Synthesizes, finishes and writes one file; returns its duration in seconds."""
    pcm = engine.synthesize(text)
    try:
        mp3 = post.process(pcm)
    except RenderError as exc:
        raise RenderError(f"{text!r}: {exc}") from None
    info = probe_mp3(mp3)
    problems = spec_problems(info, post.settings.spec)
    if problems:
        # Never write a file Alexa would refuse; this means ffmpeg ignored our settings.
        raise RenderError(f"the MP3 for {text!r} {'; '.join(problems)}: check the ffmpeg build")
    write_atomic(out / name, mp3)
    return round(info.duration, 3)


def _previous(out: Path, force: bool) -> Manifest:
    try:
        return read_manifest(out)
    except RenderError:
        if force:
            log.warning("ignoring the unreadable %s/manifest.json: --force redoes everything", out)
            return EMPTY
        raise


def _settle(out: Path, items: Sequence[RenderItem], names: dict[str, str],
            durations: dict[str, float], engine: Engine, old: Manifest,
            complete: bool) -> tuple[Manifest, int]:
    """Writes the manifest for what exists now, then deletes files it no longer names."""
    fresh = {item.key: Entry(names[item.key], item.text, durations[names[item.key]],
                             engine.name, engine.voice)
             for item in items if names[item.key] in durations}
    # Unfinished: keep the old entries whose files still exist, so no key loses its audio.
    kept = {} if complete else {key: entry for key, entry in old.entries.items()
                                if (out / entry.file).is_file()}
    manifest = Manifest.of({**kept, **fresh})
    if manifest.to_json() != old.to_json():
        write_manifest(out, manifest)
    superseded = old.files() - manifest.files()
    for stale in superseded:
        (out / stale).unlink(missing_ok=True)
    return manifest, len(superseded)


def render(items: Sequence[RenderItem], engine: Engine, post: Postprocessor, out: Path, *,
           force: bool = False, workers: int = 1, progress: Progress | None = None
           ) -> RenderReport:
    """Makes `out` hold audio for exactly `items` (see the module's guarantees).

    Reuses any file whose name (a hash of text, engine, voice and settings) is already in
    the manifest and on disk, unless `force`. The first error stops the render and is raised
    after the manifest is written for the files that were finished.
    """
    out.mkdir(parents=True, exist_ok=True)
    for leftover in out.iterdir():
        if is_temp_file(leftover):
            leftover.unlink()
    old = _previous(out, force)
    settings = post.settings.fingerprint()
    names = {item.key: audio_file_name(item.text, engine.name, engine.voice, settings)
             for item in items}
    wanted = set(names.values())
    durations = {} if force else {entry.file: entry.duration for entry in old.entries.values()
                                  if entry.file in wanted and (out / entry.file).is_file()}
    reused = len(durations)
    todo = {names[item.key]: item.text for item in items if names[item.key] not in durations}
    if progress:
        progress.start(len(todo))
    futures: dict[Future[float], str] = {}
    complete = False
    pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="render")
    try:
        for name, text in todo.items():
            futures[pool.submit(_make_file, engine, post, out, name, text)] = name
        for future in as_completed(futures):
            durations[futures[future]] = future.result()
            if progress:
                progress.advance()
        complete = True
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        for future, name in futures.items():
            # Work that was already running when another item failed has finished by now.
            if future.done() and not future.cancelled() and future.exception() is None:
                durations[name] = future.result()
        if progress:
            progress.finish()
        manifest, removed = _settle(out, items, names, durations, engine, old, complete)
    return RenderReport(len(todo), reused, removed, manifest)
