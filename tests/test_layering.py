"""The pure core imports only the standard library; the Lambda-ish path stays light."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import spine_stretch.core

CORE_MODULES = sorted(
    f"spine_stretch.core.{m.name}" for m in pkgutil.iter_modules(spine_stretch.core.__path__)
)

PROBE = """
import importlib, json, sys
before = set(sys.modules)
for name in {modules!r}:
    importlib.import_module(name)
loaded = {{m.split('.')[0] for m in set(sys.modules) - before}}
print(json.dumps(sorted(loaded - set(sys.stdlib_module_names) - {{'spine_stretch'}})))
"""


def imported_outside_stdlib(modules: list[str]) -> list[str]:
    out = subprocess.run([sys.executable, "-c", PROBE.format(modules=modules)],
                         check=True, capture_output=True, text=True).stdout
    result: list[str] = json.loads(out)
    return result


def test_core_imports_only_the_standard_library() -> None:
    assert len(CORE_MODULES) >= 6
    assert imported_outside_stdlib(CORE_MODULES) == []


def test_the_skill_itself_needs_neither_flask_nor_audio_libraries() -> None:
    loaded = imported_outside_stdlib(["spine_stretch.alexa.skill", "spine_stretch.content"])
    assert not {"flask", "werkzeug", "pydub", "gtts", "piper", "boto3"} & set(loaded)


AUDIO_TOOLS = {"pydub", "gtts", "piper", "onnxruntime", "imageio_ffmpeg", "boto3", "botocore"}


def test_playing_recorded_audio_needs_no_audio_tools() -> None:
    # The skill as hosts build it, recorded-audio lookup included: only the manifest is read.
    loaded = imported_outside_stdlib(["spine_stretch.runtime", "spine_stretch.voice.clips"])
    assert not (AUDIO_TOOLS | {"flask", "werkzeug"}) & set(loaded)


def test_serving_audio_needs_no_audio_tools() -> None:
    assert not AUDIO_TOOLS & set(imported_outside_stdlib(["spine_stretch.web"]))
