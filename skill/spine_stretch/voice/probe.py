"""Reads an MP3's format back from its frame headers: no ffprobe, no decoding.

Alexa plays `<audio>` only from MP3s of one shape (MPEG-2 Layer III, 48 kbps, 16/22.05/24 kHz),
so every file we write, and every file `validate` finds, is checked against `Mp3Spec`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_VERSIONS = {0b00: "MPEG-2.5", 0b10: "MPEG-2", 0b11: "MPEG-1"}
_LAYERS = {0b01: 3, 0b10: 2, 0b11: 1}
_RATES = {"MPEG-1": (44100, 48000, 32000), "MPEG-2": (22050, 24000, 16000),
          "MPEG-2.5": (11025, 12000, 8000)}
# Bit rates in kbps by bit-rate index 1..14 (0 is "free format", 15 is invalid).
_KBPS = {
    ("MPEG-1", 1): (32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    ("MPEG-1", 2): (32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    ("MPEG-1", 3): (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    ("MPEG-2", 1): (32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    ("MPEG-2", 2): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}


class ProbeError(ValueError):
    """The bytes are not a complete, readable MPEG audio stream."""


@dataclass(frozen=True)
class Frame:
    version: str
    layer: int
    bitrate_kbps: int
    sample_rate: int
    channels: int
    length: int
    samples: int
    side_info: int


def parse_header(data: bytes, pos: int) -> Frame | None:
    """The frame whose header starts at `pos`, or None if no valid header is there."""
    if pos + 4 > len(data):
        return None
    b1, b2, b3 = data[pos + 1], data[pos + 2], data[pos + 3]
    if data[pos] != 0xFF or b1 & 0xE0 != 0xE0:
        return None
    version, layer = _VERSIONS.get(b1 >> 3 & 3), _LAYERS.get(b1 >> 1 & 3)
    rate_index, bitrate_index = b2 >> 2 & 3, b2 >> 4
    if version is None or layer is None or rate_index == 3 or bitrate_index in (0, 15):
        return None
    table = "MPEG-1" if version == "MPEG-1" else "MPEG-2"
    kbps = _KBPS[(table, min(layer, 2) if table == "MPEG-2" else layer)][bitrate_index - 1]
    rate = _RATES[version][rate_index]
    padding = b2 >> 1 & 1
    channels = 1 if b3 >> 6 == 3 else 2
    if layer == 1:
        length, samples = (12 * kbps * 1000 // rate + padding) * 4, 384
    elif layer == 2 or version == "MPEG-1":
        length, samples = 144 * kbps * 1000 // rate + padding, 1152
    else:
        length, samples = 72 * kbps * 1000 // rate + padding, 576
    # Layer III side information sits between the header and where a Xing/Info tag would be.
    side = (17 if channels == 1 else 32) if version == "MPEG-1" else (9 if channels == 1 else 17)
    crc = 0 if b1 & 1 else 2
    return Frame(version, layer, kbps, rate, channels, length, samples, 4 + crc + side)


def _skip_id3v2(data: bytes) -> int:
    if len(data) < 10 or data[:3] != b"ID3":
        return 0
    size = 0
    for byte in data[6:10]:  # a "synchsafe" integer: 7 bits per byte
        size = size << 7 | byte & 0x7F
    footer = 10 if data[5] & 0x10 else 0
    return 10 + size + footer


def _is_info_frame(data: bytes, pos: int, frame: Frame) -> bool:
    """A LAME/Xing header frame: it describes the stream and is silent, not audio."""
    offset = pos + frame.side_info
    return frame.layer == 3 and data[offset:offset + 4] in (b"Xing", b"Info")


def _encoder_gap(data: bytes, pos: int, frame: Frame) -> int:
    """Samples the encoder added (its delay plus end padding), from the LAME tag of the info
    frame; 0 when there is none. Players skip them, so the true length excludes them."""
    start = pos + frame.side_info
    tag = max(data.find(name, start, pos + frame.length) for name in (b"LAME", b"Lavc", b"Lavf"))
    # LAME tag: 9 bytes of encoder name, 12 more bytes of flags, then 12 bits of delay and
    # 12 bits of padding.
    if tag < 0 or tag + 24 > pos + frame.length:
        return 0
    packed = int.from_bytes(data[tag + 21:tag + 24], "big")
    return (packed >> 12) + (packed & 0xFFF)


@dataclass(frozen=True)
class Mp3Info:
    version: str
    layer: int
    sample_rate: int
    channels: int
    bitrates_kbps: tuple[int, ...]
    frames: int
    duration: float

    @property
    def bitrate_kbps(self) -> int | None:
        """The bit rate if it is constant, None for variable bit rate."""
        return self.bitrates_kbps[0] if len(self.bitrates_kbps) == 1 else None


def probe_mp3(data: bytes) -> Mp3Info:
    """The stream's format and length; ProbeError if it is not MPEG audio or is cut short."""
    pos = _skip_id3v2(data)
    first = parse_header(data, pos)
    if first is None:
        raise ProbeError(f"no MPEG audio frame at byte {pos}")
    gap = 0
    if _is_info_frame(data, pos, first):
        gap = _encoder_gap(data, pos, first)
        pos += first.length
    kinds, bitrates, frames, samples = set(), set(), 0, 0
    while pos < len(data):
        frame = parse_header(data, pos)
        if frame is None:
            if data[pos:pos + 3] == b"TAG" or data[pos:pos + 8] == b"APETAGEX":
                break  # trailing tags, not audio
            raise ProbeError(f"bad MPEG frame header at byte {pos}")
        if pos + frame.length > len(data):
            raise ProbeError(f"file ends inside the frame at byte {pos}: it is truncated")
        kinds.add((frame.version, frame.layer, frame.sample_rate, frame.channels))
        bitrates.add(frame.bitrate_kbps)
        frames += 1
        samples += frame.samples
        pos += frame.length
    if len(kinds) != 1:
        raise ProbeError("no audio frames" if not kinds else f"frames of mixed formats {kinds}")
    version, layer, rate, channels = kinds.pop()
    return Mp3Info(version, layer, rate, channels, tuple(sorted(bitrates)), frames,
                   max(0, samples - gap) / rate)


def probe_file(path: Path) -> Mp3Info:
    return probe_mp3(path.read_bytes())


@dataclass(frozen=True)
class Mp3Spec:
    """What a file must be for Alexa's `<audio>` tag."""

    version: str = "MPEG-2"
    layer: int = 3
    sample_rate: int = 24000
    channels: int = 1
    bitrate_kbps: int = 48
    max_seconds: float = 240.0


ALEXA_MP3 = Mp3Spec()


def spec_problems(info: Mp3Info, spec: Mp3Spec = ALEXA_MP3) -> list[str]:
    """One sentence per way the file differs from `spec`; empty when it conforms."""
    problems = []
    if (info.version, info.layer) != (spec.version, spec.layer):
        problems.append(f"is {info.version} Layer {info.layer}, "
                        f"needs {spec.version} Layer {spec.layer}")
    if info.sample_rate != spec.sample_rate:
        problems.append(f"samples at {info.sample_rate} Hz, needs {spec.sample_rate} Hz")
    if info.channels != spec.channels:
        problems.append(f"has {info.channels} channels, needs {spec.channels}")
    if info.bitrate_kbps != spec.bitrate_kbps:
        found = "/".join(str(rate) for rate in info.bitrates_kbps)
        problems.append(f"is {found} kbps, needs a constant {spec.bitrate_kbps} kbps")
    if not 0 < info.duration <= spec.max_seconds:
        problems.append(f"lasts {info.duration:.2f} s, needs 0 to {spec.max_seconds:g} s")
    return problems


def audio_frames(data: bytes) -> tuple[bytes, int, Frame]:
    """The stream's audio frames alone (no ID3 tag, no info frame, no trailing tag), their
    count and their header (all alike); ProbeError if it is not one clean stream of one format.

    Concatenating the audio frames of files in one format gives a valid stream: what the
    response assembly relies on (voice/assembly.py)."""
    pos = _skip_id3v2(data)
    first = parse_header(data, pos)
    if first is None:
        raise ProbeError(f"no MPEG audio frame at byte {pos}")
    if _is_info_frame(data, pos, first):
        pos += first.length
    start, count, header = pos, 0, None
    while pos < len(data):
        frame = parse_header(data, pos)
        if frame is None:
            if data[pos:pos + 3] == b"TAG" or data[pos:pos + 8] == b"APETAGEX":
                break
            raise ProbeError(f"bad MPEG frame header at byte {pos}")
        if pos + frame.length > len(data):
            raise ProbeError(f"file ends inside the frame at byte {pos}: it is truncated")
        header = header or frame
        if (frame.version, frame.layer, frame.sample_rate, frame.channels,
                frame.bitrate_kbps) != (header.version, header.layer, header.sample_rate,
                                        header.channels, header.bitrate_kbps):
            raise ProbeError(f"frames of mixed formats from byte {pos}")
        count += 1
        pos += frame.length
    if header is None:
        raise ProbeError("no audio frames")
    return data[start:pos], count, header
