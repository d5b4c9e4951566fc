"""A transition rendered into an ASK response: SSML speech, reprompt, session end."""

from __future__ import annotations

import logging

from ask_sdk_core.response_helper import ResponseFactory
from ask_sdk_model.response import Response

from ..core import ssml
from ..core.engine import Transition
from ..core.prompts import PromptPicker, block_picker
from ..core.speech import Resolved, Spoken

log = logging.getLogger(__name__)


def resolve_say(transition: Transition, picker: PromptPicker) -> list[Resolved]:
    """The final sentences of `transition.say`: the lead's variants from `picker`, the
    block's from the block itself, so a block always sounds the same (and is cached)."""
    cut = transition.block_from
    if cut is None:
        return picker.resolve(transition.say)
    body = transition.say[cut:]
    return [*picker.resolve(transition.say[:cut]),
            *block_picker(picker.prompts, body).resolve(body)]


def render(builder: ResponseFactory, transition: Transition, picker: PromptPicker,
           audio: ssml.AudioLookup | None = None,
           block: ssml.BlockLookup | None = None) -> Response:
    """With `audio`, each of speech and reprompt is recorded clips or all Alexa's voice;
    with `block` too, a block of sentences plays as one assembled recording."""
    speech = ""
    if transition.say:
        items = resolve_say(transition, picker)
        speech = ssml.render(items, audio, block=block, block_from=transition.block_from)
        _warn_if_spoken_by_alexa(speech, items, audio)
        builder.speak(speech)
    if transition.reprompt and not transition.end_session:
        items = picker.resolve(transition.reprompt)
        reprompt = ssml.render(items, audio, ssml.reprompt_limits(speech), block=block)
        _warn_if_spoken_by_alexa(reprompt, items, audio)
        builder.ask(reprompt)
    if transition.say or transition.end_session:
        builder.set_should_end_session(transition.end_session)
    return builder.response


def _warn_if_spoken_by_alexa(document: str, items: list[Resolved],
                             audio: ssml.AudioLookup | None) -> None:
    """Recorded audio is configured but this falls back to Alexa's voice: say what is missing."""
    if audio is None or "<audio " in document or not any(isinstance(i, Spoken) for i in items):
        return
    missing = [item.key for item in items if isinstance(item, Spoken) and audio(item) is None]
    if missing:
        log.warning("speaking with Alexa's voice: no up-to-date recording of %s (run "
                    "spine-stretch render)", ", ".join(sorted(set(missing))[:10]))
    else:
        log.warning("speaking with Alexa's voice: the recorded block could not be had or "
                    "breaks Alexa's limits (%d sentences)", len(items))
