"""Turns an engine's PCM into the MP3 Alexa plays: trimmed, at one loudness, on spec.

pydub is imported when a `Postprocessor` is made, not at module import: importing it warns
(see `load_pydub`) and it needs an ffmpeg path before it can encode.
"""

from __future__ import annotations

import functools
import io
import json
import warnings
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from .audio import Pcm, RenderError
from .probe import ALEXA_MP3, Mp3Spec

if TYPE_CHECKING:
    from pydub import AudioSegment

# Bump when processing changes in a way settings do not show, so old files are re-rendered.
PIPELINE_VERSION = 1


@dataclass(frozen=True)
class PostSettings:
    """How every file is finished. All of it goes into each file's name (see manifest)."""

    # RMS loudness every file is brought to, so prompts do not jump in volume.
    target_dbfs: float = -20.0
    # ...unless that would push a peak above this: headroom for MP3 encoding overshoot.
    peak_dbfs: float = -1.0
    # Audio this far below the file's peak counts as silence when trimming the ends.
    silence_below_peak_db: float = 45.0
    # Kept at each end after trimming, so a soft onset or release is not clipped.
    keep_ms: int = 40
    spec: Mp3Spec = field(default_factory=lambda: ALEXA_MP3)

    def fingerprint(self) -> str:
        return json.dumps({"pipeline": PIPELINE_VERSION, **asdict(self)}, sort_keys=True)


@functools.cache
def load_pydub(ffmpeg: str) -> Any:
    """pydub's AudioSegment, pointed at `ffmpeg`; warnings its import always gives are muted.

    pydub looks for ffmpeg on PATH as its class is defined and warns when it is not there
    (imageio-ffmpeg's binary never is), and on Python 3.11-3.12 its `import audioop` warns
    that audioop is deprecated. We give it ffmpeg explicitly, so both say nothing we act on.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Couldn't find ffmpeg or avconv",
                                category=RuntimeWarning)
        warnings.filterwarnings("ignore", message="'audioop' is deprecated",
                                category=DeprecationWarning)
        from pydub import AudioSegment
    # pydub reads the encoder from this class attribute; there is no per-call option.
    AudioSegment.converter = ffmpeg
    return AudioSegment


def trim(segment: AudioSegment, below_peak_db: float, keep_ms: int) -> AudioSegment:
    """`segment` without its leading and trailing silence, keeping `keep_ms` at each end."""
    from pydub.silence import detect_leading_silence

    threshold = segment.max_dBFS - below_peak_db
    start = detect_leading_silence(segment, silence_threshold=threshold, chunk_size=5)
    end = len(segment) - detect_leading_silence(segment.reverse(),
                                                silence_threshold=threshold, chunk_size=5)
    return segment[max(0, start - keep_ms):min(len(segment), end + keep_ms)]


def normalise(segment: AudioSegment, target_dbfs: float, peak_dbfs: float) -> AudioSegment:
    """`segment` at `target_dbfs` RMS, or quieter if that would lift its peak over `peak_dbfs`."""
    gain = min(target_dbfs - segment.dBFS, peak_dbfs - segment.max_dBFS)
    return segment.apply_gain(gain)


class Postprocessor:
    """Made once per render (it loads pydub), then used from any number of threads."""

    def __init__(self, ffmpeg: str, settings: PostSettings | None = None) -> None:
        self.settings = settings or PostSettings()
        self._segment = load_pydub(ffmpeg)

    def to_segment(self, pcm: Pcm) -> AudioSegment:
        return self._segment(data=pcm.samples, sample_width=pcm.sample_width,
                             frame_rate=pcm.sample_rate, channels=pcm.channels)

    def export(self, segment: AudioSegment, spec: Mp3Spec | None = None) -> bytes:
        """MP3 bytes in `spec`'s format (default: the settings' spec), without tags."""
        spec = spec or self.settings.spec
        from pydub.exceptions import CouldntEncodeError

        buffer = io.BytesIO()
        try:
            # ffmpeg resamples and downmixes (better than pydub's audioop) and writes no ID3
            # tags: nothing in the file but audio frames and the LAME info frame.
            segment.export(buffer, format="mp3", bitrate=f"{spec.bitrate_kbps}k",
                           parameters=["-ar", str(spec.sample_rate), "-ac", str(spec.channels),
                                       "-id3v2_version", "0", "-write_id3v1", "0"])
        except (CouldntEncodeError, OSError) as exc:
            raise RenderError(f"ffmpeg could not encode MP3: {exc}") from None
        return buffer.getvalue()

    def process(self, pcm: Pcm) -> bytes:
        """Trimmed, normalised, on-spec MP3 bytes; RenderError if the audio is silent."""
        settings = self.settings
        segment = self.to_segment(pcm)
        if len(segment) == 0 or segment.max_dBFS == float("-inf"):
            raise RenderError("the engine returned only silence")
        segment = trim(segment, settings.silence_below_peak_db, settings.keep_ms)
        segment = normalise(segment, settings.target_dbfs, settings.peak_dbfs)
        return self.export(segment)
