"""The cool-down as one AudioPlayer track: play, pause, resume (even the next day), jump by rep.

Handlers here answer CoolDownIntent on devices with AudioPlayer, every AudioPlayer and
PlaybackController request, System.ExceptionEncountered, and the built-in intents that arrive
while our track is playing or stopped. The playback position is kept per user.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.predicate import is_intent_name
from ask_sdk_core.utils.request_util import get_request_type
from ask_sdk_model.response import Response

from ..core import history
from ..core.cooldown import next_chapter, previous_chapter
from ..core.events import Event, EventKind
from ..core.history import Session
from ..core.speech import Prompt
from ..core.state import State
from .names import IntentName
from .persistence import LOADED_STATE, NEW_STATE
from .playback import (
    DIRTY,
    PLAYBACK_KEY,
    CoolDownConfig,
    Playback,
    add_play,
    ours,
    player_offset,
    stop,
    supports_audio_player,
)
from .timezone import stored_day

__all__ = ["DIRTY", "PLAYBACK_KEY", "CoolDownConfig", "handlers"]

log = logging.getLogger(__name__)

PLAYBACK_EVENTS = frozenset({
    "AudioPlayer.PlaybackStarted", "AudioPlayer.PlaybackFinished",
    "AudioPlayer.PlaybackStopped", "AudioPlayer.PlaybackNearlyFinished",
    "AudioPlayer.PlaybackFailed",
})
CONTROLLER = frozenset({
    "PlaybackController.PlayCommandIssued", "PlaybackController.PauseCommandIssued",
    "PlaybackController.NextCommandIssued", "PlaybackController.PreviousCommandIssued",
})
PLAYBACK_INTENTS = frozenset({
    IntentName.PAUSE, IntentName.RESUME, IntentName.NEXT, IntentName.PREVIOUS,
    IntentName.START_OVER, IntentName.STOP, IntentName.CANCEL, IntentName.LOOP_ON,
    IntentName.LOOP_OFF, IntentName.SHUFFLE_ON, IntentName.SHUFFLE_OFF,
})


class Speaker(Protocol):
    def respond(self, handler_input: HandlerInput, event: Event) -> Response: ...

    def say(self, handler_input: HandlerInput, prompt: Prompt, end_session: bool) -> Response: ...


def _state_setting(handler_input: HandlerInput) -> tuple[int, int]:
    """The user's reps and breath length: the cool-down follows their preferences."""
    state = handler_input.attributes_manager.request_attributes[LOADED_STATE]
    assert isinstance(state, State), "LoadState runs before every handler"
    return state.reps, state.breath_seconds


class CoolDownHandler(AbstractRequestHandler):
    """CoolDownIntent on a device that can play the track."""

    def __init__(self, config: CoolDownConfig, coach: Speaker) -> None:
        self.config, self.coach = config, coach

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name(IntentName.COOL_DOWN)(handler_input)
                    and supports_audio_player(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        reps, breath = _state_setting(handler_input)
        # Without a URL to play from, don't look for (or build) a track at all.
        entry = (self.config.tracks.track(reps, breath)
                 if self.config.tracks and self.config.playable() else None)
        if entry is None or not add_play(handler_input, self.config, entry, 0):
            return self.coach.respond(handler_input, Event(EventKind.COOL_DOWN_OFFER))
        return self.coach.say(handler_input, Prompt.of("cooldown_start"), True)


def _remember_cool_down(handler_input: HandlerInput, reps: int, breath_seconds: int) -> None:
    """A track played to its end goes into the history, saved with the playback place (one
    write). The day is from the stored time zone only: a player report makes no calls."""
    attributes = handler_input.attributes_manager.request_attributes
    loaded = attributes.get(LOADED_STATE)
    if not isinstance(loaded, State):
        return
    at = getattr(getattr(handler_input.request_envelope, "request", None), "timestamp", None)
    day = stored_day(handler_input, at.timestamp() if isinstance(at, datetime) else None)
    played = Session(0, reps, breath_seconds, True, True)
    current = attributes.get(NEW_STATE, loaded)
    if isinstance(current, State):
        attributes[NEW_STATE] = replace(current,
                                        history=history.record(current.history, played, day))


class PlaybackEventHandler(AbstractRequestHandler):
    """AudioPlayer's reports: only the user's own current track moves their saved place."""

    def __init__(self, config: CoolDownConfig) -> None:
        self.config = config

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return get_request_type(handler_input) in PLAYBACK_EVENTS

    def handle(self, handler_input: HandlerInput) -> Response:
        kind = get_request_type(handler_input)
        playback = Playback.load(handler_input)
        if playback is None or not ours(handler_input, playback):
            log.info("ignored %s for a track that is not this user's current one", kind)
            return handler_input.response_builder.response
        entry = self.config.entry(playback.track, playback.reps, playback.breath_seconds)
        end = entry.duration_ms if entry else None
        offset = player_offset(handler_input)
        offset = playback.offset_ms if offset is None else max(0, offset)
        offset = min(offset, end) if end is not None else offset
        if kind == "AudioPlayer.PlaybackFinished":
            if not playback.finished:
                _remember_cool_down(handler_input, playback.reps, playback.breath_seconds)
            replace(playback, offset_ms=0, finished=True).remember(handler_input)
        elif kind in ("AudioPlayer.PlaybackStarted", "AudioPlayer.PlaybackStopped"):
            replace(playback, offset_ms=offset, finished=False).remember(handler_input)
        elif kind == "AudioPlayer.PlaybackFailed":
            error = getattr(handler_input.request_envelope.request, "error", None)
            log.warning("playback failed for track %s: %s", playback.track,
                        getattr(error, "message", error))
        # Replies to AudioPlayer requests may carry no speech, card or reprompt.
        return handler_input.response_builder.response


class _Jumps:
    """What pause, resume, next, previous and start over do to the user's track."""

    def __init__(self, config: CoolDownConfig) -> None:
        self.config = config

    def act(self, handler_input: HandlerInput, command: str) -> Response | None:
        """The response for `command`, or None when there is nothing to play."""
        playback = Playback.load(handler_input)
        if playback is None:
            return None
        entry = self.config.entry(playback.track, playback.reps, playback.breath_seconds)
        here = player_offset(handler_input)
        here = playback.offset_ms if here is None else max(0, here)
        if command == "pause":
            replace(playback, offset_ms=here).remember(handler_input)
            return stop(handler_input)
        if entry is None:
            return None
        target: int | None
        if command == "resume":
            target = 0 if playback.finished else playback.offset_ms
        elif command == "next":
            target = next_chapter(entry.chapters_ms, here)
        elif command == "previous":
            target = previous_chapter(entry.chapters_ms, here)
        else:
            target = 0
        if target is None or not add_play(handler_input, self.config, entry, target):
            return None
        return handler_input.response_builder.response


_CONTROLLER_COMMANDS = {
    "PlaybackController.PlayCommandIssued": "resume",
    "PlaybackController.PauseCommandIssued": "pause",
    "PlaybackController.NextCommandIssued": "next",
    "PlaybackController.PreviousCommandIssued": "previous",
}


class ControllerHandler(AbstractRequestHandler):
    """The device's own buttons; replies carry directives only."""

    def __init__(self, config: CoolDownConfig) -> None:
        self.jumps = _Jumps(config)

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return get_request_type(handler_input) in _CONTROLLER_COMMANDS

    def handle(self, handler_input: HandlerInput) -> Response:
        command = _CONTROLLER_COMMANDS[str(get_request_type(handler_input))]
        return self.jumps.act(handler_input, command) or handler_input.response_builder.response


_INTENT_COMMANDS = {
    IntentName.PAUSE: "pause", IntentName.STOP: "pause", IntentName.CANCEL: "pause",
    IntentName.RESUME: "resume", IntentName.NEXT: "next", IntentName.PREVIOUS: "previous",
    IntentName.START_OVER: "start_over",
}
_NOT_FOR_US = (IntentName.LOOP_ON, IntentName.LOOP_OFF, IntentName.SHUFFLE_ON,
               IntentName.SHUFFLE_OFF)


def _intent_name(handler_input: HandlerInput) -> str | None:
    request = handler_input.request_envelope.request
    intent = getattr(request, "intent", None)
    name = getattr(intent, "name", None)
    return name if isinstance(name, str) else None


class PlaybackIntentHandler(AbstractRequestHandler):
    """Built-in intents that reach us about the track, outside a coaching conversation."""

    def __init__(self, config: CoolDownConfig, coach: Speaker) -> None:
        self.jumps, self.coach = _Jumps(config), coach

    def can_handle(self, handler_input: HandlerInput) -> bool:
        name = _intent_name(handler_input)
        if name not in PLAYBACK_INTENTS or not supports_audio_player(handler_input):
            return False
        session = handler_input.request_envelope.session
        if session is not None and not session.new:
            return False  # inside a spoken conversation: the coach handles it
        playback = Playback.load(handler_input)
        if ours(handler_input, playback):
            return True
        # "Alexa, resume" the next day may come with no player context at all.
        return name == IntentName.RESUME and playback is not None and not playback.finished

    def handle(self, handler_input: HandlerInput) -> Response:
        name = IntentName(_intent_name(handler_input) or "")
        if name in _NOT_FOR_US:
            return self.coach.say(handler_input, Prompt.of("cooldown_no_loop"), True)
        command = _INTENT_COMMANDS[name]
        response = self.jumps.act(handler_input, command)
        if response is not None:
            handler_input.response_builder.set_should_end_session(True)
            return response
        return self.coach.say(handler_input, Prompt.of("cooldown_nothing_to_resume"), True)


class ExceptionEncounteredHandler(AbstractRequestHandler):
    """Alexa reports that a directive we sent failed; nothing may be said in reply."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return get_request_type(handler_input) == "System.ExceptionEncountered"

    def handle(self, handler_input: HandlerInput) -> Response:
        error = getattr(handler_input.request_envelope.request, "error", None)
        log.warning("Alexa reported an error with our response: %s",
                    getattr(error, "message", error))
        return handler_input.response_builder.response


def handlers(config: CoolDownConfig, coach: Speaker) -> list[AbstractRequestHandler]:
    """In dispatch order; they go before the coaching routes."""
    return [ExceptionEncounteredHandler(), PlaybackEventHandler(config),
            ControllerHandler(config), PlaybackIntentHandler(config, coach),
            CoolDownHandler(config, coach)]
