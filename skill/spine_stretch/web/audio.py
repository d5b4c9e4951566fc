"""`GET /audio/<file>`: the rendered MP3s, for Alexa's `<audio>` tags when serving them ourselves,
`GET /audio/tracks/<file>`: the cool-down tracks, for AudioPlayer, and `GET /audio/blocks/<file>`:
blocks of speech assembled from the clips.

Only plain `*.mp3` names directly inside the audio folder or its `tracks/` or `blocks/` folder
are served; anything else, including any path that climbs out of them however it is spelled,
is refused with a JSON error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, jsonify, send_from_directory
from werkzeug.exceptions import NotFound

from ..voice.assembly import FOLDER_NAME as BLOCKS_FOLDER
from ..voice.track_index import FOLDER_NAME

# File names are hashes of what the audio says, so a name's content never changes: a client
# may keep it for a year without asking again.
CACHE_SECONDS = 365 * 24 * 3600


def _refuse(status: int, message: str) -> tuple[Any, int]:
    return jsonify({"error": message}), status


def _is_plain_mp3_name(name: str) -> bool:
    return (Path(name).name == name and not name.startswith(".") and "\\" not in name
            and name.endswith(".mp3"))


def _send(directory: Path, name: str) -> Any:
    if not _is_plain_mp3_name(name):
        return _refuse(400, "only an .mp3 file name from the audio folder can be fetched")
    try:
        response = send_from_directory(directory, name, mimetype="audio/mpeg",
                                       conditional=True, max_age=CACHE_SECONDS)
    except NotFound:
        return _refuse(404, f"no audio file {name}")
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


def audio_blueprint(folder: Path) -> Blueprint:
    """Serves the MP3s in `folder` and in its tracks/ under /audio/, with range requests and
    long caching."""
    blueprint = Blueprint("audio", __name__, url_prefix="/audio")
    root = folder.resolve()

    # merge_slashes=False: "//etc/passwd" is refused here, not redirected to a tidier path.
    @blueprint.get("/<path:name>", merge_slashes=False)
    def audio_file(name: str) -> Any:
        return _send(root, name)

    # A track's name is a hash of everything it says, so it too never changes.
    @blueprint.get(f"/{FOLDER_NAME}/<path:name>", merge_slashes=False)
    def track_file(name: str) -> Any:
        return _send(root / FOLDER_NAME, name)

    # Blocks of speech assembled from the clips, named by a hash of what they say.
    @blueprint.get(f"/{BLOCKS_FOLDER}/<path:name>", merge_slashes=False)
    def block_file(name: str) -> Any:
        return _send(root / BLOCKS_FOLDER, name)

    return blueprint
