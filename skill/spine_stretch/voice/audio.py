"""What every audio stage shares: the error type, raw PCM with its format, and ffmpeg.

The skill imports this module wherever it runs (for RenderError), so the standard library
modules only rendering uses are imported inside the functions that use them: a Lambda cold
start does not pay for subprocess, shutil and wave.
"""

from __future__ import annotations

from dataclasses import dataclass


class RenderError(RuntimeError):
    """Audio could not be made; the message says what to install, change or run."""


@dataclass(frozen=True)
class Pcm:
    """Signed little-endian PCM, its format stated rather than assumed (piper's rule)."""

    samples: bytes
    sample_rate: int
    sample_width: int
    channels: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / (self.sample_rate * self.sample_width * self.channels)


def pcm_from_wav(data: bytes, source: str) -> Pcm:
    """The PCM in a WAV file's bytes; `source` names the producer in errors."""
    import io
    import wave

    try:
        with wave.open(io.BytesIO(data)) as reader:
            width, channels = reader.getsampwidth(), reader.getnchannels()
            # A WAV streamed to a pipe claims the largest possible length in its header
            # (espeak-ng does this), so read what is there rather than what it claims.
            samples = reader.readframes(reader.getnframes())
            rate = reader.getframerate()
    except (wave.Error, EOFError) as exc:
        raise RenderError(f"{source} produced no readable WAV audio: {exc}") from None
    usable = len(samples) - len(samples) % (width * channels)
    return Pcm(samples[:usable], rate, width, channels)


def find_ffmpeg() -> str:
    """The system ffmpeg if there is one, else the binary imageio-ffmpeg ships."""
    import shutil

    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg
    except ImportError:
        raise RenderError(
            "ffmpeg is needed to make MP3 files: install the audio extra "
            "(pip install 'spine-stretch-coach[audio]') or a system ffmpeg") from None
    path: str = imageio_ffmpeg.get_ffmpeg_exe()
    return path


def decode_mp3(data: bytes, ffmpeg: str, sample_rate: int) -> Pcm:
    """Mono 16-bit PCM at `sample_rate` from MP3 bytes; the format is given, never probed."""
    import subprocess

    command = [ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "mp3", "-i", "pipe:0",
               "-f", "s16le", "-acodec", "pcm_s16le", "-ac", "1", "-ar", str(sample_rate),
               "pipe:1"]
    result = subprocess.run(command, input=data, capture_output=True, check=False)
    if result.returncode != 0 or not result.stdout:
        detail = result.stderr.decode(errors="replace").strip() or "no audio decoded"
        raise RenderError(f"ffmpeg could not decode MP3 audio: {detail}")
    return Pcm(result.stdout, sample_rate, 2, 1)
