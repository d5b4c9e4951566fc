"""A transition rendered into an ASK response: SSML speech, reprompt, session end."""

from __future__ import annotations

from ask_sdk_core.response_helper import ResponseFactory
from ask_sdk_model.response import Response

from ..core import ssml
from ..core.engine import Transition
from ..core.prompts import PromptPicker


def render(builder: ResponseFactory, transition: Transition, picker: PromptPicker,
           audio: ssml.AudioLookup | None = None) -> Response:
    """With `audio`, each of speech and reprompt is recorded clips or all Alexa's voice."""
    speech = ""
    if transition.say:
        speech = ssml.render(picker.resolve(transition.say), audio)
        builder.speak(speech)
    if transition.reprompt and not transition.end_session:
        builder.ask(ssml.render(picker.resolve(transition.reprompt), audio,
                                ssml.reprompt_limits(speech)))
    if transition.say or transition.end_session:
        builder.set_should_end_session(transition.end_session)
    return builder.response
