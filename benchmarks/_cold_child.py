"""One cold start in a fresh `python -B -I -S` (benchmarks/lambda_cold.py runs it).

    _cold_child.py ours|bare|none BUNDLE EVENT.json

Puts only the unpacked bundle on the path, as Lambda does, answers one event, and prints
each stage's CPU time (seconds) as JSON. `ours` goes through `lambda_function.lambda_handler`
itself; the stages inside its first event are timed by wrapping the functions the skill's
factory calls, so the work is exactly the handler's. `bare` is ask-sdk-core's hello-world
skill (SkillBuilder, one LaunchRequest handler, its lambda_handler). `none` does only what
this harness itself does (start, read the event, print), which both totals are reduced by.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from typing import Any


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(stages: dict[str, float], name: str, function: Any) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = cpu()
        try:
            return function(*args, **kwargs)
        finally:
            stages[name] = stages.get(name, 0.0) + cpu() - start

    return wrapper


def ours(event: dict[str, Any]) -> tuple[dict[str, float], Any]:
    stages: dict[str, float] = {}
    start = cpu()
    import lambda_function

    stages["import entry"] = cpu() - start
    start = cpu()
    # What the first event imports to build the skill (LambdaHandler imports it there).
    from spine_stretch import content
    from spine_stretch.hosts import runtime

    stages["import skill"] = cpu() - start
    for module, name, stage in ((content, "load", "content"),
                                (runtime, "load_audio", "audio manifest"),
                                (runtime, "open_store", "store"),
                                (runtime, "build_skill", "skill build")):
        setattr(module, name, timed(stages, stage, getattr(module, name)))
    start = cpu()
    response = lambda_function.lambda_handler(event, None)
    inside = sum(stages[name] for name in ("content", "audio manifest", "store", "skill build")
                 if name in stages)
    stages["first request"] = cpu() - start - inside
    return stages, response


def bare(event: dict[str, Any]) -> tuple[dict[str, float], Any]:
    stages: dict[str, float] = {}
    start = cpu()
    from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
    from ask_sdk_core.skill_builder import SkillBuilder
    from ask_sdk_core.utils.predicate import is_request_type

    stages["import entry"] = cpu() - start
    start = cpu()

    class LaunchHandler(AbstractRequestHandler):
        def can_handle(self, handler_input: Any) -> bool:
            return bool(is_request_type("LaunchRequest")(handler_input))

        def handle(self, handler_input: Any) -> Any:
            return (handler_input.response_builder.speak("Hello, welcome!")
                    .set_should_end_session(False).response)

    builder = SkillBuilder()
    builder.add_request_handler(LaunchHandler())
    handler: Any = builder.lambda_handler()
    stages["skill build"] = cpu() - start
    start = cpu()
    response = handler(event, None)
    stages["first request"] = cpu() - start
    return stages, response


def main(variant: str, bundle: str, event_file: str) -> None:
    sys.path[:0] = [bundle]
    # As template.yaml deploys it, but with the memory store (the bare skill stores nothing).
    os.environ.update({"SPINE_STRETCH_STORE": "memory",
                       "SPINE_STRETCH_AUDIO_DIR": os.path.join(bundle, "audio"),
                       "SPINE_STRETCH_AUDIO_BASE_URL": "https://audio.example.com/audio"})
    with open(event_file, encoding="utf-8") as file:
        event = json.load(file)
    stages: dict[str, float] = {}
    if variant != "none":
        stages, response = (ours if variant == "ours" else bare)(event)
        if "response" not in response:
            raise SystemExit(f"{variant}: no response: {response}")
    print(json.dumps(stages), flush=True)
    # Lambda freezes a container rather than tearing its interpreter down: neither variant's
    # exit is part of its first response.
    os._exit(0)


if __name__ == "__main__":
    main(*sys.argv[1:4])
