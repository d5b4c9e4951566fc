"""A custom slot value entity resolution could not match (ER_SUCCESS_NO_MATCH) is not
understood: the skill says so, and what does work for that request."""

from __future__ import annotations

import pytest

from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.names import IntentName
from spine_stretch.core.ssml import to_plain
from spine_stretch.core.workout import Content
from tests.conftest import Send, speech_of


@pytest.mark.parametrize(("intent", "slot", "heard", "hint"), [
    (IntentName.PACE, "pace", "stop please", "slower"),
    (IntentName.PACE, "pace", "sideways", "faster"),
    (IntentName.MODIFY, "prop", "chair", "towel"),
    (IntentName.MODIFY, "difficulty", "purple", "easier"),
    (IntentName.PAIN, "bodyPart", "elbow", "neck"),
    (IntentName.WHY, "topic", "bananas", "breathe out"),
])
def test_an_unmatched_value_is_not_understood_and_says_what_works(
        send: Send, conversation: Conversation, content: Content, intent: str, slot: str,
        heard: str, hint: str) -> None:
    send(conversation.launch())
    send(conversation.intent(IntentName.START_STRETCH))
    reply = send(conversation.intent(intent, {slot: heard}, unmatched=[slot]))
    spoken = to_plain(speech_of(reply))
    variants = [v for key, found in content.prompts.variants.items()
                if key.startswith("unresolved_") for v in found]
    assert any(to_plain(v).split(".")[0] in spoken for v in variants), spoken
    assert reply["response"]["shouldEndSession"] is False
    assert hint in spoken.lower()


def test_a_matched_value_still_works(send: Send, conversation: Conversation) -> None:
    send(conversation.launch())
    send(conversation.intent(IntentName.START_STRETCH))
    reply = send(conversation.intent(IntentName.PACE, {"pace": "slow down"},
                                     resolved={"pace": "slower"}))
    assert "didn" not in to_plain(speech_of(reply))
