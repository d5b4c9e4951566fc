"""The recorded voice at run time: which rendered file says a sentence, and where Alexa gets it.

Reads `manifest.json` once and touches nothing else of the audio pipeline (no pydub, no TTS
engine), so the skill can import it wherever it runs.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING
from urllib.parse import quote

from ..core.speech import Resolved, Spoken
from ..core.ssml import MAX_SPEECH_AUDIO_SECONDS, AudioClip, AudioLookup
from .assembly import FOLDER_NAME, block_name, pieces_for, planned_seconds
from .audio import RenderError
from .manifest import MANIFEST_NAME, Entry, read_manifest
from .probe import ALEXA_MP3, ProbeError, audio_frames
from .urls import audio_base

if TYPE_CHECKING:
    from .block_store import BlockStore

log = logging.getLogger(__name__)


class AudioLibrary:
    """An `AudioLookup`: the clip of a sentence whose file says exactly the sentence's text,
    and (`block`) one assembled recording of a whole block.

    A key whose manifest text differs from what content says now is stale audio and has no
    clip, so an edited prompt is spoken by Alexa until it is rendered again. With a `store`
    (the audio files are on this machine) every clip is checked before a response names it,
    and blocks are built on demand; without one (Lambda, the files are on S3) block names are
    derived from the manifest alone, for blocks `spine-stretch publish` built and uploaded.
    """

    def __init__(self, entries: Mapping[str, Entry], base_url: str,
                 store: BlockStore | None = None) -> None:
        self._entries = MappingProxyType(dict(entries))
        self._base = base_url.rstrip("/")
        self._store = store

    def __call__(self, spoken: Spoken) -> AudioClip | None:
        entry = self._entries.get(spoken.key)
        if entry is None or entry.text != spoken.text or not self._usable(entry.file):
            return None
        return AudioClip(f"{self._base}/{quote(entry.file)}", entry.duration)

    @functools.cache  # noqa: B019 - one library per process, a bounded set of files
    def _usable(self, file: str) -> bool:
        if self._store is None:
            return True
        try:
            _, _, header = audio_frames((self._store.folder / file).read_bytes())
        except (OSError, ProbeError) as exc:
            log.warning("recorded audio %s cannot be played (%s): Alexa's voice instead", file,
                        exc)
            return False
        if (header.version, header.layer, header.sample_rate, header.channels,
                header.bitrate_kbps) != (ALEXA_MP3.version, ALEXA_MP3.layer,
                                         ALEXA_MP3.sample_rate, ALEXA_MP3.channels,
                                         ALEXA_MP3.bitrate_kbps):
            log.warning("recorded audio %s is not in Alexa's MP3 format: Alexa's voice instead",
                        file)
            return False
        return True

    def block(self, items: Sequence[Resolved], cacheable: bool) -> AudioClip | None:
        """The block as one recording; None (with a warning naming what is missing) when a
        sentence has no fresh recording, or the block cannot be had here."""
        pieces, missing = pieces_for(items, self._entries)
        if missing:
            log.warning("no up-to-date recording of %s: this response is spoken with Alexa's "
                        "voice (run spine-stretch render)", ", ".join(sorted(set(missing))[:10]))
            return None
        if self._store is not None:
            if not all(self._usable(piece.file) for piece in pieces if piece.file):
                return None
            entry = self._store.get(pieces)
            if entry is None:
                return None
            return AudioClip(f"{self._base}/{quote(entry.file)}", entry.duration)
        if not cacheable:
            return None  # only blocks are published ahead of time
        seconds = planned_seconds(pieces, self._entries)
        if seconds > MAX_SPEECH_AUDIO_SECONDS:
            return None
        return AudioClip(f"{self._base}/{FOLDER_NAME}/{block_name(pieces)}", seconds)


def load_audio(base_url: str | None, folder: Path, *,
               build_blocks: bool = False) -> AudioLookup | None:
    """The lookup for the audio `folder`'s manifest lists, served at `base_url`; None: TTS.

    Only the manifest is read (render keeps it listing only files that exist), so a host
    that fetches the audio from elsewhere, such as S3, needs `manifest.json` alone. None
    when no base URL is set, and, with a warning saying why, when nothing can play from it
    (see `audio_urls.audio_base`) or the folder has no usable manifest. A plain http:// base
    on loopback is used with a warning: only this machine can play it, never Alexa.
    `build_blocks`: the audio files are in `folder` (a local server), so clips are checked and
    blocks assembled there on demand.
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
    store = None
    if build_blocks:
        # Only a host with the files builds blocks; Lambda never imports the store.
        from .block_store import BlockStore

        store = BlockStore(folder)
    return AudioLibrary(manifest.entries, base, store)
