"""Builds real ASK request envelopes (JSON dicts) for the chat, the simulator and tests."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .names import RequestType

LOCAL_SKILL_ID = "amzn1.ask.skill.spine-stretch-local"


@dataclass
class Conversation:
    """One simulated device and user; keeps the session open between turns like Alexa does."""

    user_id: str = "amzn1.ask.account.local-user"
    device_id: str = "amzn1.ask.device.local-device"
    locale: str = "en-US"
    application_id: str = LOCAL_SKILL_ID
    interfaces: Mapping[str, Any] = field(default_factory=dict)
    session_id: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    # What the device's AudioPlayer reports in every request's context, when it has one:
    # {"token": ..., "offsetInMilliseconds": ..., "playerActivity": "PLAYING"}.
    player: Mapping[str, Any] | None = None
    # Alexa's APIs as the request names them: where, the token to call with, and the
    # permission scopes the user granted ({"alexa::alerts:reminders:skill:readwrite":
    # "GRANTED"}).
    api_endpoint: str = "https://api.amazonalexa.com"
    api_access_token: str | None = None
    scopes: Mapping[str, str] = field(default_factory=dict)

    def launch(self) -> dict[str, Any]:
        self.end()
        return self._envelope({"type": RequestType.LAUNCH.value})

    def intent(self, name: str, slots: Mapping[str, str | None] | None = None,
               resolved: Mapping[str, str] | None = None,
               unmatched: Collection[str] = ()) -> dict[str, Any]:
        """An IntentRequest; `resolved` gives custom slots' canonical values as Alexa's
        entity resolution reports them, `unmatched` the custom slots whose value it matched
        to none of their type's values (ER_SUCCESS_NO_MATCH)."""
        slot_json: dict[str, Any] = {}
        for slot, value in (slots or {}).items():
            entry: dict[str, Any] = {"name": slot, "confirmationStatus": "NONE"}
            if value is not None:
                entry["value"] = value
            canonical = (resolved or {}).get(slot)
            if canonical is not None:
                entry["resolutions"] = {"resolutionsPerAuthority": [{
                    "authority": f"amzn1.er-authority.echo-sdk.{self.application_id}.{slot}",
                    "status": {"code": "ER_SUCCESS_MATCH"},
                    "values": [{"value": {"name": canonical, "id": canonical}}],
                }]}
            elif slot in unmatched:
                entry["resolutions"] = {"resolutionsPerAuthority": [{
                    "authority": f"amzn1.er-authority.echo-sdk.{self.application_id}.{slot}",
                    "status": {"code": "ER_SUCCESS_NO_MATCH"},
                }]}
            slot_json[slot] = entry
        return self._envelope({
            "type": RequestType.INTENT.value,
            "dialogState": "COMPLETED",
            "intent": {"name": name, "confirmationStatus": "NONE", "slots": slot_json},
        })

    def session_ended(self, reason: str = "USER_INITIATED") -> dict[str, Any]:
        return self._envelope({"type": RequestType.SESSION_ENDED.value, "reason": reason})

    def player_event(self, kind: str, token: str, offset_ms: int,
                     **extra: Any) -> dict[str, Any]:
        """An AudioPlayer request (e.g. "AudioPlayer.PlaybackStopped"); it has no session."""
        return self._envelope({"type": kind, "token": token, "offsetInMilliseconds": offset_ms,
                               **extra}, in_session=False)

    def connections_response(self, name: str, status: str, token: str,
                             payload: Mapping[str, Any]) -> dict[str, Any]:
        """What Alexa sends after a Connections.SendRequest (an AskFor): a new session."""
        self.end()
        return self._envelope({"type": "Connections.Response", "name": name, "token": token,
                               "status": {"code": status, "message": "OK"},
                               "payload": dict(payload)})

    def controller(self, kind: str) -> dict[str, Any]:
        """A PlaybackController request (the device's buttons); it has no session."""
        return self._envelope({"type": kind}, in_session=False)

    def end(self) -> None:
        self.session_id = None
        self.attributes = {}

    def absorb(self, response: Mapping[str, Any]) -> None:
        """Carry the response's session attributes forward, or close the session."""
        body = response.get("response", {})
        if body.get("shouldEndSession") is not False:
            self.end()
        else:
            self.attributes = dict(response.get("sessionAttributes") or {})

    def _envelope(self, request: dict[str, Any], in_session: bool = True) -> dict[str, Any]:
        timestamp = self.clock().strftime("%Y-%m-%dT%H:%M:%SZ")
        application = {"applicationId": self.application_id}
        user: dict[str, Any] = {"userId": self.user_id}
        if self.scopes:
            user["permissions"] = {"scopes": {scope: {"status": status}
                                              for scope, status in self.scopes.items()}}
        context: dict[str, Any] = {
            "System": {
                "application": application,
                "user": user,
                "device": {"deviceId": self.device_id,
                           "supportedInterfaces": dict(self.interfaces)},
                "apiEndpoint": self.api_endpoint,
            }
        }
        if self.api_access_token is not None:
            context["System"]["apiAccessToken"] = self.api_access_token
        if self.player is not None:
            context["AudioPlayer"] = dict(self.player)
        envelope: dict[str, Any] = {"version": "1.0", "context": context}
        if in_session:
            new = self.session_id is None
            if new:
                self.session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
            envelope["session"] = {
                "new": new,
                "sessionId": self.session_id,
                "application": application,
                "attributes": self.attributes,
                "user": user,
            }
        return {
            **envelope,
            "request": {
                "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
                "timestamp": timestamp,
                "locale": self.locale,
                **request,
            },
        }
