"""A local stand-in for Alexa's Settings and Reminders APIs, over real HTTP.

It implements the documented contract (developer.amazon.com: "Alexa Reminders API
Reference", "Alexa Settings API Reference") and validates what the skill sends: a malformed
reminder is refused with 400 and a reason, as Amazon does, so a test passes only if our
requests are well formed. Failures can be injected: a status for the next calls, a delay.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

TOKEN = "local-api-token"
REMINDERS = "/v1/alerts/reminders"
_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?$")
_LOCALE = re.compile(r"^[a-z]{2}-[A-Z]{2}$")
_RULE = re.compile(r"^FREQ=(DAILY|WEEKLY)(;BYDAY=(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*)?"
                   r";BYHOUR=\d{1,2};BYMINUTE=\d{1,2};BYSECOND=\d{1,2};INTERVAL=\d+;?$")
_ZONE = re.compile(r"^/v2/devices/([^/]+)/settings/System\.timeZone$")


class Invalid(ValueError):
    pass


def _require(cond: bool, message: str) -> None:
    if not cond:
        raise Invalid(message)


def validate_reminder(body: Any, now: datetime | None) -> None:
    """Raise Invalid naming the first thing wrong with a create-reminder body."""
    _require(isinstance(body, dict), "body must be a JSON object")
    allowed = {"requestTime", "trigger", "alertInfo", "pushNotification"}
    _require(set(body) <= allowed, f"unknown fields {sorted(set(body) - allowed)}")
    _require(isinstance(body.get("requestTime"), str) and bool(_STAMP.match(body["requestTime"])),
             "requestTime must be local ISO 8601 without a zone")
    trigger = body.get("trigger")
    _require(isinstance(trigger, dict), "trigger is required")
    _require(trigger.get("type") == "SCHEDULED_ABSOLUTE", "trigger.type: SCHEDULED_ABSOLUTE")
    at = trigger.get("scheduledTime")
    _require(isinstance(at, str) and bool(_STAMP.match(at)),
             "INVALID_TRIGGER_SCHEDULED_TIME_FORMAT: local time without a zone")
    zone = trigger.get("timeZoneId")
    try:
        ZoneInfo(str(zone))
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(f"timeZoneId is not a time zone: {zone!r}") from None
    recurrence = trigger.get("recurrence")
    if recurrence is not None:
        _require(isinstance(recurrence, dict), "recurrence must be an object")
        start = recurrence.get("startDateTime")
        _require(start is None or isinstance(start, str) and bool(_STAMP.match(start)),
                 "recurrence.startDateTime must be local ISO 8601")
        rules = recurrence.get("recurrenceRules")
        _require(isinstance(rules, list) and len(rules) > 0, "recurrenceRules required")
        for rule in rules:
            _require(isinstance(rule, str) and bool(_RULE.match(rule)),
                     f"INVALID_RECURRENCE_RULE {rule!r}")
    elif now is not None:
        _require(datetime.fromisoformat(at) > now, "PAST_SCHEDULED_TIME")
    content = ((body.get("alertInfo") or {}).get("spokenInfo") or {}).get("content")
    _require(isinstance(content, list) and len(content) > 0,
             "alertInfo.spokenInfo.content must be a non-empty list")
    for item in content if isinstance(content, list) else []:
        _require(isinstance(item, dict) and bool(_LOCALE.match(str(item.get("locale")))),
                 "each spoken content needs a locale like en-US")
        text = item.get("text")
        _require(isinstance(text, str) and 0 < len(text) <= 250, "text: 1 to 250 characters")
    push = body.get("pushNotification")
    _require(push is None or isinstance(push, dict)
             and push.get("status") in {"ENABLED", "DISABLED"},
             "pushNotification.status: ENABLED or DISABLED")


@dataclass
class AlexaApiState:
    zone: str | None = "Europe/London"
    granted: bool = True
    now: datetime | None = None  # the user's local time, for past-time checks
    fail: list[int] = field(default_factory=list)  # statuses for the next calls, in turn
    delay: float = 0.0
    reminders: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(state: AlexaApiState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

        def _reply(self, status: int, payload: Any = None) -> None:
            body = b"" if payload is None else json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (the timeout tests): nothing to tell it

        def _error(self, status: int, code: str, message: str) -> None:
            self._reply(status, {"code": code, "message": message})

        def _admit(self, method: str) -> bool:
            with state.lock:
                state.calls.append((method, self.path))
                failure = state.fail.pop(0) if state.fail else None
            if state.delay:
                time.sleep(state.delay)
            if failure is not None:
                self._error(failure, "INJECTED", f"injected {failure}")
                return False
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                self._error(401, "UNAUTHORIZED", "missing or invalid access token")
                return False
            if self.path.startswith(REMINDERS) and not state.granted:
                self._error(401, "UNAUTHORIZED", "the user has not granted reminders")
                return False
            return True

        def do_GET(self) -> None:  # noqa: N802
            if not self._admit("GET"):
                return
            if _ZONE.match(self.path):
                if state.zone is None:
                    self._error(404, "NOT_FOUND", "no time zone for this device")
                else:
                    self._reply(200, state.zone)
            elif self.path == REMINDERS:
                with state.lock:
                    alerts = list(state.reminders.values())
                self._reply(200, {"totalCount": str(len(alerts)), "alerts": alerts,
                                  "links": None})
            else:
                self._error(404, "NOT_FOUND", self.path)

        def do_POST(self) -> None:  # noqa: N802
            if not self._admit("POST"):
                return
            if self.path != REMINDERS:
                self._error(404, "NOT_FOUND", self.path)
                return
            if self.headers.get("Content-Type") != "application/json":
                self._error(400, "INVALID_CONTENT_TYPE", "application/json expected")
                return
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length))
                validate_reminder(body, state.now)
            except (ValueError, AttributeError, TypeError) as exc:
                self._error(400, "INVALID_REQUEST", str(exc))
                return
            token = str(uuid.uuid4())
            stamp = datetime.now().strftime("%Y-%m-%dT%H:%M:%S.000")
            alert = {"alertToken": token, "createdTime": stamp, "updatedTime": stamp,
                     "status": "ON", "version": "1", **body}
            with state.lock:
                state.reminders[token] = alert
            self._reply(200, {"alertToken": token, "createdTime": stamp, "updatedTime": stamp,
                              "status": "ON", "version": "1",
                              "href": f"{REMINDERS}/{token}"})

        def do_DELETE(self) -> None:  # noqa: N802
            if not self._admit("DELETE"):
                return
            token = self.path.removeprefix(REMINDERS + "/")
            with state.lock:
                found = state.reminders.pop(token, None)
            if found is None:
                self._error(404, "NOT_FOUND", f"no reminder {token}")
            else:
                self._reply(200)

    return Handler


@contextmanager
def alexa_api() -> Iterator[tuple[str, AlexaApiState]]:
    """(base URL, server state) of a server on 127.0.0.1 for the duration."""
    state = AlexaApiState()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
