"""What the Echo Show step card costs: the same requests from a screen device and from one
without a screen, through the whole skill (the card adds an APL RenderDocument directive)."""

from __future__ import annotations

import random

from spine_stretch import content
from spine_stretch.alexa.apl import SCREEN_INTERFACES
from spine_stretch.alexa.codec import invoke
from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.skill import build_skill
from spine_stretch.store.memory import MemoryStore

from .skill_overhead import per_call


def run() -> None:
    skill = build_skill(content.load(), MemoryStore(), random.Random(0))
    screen, speaker = Conversation(interfaces=dict(SCREEN_INTERFACES)), Conversation()
    print("step card (screen device / device without a screen, same request)")
    for name, slots in (("StartStretchIntent", {"reps": "5"}), ("AMAZON.NextIntent", {})):
        baseline = per_call(lambda body: invoke(skill, body), speaker.intent(name, slots))
        measured = per_call(lambda body: invoke(skill, body), screen.intent(name, slots))
        print(f"  {name:20s} {measured * 1e3:7.3f} ms vs {baseline * 1e3:7.3f} ms"
              f"  ratio {measured / baseline:5.2f}")


if __name__ == "__main__":
    run()
