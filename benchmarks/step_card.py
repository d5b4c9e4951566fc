"""What the Echo Show step card costs: the same requests from a screen device and from one
without a screen, through the whole skill (the card adds an APL RenderDocument directive).

The two are measured in alternating rounds so a busy machine slows both alike.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from spine_stretch import content
from spine_stretch.alexa.apl import SCREEN_INTERFACES
from spine_stretch.alexa.codec import invoke
from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.skill import build_skill
from spine_stretch.store.memory import MemoryStore

from .skill_overhead import CALLS

ROUNDS = 15


def _seconds_per_call(run: Callable[[dict[str, Any]], Any], body: dict[str, Any]) -> float:
    start = time.perf_counter()
    for _ in range(CALLS):
        run(body)
    return (time.perf_counter() - start) / CALLS


def run() -> None:
    skill = build_skill(content.load(), MemoryStore(), random.Random(0))
    screen = Conversation(user_id="screen", interfaces=dict(SCREEN_INTERFACES))
    speaker = Conversation(user_id="speaker")
    def through(body: dict[str, Any]) -> Any:
        return invoke(skill, body)

    print("step card (screen device / device without a screen, same request)")
    for name, slots in (("StartStretchIntent", {"reps": "5"}), ("AMAZON.NextIntent", {})):
        with_card, without = screen.intent(name, slots), speaker.intent(name, slots)
        measured, baseline = [], []
        for _ in range(ROUNDS):
            baseline.append(_seconds_per_call(through, without))
            measured.append(_seconds_per_call(through, with_card))
        ratio = statistics.median(m / b for m, b in zip(measured, baseline, strict=True))
        print(f"  {name:20s} {statistics.median(measured) * 1e3:7.3f} ms vs "
              f"{statistics.median(baseline) * 1e3:7.3f} ms  ratio {ratio:5.2f}")


if __name__ == "__main__":
    run()
