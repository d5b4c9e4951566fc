"""The codec's serializer reads an envelope into exactly what ask-sdk-core's own reads."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.request_envelope import RequestEnvelope

from spine_stretch.alexa.apl import SCREEN_INTERFACES
from spine_stretch.alexa.codec import RAW_REQUEST, EnvelopeSerializer, parse_envelope
from spine_stretch.alexa.envelopes import Conversation


def with_screen_and_player(envelope: dict[str, Any]) -> dict[str, Any]:
    """A device's full context: a screen (APL), the audio player, its viewport."""
    system = envelope["context"]["System"]
    system["device"]["supportedInterfaces"] = {**SCREEN_INTERFACES, "AudioPlayer": {}}
    envelope["context"]["AudioPlayer"] = {"offsetInMilliseconds": 1234, "token": "t",
                                          "playerActivity": "PLAYING"}
    envelope["context"]["Viewport"] = {"pixelWidth": 1024, "pixelHeight": 600, "dpi": 160,
                                       "shape": "RECTANGLE"}
    return envelope


def timestamp(envelope: RequestEnvelope) -> datetime:
    assert envelope.request is not None and isinstance(envelope.request.timestamp, datetime)
    return envelope.request.timestamp


def envelopes() -> list[dict[str, Any]]:
    talk = Conversation()
    user_event = with_screen_and_player(talk.launch())
    user_event["request"] = {"type": "Alexa.Presentation.APL.UserEvent", "requestId": "r",
                             "timestamp": "2026-12-08T02:30:00Z", "locale": "en-US",
                             "token": "card", "arguments": ["next", {"rep": 2}, None]}
    return [talk.launch(), with_screen_and_player(talk.intent("StartStretchIntent",
                                                              {"reps": "5"})),
            talk.intent("AMAZON.NextIntent"), talk.session_ended(), user_event]


@pytest.mark.parametrize("envelope", envelopes(), ids=lambda e: e["request"]["type"])
def test_an_envelope_reads_as_ask_sdk_core_reads_it(envelope: dict[str, Any]) -> None:
    theirs = DefaultSerializer().deserialize(json.dumps(envelope), RequestEnvelope)
    ours = EnvelopeSerializer().from_dict(envelope, RequestEnvelope)
    assert ours == theirs
    # parse_envelope reads with it, keeping the request as sent beside the model.
    parsed = parse_envelope(envelope)
    assert parsed.to_dict() == theirs.to_dict()
    assert getattr(parsed.request, RAW_REQUEST) == envelope["request"]
    ours_stamp, their_stamp = timestamp(ours), timestamp(theirs)
    assert ours_stamp == their_stamp and ours_stamp.utcoffset() == their_stamp.utcoffset()


@pytest.mark.parametrize(("stamp", "expected"), [
    ("2026-12-08T02:30:00Z", datetime(2026, 12, 8, 2, 30, tzinfo=UTC)),
    ("2026-12-08T02:30:00.250+01:00", datetime(2026, 12, 8, 1, 30, 0, 250000, tzinfo=UTC)),
    # Not ISO 8601: still read, by ask-sdk-core's own (dateutil) parser.
    ("Tue, 8 Dec 2026 02:30:00 GMT", datetime(2026, 12, 8, 2, 30, tzinfo=UTC)),
])
def test_timestamps_are_read_as_the_instant_they_name(stamp: str, expected: datetime) -> None:
    envelope = Conversation().launch()
    envelope["request"]["timestamp"] = stamp
    read = timestamp(parse_envelope(envelope))
    assert read == expected
    assert read == timestamp(DefaultSerializer().deserialize(json.dumps(envelope),
                                                             RequestEnvelope))


def test_reading_leaves_the_body_as_it_was() -> None:
    envelope = with_screen_and_player(Conversation().launch())
    before = json.dumps(envelope, sort_keys=True)
    EnvelopeSerializer().from_dict(envelope, RequestEnvelope)
    assert json.dumps(envelope, sort_keys=True) == before
