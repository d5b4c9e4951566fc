"""Where recorded audio may be played from: the one rule for `<audio>` clips and AudioPlayer.

Alexa fetches both only over HTTPS. A plain `http://` base is accepted only when its host is
this machine (loopback), so `serve --no-verify` and its simulator page can play the shipped
voice and the cool-down track; Alexa itself would refuse such a URL, which `local_only` says
so the caller can warn. A non-loopback `http://` base is refused as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


def is_loopback(host: str) -> bool:
    """`host` names this machine only: localhost, 127.0.0.0/8 or ::1."""
    if host.lower() == "localhost":
        return True
    import ipaddress  # here: only an http:// base asks, and a cold start need not pay for it

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class AudioBase:
    """A usable base URL, without a trailing slash."""

    url: str

    @property
    def local_only(self) -> bool:
        """Plain HTTP on loopback: this machine's browser can fetch it, Alexa cannot."""
        return self.url.startswith("http://")


def audio_base(url: str) -> AudioBase | None:
    """The base URL audio files are addressed under, or None when nothing could play from it:
    an https:// URL, or an http:// URL whose host is loopback; never a query or fragment."""
    parts = urlsplit(url.strip())
    host = parts.hostname
    if not host or parts.query or parts.fragment:
        return None
    if parts.scheme == "https" or (parts.scheme == "http" and is_loopback(host)):
        return AudioBase(parts.geturl().rstrip("/"))
    return None
