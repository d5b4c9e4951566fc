"""The recorded voice at run time: which rendered file says a sentence, and where Alexa gets it.

Reads `manifest.json` once and touches nothing else of the audio pipeline (no pydub, no TTS
engine), so the skill can import it wherever it runs.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from urllib.parse import quote

from ..core.speech import Spoken
from ..core.ssml import AudioClip, AudioLookup
from .audio import RenderError
from .manifest import MANIFEST_NAME, Entry, read_manifest
from .urls import audio_base

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


def load_audio(base_url: str | None, folder: Path) -> AudioLookup | None:
    """The lookup for the audio `folder`'s manifest lists, served at `base_url`; None: TTS.

    Only the manifest is read (render keeps it listing only files that exist), so a host
    that fetches the audio from elsewhere, such as S3, needs `manifest.json` alone. None
    when no base URL is set, and, with a warning saying why, when nothing can play from it
    (see `audio_urls.audio_base`) or the folder has no usable manifest. A plain http:// base
    on loopback is used with a warning: only this machine can play it, never Alexa.
    """
    if base_url is None:
        return None
    checked = audio_base(base_url)
    if checked is None:
        log.warning("SPINE_STRETCH_AUDIO_BASE_URL %r is not an https:// URL Alexa can fetch "
                    "audio from (nor http:// on loopback, for local testing): speaking with "
                    "Alexa's voice instead", base_url)
        return None
    if checked.local_only:
        log.warning("SPINE_STRETCH_AUDIO_BASE_URL %r is plain http:// on this machine: the "
                    "simulator page plays its audio and cool-down track, but Alexa itself "
                    "would refuse them (it fetches only https://)", base_url)
    base = checked.url
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
