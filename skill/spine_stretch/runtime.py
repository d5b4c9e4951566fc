"""Builds the skill from settings: the one place hosts get a ready skill from."""

from __future__ import annotations

import random

from ask_sdk_core.skill import CustomSkill

from . import content
from .alexa.cooldown import CoolDownConfig
from .alexa.skill import build_skill
from .settings import Settings
from .store import open_store
from .tracks import IndexedTracks, TrackSource


def track_source(settings: Settings, build_on_demand: bool) -> TrackSource:
    """Tracks from the audio folder's index; a host with the audio libraries can also build a
    missing setting's track on demand (then it is cached)."""
    if build_on_demand:
        from .voice.audio import RenderError, find_ffmpeg

        try:
            ffmpeg = find_ffmpeg()
            from .voice.post import Postprocessor
            from .voice.track import BuildingTracks

            return BuildingTracks(content.load(), settings.audio_dir, ffmpeg,
                                  Postprocessor(ffmpeg))
        except (ImportError, RenderError):
            pass  # no audio libraries here: play only what was built ahead of time
    return IndexedTracks(settings.audio_dir)


def skill_from_settings(settings: Settings, rng: random.Random | None = None,
                        build_tracks: bool = False) -> CustomSkill:
    cooldown = CoolDownConfig(settings.audio_base_url, track_source(settings, build_tracks))
    return build_skill(content.load(), open_store(settings.store_url), rng, cooldown)
