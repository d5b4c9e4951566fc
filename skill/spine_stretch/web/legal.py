"""/privacy and /terms: the privacy policy and terms of use, as `publish` also uploads them."""

from __future__ import annotations

from flask import Blueprint, Response

from ..content.listing import load_listing, page_html


def legal_blueprint() -> Blueprint:
    pages = Blueprint("legal", __name__)

    def serve(key: str) -> Response:
        response = Response(page_html(load_listing().pages[key]), mimetype="text/html")
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    pages.add_url_rule("/privacy", "privacy", lambda: serve("privacy"))
    pages.add_url_rule("/terms", "terms", lambda: serve("terms"))
    return pages
