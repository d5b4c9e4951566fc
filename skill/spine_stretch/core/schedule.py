"""A stretch reminder as the user asked for it ("every morning at seven"), checked and turned
into the Alexa Reminders API's trigger. Pure: the local time now is passed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


class Recurrence(StrEnum):
    """The values of the RECURRENCE slot type, as entity resolution reports them."""

    ONCE = "once"
    DAILY = "daily"
    MORNINGS = "mornings"
    EVENINGS = "evenings"
    WEEKDAYS = "weekdays"
    WEEKENDS = "weekends"


class TimeProblem(StrEnum):
    """Why a time cannot be used yet; each has its spoken clarification."""

    MISSING = "reminder_time_missing"
    PART_OF_DAY = "reminder_time_vague"
    NOT_A_TIME = "reminder_time_invalid"


# AMAZON.TIME's answers for "in the morning", "afternoon", "evening", "night".
PARTS_OF_DAY = frozenset({"MO", "AF", "EV", "NI"})
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")
_DAYS = {Recurrence.WEEKDAYS: "MO,TU,WE,TH,FR", Recurrence.WEEKENDS: "SA,SU"}


@dataclass(frozen=True)
class Schedule:
    hour: int
    minute: int
    recurrence: Recurrence

    def to_token(self) -> str:
        """Compact text carried through the consent request and back (its `token`)."""
        return f"{self.hour:02d}:{self.minute:02d}/{self.recurrence}"

    @classmethod
    def from_token(cls, token: str | None) -> Schedule | None:
        clock, _, rule = (token or "").partition("/")
        parsed = parse(clock, rule)
        return parsed if isinstance(parsed, Schedule) else None


def recurrence_of(raw: str | None) -> Recurrence:
    try:
        return Recurrence((raw or "").strip().lower() or Recurrence.ONCE)
    except ValueError:
        return Recurrence.ONCE


def parse(raw_time: str | None, raw_recurrence: str | None) -> Schedule | TimeProblem:
    """The schedule a user asked for, or what is wrong with its time.

    "every morning at seven" may reach us as 19:00: the part of the day wins.
    """
    recurrence = recurrence_of(raw_recurrence)
    text = (raw_time or "").strip()
    if not text:
        return TimeProblem.MISSING
    if text.upper() in PARTS_OF_DAY:
        return TimeProblem.PART_OF_DAY
    match = _CLOCK.match(text)
    if match is None:
        return TimeProblem.NOT_A_TIME
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        return TimeProblem.NOT_A_TIME
    if recurrence is Recurrence.MORNINGS and hour >= 12:
        hour -= 12
    elif recurrence is Recurrence.EVENINGS and hour < 12:
        hour += 12
    return Schedule(hour, minute, recurrence)


def spoken_time(hour: int, minute: int) -> str:
    """"7 AM", "7:30 PM": how a time is said back."""
    suffix = "AM" if hour < 12 else "PM"
    twelve = hour % 12 or 12
    return f"{twelve} {suffix}" if minute == 0 else f"{twelve}:{minute:02d} {suffix}"


def _stamp(moment: datetime) -> str:
    # The API wants local time without a zone: "2019-09-22T19:00:00.000".
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000")


def first_time(schedule: Schedule, now: datetime) -> datetime:
    """The next moment the schedule's time comes round (tomorrow when today's has passed)."""
    today = now.replace(hour=schedule.hour, minute=schedule.minute, second=0, microsecond=0)
    return today if today > now else today + timedelta(days=1)


def trigger(schedule: Schedule, now: datetime, zone: str) -> dict[str, Any]:
    """The Reminders API trigger: SCHEDULED_ABSOLUTE in the user's zone, recurring if asked."""
    at = first_time(schedule, now)
    body: dict[str, Any] = {"type": "SCHEDULED_ABSOLUTE", "scheduledTime": _stamp(at),
                            "timeZoneId": zone}
    if schedule.recurrence is Recurrence.ONCE:
        return body
    days = _DAYS.get(schedule.recurrence)
    freq = f"FREQ=WEEKLY;BYDAY={days}" if days else "FREQ=DAILY"
    rule = (f"{freq};BYHOUR={schedule.hour};BYMINUTE={schedule.minute};BYSECOND=0;"
            "INTERVAL=1;")
    start = at.replace(hour=0, minute=0)
    body["recurrence"] = {"startDateTime": _stamp(start), "recurrenceRules": [rule]}
    return body


def passed_today(schedule: Schedule, now: datetime) -> bool:
    """A one-off time already gone today: it is set for tomorrow, and said so."""
    return schedule.recurrence is Recurrence.ONCE and first_time(schedule, now).date() != now.date()
