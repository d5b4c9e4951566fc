"""A returning user's launch with a full history against a new user's launch.

Goal (issue 15): remembering costs the launch nothing that matters: a full 90-day history
(the most the record keeps) and a cached time zone, against an empty record; ratio <= 1.2,
and no outside call (the zone is in the record).
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from spine_stretch import content
from spine_stretch.alexa.codec import invoke
from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.skill import build_skill
from spine_stretch.core import history
from spine_stretch.core.engine import initial_state
from spine_stretch.core.history import History, Session
from spine_stretch.store.memory import MemoryStore

ROUNDS = 11
CALLS = 100
USER = "amzn1.ask.account.bench"


class NoNetwork:
    """The benchmark's HTTP client: any call would be a failed goal."""

    calls = 0

    def request(self, *args: Any, **kwargs: Any) -> Any:
        NoNetwork.calls += 1
        raise OSError("the launch made an outside call")


def full_history() -> History:
    h = History()
    first = date(2026, 8, 1)
    for offset in range(history.KEEP_DAYS):
        h = history.record(h, Session(8, 8, 5, True, False), first + timedelta(days=offset))
    return h


def launcher(record: dict[str, Any]) -> Callable[[], float]:
    """One round of launches for a user whose record is `record`; its time per launch."""
    store = MemoryStore()
    skill = build_skill(content.load(), store, random.Random(0), http=NoNetwork())
    talk = Conversation(user_id=USER, api_access_token="bench-token")

    def round_() -> float:
        start = time.perf_counter()
        for _ in range(CALLS):
            store.put(USER, record, store.get(USER).version)
            invoke(skill, talk.launch())
        return (time.perf_counter() - start) / CALLS

    return round_


def run() -> None:
    loaded = content.load()
    state = replace(initial_state(loaded), history=full_history())
    full = launcher({"state": state.to_dict(), "tz": {"zone": "Europe/London"}})
    empty = launcher({"tz": {"zone": "Europe/London"}})
    # Rounds alternate, so a busy moment of the machine weighs on both sides alike.
    samples = [(full(), empty()) for _ in range(ROUNDS)]
    measured = statistics.median(s[0] for s in samples)
    baseline = statistics.median(s[1] for s in samples)
    print("launch with a full 90-day history / launch of a new user (goal <= 1.2)")
    print(f"  {measured * 1e3:7.3f} ms vs {baseline * 1e3:7.3f} ms  ratio "
          f"{measured / baseline:5.2f}; outside calls {NoNetwork.calls} (goal 0)")


if __name__ == "__main__":
    run()
