"""The one table from Alexa requests to engine events."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.events import EventKind, Slot
from .names import IntentName, RequestType, SlotName


@dataclass(frozen=True)
class Route:
    """A request (type, and intent for IntentRequests) and the event it becomes; `slots`
    says which of the intent's slots fill which of the event's."""

    request_type: RequestType
    intent: IntentName | None
    event: EventKind
    slots: tuple[tuple[SlotName, Slot], ...] = ()


ROUTES: tuple[Route, ...] = (
    Route(RequestType.LAUNCH, None, EventKind.WHAT_NOW),
    Route(RequestType.SESSION_ENDED, None, EventKind.SESSION_ENDED),
    Route(RequestType.INTENT, IntentName.START_STRETCH, EventKind.START,
          ((SlotName.REPS, Slot.REPS),)),
    Route(RequestType.INTENT, IntentName.NEXT, EventKind.NEXT),
    Route(RequestType.INTENT, IntentName.PREVIOUS, EventKind.PREVIOUS),
    Route(RequestType.INTENT, IntentName.REPEAT, EventKind.REPEAT),
    Route(RequestType.INTENT, IntentName.PAUSE, EventKind.PAUSE),
    Route(RequestType.INTENT, IntentName.RESUME, EventKind.RESUME),
    Route(RequestType.INTENT, IntentName.START_OVER, EventKind.START_OVER),
    Route(RequestType.INTENT, IntentName.HELP, EventKind.HELP),
    Route(RequestType.INTENT, IntentName.STOP, EventKind.STOP),
    Route(RequestType.INTENT, IntentName.CANCEL, EventKind.STOP),
    Route(RequestType.INTENT, IntentName.NAVIGATE_HOME, EventKind.STOP),
    Route(RequestType.INTENT, IntentName.FALLBACK, EventKind.FALLBACK),
    Route(RequestType.INTENT, IntentName.YES, EventKind.YES),
    Route(RequestType.INTENT, IntentName.NO, EventKind.NO),
    Route(RequestType.INTENT, IntentName.WHY, EventKind.WHY, ((SlotName.TOPIC, Slot.TOPIC),)),
    Route(RequestType.INTENT, IntentName.QUESTION, EventKind.QUESTION,
          ((SlotName.QUERY, Slot.QUERY),)),
    Route(RequestType.INTENT, IntentName.MODIFY, EventKind.MODIFY,
          ((SlotName.PROP, Slot.PROP), (SlotName.DIFFICULTY, Slot.DIFFICULTY),
           (SlotName.BODY_PART, Slot.BODY_PART))),
    Route(RequestType.INTENT, IntentName.TIP, EventKind.TIP),
    Route(RequestType.INTENT, IntentName.PAIN, EventKind.PAIN,
          ((SlotName.BODY_PART, Slot.BODY_PART),)),
    Route(RequestType.INTENT, IntentName.SET_REPS, EventKind.SET_REPS,
          ((SlotName.COUNT, Slot.REPS),)),
    Route(RequestType.INTENT, IntentName.PACE, EventKind.PACE, ((SlotName.PACE, Slot.PACE),)),
    # On devices with AudioPlayer, alexa.cooldown plays the track instead.
    Route(RequestType.INTENT, IntentName.COOL_DOWN, EventKind.COOL_DOWN),
    Route(RequestType.INTENT, IntentName.PROGRESS, EventKind.PROGRESS),
    # ReminderIntent, ListRemindersIntent and DeleteRemindersIntent call the Reminders API
    # (alexa.reminders) and never reach the engine.
    # Modelled because the skill uses AudioPlayer; they mean something only during playback.
    Route(RequestType.INTENT, IntentName.LOOP_ON, EventKind.FALLBACK),
    Route(RequestType.INTENT, IntentName.LOOP_OFF, EventKind.FALLBACK),
    Route(RequestType.INTENT, IntentName.SHUFFLE_ON, EventKind.FALLBACK),
    Route(RequestType.INTENT, IntentName.SHUFFLE_OFF, EventKind.FALLBACK),
)

# An intent the model has but this build does not route (an older or newer model) is
# treated as not understood rather than failing.
UNKNOWN_INTENT = EventKind.FALLBACK
