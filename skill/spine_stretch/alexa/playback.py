"""Playback state and directives for the cool-down track: the user's place, tokens, URLs.

A token names the user (hashed) and the track, so a report about someone else's or an older
track is recognised and ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.request_util import get_supported_interfaces
from ask_sdk_model.response import Response

from ..core.cooldown import parse_token, token_for
from ..core.logsafe import hashed_user_id
from ..voice.track_index import TrackEntry, TrackSource
from ..voice.urls import AudioBase, audio_base
from .persistence import user_id_of

PLAYBACK_KEY = "playback"
DIRTY = "playback_changed"


@dataclass(frozen=True)
class CoolDownConfig:
    """Where tracks come from and the base they are served under (None: not set up).

    The base must be one `audio_urls.audio_base` accepts: HTTPS, as AudioPlayer requires,
    or http:// on loopback for the local simulator page (Alexa would refuse that one).
    """

    base_url: str | None = None
    tracks: TrackSource | None = None

    def playable(self) -> bool:
        return self._base() is not None

    def url_for(self, entry: TrackEntry) -> str | None:
        base = self._base()
        return None if base is None else f"{base.url}/{entry.file}"

    def _base(self) -> AudioBase | None:
        return audio_base(self.base_url) if self.base_url else None

    def entry(self, track_id: str, reps: int, breath_seconds: int) -> TrackEntry | None:
        found = self.tracks.track(reps, breath_seconds) if self.tracks else None
        return found if found is not None and found.id == track_id else None


@dataclass(frozen=True)
class Playback:
    """The user's place in a track: which track and setting, and the offset to resume at."""

    track: str
    reps: int
    breath_seconds: int
    offset_ms: int = 0
    finished: bool = False

    @staticmethod
    def load(handler_input: HandlerInput) -> Playback | None:
        data: Any = handler_input.attributes_manager.persistent_attributes.get(PLAYBACK_KEY)
        try:
            return Playback(str(data["track"]), int(data["reps"]), int(data["breath_seconds"]),
                            max(0, int(data["offset_ms"])), bool(data["finished"]))
        except (KeyError, TypeError, ValueError):
            return None

    def remember(self, handler_input: HandlerInput) -> None:
        """Kept by the response interceptor with the rest of the user's record."""
        handler_input.attributes_manager.request_attributes[DIRTY] = {
            "track": self.track, "reps": self.reps, "breath_seconds": self.breath_seconds,
            "offset_ms": self.offset_ms, "finished": self.finished,
        }


def supports_audio_player(handler_input: HandlerInput) -> bool:
    try:
        return get_supported_interfaces(handler_input).audio_player is not None
    except AttributeError:
        return False


def _user_hash(handler_input: HandlerInput) -> str:
    return hashed_user_id(user_id_of(handler_input.request_envelope))


def _player_token(handler_input: HandlerInput) -> str | None:
    request = handler_input.request_envelope.request
    token = getattr(request, "token", None)
    if isinstance(token, str):
        return token
    player = getattr(handler_input.request_envelope.context, "audio_player", None)
    return getattr(player, "token", None) if player is not None else None


def player_offset(handler_input: HandlerInput) -> int | None:
    request = handler_input.request_envelope.request
    offset = getattr(request, "offset_in_milliseconds", None)
    if offset is None:
        player = getattr(handler_input.request_envelope.context, "audio_player", None)
        offset = getattr(player, "offset_in_milliseconds", None) if player else None
    return offset if isinstance(offset, int) else None


def ours(handler_input: HandlerInput, playback: Playback | None) -> bool:
    """The player's token names this user and the track they last played."""
    parsed = parse_token(_player_token(handler_input))
    return (parsed is not None and playback is not None
            and parsed == (_user_hash(handler_input), playback.track))


def add_play(handler_input: HandlerInput, config: CoolDownConfig, entry: TrackEntry,
             offset_ms: int) -> bool:
    """Add a Play directive for `entry` from `offset_ms`; False when it has no playable URL."""
    url = config.url_for(entry)
    if url is None:
        return False
    # The AudioPlayer models are imported when a track plays, not at a cold start: importing
    # them is a sixth of ask-sdk-model's cost, and most sessions never play the track.
    from ask_sdk_model.interfaces.audioplayer.audio_item import AudioItem
    from ask_sdk_model.interfaces.audioplayer.play_behavior import PlayBehavior
    from ask_sdk_model.interfaces.audioplayer.play_directive import PlayDirective
    from ask_sdk_model.interfaces.audioplayer.stream import Stream

    offset_ms = max(0, min(offset_ms, entry.duration_ms))
    token = token_for(_user_hash(handler_input), entry.id)
    stream = Stream(token=token, url=url, offset_in_milliseconds=offset_ms)
    handler_input.response_builder.add_directive(
        PlayDirective(play_behavior=PlayBehavior.REPLACE_ALL, audio_item=AudioItem(stream=stream)))
    Playback(entry.id, entry.reps, entry.breath_seconds, offset_ms).remember(handler_input)
    return True


def stop(handler_input: HandlerInput) -> Response:
    from ask_sdk_model.interfaces.audioplayer.stop_directive import StopDirective

    response: Response = handler_input.response_builder.add_directive(StopDirective()).response
    return response
