"""Builds the skill from settings: the one place hosts get a ready skill from."""

from __future__ import annotations

import random

from ask_sdk_core.skill import CustomSkill

from .. import content
from ..alexa.cooldown import CoolDownConfig
from ..alexa.skill import build_skill
from ..settings import Settings
from ..store import open_store
from ..voice.clips import load_audio
from ..voice.track_index import IndexedTracks, TrackSource


def skill_from_settings(settings: Settings, rng: random.Random | None = None,
                        tracks: TrackSource | None = None,
                        build_blocks: bool = False) -> CustomSkill:
    """The skill for these settings; cool-down tracks come from `tracks`, by default the
    audio folder's index of tracks built ahead of time. `build_blocks`: the audio files are
    here, so blocks of recorded speech are assembled on demand (Lambda names the blocks
    `spine-stretch publish` uploaded instead)."""
    source = tracks if tracks is not None else IndexedTracks(settings.audio_dir)
    cooldown = CoolDownConfig(settings.audio_base_url, source)
    return build_skill(content.load(), open_store(settings.store_url), rng,
                       audio=load_audio(settings.audio_base_url, settings.audio_dir,
                                        build_blocks=build_blocks),
                       cooldown_config=cooldown)
