"""A wrapper around a real engine for tests that must know when, and how often, it is called."""

from __future__ import annotations

import threading
from collections.abc import Callable

from spine_stretch.voice.audio import Pcm
from spine_stretch.voice.engines import Engine


class CountingEngine:
    """Wraps a real engine: counts calls and can fail on the nth one, as a crash would."""

    def __init__(self, inner: Engine, fail_on: int | None = None,
                 failure: Callable[[], BaseException] | None = None) -> None:
        self.inner, self.fail_on, self.failure = inner, fail_on, failure
        self.texts: list[str] = []
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def voice(self) -> str:
        return self.inner.voice

    @property
    def calls(self) -> int:
        return len(self.texts)

    def synthesize(self, text: str) -> Pcm:
        with self._lock:
            self.texts.append(text)
            failing = self.calls == self.fail_on
        if failing and self.failure is not None:
            raise self.failure()
        return self.inner.synthesize(text)
