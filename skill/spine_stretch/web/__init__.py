"""The web surface: the Flask app factory (`create_app`), request verification and Amazon's
signing certificate, the audio routes, and the simulator page with its static files.

`from spine_stretch.web import create_app` keeps working, but imports Flask only when asked
for, so request verification can be used without the app.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
