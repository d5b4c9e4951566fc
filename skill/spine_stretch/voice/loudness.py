"""Loudness (ITU-R BS.1770) and true peak, measured on PCM or on an encoded MP3, and the
normaliser that brings speech to one loudness under a true-peak ceiling.

The target is Amazon's for audio Alexa plays (docs/voice-and-audio.md cites it): -14 LUFS
integrated, true peak not above -2 dBTP. numpy, scipy, pyloudnorm and miniaudio are imported
inside the functions that need them, so reading this module (as the validate command does at
import) loads no audio library.
"""

from __future__ import annotations

import functools
import math
import subprocess
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .audio import RenderError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Samples = NDArray[np.float64]

# BS.1770's gating block: a clip shorter than this has no gated loudness of its own.
BLOCK_SECONDS = 0.4
# True peak per BS.1770-4 Annex 2: the peak of the signal oversampled four times.
OVERSAMPLE = 4
SILENCE_LUFS = -70.0  # BS.1770's absolute gate: anything quieter is silence


@dataclass(frozen=True)
class LoudnessSpec:
    """What every file must measure, after MP3 encoding."""

    # Amazon: "Program loudness for Alexa should average -14 dB LUFS/LKFS."
    target_lufs: float = -14.0
    # Each file within target +/- this: a spread of at most 1 LU over all of them.
    tolerance_lu: float = 0.5
    # Amazon: "The true-peak value should not exceed -2 dBFS."
    ceiling_dbtp: float = -2.0
    # Integrated loudness is checked for files at least this long (shorter ones are single
    # words, whose gated loudness is a handful of blocks); the ceiling holds for every file.
    min_seconds: float = 1.0


ALEXA_LOUDNESS = LoudnessSpec()


@dataclass(frozen=True)
class Level:
    lufs: float  # integrated loudness (see `loudness` for clips shorter than one block)
    true_peak_dbtp: float
    seconds: float


def _db(value: float) -> float:
    return 20 * math.log10(value) if value > 0 else -math.inf


@functools.cache
def _k_weighting(rate: int) -> tuple[float, Any]:
    """BS.1770's K-weighting at `rate` as second-order sections, with its gain, from
    pyloudnorm's filter design; cached because pyloudnorm recomputes it on every access."""
    import numpy as np
    import pyloudnorm

    stages = pyloudnorm.Meter(rate)._filters.values()
    sections = np.array([np.concatenate([stage.b, stage.a]) for stage in stages])
    gain = math.prod(stage.passband_gain for stage in stages)
    return float(gain), sections


def _gated(samples: Samples, rate: int) -> float:
    """BS.1770-4 integrated loudness of mono audio, as pyloudnorm's Meter computes it (the
    same blocks and gates), with the block sums taken at once rather than block by block."""
    import numpy as np
    from scipy.signal import sosfilt

    gain, sections = _k_weighting(rate)
    weighted = gain * sosfilt(sections, samples)
    cumulative = np.concatenate([[0.0], np.cumsum(weighted * weighted)])
    blocks = int(round((samples.size / rate - BLOCK_SECONDS) / (BLOCK_SECONDS * 0.25))) + 1
    starts = (BLOCK_SECONDS * 0.25 * np.arange(blocks) * rate).astype(int)
    ends = (BLOCK_SECONDS * (0.25 * np.arange(blocks) + 1) * rate).astype(int)
    power = (cumulative[np.minimum(ends, samples.size)] - cumulative[starts]) / (
        BLOCK_SECONDS * rate)
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10 * np.log10(power)
        audible = power[levels >= SILENCE_LUFS]
        if audible.size == 0:
            return -math.inf
        relative = -0.691 + 10 * np.log10(audible.mean()) - 10
        kept = power[(levels > relative) & (levels > SILENCE_LUFS)]
        return float(-0.691 + 10 * np.log10(kept.mean())) if kept.size else -math.inf


def loudness(samples: Samples, rate: int) -> float:
    """BS.1770 integrated loudness in LUFS; -inf for silence.

    A clip shorter than one 400 ms block (a count word) is measured as if looped to a second:
    the gated loudness of its sound, comparable with a sentence's, instead of no answer.
    """
    import numpy as np

    if samples.size == 0 or not np.any(samples):
        return -math.inf
    block = math.ceil(BLOCK_SECONDS * rate)
    if samples.size <= block:
        samples = np.tile(samples, math.ceil(rate / samples.size))
    value = _gated(samples, rate)
    return value if value > SILENCE_LUFS else -math.inf


@functools.cache
def _interpolator() -> Any:
    """The 4x oversampling filter, 48 taps (12 per phase) as BS.1770-4 Annex 2 describes,
    as a (12, 4) matrix: the 4 interpolated values after a run of 12 samples."""
    import numpy as np
    from scipy.signal import firwin

    taps = OVERSAMPLE * firwin(48, 0.95 / OVERSAMPLE, window=("kaiser", 5.0))
    return np.flipud(taps.reshape(12, OVERSAMPLE))


def true_peak(samples: Samples) -> float:
    """The true peak in dBTP: the highest magnitude of the signal oversampled four times.

    Each oversampled value is a weighted sum of 12 samples, so it cannot exceed the largest of
    them times the sum of the weights' magnitudes: only runs whose largest sample could reach
    the sample peak that way are interpolated (a few percent of speech), not the whole file.
    """
    import numpy as np
    from numpy.lib.stride_tricks import sliding_window_view
    from scipy.ndimage import maximum_filter1d

    if samples.size == 0:
        return -math.inf
    matrix = _interpolator()
    width = matrix.shape[0]
    padded = np.concatenate([np.zeros(width - 1), samples, np.zeros(width - 1)])
    # local[n] is the largest magnitude in padded[n:n + width], the run behind output n.
    local = maximum_filter1d(np.abs(padded), size=width, origin=-(width // 2))
    local = local[:padded.size - width + 1]
    peak = float(local.max())
    bound = float(np.abs(matrix).sum(axis=0).max())
    candidates = sliding_window_view(padded, width)[local * bound >= peak]
    return _db(max(peak, float(np.abs(candidates @ matrix).max())))


def _oversampled_peaks(samples: Samples) -> Samples:
    """Per sample, the largest magnitude among its oversampled values (for the limiter)."""
    import numpy as np
    from scipy.signal import upfirdn

    matrix = _interpolator()
    taps = np.flipud(matrix).reshape(-1)
    # The filter delays by half its length: centre each sample on its own oversampled values.
    delay = (taps.size - 1) // 2
    up = np.abs(upfirdn(taps, samples, OVERSAMPLE))[delay:delay + samples.size * OVERSAMPLE]
    up = np.concatenate([up, np.zeros(samples.size * OVERSAMPLE - up.size)])
    peaks: Samples = np.maximum(np.abs(samples), up.reshape(samples.size, OVERSAMPLE).max(axis=1))
    return peaks


def measure(samples: Samples, rate: int) -> Level:
    return Level(loudness(samples, rate), true_peak(samples), samples.size / rate)


def decode(data: bytes) -> tuple[Samples, int]:
    """The MP3's samples as floats (mono) and its rate, decoded in-process: no ffmpeg start
    per file, which is what lets `validate` measure two thousand files in seconds."""
    import miniaudio
    import numpy as np

    try:
        # At the file's own rate and channels: miniaudio.decode would resample to 44.1 kHz.
        sound = miniaudio.mp3_read_f32(data)
    except miniaudio.DecodeError as exc:
        raise RenderError(f"cannot decode the MP3: {exc}") from None
    samples = np.asarray(sound.samples, dtype=np.float64)
    if sound.nchannels > 1:
        samples = samples.reshape(-1, sound.nchannels).mean(axis=1)
    return samples, int(sound.sample_rate)


def decode_with_ffmpeg(data: bytes, ffmpeg: str) -> Samples:
    """The MP3's samples as ffmpeg's decoder gives them, as floats (no clipping at 0 dBFS)."""
    import numpy as np

    command = [ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "mp3", "-i", "pipe:0",
               "-f", "f32le", "-ac", "1", "pipe:1"]
    result = subprocess.run(command, input=data, capture_output=True, check=False)
    if result.returncode != 0 or not result.stdout:
        detail = result.stderr.decode(errors="replace").strip() or "no audio decoded"
        raise RenderError(f"ffmpeg could not decode MP3 audio: {detail}")
    return np.frombuffer(result.stdout, dtype="<f4").astype(np.float64)


def measure_mp3(data: bytes) -> Level:
    samples, rate = decode(data)
    return measure(samples, rate)


def level_problems(level: Level, spec: LoudnessSpec = ALEXA_LOUDNESS) -> list[str]:
    """One sentence per bound the measured file breaks; empty when it meets the spec."""
    problems = []
    if level.true_peak_dbtp > spec.ceiling_dbtp:
        problems.append(f"true peak {level.true_peak_dbtp:.2f} dBTP, above the "
                        f"{spec.ceiling_dbtp:g} dBTP ceiling")
    off = level.lufs - spec.target_lufs
    if level.seconds >= spec.min_seconds and not abs(off) <= spec.tolerance_lu:
        problems.append(f"loudness {level.lufs:.2f} LUFS, needs {spec.target_lufs:g} "
                        f"+/- {spec.tolerance_lu:g} LUFS")
    return problems


def limit(samples: Samples, rate: int, ceiling_dbtp: float,
          window_seconds: float = 0.001) -> Samples:
    """`samples` with a smooth gain that keeps the oversampled peak under the ceiling.

    The gain needed at each sample is min-filtered over +/- one window, then averaged over
    half a window each side: every average is of values no higher than the need at its centre,
    so the gain never lets a peak through, and it ramps rather than jumps. The window is short
    (1 ms) so only the glottal pulse that peaks is turned down: with 5 ms, espeak-ng's buzzy
    voice was turned down whole and never reached the target under the ceiling.
    """
    import numpy as np
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    ceiling = 10 ** (ceiling_dbtp / 20)
    peaks = _oversampled_peaks(samples)
    need = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    if need.min() >= 1.0:
        return samples
    reach = max(1, round(window_seconds * rate))
    held = minimum_filter1d(need, size=2 * reach + 1, mode="nearest")
    gain = uniform_filter1d(held, size=2 * (reach // 2) + 1, mode="nearest")
    result: Samples = samples * gain
    return result


def normalise(samples: Samples, rate: int, target_lufs: float, ceiling_dbtp: float,
              rounds: int = 8) -> Samples:
    """`samples` at `target_lufs` (within 0.05 LU) with the true peak under `ceiling_dbtp`.

    Limiting takes back part of any gain, more the more of the speech sits at the ceiling, so
    the gain is found by the secant method on the limited result's loudness.
    """
    start = loudness(samples, rate)
    if start == -math.inf:
        raise RenderError("the audio is silent")
    def limited(gain: float) -> tuple[Samples, float]:
        result = limit(samples * 10 ** (gain / 20), rate, ceiling_dbtp)
        return result, loudness(result, rate)

    gain = target_lufs - start
    result, level = limited(gain)
    slope = 1.0
    for _ in range(rounds):
        if abs(level - target_lufs) < 0.05:
            break
        # At most 6 dB a step: past the limiter's reach more gain only distorts.
        step = max(-6.0, min(6.0, (target_lufs - level) / slope))
        previous = level
        gain += step
        result, level = limited(gain)
        # How much of a dB of gain survived the limiter, kept in a sane range.
        slope = min(1.0, max(0.1, (level - previous) / step))
    return result
