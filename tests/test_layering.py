"""The pure core imports only the standard library, rooms import only downwards, and the
Lambda path stays light."""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

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
    loaded = imported_outside_stdlib(["spine_stretch.hosts.runtime", "spine_stretch.voice.clips"])
    assert not (AUDIO_TOOLS | {"flask", "werkzeug"}) & set(loaded)


def test_serving_audio_needs_no_audio_tools() -> None:
    assert not AUDIO_TOOLS & set(imported_outside_stdlib(["spine_stretch.web.app"]))


# The rooms, lowest first (../shared/STYLE.md): a module may import its own room and any room
# ranked below it, never one above or beside it. `settings` is read by every room. The command
# line sits above the hosts and the web app it starts.
ROOM_RANKS = {"settings": 0, "core": 0, "content": 1, "interaction": 2, "store": 2, "voice": 2,
              "alexa": 3, "web": 4, "hosts": 4, "cli": 5}


def _imported_rooms(path: Path, package_parts: list[str]) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(node, ast.ImportFrom | ast.Import):
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name.split(".") for alias in node.names]
        elif node.level:
            base = package_parts[: len(package_parts) - (node.level - 1)]
            module = node.module.split(".") if node.module else []
            targets = ([base + module] if module
                       else [base + [alias.name] for alias in node.names])
        else:
            targets = [(node.module or "").split(".")]
        for target in targets:
            if target[0] == package_parts[0] and len(target) > 1:
                yield node.lineno, target[1]


def upward_imports(package: Path) -> list[str]:
    """Every import in `package` that reaches a room above or beside the importer's own."""
    found = []
    for path in sorted(package.rglob("*.py")):
        parts = [package.name, *path.relative_to(package).with_suffix("").parts]
        package_parts = parts[:-1]
        if len(parts) < 3:  # the package's own top-level modules
            continue
        room = parts[1]
        for line, target in _imported_rooms(path, package_parts):
            if target == room or target not in ROOM_RANKS:
                continue
            if ROOM_RANKS[target] >= ROOM_RANKS[room]:
                found.append(f"{path.relative_to(package)}:{line} ({room}) imports {target}")
    return found


def test_no_room_imports_one_above_it() -> None:
    package = Path(spine_stretch.__file__).parent
    rooms = {p.name for p in package.iterdir() if (p / "__init__.py").is_file()}
    assert rooms == set(ROOM_RANKS) - {"settings"}
    assert upward_imports(package) == []


def test_the_layering_check_catches_upward_and_sideways_imports(tmp_path: Path) -> None:
    package = tmp_path / "spine_stretch"
    files = {
        "core/engine.py": "from ..alexa import skill\n",
        "voice/clips.py": "from spine_stretch.store import sqlite\n",
        "store/sqlite.py": "from .. import core\nfrom ..settings import Settings\n",
        "alexa/skill.py": "from ..core.engine import advance\nimport spine_stretch.web.app\n",
    }
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text)
    assert upward_imports(package) == [
        "alexa/skill.py:2 (alexa) imports web",
        "core/engine.py:1 (core) imports alexa",
        "voice/clips.py:1 (voice) imports store",
    ]


def test_the_package_top_holds_only_what_everything_uses() -> None:
    package = Path(spine_stretch.__file__).parent
    assert sorted(p.name for p in package.glob("*.py")) == ["__init__.py", "settings.py"]


@pytest.mark.parametrize(("old", "new"), sorted(spine_stretch.MOVED_MODULES.items()))
def test_a_moved_module_imported_by_its_old_name_names_its_new_place(old: str, new: str) -> None:
    importlib.import_module(new)
    with pytest.raises(ImportError, match=f"{old} has moved: import {new} instead"):
        importlib.import_module(old)
    parent, _, leaf = old.rpartition(".")
    with pytest.raises(ImportError, match=f"import {new} instead"):
        exec(f"from {parent} import {leaf}", {})


def test_an_unknown_name_still_fails_the_ordinary_way() -> None:
    with pytest.raises(ModuleNotFoundError, match="No module named 'spine_stretch.nothing'"):
        importlib.import_module("spine_stretch.nothing")
