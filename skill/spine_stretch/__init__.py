"""Spine Stretch Coach: an Alexa skill that coaches the Pilates Spine Stretch hands-free.

Modules that once sat at the top of the package now live in rooms named for what they are.
Importing one by its old name (a script, an old Lambda handler setting) fails with an
ImportError that names the new place, rather than Python's bare "No module named".
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

MOVED_MODULES = {
    "spine_stretch.answers_eval": "spine_stretch.cli.answers_eval",
    "spine_stretch.ask": "spine_stretch.cli.ask",
    "spine_stretch.audio_urls": "spine_stretch.voice.urls",
    "spine_stretch.aws_lambda": "spine_stretch.hosts.aws_lambda",
    "spine_stretch.chat": "spine_stretch.cli.chat",
    "spine_stretch.logsafe": "spine_stretch.core.logsafe",
    "spine_stretch.nlu": "spine_stretch.interaction.matcher",
    "spine_stretch.runtime": "spine_stretch.hosts.runtime",
    "spine_stretch.serving": "spine_stretch.hosts.serving",
    "spine_stretch.signing_cert": "spine_stretch.web.signing_cert",
    "spine_stretch.simulator": "spine_stretch.web.simulator",
    "spine_stretch.simulator_media": "spine_stretch.web.simulator_media",
    "spine_stretch.tracks": "spine_stretch.voice.track_index",
    "spine_stretch.verify": "spine_stretch.web.verify",
    "spine_stretch.voice.commands": "spine_stretch.cli.audio",
    "spine_stretch.web_audio": "spine_stretch.web.audio",
}


class MovedModuleFinder:
    """Consulted after every real finder: only a name that no longer exists reaches it."""

    @staticmethod
    def find_spec(fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        new = MOVED_MODULES.get(fullname)
        if new is None:
            return None
        raise ImportError(f"{fullname} has moved: import {new} instead", name=fullname)


# Appended, not prepended, so it costs nothing on any import that succeeds.
if not any(isinstance(f, MovedModuleFinder) for f in sys.meta_path):
    sys.meta_path.append(MovedModuleFinder())
