"""One frozen Settings, read from the environment once, at the edge that needs it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


def default_data_dir(environ: Mapping[str, str]) -> Path:
    home = environ.get("HOME") or str(Path.home())
    base = environ.get("XDG_DATA_HOME") or str(Path(home) / ".local" / "share")
    return Path(base) / "spine-stretch"


@dataclass(frozen=True)
class Settings:
    store_url: str
    skill_id: str | None
    audio_base_url: str | None
    audio_dir: Path

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        store = env.get("SPINE_STRETCH_STORE") or (
            f"sqlite:///{default_data_dir(env) / 'spine-stretch.db'}"
        )
        return cls(
            store_url=store,
            skill_id=env.get("SPINE_STRETCH_SKILL_ID") or None,
            audio_base_url=env.get("SPINE_STRETCH_AUDIO_BASE_URL") or None,
            audio_dir=Path(env.get("SPINE_STRETCH_AUDIO_DIR") or "audio"),
        )
