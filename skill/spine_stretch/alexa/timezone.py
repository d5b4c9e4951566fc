"""The user's local date: the device's time zone from the Settings API, asked once and kept
in the user's record, UTC while it cannot be had.

A failed look-up is remembered too, so a broken API costs one short timeout a day, not one
per request; a known zone costs no outside call at all.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from ask_sdk_core.handler_input import HandlerInput

from .alexa_api import AlexaApi, ApiError, HttpClient, valid_zone

log = logging.getLogger(__name__)

ZONE_KEY = "tz"
# Request attribute: record changes this turn made besides the state (saved with it).
CHANGES = "record_changes"
RETRY_SECONDS = 24 * 3600
FALLBACK = "UTC"


def api_of(handler_input: HandlerInput, client: HttpClient) -> AlexaApi | None:
    """The request's API endpoint and token, or None when it carries none (chat, tests)."""
    system = getattr(handler_input.request_envelope.context, "system", None)
    endpoint = getattr(system, "api_endpoint", None)
    token = getattr(system, "api_access_token", None)
    if not isinstance(endpoint, str) or not isinstance(token, str) or not token:
        return None
    return AlexaApi(endpoint, token, client)


def _device_id(handler_input: HandlerInput) -> str | None:
    system = getattr(handler_input.request_envelope.context, "system", None)
    device_id = getattr(getattr(system, "device", None), "device_id", None)
    return device_id if isinstance(device_id, str) and device_id else None


def user_zone(handler_input: HandlerInput, client: HttpClient, now: float) -> str:
    """The cached zone, else one look-up (kept for next time), else UTC."""
    return known_zone(handler_input, client, now) or FALLBACK


def known_zone(handler_input: HandlerInput, client: HttpClient, now: float) -> str | None:
    """The cached zone, else one look-up (kept for next time); None when unknown."""
    stored: Any = handler_input.attributes_manager.persistent_attributes.get(ZONE_KEY)
    if isinstance(stored, dict):
        zone = stored.get("zone")
        if isinstance(zone, str) and valid_zone(zone):
            return zone
        checked = stored.get("checked")
        if isinstance(checked, int | float) and now - checked < RETRY_SECONDS:
            return None
    api = api_of(handler_input, client)
    device_id = _device_id(handler_input)
    if api is None or device_id is None:
        return None
    attributes: dict[str, Any] = handler_input.attributes_manager.request_attributes
    changes: dict[str, Any] = attributes.setdefault(CHANGES, {})
    try:
        zone = api.time_zone(device_id)
    except ApiError as exc:
        log.info("no time zone from the Settings API, using UTC: %s", exc)
        changes[ZONE_KEY] = {"checked": now}
        return None
    changes[ZONE_KEY] = {"zone": zone}
    return zone


def local_now(zone: str, at: float) -> datetime:
    """The wall-clock time in `zone` at epoch `at`, without its zone (as the API wants)."""
    return datetime.fromtimestamp(at, ZoneInfo(zone)).replace(tzinfo=None)


def local_day(handler_input: HandlerInput, client: HttpClient, at: float | None) -> date | None:
    if at is None:
        return None
    try:
        return local_now(user_zone(handler_input, client, at), at).date()
    except (OSError, ValueError) as exc:  # a zone that vanished from this system's tzdata
        log.warning("cannot use the stored time zone: %s", exc)
        return datetime.fromtimestamp(at, UTC).date()


def stored_day(handler_input: HandlerInput, at: float | None) -> date | None:
    """The local date from the stored zone alone (UTC without one): for requests that must
    not call out, such as the player's reports."""
    if at is None:
        return None
    stored: Any = handler_input.attributes_manager.persistent_attributes.get(ZONE_KEY)
    zone = stored.get("zone") if isinstance(stored, dict) else None
    if not isinstance(zone, str) or not valid_zone(zone):
        zone = FALLBACK
    return local_now(zone, at).date()
