"""The whole skill against a bare ask-sdk-core skill with one handler, on the same envelopes.

Goal (issue 3): at most 1.3x for StartStretchIntent and NextIntent.
"""

from __future__ import annotations

import json
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model.request_envelope import RequestEnvelope
from ask_sdk_model.response import Response

from spine_stretch import content
from spine_stretch.alexa.codec import invoke
from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.skill import build_skill
from spine_stretch.store.memory import MemoryStore

ROUNDS = 7
CALLS = 200


class SpeakOnce(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.speak("Hello").set_should_end_session(False).response


def bare_invoke() -> Callable[[dict[str, Any]], Any]:
    builder = SkillBuilder()
    builder.add_request_handler(SpeakOnce())
    skill = builder.create()
    serializer = DefaultSerializer()

    def invoke_bare(body: dict[str, Any]) -> Any:
        envelope = serializer.deserialize(json.dumps(body), RequestEnvelope)
        return serializer.serialize(skill.invoke(envelope, None))

    return invoke_bare


def per_call(run: Callable[[dict[str, Any]], Any], body: dict[str, Any]) -> float:
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(CALLS):
            run(body)
        samples.append((time.perf_counter() - start) / CALLS)
    return statistics.median(samples)


def run() -> None:
    talk = Conversation()
    envelopes = {
        "StartStretchIntent": talk.intent("StartStretchIntent", {"reps": "5"}),
        "AMAZON.NextIntent": talk.intent("AMAZON.NextIntent"),
    }
    skill = build_skill(content.load(), MemoryStore(), random.Random(0))
    ours = {name: (lambda body: invoke(skill, body)) for name in envelopes}
    bare = bare_invoke()
    print("skill overhead (whole skill / bare ask-sdk-core skill, same envelope; goal <= 1.3)")
    for name, body in envelopes.items():
        baseline = per_call(bare, body)
        measured = per_call(ours[name], body)
        print(f"  {name:20s} {measured * 1e3:7.3f} ms vs {baseline * 1e3:7.3f} ms"
              f"  ratio {measured / baseline:5.2f}")


if __name__ == "__main__":
    run()
