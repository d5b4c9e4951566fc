"""What the simulator page needs to show what it plays, read from the audio folder.

- GET /simulator/clips: the words each rendered file says ({file name: text}, from the
  manifest and the index of assembled blocks), so the conversation log shows a recorded
  reply as words, not file names.
- GET /simulator/track?token=T: the cool-down track an AudioPlayer token names, with its
  chapters (where each rep starts), from the same index (tracks.json) the skill plays from.

Read-only; a device would know neither, which is why they are the page's and not /alexa's.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any

from flask import Blueprint, jsonify, request

from ..core.cooldown import parse_token
from ..voice.audio import RenderError
from ..voice.block_store import read_block_index
from ..voice.manifest import read_manifest
from ..voice.track_index import read_index

log = logging.getLogger(__name__)


def _clip_words(audio_dir: Path | None) -> dict[str, str]:
    if audio_dir is None:
        return {}
    try:
        manifest = read_manifest(audio_dir)
    except RenderError as exc:
        log.warning("the simulator shows recorded replies by file name: %s", exc)
        return {}
    return {entry.file: entry.text for entry in manifest.entries.values()}


def add_media_routes(page: Blueprint, audio_dir: Path | None) -> None:
    """Adds /simulator/clips and /simulator/track to the simulator's blueprint."""
    # The manifest does not change while the server runs (render is a separate command).
    clip_words = functools.cache(lambda: _clip_words(audio_dir))

    @page.get("/simulator/clips")
    def clips() -> Any:
        # Blocks are assembled while the server runs: their index is read each time.
        blocks = read_block_index(audio_dir) if audio_dir is not None else {}
        return jsonify({
            "clips": {**clip_words(), **{name: entry.text for name, entry in blocks.items()}},
            # Where a block's silences and sentences fall, so the step card keeps time with
            # its audio as it does with Alexa's voice.
            "blocks": {name: {"pauses": [[offset, round(seconds * 1000)]
                                         for offset, seconds in entry.pauses],
                              "sounds": [[offset, text] for text, offset in entry.sentences]}
                       for name, entry in blocks.items()},
        })

    @page.get("/simulator/track")
    def track() -> Any:
        parsed = parse_token(request.args.get("token"))
        if parsed is None:
            return jsonify({"error": "token must be the AudioPlayer token of a cool-down "
                                     "track, as its Play directive gave it"}), 400
        _, track_id = parsed
        # Read each time: the server builds tracks for other settings on first use.
        entry = read_index(audio_dir).get(track_id) if audio_dir is not None else None
        if entry is None:
            return jsonify({"error": f"no cool-down track {track_id}"}), 404
        return jsonify({"id": entry.id, "reps": entry.reps,
                        "breathSeconds": entry.breath_seconds,
                        "durationMs": entry.duration_ms, "chaptersMs": list(entry.chapters_ms)})
