"""A one-line progress bar for stderr: count done and an estimate of the time left."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

WIDTH = 30


def _clock_text(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


class ProgressBar:
    """Redraws one line in place. Draws nothing when `enabled` is false (not a TTY, --quiet)."""

    def __init__(self, stream: TextIO, clock: Callable[[], float], enabled: bool,
                 label: str = "rendering") -> None:
        self._stream, self._clock, self._enabled, self._label = stream, clock, enabled, label
        self._total = self._done = 0
        self._started = 0.0

    def start(self, total: int) -> None:
        self._total, self._done, self._started = total, 0, self._clock()
        if total:
            self._draw()

    def advance(self) -> None:
        self._done += 1
        self._draw()

    def finish(self) -> None:
        if self._enabled and self._total:
            self._stream.write("\n")
            self._stream.flush()

    def line(self) -> str:
        """The text drawn now: bar, count and, once one item is done, time left."""
        total = max(self._total, 1)
        filled = WIDTH * self._done // total
        text = f"{self._label} [{'#' * filled}{'.' * (WIDTH - filled)}] {self._done}/{total}"
        if self._done:
            elapsed = self._clock() - self._started
            left = elapsed / self._done * (self._total - self._done)
            text += f"  {_clock_text(left)} left"
        return text

    def _draw(self) -> None:
        if self._enabled:
            # \r returns to the line start; \x1b[K clears what a longer earlier line left.
            self._stream.write(f"\r{self.line()}\x1b[K")
            self._stream.flush()
