"""Turns an engine's PCM into the MP3 Alexa plays: trimmed, at one loudness, on spec.

pydub is imported when a `Postprocessor` is made, not at module import: importing it warns
(see `load_pydub`) and it needs an ffmpeg path before it can encode. Loudness is measured on
the encoded file, since MP3 encoding moves peaks (see `Postprocessor.finish`).
"""

from __future__ import annotations

import functools
import io
import json
import math
import warnings
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .audio import Pcm, RenderError
from .loudness import (
    ALEXA_LOUDNESS,
    LoudnessSpec,
    decode_with_ffmpeg,
    level_problems,
    measure_mp3,
    normalise,
    true_peak,
)
from .probe import ALEXA_MP3, Mp3Spec

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray
    from pydub import AudioSegment

# Bump when processing changes in a way settings do not show, so old files are re-rendered.
# 2: loudness by BS.1770 with a true-peak limiter, checked on the encoded MP3 (was RMS).
PIPELINE_VERSION = 2


@dataclass(frozen=True)
class PostSettings:
    """How every file is finished. All of it goes into each file's name (see manifest)."""

    # The loudness and true-peak ceiling every encoded file must measure.
    loudness: LoudnessSpec = field(default_factory=lambda: ALEXA_LOUDNESS)
    # How close to the target a file is made (validate allows the spec's wider tolerance).
    aim_lu: float = 0.25
    # What 48 kbps MP3 encoding takes off speech's loudness (measured on piper's voice: the
    # encoder drops quiet high-frequency detail), aimed above at first to save an encoding.
    encoding_loss_lu: float = 0.4
    # The limiter's first ceiling sits this far under the spec's: MP3 encoding overshoots.
    headroom_db: float = 0.5
    # Encode, measure, correct: at most this many encodings per file.
    attempts: int = 10
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


class Postprocessor:
    """Made once per render (it loads pydub), then used from any number of threads."""

    def __init__(self, ffmpeg: str, settings: PostSettings | None = None) -> None:
        self.settings = settings or PostSettings()
        self._ffmpeg = ffmpeg
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

    def _samples(self, segment: AudioSegment) -> NDArray[np.float64]:
        """Mono floats at the spec's sample rate: resampled here, so what is measured before
        encoding is what the encoder gets."""
        import numpy as np
        from scipy.signal import resample_poly

        segment = segment.set_channels(1).set_sample_width(2)
        samples = np.frombuffer(segment.raw_data, dtype="<i2").astype(np.float64) / 32768
        rate, wanted = segment.frame_rate, self.settings.spec.sample_rate
        if rate != wanted:
            step = math.gcd(rate, wanted)
            samples = resample_poly(samples, wanted // step, rate // step)
        return samples

    def _segment_of(self, samples: NDArray[np.float64]) -> AudioSegment:
        import numpy as np

        pcm = np.clip(np.round(samples * 32768), -32768, 32767).astype("<i2")
        return self.to_segment(Pcm(pcm.tobytes(), self.settings.spec.sample_rate, 2, 1))

    def finish(self, segment: AudioSegment) -> bytes:
        """MP3 bytes at the target loudness, the true peak under the ceiling, both measured
        on the encoded file; RenderError if `attempts` encodings cannot get there.

        Each attempt corrects the loudness by what the last encoding measured, and lowers the
        limiter's ceiling by what it overshot.
        """
        settings, spec = self.settings, self.settings.loudness
        samples = self._samples(segment)
        rate = settings.spec.sample_rate
        aim = spec.target_lufs + settings.encoding_loss_lu
        ceiling = spec.ceiling_dbtp - settings.headroom_db
        fallback: bytes | None = None
        problems: list[str] = []
        for attempt in range(settings.attempts):
            mp3 = self.export(self._segment_of(normalise(samples, rate, aim, ceiling)))
            level = measure_mp3(mp3)
            problems = level_problems(level, spec)
            if not problems:
                # Decoders disagree: on about one file in 30, ffmpeg's decoder puts a
                # granule's peak up to 1.6 dB above what minimp3 (validate's) and mpg123
                # decode. Alexa's decoder is unknown, so the file must pass both.
                level = replace(level, true_peak_dbtp=max(level.true_peak_dbtp, true_peak(
                    decode_with_ffmpeg(mp3, self._ffmpeg))))
                problems = level_problems(level, spec)
            if not problems:
                if abs(level.lufs - spec.target_lufs) <= settings.aim_lu:
                    return mp3
                fallback = mp3  # within the spec, if not as close as aimed
            if math.isfinite(level.lufs):
                aim += spec.target_lufs - level.lufs
            # The encoder's overshoot varies with the signal: past the first tries, step
            # further under the ceiling than it overshot, so the chase ends.
            margin = 0.1 if attempt < 3 else 0.3
            ceiling -= max(0.0, level.true_peak_dbtp - spec.ceiling_dbtp + margin)
        if fallback is not None:
            return fallback
        raise RenderError(f"could not meet the loudness spec: {'; '.join(problems)}")

    def process(self, pcm: Pcm) -> bytes:
        """Trimmed, normalised, on-spec MP3 bytes; RenderError if the audio is silent."""
        settings = self.settings
        segment = self.to_segment(pcm)
        if len(segment) == 0 or segment.max_dBFS == float("-inf"):
            raise RenderError("the engine returned only silence")
        segment = trim(segment, settings.silence_below_peak_db, settings.keep_ms)
        return self.finish(segment)
