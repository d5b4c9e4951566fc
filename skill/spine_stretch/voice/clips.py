"""The recorded voice at run time: which rendered file says a sentence, and where Alexa gets it.

Reads `manifest.json` once and touches nothing else of the audio pipeline (no pydub, no TTS
engine), so the skill can import it wherever it runs.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from urllib.parse import quote, urlsplit

from ..core.speech import Spoken
from ..core.ssml import AudioClip, AudioLookup
from .audio import RenderError
from .manifest import MANIFEST_NAME, Entry, read_manifest

log = logging.getLogger(__name__)


class AudioLibrary:
    """An `AudioLookup`: the clip of a sentence whose file says exactly the sentence's text.

    A key whose manifest text differs from what content says now is stale audio and has no
    clip, so an edited prompt is spoken by Alexa until it is rendered again.
    """

    def __init__(self, entries: Mapping[str, Entry], base_url: str) -> None:
        self._entries = MappingProxyType(dict(entries))
        self._base = base_url.rstrip("/")

    def __call__(self, spoken: Spoken) -> AudioClip | None:
        entry = self._entries.get(spoken.key)
        if entry is None or entry.text != spoken.text:
            return None
        return AudioClip(f"{self._base}/{quote(entry.file)}", entry.duration)


def https_base_url(url: str) -> str | None:
    """`url` without a trailing slash if Alexa can fetch audio from it (HTTPS), else None."""
    parts = urlsplit(url.strip())
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
        return None
    return parts.geturl().rstrip("/")


def load_audio(base_url: str | None, folder: Path) -> AudioLookup | None:
    """The lookup for the audio `folder`'s manifest lists, served at `base_url`; None: TTS.

    Only the manifest is read (render keeps it listing only files that exist), so a host
    that fetches the audio from elsewhere, such as S3, needs `manifest.json` alone. None
    when no base URL is set, and, with a warning saying why, when it is not HTTPS or the
    folder has no usable manifest.
    """
    if base_url is None:
        return None
    base = https_base_url(base_url)
    if base is None:
        log.warning("SPINE_STRETCH_AUDIO_BASE_URL %r is not an https:// URL Alexa can fetch "
                    "audio from: speaking with Alexa's voice instead", base_url)
        return None
    try:
        manifest = read_manifest(folder)
    except RenderError as exc:
        log.warning("not using recorded audio: %s", exc)
        return None
    if not manifest.entries:
        log.warning("not using recorded audio: no rendered audio listed in %s (set "
                    "SPINE_STRETCH_AUDIO_DIR, or run spine-stretch render)", folder / MANIFEST_NAME)
        return None
    log.info("recorded audio for %d sentences, listed in %s, served at %s",
             len(manifest.entries), folder / MANIFEST_NAME, base)
    return AudioLibrary(manifest.entries, base)
