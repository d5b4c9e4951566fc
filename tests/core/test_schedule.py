"""A reminder's time and recurrence, as said and as the Reminders API wants them."""

from __future__ import annotations

from datetime import datetime

import pytest

from spine_stretch.core import schedule
from spine_stretch.core.schedule import Recurrence, Schedule, TimeProblem

NOW = datetime(2026, 11, 26, 9, 30)


@pytest.mark.parametrize(("time", "recurrence", "expected"), [
    ("07:00", "daily", Schedule(7, 0, Recurrence.DAILY)),
    ("19:00", "mornings", Schedule(7, 0, Recurrence.MORNINGS)),
    ("07:00", "evenings", Schedule(19, 0, Recurrence.EVENINGS)),
    ("18:45:00", None, Schedule(18, 45, Recurrence.ONCE)),
    ("06:30", "fortnightly", Schedule(6, 30, Recurrence.ONCE)),
    ("MO", "daily", TimeProblem.PART_OF_DAY), ("ni", None, TimeProblem.PART_OF_DAY),
    ("25:00", "daily", TimeProblem.NOT_A_TIME), ("07:75", None, TimeProblem.NOT_A_TIME),
    ("seven", None, TimeProblem.NOT_A_TIME), ("", None, TimeProblem.MISSING),
    (None, "daily", TimeProblem.MISSING),
])
def test_parse(time: str | None, recurrence: str | None,
               expected: Schedule | TimeProblem) -> None:
    assert schedule.parse(time, recurrence) == expected


def test_triggers_follow_the_documented_shape() -> None:
    weekend = schedule.trigger(Schedule(8, 15, Recurrence.WEEKENDS), NOW, "Europe/Paris")
    assert weekend == {
        "type": "SCHEDULED_ABSOLUTE", "scheduledTime": "2026-11-27T08:15:00.000",
        "timeZoneId": "Europe/Paris",
        "recurrence": {"startDateTime": "2026-11-27T00:00:00.000", "recurrenceRules": [
            "FREQ=WEEKLY;BYDAY=SA,SU;BYHOUR=8;BYMINUTE=15;BYSECOND=0;INTERVAL=1;"]}}
    once = schedule.trigger(Schedule(18, 0, Recurrence.ONCE), NOW, "UTC")
    assert once == {"type": "SCHEDULED_ABSOLUTE", "scheduledTime": "2026-11-26T18:00:00.000",
                    "timeZoneId": "UTC"}
    assert schedule.passed_today(Schedule(9, 0, Recurrence.ONCE), NOW)
    assert not schedule.passed_today(Schedule(9, 0, Recurrence.DAILY), NOW)


def test_the_consent_token_round_trips_and_rejects_junk() -> None:
    wanted = Schedule(7, 30, Recurrence.WEEKDAYS)
    assert Schedule.from_token(wanted.to_token()) == wanted
    assert Schedule.from_token("not a token") is None and Schedule.from_token(None) is None


@pytest.mark.parametrize(("hour", "minute", "said"), [
    (0, 0, "12 AM"), (7, 0, "7 AM"), (12, 0, "12 PM"), (18, 30, "6:30 PM"), (23, 5, "11:05 PM")])
def test_spoken_time(hour: int, minute: int, said: str) -> None:
    assert schedule.spoken_time(hour, minute) == said
