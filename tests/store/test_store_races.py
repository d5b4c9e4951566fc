"""Requests for the same user at once, through the real skill on real threads: no update lost.

Each turn is a "next", which moves the user on by one block: after k turns have been saved
the user stands at the k-th block, so a lost update shows as a block too few.
"""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from spine_stretch.alexa.codec import invoke
from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.skill import STATE_KEY, build_skill
from spine_stretch.core.engine import advance
from spine_stretch.core.events import Event, EventKind
from spine_stretch.core.state import Stage, State
from spine_stretch.core.workout import Content
from spine_stretch.store import Record, Snapshot, UserStore
from spine_stretch.store.memory import MemoryStore
from spine_stretch.store.sqlite import SqliteStore
from tests.conftest import FakeClock
from tests.store.test_store_faults import is_apology

REPS = "20"


class Rendezvous:
    """A store whose first read on each thread waits until `parties` threads have read.

    Every turn then starts from the same record: the interleaving that loses updates
    when saves are blind.
    """

    def __init__(self, inner: UserStore, parties: int) -> None:
        self.inner = inner
        self._barrier = threading.Barrier(parties, timeout=30)
        self._seen = threading.local()

    def get(self, user_id: str) -> Snapshot:
        snapshot = self.inner.get(user_id)
        if not getattr(self._seen, "read", False):
            self._seen.read = True
            self._barrier.wait()
        return snapshot

    def put(self, user_id: str, record: Record, version: int) -> None:
        self.inner.put(user_id, record, version)

    def delete(self, user_id: str) -> bool:
        return self.inner.delete(user_id)


def make_store(kind: str, tmp_path: Path) -> UserStore:
    return SqliteStore(tmp_path / "users.db") if kind == "sqlite" else MemoryStore()


def started(store: UserStore, content: Content, talk: Conversation) -> State:
    """The user in the setup of a 20-rep workout, as saved by a turn of the real skill."""
    talk.absorb(invoke(build_skill(content, store, random.Random(0)),
                       talk.intent("StartStretchIntent", {"reps": REPS})))
    state = State.from_dict(store.get(talk.user_id).record[STATE_KEY], State())
    assert state.stage is Stage.SETUP and state.reps == int(REPS)
    return state


def after_nexts(content: Content, state: State, count: int, at: float) -> State:
    for _ in range(count):
        state = advance(content, state, Event(EventKind.NEXT, at=at)).state
    return state


def concurrent_nexts(store: UserStore, content: Content, talk: Conversation,
                     count: int) -> list[dict[str, Any]]:
    skill = build_skill(content, store, random.Random(1))
    envelopes = [talk.intent("AMAZON.NextIntent") for _ in range(count)]
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(lambda envelope: invoke(skill, envelope), envelopes))


@pytest.mark.parametrize("kind", ["sqlite", "memory"])
@pytest.mark.parametrize("turns", [2, 3])
def test_turns_that_all_read_the_same_record_are_all_saved(
        tmp_path: Path, content: Content, kind: str, turns: int) -> None:
    store, clock = make_store(kind, tmp_path), FakeClock()
    talk = Conversation(clock=clock)
    state = started(store, content, talk)
    replies = concurrent_nexts(Rendezvous(store, turns), content, talk, turns)

    assert not [reply for reply in replies if is_apology(reply, content)]
    saved = store.get(talk.user_id)
    assert saved.version == 1 + turns
    expected = after_nexts(content, state, turns, clock.now.timestamp())
    assert State.from_dict(saved.record[STATE_KEY], State()) == expected
    assert expected.rep > after_nexts(content, state, turns - 1, clock.now.timestamp()).rep


def test_free_running_turns_each_land_or_apologise_and_change_nothing(
        tmp_path: Path, content: Content) -> None:
    store, clock = make_store("sqlite", tmp_path), FakeClock()
    talk = Conversation(clock=clock)
    state = started(store, content, talk)
    replies = concurrent_nexts(store, content, talk, 4)

    landed = len(replies) - sum(is_apology(reply, content) for reply in replies)
    saved = store.get(talk.user_id)
    assert saved.version == 1 + landed
    expected = after_nexts(content, state, landed, clock.now.timestamp())
    assert State.from_dict(saved.record[STATE_KEY], State()) == expected
