"""The one table from Alexa requests to engine events."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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
    fixed: tuple[tuple[Slot, str], ...] = ()  # event slots the intent itself stands for


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
    Route(RequestType.INTENT, IntentName.DELETE_DATA, EventKind.FORGET),
    Route(RequestType.INTENT, IntentName.PROGRESS, EventKind.PROGRESS),
    # ReminderIntent, ListRemindersIntent and DeleteRemindersIntent call the Reminders API
    # (alexa.reminders) and never reach the engine.
    # Modelled because the skill uses AudioPlayer; they mean something only during playback.
    Route(RequestType.INTENT, IntentName.LOOP_ON, EventKind.FALLBACK),
    Route(RequestType.INTENT, IntentName.LOOP_OFF, EventKind.FALLBACK),
    Route(RequestType.INTENT, IntentName.SHUFFLE_ON, EventKind.FALLBACK),
    Route(RequestType.INTENT, IntentName.SHUFFLE_OFF, EventKind.FALLBACK),
)

# Intents that mean another intent with a slot filled: "slower please" is PaceIntent with
# pace = slower, but Alexa's rules forbid the sample "{pace} please" (it would catch anything
# said), so the slot-free ways of asking have intents of their own.
ALIASES: dict[IntentName, tuple[IntentName, tuple[tuple[SlotName, str], ...]]] = {
    IntentName.SLOWER: (IntentName.PACE, ((SlotName.PACE, "slower"),)),
    IntentName.FASTER: (IntentName.PACE, ((SlotName.PACE, "faster"),)),
}


def _alias_route(alias: IntentName) -> Route:
    target, values = ALIASES[alias]
    base = next(route for route in ROUTES if route.intent is target)
    fills = dict(base.slots)
    return Route(RequestType.INTENT, alias, base.event,
                 fixed=tuple((fills[name], value) for name, value in values))


ROUTES += tuple(_alias_route(alias) for alias in ALIASES)

# Intents whose very name says something about the user's health: logs name them only as
# "a private intent", as they never name slot values (logs outlive the store; see privacy).
PRIVATE_INTENTS = frozenset({IntentName.PAIN})

# An intent the model has but this build does not route (an older or newer model) is
# treated as not understood rather than failing.
UNKNOWN_INTENT = EventKind.FALLBACK


class Kind(StrEnum):
    """How the skill answers a request type; one handler per kind (`skill.build_skill`)."""

    COACHING = "coaching"  # the user's turn or their player's: loads and saves their state
    CAN_FULFILL = "can_fulfill"  # "could you do this?": answered from the model, no state
    SKILL_EVENT = "skill_event"  # enabled, disabled, ...: acknowledged without speech
    RUNTIME_ERROR = "runtime_error"  # a device's report that our APL/APLA failed
    REPORT = "report"  # other device reports: no speech, the session left as it was


# Request types by kind: an entry ending in "." covers every type it prefixes; the longest
# entry that matches wins. A type none matches is not one this skill answers (`kind_of`).
REQUEST_KINDS: tuple[tuple[str, Kind], ...] = (
    (RequestType.LAUNCH, Kind.COACHING),
    (RequestType.INTENT, Kind.COACHING),
    (RequestType.SESSION_ENDED, Kind.COACHING),
    ("AudioPlayer.", Kind.COACHING),
    ("PlaybackController.", Kind.COACHING),
    ("System.", Kind.COACHING),
    (RequestType.CAN_FULFILL, Kind.CAN_FULFILL),
    ("AlexaSkillEvent.", Kind.SKILL_EVENT),
    ("Alexa.Presentation.APL.RuntimeError", Kind.RUNTIME_ERROR),
    ("Alexa.Presentation.APLA.RuntimeError", Kind.RUNTIME_ERROR),
    ("Alexa.Presentation.", Kind.REPORT),
    ("Display.ElementSelected", Kind.REPORT),
    ("GameEngine.InputHandlerEvent", Kind.REPORT),
    ("Connections.Response", Kind.REPORT),
)


def kind_of(request_type: str) -> Kind | None:
    """The kind of a request type, or None for one this skill does not answer."""
    best: tuple[int, Kind] | None = None
    for name, kind in REQUEST_KINDS:
        matches = request_type.startswith(name) if name.endswith(".") else request_type == name
        if matches and (best is None or len(name) > best[0]):
            best = (len(name), kind)
    return best[1] if best else None


class Fulfil(StrEnum):
    """A CanFulfillIntentRequest answer, as Alexa spells it."""

    YES = "YES"
    MAYBE = "MAYBE"
    NO = "NO"


# What the skill answers when Alexa asks, before choosing a skill for a request made without
# a skill's name ("Alexa, I want to stretch my back"), whether it can take an intent. Only
# what makes sense out of the blue says yes: navigation, yes/no, reps or pace mean something
# only inside a session, deleting data only when the user named us, and pain is not
# something a stretching coach should be picked for.
NAME_FREE: dict[IntentName, Fulfil] = {
    IntentName.START_STRETCH: Fulfil.YES,
    IntentName.COOL_DOWN: Fulfil.YES,
    IntentName.WHY: Fulfil.YES,
    IntentName.TIP: Fulfil.YES,
    IntentName.MODIFY: Fulfil.YES,
    IntentName.QUESTION: Fulfil.MAYBE,
}
