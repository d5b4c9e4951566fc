"""Post-processing and the MP3 probe, on real audio from espeak-ng and real ffmpeg output."""

from __future__ import annotations

import math
import subprocess
import sys
from array import array
from typing import TYPE_CHECKING

import pytest

from spine_stretch.voice.audio import Pcm, RenderError, decode_mp3
from spine_stretch.voice.engines import EspeakEngine
from spine_stretch.voice.loudness import measure_mp3
from spine_stretch.voice.post import Postprocessor
from spine_stretch.voice.probe import ALEXA_MP3, Mp3Spec, ProbeError, probe_mp3, spec_problems

if TYPE_CHECKING:
    from pydub import AudioSegment


@pytest.fixture(scope="module")
def speech(espeak: EspeakEngine) -> Pcm:
    return espeak.synthesize("Breathe in and roll back up to sitting.")


def test_processed_audio_is_alexa_mp3(post: Postprocessor, speech: Pcm) -> None:
    info = probe_mp3(post.process(speech))
    assert (info.version, info.layer, info.sample_rate, info.channels) == ("MPEG-2", 3, 24000, 1)
    assert info.bitrates_kbps == (48,)
    assert 0.5 < info.duration < speech.seconds + 0.1
    assert spec_problems(info) == []


def test_silence_at_the_ends_is_trimmed(post: Postprocessor, speech: Pcm) -> None:
    second = speech.sample_rate * speech.sample_width
    padded = Pcm(bytes(second) + speech.samples + bytes(2 * second), speech.sample_rate, 2, 1)
    plain = probe_mp3(post.process(speech)).duration
    assert probe_mp3(post.process(padded)).duration == pytest.approx(plain, abs=0.1)


def as_pcm(segment: AudioSegment) -> Pcm:
    return Pcm(segment.raw_data, segment.frame_rate, segment.sample_width, segment.channels)


def test_loud_and_quiet_input_come_out_equally_loud(post: Postprocessor, speech: Pcm) -> None:
    levels = []
    for gain in (-18.0, 3.0):
        louder = as_pcm(post.to_segment(speech).apply_gain(gain))
        levels.append(measure_mp3(post.process(louder)).lufs)
    assert levels[0] == pytest.approx(levels[1], abs=0.5)
    assert levels[0] == pytest.approx(post.settings.loudness.target_lufs, abs=0.25)


def test_a_peak_is_kept_below_the_ceiling(post: Postprocessor) -> None:
    # A quiet hum with one click: reaching the loudness target by gain alone would clip the
    # click, so the limiter takes it down and the hum still reaches the target.
    rate = 24000
    hum = [round(300 * math.sin(2 * math.pi * 220 * n / rate)) for n in range(2 * rate)]
    hum[rate // 2] = 30000
    level = measure_mp3(post.process(Pcm(array("h", hum).tobytes(), rate, 2, 1)))
    assert level.true_peak_dbtp <= post.settings.loudness.ceiling_dbtp
    assert level.lufs == pytest.approx(post.settings.loudness.target_lufs, abs=0.5)


def test_silence_is_refused(post: Postprocessor) -> None:
    with pytest.raises(RenderError, match="silence"):
        post.process(Pcm(bytes(44100), 22050, 2, 1))


def test_probe_reads_another_format_as_off_spec(post: Postprocessor, speech: Pcm) -> None:
    cd = Mp3Spec(version="MPEG-1", sample_rate=44100, channels=2, bitrate_kbps=128)
    info = probe_mp3(post.export(post.to_segment(speech), cd))
    assert (info.version, info.sample_rate, info.channels, info.bitrate_kbps) == (
        "MPEG-1", 44100, 2, 128)
    problems = spec_problems(info, ALEXA_MP3)
    assert len(problems) == 4
    assert any("44100 Hz" in problem for problem in problems)


def test_probe_skips_id3_and_reports_truncation(post: Postprocessor, speech: Pcm) -> None:
    mp3 = post.process(speech)
    tag = b"ID3\x04\x00\x00\x00\x00\x00\x0a" + bytes(10)
    assert probe_mp3(tag + mp3 + b"TAG" + bytes(125)).duration == probe_mp3(mp3).duration
    with pytest.raises(ProbeError, match="truncated"):
        probe_mp3(mp3[:-100])
    with pytest.raises(ProbeError, match="no MPEG audio"):
        probe_mp3(b"RIFF" + bytes(100))


def test_probe_agrees_with_ffmpeg_on_duration(post: Postprocessor, ffmpeg: str,
                                              speech: Pcm) -> None:
    mp3 = post.process(speech)
    # Frame counting includes the encoder's padding: at most about two frames (50 ms) longer.
    assert probe_mp3(mp3).duration == pytest.approx(decode_mp3(mp3, ffmpeg, 24000).seconds,
                                                    abs=0.06)


def test_importing_the_voice_commands_loads_no_audio_library() -> None:
    code = ("import sys, spine_stretch.cli.audio; "
            "print(sorted(m for m in ('pydub', 'gtts', 'piper', 'onnxruntime', 'requests') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "[]"
