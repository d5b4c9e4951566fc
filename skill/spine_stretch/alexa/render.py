"""A transition rendered into an ASK response: SSML speech, reprompt, session end."""

from __future__ import annotations

from ask_sdk_core.response_helper import ResponseFactory
from ask_sdk_model.response import Response

from ..core import ssml
from ..core.engine import Transition
from ..core.prompts import PromptPicker


def render(builder: ResponseFactory, transition: Transition, picker: PromptPicker) -> Response:
    if transition.say:
        builder.speak(ssml.render(picker.resolve(transition.say)))
    if transition.reprompt and not transition.end_session:
        builder.ask(ssml.render(picker.resolve(transition.reprompt)))
    if transition.say or transition.end_session:
        builder.set_should_end_session(transition.end_session)
    return builder.response
