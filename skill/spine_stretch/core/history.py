"""What the coach remembers of past sessions: bounded daily counts, totals, and the run of
comfortable sessions that progression counts.

Pure and immutable. The record stays small whatever the user does: one entry per day with
activity, for the last `KEEP_DAYS` days, plus running totals. No health data: a session that
was eased (pain, "slower", the easier version) only stops counting as comfortable; why is
never written down.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, NamedTuple

KEEP_DAYS = 90
WEEK_DAYS = 7


class Day(NamedTuple):
    """One local day's activity: sessions finished and abandoned, reps done, cool-downs.

    Stored as text, "2026-11-23:1,0,5,0" (see `History.days_text`)."""

    day: date
    finished: int = 0
    abandoned: int = 0
    reps: int = 0
    cooldowns: int = 0

    def to_text(self) -> str:
        return (f"{self.day.isoformat()}:{self.finished},{self.abandoned},{self.reps},"
                f"{self.cooldowns}")


def _day(entry: str) -> Day | None:
    try:
        counts = tuple(int(n) for n in entry[11:].split(","))
        if entry[10:11] != ":" or len(counts) != 4 or min(counts) < 0:
            return None
        return Day(date.fromisoformat(entry[:10]), *counts)
    except ValueError:
        return None


@dataclass(frozen=True)
class Session:
    """How one session ended, as recorded (the last one is kept)."""

    reps_done: int
    reps_planned: int
    breath_seconds: int
    completed: bool
    cooldown: bool


@dataclass(frozen=True)
class History:
    """`days_text` is the days with activity, oldest first, as stored: one string that a
    request reads only as far as it needs (a launch parses the last few days for the
    streak, not all 90). `comfortable_run` counts comfortable finished sessions in a row
    since the last offer; `comfortable_reps`/`_breath` are the setting of the last of them
    (0 when none yet); `announced` is the day the launch line was last said."""

    days_text: str = ""
    finished: int = 0
    abandoned: int = 0
    reps: int = 0
    cooldowns: int = 0
    last: Session | None = None
    comfortable_run: int = 0
    comfortable_reps: int = 0
    comfortable_breath: int = 0
    steps_taken: int = 0
    announced: date | None = None

    @functools.cached_property
    def days(self) -> tuple[Day, ...]:
        """Every stored day, oldest first; malformed entries are left out."""
        return tuple(day for day in map(_day, self.days_text.split()) if day is not None)

    def recent(self) -> Iterator[Day]:
        """The stored days, newest first, parsed one at a time as they are asked for."""
        for entry in reversed(self.days_text.split()):
            day = _day(entry)
            if day is not None:
                yield day

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "days": self.days_text,
            "totals": [self.finished, self.abandoned, self.reps, self.cooldowns],
            "comfort": [self.comfortable_run, self.comfortable_reps, self.comfortable_breath,
                        self.steps_taken],
        }
        if self.last is not None:
            last = self.last
            data["last"] = [last.reps_done, last.reps_planned, last.breath_seconds,
                            last.completed, last.cooldown]
        if self.announced is not None:
            data["announced"] = self.announced.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: Any) -> History:
        """A stored history; anything malformed is dropped rather than failing the turn."""
        if not isinstance(data, Mapping):
            return cls()
        days = data.get("days")
        totals = _ints(data.get("totals"), 4)
        comfort = _ints(data.get("comfort"), 4)
        return cls(days_text=days if isinstance(days, str) else "", finished=totals[0],
                   abandoned=totals[1],
                   reps=totals[2], cooldowns=totals[3], last=_session(data.get("last")),
                   comfortable_run=comfort[0], comfortable_reps=comfort[1],
                   comfortable_breath=comfort[2], steps_taken=comfort[3],
                   announced=_date(data.get("announced")))


def _list(value: Any) -> Sequence[Any]:
    return value if isinstance(value, list) else []


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _ints(value: Any, count: int) -> list[int]:
    items = [_int(item) for item in _list(value)][:count]
    return [item or 0 for item in items] + [0] * (count - len(items))


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _session(value: Any) -> Session | None:
    items = _list(value)
    if len(items) != 5 or not all(isinstance(i, bool) for i in items[3:]):
        return None
    numbers = [_int(i) for i in items[:3]]
    if None in numbers:
        return None
    done, planned, breath = (n or 0 for n in numbers)
    return Session(done, planned, breath, bool(items[3]), bool(items[4]))


def record(history: History, session: Session, today: date | None) -> History:
    """History with one more session; days older than `KEEP_DAYS` before `today` fall off."""
    finished = session.completed and not session.cooldown
    abandoned = not session.completed and not session.cooldown
    cooldowns = 1 if session.cooldown and session.completed else 0
    reps = 0 if session.cooldown else session.reps_done
    days = history.days
    if today is not None:
        current = days[-1] if days and days[-1].day == today else Day(today)
        updated = current._replace(finished=current.finished + finished,
                                   abandoned=current.abandoned + abandoned,
                                   reps=current.reps + reps,
                                   cooldowns=current.cooldowns + cooldowns)
        kept = days[:-1] if days and days[-1].day == today else days
        oldest = today - timedelta(days=KEEP_DAYS - 1)
        days = (*(d for d in kept if oldest <= d.day < today), updated)
    return replace(history, days_text=" ".join(day.to_text() for day in days),
                   finished=history.finished + finished,
                   abandoned=history.abandoned + abandoned, reps=history.reps + reps,
                   cooldowns=history.cooldowns + cooldowns, last=session)


def streak(history: History, today: date) -> int:
    """Days in a row with a finished session, ending today (or yesterday, when today has
    none yet: the streak is still alive until the day is over). Reads only those days."""
    count, expected = 0, None
    for day in history.recent():
        if day.day > today or day.day == today and day.finished == 0:
            continue
        if expected is None:
            if day.day < today - timedelta(days=1):
                break
            expected = day.day
        if day.day != expected or day.finished == 0:
            break
        count += 1
        expected -= timedelta(days=1)
    return count


def finished_on(history: History, day: date) -> bool:
    """Whether a session was finished on `day` (the newest days are read first)."""
    for stored in history.recent():
        if stored.day <= day:
            return stored.day == day and stored.finished > 0
    return False


def week(history: History, today: date) -> tuple[Day, ...]:
    """The seven days ending today, oldest first, each with its counts (zero if none)."""
    by_day = {d.day: d for d in history.days}
    return tuple(by_day.get(day, Day(day)) for day in
                 (today - timedelta(days=back) for back in range(WEEK_DAYS - 1, -1, -1)))


def sessions_this_week(history: History, today: date) -> int:
    return sum(day.finished for day in week(history, today))
