"""The whole skill against a bare ask-sdk-core skill with one handler, on the same envelopes.

Goal (issue 3): at most 1.3x for StartStretchIntent and NextIntent. Then the split of a warm
request into stages (issue 12), ours beside the bare skill's, measured by timing the
functions each stage is (so the split carries a little timing overhead the ratio does not):
deserialise (JSON to ask-sdk-model objects), route (ask-sdk's dispatch, our route table and
slot reading, the request log, everything not in another stage), engine (`advance`), SSML
(prompt choice and `ssml.render`, into the response builder), store (loading and saving the
user's state through the persistence adapter), serialise (the response to JSON).
"""

from __future__ import annotations

import json
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any
from unittest import mock

from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model.request_envelope import RequestEnvelope
from ask_sdk_model.response import Response

from spine_stretch import content
from spine_stretch.alexa import skill as skill_module
from spine_stretch.alexa.codec import invoke, parse_envelope
from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.skill import build_skill
from spine_stretch.store.memory import MemoryStore

ROUNDS = 7
CALLS = 200
STAGES = ("deserialise", "route", "engine", "SSML", "store", "serialise")


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
    """Seconds of this process's CPU time per call (on a shared machine wall time counts
    whatever else runs), median of ROUNDS rounds."""
    samples = []
    for _ in range(ROUNDS):
        start = time.process_time()
        for _ in range(CALLS):
            run(body)
        samples.append((time.process_time() - start) / CALLS)
    return statistics.median(samples)


def interleaved(ours: Callable[[dict[str, Any]], Any], bare: Callable[[dict[str, Any]], Any],
                body: dict[str, Any]) -> tuple[float, float, float]:
    """Seconds of CPU per call of each, and the median of their per-round ratios: rounds
    alternate, so a busy spell on a shared machine weighs on both sides of a ratio."""
    ours_times: list[float] = []
    bare_times: list[float] = []
    for _ in range(ROUNDS * 2):
        for run, times in ((bare, bare_times), (ours, ours_times)):
            start = time.process_time()
            for _ in range(CALLS // 2):
                run(body)
            times.append((time.process_time() - start) / (CALLS // 2))
    ratio = statistics.median(o / b for o, b in zip(ours_times, bare_times, strict=True))
    return statistics.median(ours_times), statistics.median(bare_times), ratio


class Stopwatch:
    """Time spent in each stage, summed over calls."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def wrap(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[stage] += time.process_time() - start

        return timed


@contextmanager
def stages_timed(watch: Stopwatch) -> Iterator[None]:
    """Our skill's engine, SSML and store stages timed by `watch` while inside."""
    with ExitStack() as stack:
        for target, name, stage in ((skill_module, "advance", "engine"),
                                    (skill_module, "render", "SSML"),
                                    (skill_module.LoadState, "process", "store"),
                                    (skill_module.SaveState, "process", "store")):
            stack.enter_context(mock.patch.object(
                target, name, watch.wrap(stage, getattr(target, name))))
        yield


def split(skill: Any, deserialise: Callable[[dict[str, Any]], Any], body: dict[str, Any],
          watch: Stopwatch) -> dict[str, float]:
    """Milliseconds per request in each stage: the skill's invoke less its timed stages is
    "route"."""
    serializer = DefaultSerializer()
    for _ in range(CALLS):
        start = time.process_time()
        envelope = deserialise(body)
        parsed = time.process_time()
        response = skill.invoke(envelope, None)
        invoked = time.process_time()
        serializer.serialize(response)
        watch.seconds["deserialise"] += parsed - start
        watch.seconds["invoke"] += invoked - parsed
        watch.seconds["serialise"] += time.process_time() - invoked
    seconds = dict(watch.seconds)
    inside = sum(seconds.get(stage, 0.0) for stage in ("engine", "SSML", "store"))
    seconds["route"] = seconds.pop("invoke") - inside
    return {stage: seconds.get(stage, 0.0) * 1e3 / CALLS for stage in STAGES}


def bare_deserialise(body: dict[str, Any]) -> Any:
    return DefaultSerializer().deserialize(json.dumps(body), RequestEnvelope)


def print_split(ours_skill: Any, envelopes: dict[str, dict[str, Any]]) -> None:
    builder = SkillBuilder()
    builder.add_request_handler(SpeakOnce())
    bare = builder.create()
    print(f"warm split (ms of CPU per request, medians of {ROUNDS} rounds; each stage timed, "
          "so a little slower than above)")
    print(f"  {'':26s}" + "".join(f"{stage:>12s}" for stage in STAGES) + f"{'total':>9s}")
    for name, body in envelopes.items():
        for label, skill, deserialise in (("ours", ours_skill, parse_envelope),
                                          ("bare", bare, bare_deserialise)):
            skill.invoke(deserialise(body), None)  # not the first call: a warm request
            rounds = []
            for _ in range(ROUNDS):
                watch = Stopwatch()
                with stages_timed(watch) if label == "ours" else ExitStack():
                    rounds.append(split(skill, deserialise, body, watch))
            times = {stage: statistics.median(r[stage] for r in rounds) for stage in STAGES}
            print(f"  {label + ' ' + name:26s}" + "".join(f"{times[s]:12.3f}" for s in STAGES)
                  + f"{sum(times.values()):9.3f}")


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
        measured, baseline, ratio = interleaved(ours[name], bare, body)
        print(f"  {name:20s} {measured * 1e3:7.3f} ms vs {baseline * 1e3:7.3f} ms"
              f"  ratio {ratio:5.2f}")
    print_split(skill, envelopes)


if __name__ == "__main__":
    run()
