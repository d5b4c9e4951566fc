"""What the coach remembers of past sessions: bounded daily counts, totals, and the run of
comfortable sessions that progression counts.

Pure and immutable. The record stays small whatever the user does: one entry per day with
activity, for the last `KEEP_DAYS` days, plus running totals. No health data: a session that
was eased (pain, "slower", the easier version) only stops counting as comfortable; why is
never written down.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

KEEP_DAYS = 90
WEEK_DAYS = 7


@dataclass(frozen=True)
class Day:
    """One local day's activity: sessions finished and abandoned, reps done, cool-downs."""

    day: date
    finished: int = 0
    abandoned: int = 0
    reps: int = 0
    cooldowns: int = 0

    def to_list(self) -> list[Any]:
        return [self.day.isoformat(), self.finished, self.abandoned, self.reps, self.cooldowns]


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
    """Newest day last. `comfortable_run` counts comfortable finished sessions in a row
    since the last offer; `comfortable_reps`/`_breath` are the setting of the last of them
    (0 when none yet); `announced` is the day the launch line was last said."""

    days: tuple[Day, ...] = ()
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

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "days": [day.to_list() for day in self.days],
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
        days = tuple(d for d in map(_day, _list(data.get("days"))) if d is not None)
        totals = _ints(data.get("totals"), 4)
        comfort = _ints(data.get("comfort"), 4)
        return cls(days=days[-KEEP_DAYS:], finished=totals[0], abandoned=totals[1],
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


def _day(value: Any) -> Day | None:
    items = _list(value)
    when = _date(items[0]) if items else None
    if when is None:
        return None
    counts = _ints(items[1:], 4)
    return Day(when, *counts)


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
        updated = replace(current, finished=current.finished + finished,
                          abandoned=current.abandoned + abandoned,
                          reps=current.reps + reps, cooldowns=current.cooldowns + cooldowns)
        kept = days[:-1] if days and days[-1].day == today else days
        oldest = today - timedelta(days=KEEP_DAYS - 1)
        days = (*(d for d in kept if oldest <= d.day < today), updated)
    return replace(history, days=days, finished=history.finished + finished,
                   abandoned=history.abandoned + abandoned, reps=history.reps + reps,
                   cooldowns=history.cooldowns + cooldowns, last=session)


def _active(history: History) -> set[date]:
    return {d.day for d in history.days if d.finished > 0}


def streak(history: History, today: date) -> int:
    """Days in a row with a finished session, ending today (or yesterday, when today has
    none yet: the streak is still alive until the day is over)."""
    active = _active(history)
    day = today if today in active else today - timedelta(days=1)
    count = 0
    while day in active:
        count += 1
        day -= timedelta(days=1)
    return count


def week(history: History, today: date) -> tuple[Day, ...]:
    """The seven days ending today, oldest first, each with its counts (zero if none)."""
    by_day = {d.day: d for d in history.days}
    return tuple(by_day.get(day, Day(day)) for day in
                 (today - timedelta(days=back) for back in range(WEEK_DAYS - 1, -1, -1)))


def sessions_this_week(history: History, today: date) -> int:
    return sum(day.finished for day in week(history, today))
