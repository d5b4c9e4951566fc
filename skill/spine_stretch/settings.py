"""One frozen Settings, read from the environment once, at the edge that needs it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path


def default_data_dir(environ: Mapping[str, str]) -> Path:
    home = environ.get("HOME") or str(Path.home())
    base = environ.get("XDG_DATA_HOME") or str(Path(home) / ".local" / "share")
    return Path(base) / "spine-stretch"


def default_audio_dir() -> Path:
    """The repository's `audio/` folder, where `spine-stretch render` puts the shipped voice.

    Only a source checkout has it; an installed package sets SPINE_STRETCH_AUDIO_DIR.
    """
    return Path(__file__).resolve().parents[2] / "audio"


AUDIO_BASE_URL = "SPINE_STRETCH_AUDIO_BASE_URL"


@dataclass(frozen=True)
class Settings:
    store_url: str
    skill_id: str | None
    audio_base_url: str | None
    audio_dir: Path = field(default_factory=default_audio_dir)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        store = env.get("SPINE_STRETCH_STORE") or (
            f"sqlite:///{default_data_dir(env) / 'spine-stretch.db'}"
        )
        return cls(
            store_url=store,
            skill_id=env.get("SPINE_STRETCH_SKILL_ID") or None,
            audio_base_url=env.get(AUDIO_BASE_URL) or None,
            audio_dir=Path(env.get("SPINE_STRETCH_AUDIO_DIR") or default_audio_dir()),
        )

    def with_default_audio_base(self, url: str,
                                environ: Mapping[str, str] | None = None) -> Settings:
        """These settings with `url` as the audio base URL when the environment does not set
        SPINE_STRETCH_AUDIO_BASE_URL at all; set, even to empty (Alexa's voice), it wins."""
        env = os.environ if environ is None else environ
        return self if AUDIO_BASE_URL in env else replace(self, audio_base_url=url)
