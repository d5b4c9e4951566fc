"""Storage faults on a real SQLite file: a killed writer, a damaged file, a locked file.

A fault is an apology and a clear log line, never a crash: the skill answers the next
request, and once the file is put right it answers normally without a restart.
"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.skill import CustomSkill

from spine_stretch.alexa.codec import invoke
from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.skill import build_skill
from spine_stretch.core.ssml import to_plain
from spine_stretch.core.workout import Content
from spine_stretch.store import Snapshot, StoreConflict, UserStore
from spine_stretch.store.memory import MemoryStore
from spine_stretch.store.sqlite import SqliteStore
from tests.conftest import FakeClock, speech_of

USER = Conversation().user_id

# Writes ever larger records as fast as it can, printing each number once it is committed.
WRITER = """
import sys
from pathlib import Path
from spine_stretch.store.sqlite import SqliteStore

store = SqliteStore(Path(sys.argv[1]))
n = 0
while True:
    store.put("user", {"n": n + 1, "payload": str(n + 1) * 20_000}, n)
    n += 1
    print(n, flush=True)
"""


def is_apology(reply: dict[str, Any], content: Content) -> bool:
    """Whether the reply speaks the `error` prompt, and keeps the session open."""
    said = to_plain(speech_of(reply))
    return said in content.prompts.variants["error"] and not reply["response"][
        "shouldEndSession"]


def test_a_writer_killed_mid_save_leaves_its_last_committed_record(tmp_path: Path) -> None:
    db = tmp_path / "users.db"
    with subprocess.Popen([sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE,
                          text=True) as writer:
        assert writer.stdout is not None
        printed = [int(line) for line, _ in zip(writer.stdout, range(40), strict=False)]
        writer.send_signal(signal.SIGKILL)
        printed += [int(line) for line in writer.stdout]
        assert writer.wait(timeout=10) == -signal.SIGKILL
    last = printed[-1]
    assert len(printed) >= 40 and printed == list(range(1, last + 1))

    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        (raw,) = connection.execute("SELECT record FROM users").fetchone()
    record = json.loads(raw)
    # The kill may land after a commit but before its number was printed.
    assert record["n"] in (last, last + 1)
    assert record == {"n": record["n"], "payload": str(record["n"]) * 20_000}
    assert SqliteStore(db).get("user") == Snapshot(record, record["n"])


@pytest.mark.parametrize("kind", ["sqlite", "memory"])
def test_a_write_over_a_version_that_moved_on_changes_nothing(tmp_path: Path,
                                                              kind: str) -> None:
    store: UserStore = SqliteStore(tmp_path / "u.db") if kind == "sqlite" else MemoryStore()
    store.put("a", {"n": 1}, 0)
    for stale in (0, 2):
        with pytest.raises(StoreConflict):
            store.put("a", {"n": 2}, stale)
    assert store.get("a") == Snapshot({"n": 1}, 1)


def test_a_file_from_before_versions_is_upgraded_in_place(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE users (user_id TEXT PRIMARY KEY, record TEXT NOT NULL,"
                           " updated REAL NOT NULL)")
        connection.execute("INSERT INTO users VALUES ('a', '{\"n\": 1}', 0)")
    store = SqliteStore(db)
    assert store.get("a") == Snapshot({"n": 1}, 0)
    store.put("a", {"n": 2}, 0)
    assert store.get("a") == Snapshot({"n": 2}, 1)


@pytest.fixture
def talk() -> Conversation:
    return Conversation(clock=FakeClock())


def skill_on(store: UserStore, content: Content) -> CustomSkill:
    return build_skill(content, store, random.Random(0))


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelname == "ERROR"]


def test_a_damaged_file_is_an_apology_until_it_is_moved_aside(
        tmp_path: Path, content: Content, talk: Conversation,
        caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "users.db"
    db.write_bytes(bytes(range(256)) * 16)
    skill = skill_on(SqliteStore(db), content)
    for envelope in (talk.launch(), talk.intent("AMAZON.NextIntent")):
        assert is_apology(invoke(skill, envelope), content)
    logged = errors(caplog)
    assert len(logged) == 2
    assert all(f"the database {db} is damaged" in line and "move it aside" in line
               for line in logged)

    db.rename(tmp_path / "damaged.db")
    welcome = invoke(skill, talk.launch())
    assert "Sit on the floor" in to_plain(speech_of(welcome))
    assert SqliteStore(db).get(USER).version == 1


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[tuple[Path, sqlite3.Connection]]:
    """A store file with a user in it, and another connection ready to hold it locked."""
    db = tmp_path / "users.db"
    SqliteStore(db).put(USER, {}, 0)
    holder = sqlite3.connect(db, isolation_level=None)
    yield db, holder
    holder.close()


def test_a_locked_file_is_an_apology_and_the_skill_answers_once_it_is_free(
        locked: tuple[Path, sqlite3.Connection], content: Content, talk: Conversation,
        caplog: pytest.LogCaptureFixture) -> None:
    db, holder = locked
    skill = skill_on(SqliteStore(db, timeout=0.2), content)
    holder.execute("BEGIN EXCLUSIVE")
    assert is_apology(invoke(skill, talk.launch()), content)
    (line,) = errors(caplog)
    assert f"the database {db} stayed locked by another connection for 0.2 s" in line
    holder.execute("ROLLBACK")

    assert SqliteStore(db).get(USER) == Snapshot({}, 1)
    welcome = invoke(skill, talk.launch())
    assert "Sit on the floor" in to_plain(speech_of(welcome))
    assert SqliteStore(db).get(USER).version == 2
