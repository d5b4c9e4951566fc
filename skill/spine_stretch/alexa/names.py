"""Request types, intent and slot names: the public contract with the interaction model."""

from __future__ import annotations

from enum import StrEnum


class RequestType(StrEnum):
    LAUNCH = "LaunchRequest"
    INTENT = "IntentRequest"
    SESSION_ENDED = "SessionEndedRequest"
    CAN_FULFILL = "CanFulfillIntentRequest"
    SKILL_DISABLED = "AlexaSkillEvent.SkillDisabled"
    CONNECTIONS_RESPONSE = "Connections.Response"


class IntentName(StrEnum):
    START_STRETCH = "StartStretchIntent"
    NEXT = "AMAZON.NextIntent"
    PREVIOUS = "AMAZON.PreviousIntent"
    REPEAT = "AMAZON.RepeatIntent"
    PAUSE = "AMAZON.PauseIntent"
    RESUME = "AMAZON.ResumeIntent"
    START_OVER = "AMAZON.StartOverIntent"
    HELP = "AMAZON.HelpIntent"
    STOP = "AMAZON.StopIntent"
    CANCEL = "AMAZON.CancelIntent"
    FALLBACK = "AMAZON.FallbackIntent"
    YES = "AMAZON.YesIntent"
    NO = "AMAZON.NoIntent"
    NAVIGATE_HOME = "AMAZON.NavigateHomeIntent"
    WHY = "WhyIntent"
    QUESTION = "QuestionIntent"
    MODIFY = "ModifyIntent"
    TIP = "TipIntent"
    PAIN = "PainIntent"
    SET_REPS = "SetRepsIntent"
    PACE = "PaceIntent"
    SLOWER = "SlowerIntent"
    FASTER = "FasterIntent"
    COOL_DOWN = "CoolDownIntent"
    PROGRESS = "ProgressIntent"
    REMINDER = "ReminderIntent"
    LIST_REMINDERS = "ListRemindersIntent"
    DELETE_REMINDERS = "DeleteRemindersIntent"
    LOOP_ON = "AMAZON.LoopOnIntent"
    LOOP_OFF = "AMAZON.LoopOffIntent"
    SHUFFLE_ON = "AMAZON.ShuffleOnIntent"
    SHUFFLE_OFF = "AMAZON.ShuffleOffIntent"
    DELETE_DATA = "DeleteDataIntent"


class SlotName(StrEnum):
    REPS = "reps"
    TOPIC = "topic"
    QUERY = "query"
    PROP = "prop"
    DIFFICULTY = "difficulty"
    BODY_PART = "bodyPart"
    COUNT = "count"
    PACE = "pace"
    TIME = "time"
    RECURRENCE = "recurrence"
