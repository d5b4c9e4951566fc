"""The skill as a web service: `create_app()` builds a Flask app around one skill."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from ask_sdk_core.skill import CustomSkill
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from ..alexa.codec import BadEnvelope, invoke
from .audio import audio_blueprint
from .legal import legal_blueprint
from .simulator import simulator_blueprint
from .verify import RequestVerifier, VerificationError

log = logging.getLogger(__name__)

# An Alexa request is a few kilobytes; anything far larger is not one.
MAX_BODY_BYTES = 128 * 1024


def _error(status: int, message: str) -> tuple[Response, int]:
    return jsonify({"error": message}), status


def create_app(skill: CustomSkill, verifier: RequestVerifier | None = None,
               audio_dir: Path | None = None) -> Flask:
    """The web service; with a verifier, every request must be signed by Alexa.

    With `audio_dir`, it also serves the rendered audio at /audio/<file>.
    """
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.register_blueprint(legal_blueprint())
    if audio_dir is not None:
        app.register_blueprint(audio_blueprint(audio_dir))
    if verifier is None:  # the simulator page posts unsigned requests: only for such a server
        app.register_blueprint(simulator_blueprint(audio_dir))

    @app.post("/alexa")
    def alexa() -> Any:
        raw = request.get_data(cache=True)
        if verifier is not None:
            try:
                verifier.verify(request.headers, raw)
            except VerificationError as exc:
                log.warning("refused an unverified request: %s (%s)", exc, exc.reason)
                return jsonify({"error": str(exc), "reason": str(exc.reason)}), 400
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            return _error(400, "the body must be a JSON ASK request envelope")
        try:
            return jsonify(invoke(skill, body))
        except BadEnvelope as exc:
            log.info("rejected a request: %s", exc)
            return _error(400, str(exc))

    @app.get("/healthz")
    def healthz() -> Any:
        return jsonify({"status": "ok"})

    @app.errorhandler(413)
    def too_large(_: Exception) -> Any:
        return _error(413, f"request bodies are limited to {MAX_BODY_BYTES} bytes")

    @app.errorhandler(Exception)
    def any_error(exc: Exception) -> Any:
        # JSON for every error, and never a traceback in a body.
        if isinstance(exc, HTTPException) and exc.code is not None:
            return _error(exc.code, exc.name.lower())
        log.exception("unexpected error")
        return _error(500, "internal error")

    return app
