"""Alexa's own HTTP APIs the skill calls: the Settings API (the device's time zone) and the
Reminders API. The HTTP client is passed in; the default uses urllib with a short timeout.

Every failure becomes an `ApiError` whose `kind` the handlers turn into a spoken answer.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

log = logging.getLogger(__name__)

# Short: a launch must not wait on a slow API, and Alexa gives a skill 8 s in all.
TIMEOUT_SECONDS = 1.5
REMINDERS_PATH = "/v1/alerts/reminders"
REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: bytes


class HttpClient(Protocol):
    def request(self, method: str, url: str, headers: Mapping[str, str],
                body: bytes | None, timeout: float) -> HttpResponse:
        """The response, whatever its status; TimeoutError or OSError when there is none."""
        ...


class UrllibClient:
    def request(self, method: str, url: str, headers: Mapping[str, str],
                body: bytes | None, timeout: float) -> HttpResponse:
        # Imported at the first call: urllib.request pulls in http.client, email and ssl,
        # which a cold start without an outside call should not pay for.
        import socket
        import urllib.error
        import urllib.request

        req = urllib.request.Request(url, data=body, headers=dict(headers), method=method)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310
                return HttpResponse(response.status, response.read())
        except urllib.error.HTTPError as exc:
            return HttpResponse(exc.code, exc.read())
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, socket.timeout | TimeoutError):
                raise TimeoutError(str(exc.reason)) from exc
            raise OSError(str(exc.reason)) from exc


class Failure(StrEnum):
    """What went wrong, as the user is told (each has a prompt `reminder_error_<kind>`)."""

    UNAUTHORIZED = "unauthorized"  # 401: no permission granted (or a stale token)
    FORBIDDEN = "forbidden"  # 403
    THROTTLED = "throttled"  # 429
    UNAVAILABLE = "unavailable"  # 5xx or unreachable
    INVALID = "invalid"  # 400: the API refused what we sent
    TIMEOUT = "timeout"


class ApiError(RuntimeError):
    def __init__(self, kind: Failure, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind


def _failure(status: int) -> Failure:
    if status == 401:
        return Failure.UNAUTHORIZED
    if status == 403:
        return Failure.FORBIDDEN
    if status == 429:
        return Failure.THROTTLED
    if status == 400:
        return Failure.INVALID
    return Failure.UNAVAILABLE


@dataclass(frozen=True)
class AlexaApi:
    """The request's API endpoint and access token, and the client to reach them with."""

    endpoint: str
    token: str
    client: HttpClient
    timeout: float = TIMEOUT_SECONDS

    def call(self, method: str, path: str, payload: Any = None, what: str = "") -> Any:
        """The JSON answer to one call; ApiError otherwise. Errors name `what` (or the
        path), never a device id, so they can be logged."""
        what = what or f"{method} {path}"
        body = None if payload is None else json.dumps(payload).encode()
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        url = self.endpoint.rstrip("/") + path
        try:
            response = self.client.request(method, url, headers, body, self.timeout)
        except TimeoutError as exc:
            raise ApiError(Failure.TIMEOUT, f"{what}: {exc}") from exc
        except OSError as exc:
            raise ApiError(Failure.UNAVAILABLE, f"{what}: {exc}") from exc
        if not 200 <= response.status < 300:
            detail = response.body[:200].decode("utf-8", "replace")
            raise ApiError(_failure(response.status),
                           f"{what} -> {response.status} {detail}")
        if not response.body.strip():
            return None
        try:
            return json.loads(response.body)
        except ValueError as exc:
            raise ApiError(Failure.UNAVAILABLE, f"{what}: not JSON") from exc

    # ---- Settings API ---------------------------------------------------------------------

    def time_zone(self, device_id: str) -> str:
        """The device's IANA time zone; ApiError when it cannot be had or is not a zone."""
        zone = self.call("GET", f"/v2/devices/{device_id}/settings/System.timeZone",
                         what="GET the device's System.timeZone")
        if not isinstance(zone, str) or not valid_zone(zone):
            raise ApiError(Failure.INVALID, f"not a time zone: {zone!r}")
        return zone

    # ---- Reminders API --------------------------------------------------------------------

    def create_reminder(self, reminder: Mapping[str, Any]) -> str:
        """The new reminder's alertToken."""
        created = self.call("POST", REMINDERS_PATH, reminder)
        token = created.get("alertToken") if isinstance(created, dict) else None
        if not isinstance(token, str):
            raise ApiError(Failure.UNAVAILABLE, "the created reminder has no alertToken")
        return token

    def reminders(self) -> list[dict[str, Any]]:
        """This skill's reminders for the user (the API lists only the calling skill's)."""
        listed = self.call("GET", REMINDERS_PATH)
        alerts = listed.get("alerts") if isinstance(listed, dict) else None
        return [a for a in alerts or [] if isinstance(a, dict)]

    def delete_reminder(self, alert_token: str) -> None:
        self.call("DELETE", f"{REMINDERS_PATH}/{alert_token}")


def valid_zone(zone: str) -> bool:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def delete_all_reminders(api: AlexaApi) -> int:
    """Delete every reminder this skill set for the user (for "forget me" too); how many.

    Raises ApiError on the first failure; what was deleted before it stays deleted.
    """
    count = 0
    for alert in api.reminders():
        token = alert.get("alertToken")
        if isinstance(token, str):
            api.delete_reminder(token)
            count += 1
    return count
