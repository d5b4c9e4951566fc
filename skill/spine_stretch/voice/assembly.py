"""A whole block of speech as one MP3, assembled from the recorded clips in pure Python.

Alexa plays at most five `<audio>` tags per response, and a block of reps says dozens of
sentences, so a block is played as one file: the clips' MPEG frames one after another, with
frames of digital silence for the pauses. The shipped clips share one format (MPEG-2 Layer III,
24 kHz mono, 48 kbps CBR) and each starts without leaning on an earlier frame's data, so their
frames concatenate into a valid stream: no decoder or encoder at request time, a block builds
in milliseconds, and Lambda can name a block from the manifest alone (see `block_name`).

Counts keep time: a pause after a count word ("two", "three" ...) is measured from the word's
onset, not its end, so "two [1 s] three [1 s] four [1 s]" puts each count exactly one beat
after the last and the breath lasts its set length from the cue's end. Onsets are rounded to
whole frames (24 ms) against the ideal time, so the error never adds up beat after beat.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ..core.speech import Pause, Resolved
from .audio import RenderError
from .manifest import Entry
from .probe import ALEXA_MP3, Mp3Spec, ProbeError, audio_frames, parse_header

# Bump when the way blocks are laid out changes: every block gets a new name.
ASSEMBLY_VERSION = 2
COUNT_PREFIX = "count."
FOLDER_NAME = "blocks"

# MPEG-2 Layer III bit rates (kbps) by index, and sample rates by index: for the silent frame.
_MPEG2_L3_KBPS = (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)
_MPEG2_RATES = (22050, 24000, 16000)


class AssemblyError(RenderError):
    """A block cannot be assembled: a clip is missing, cut short or in another format."""


@dataclass(frozen=True)
class Piece:
    """One step of a block: a recorded sentence (its manifest key, text and file) or a pause."""

    key: str = ""
    text: str = ""
    file: str = ""
    seconds: float = 0.0

    @property
    def is_count(self) -> bool:
        return self.key.startswith(COUNT_PREFIX)


@dataclass(frozen=True)
class Placed:
    """A sentence in an assembled file: where it starts, in seconds from the file's start."""

    key: str
    text: str
    offset: float


@dataclass(frozen=True)
class Assembled:
    name: str
    data: bytes
    sentences: tuple[Placed, ...]
    duration: float
    # Each run of silence: where it starts and the pause it stands for, in seconds (what the
    # simulator's step card counts beats by, as it counts `<break>`s in Alexa's voice).
    pauses: tuple[tuple[float, float], ...] = ()

    @property
    def words(self) -> str:
        return " ".join(placed.text for placed in self.sentences)


def pieces_for(items: Sequence[Resolved],
               entries: Mapping[str, Entry]) -> tuple[list[Piece], list[str]]:
    """The block's pieces, and the keys of sentences with no up-to-date recording."""
    pieces: list[Piece] = []
    missing: list[str] = []
    for item in items:
        if isinstance(item, Pause):
            pieces.append(Piece(seconds=item.seconds))
            continue
        entry = entries.get(item.key)
        if entry is None or entry.text != item.text:
            missing.append(item.key)
        else:
            pieces.append(Piece(item.key, item.text, entry.file))
    return pieces, missing


def block_name(pieces: Sequence[Piece]) -> str:
    """`<sha256[:16]>.mp3` over the clips' files (themselves hashes of their sound) and the
    pauses: the same block always has the same name, computed without reading any audio."""
    identity = json.dumps([ASSEMBLY_VERSION, [[p.file, round(p.seconds * 1000), p.is_count]
                                              for p in pieces]])
    return hashlib.sha256(identity.encode()).hexdigest()[:16] + ".mp3"


def planned_seconds(pieces: Sequence[Piece], entries: Mapping[str, Entry]) -> float:
    """About how long the block plays (within a frame per clip): from the manifest alone."""
    by_file = {entry.file: entry.duration for entry in entries.values()}
    return sum(p.seconds if not p.file else by_file.get(p.file, 0.0) for p in pieces)


def silent_frame(spec: Mp3Spec = ALEXA_MP3) -> bytes:
    """One frame of digital silence in `spec`'s format: a header, zero side information (no
    Huffman data, so every sample decodes as 0) and zero padding."""
    if (spec.version, spec.layer, spec.channels) != ("MPEG-2", 3, 1):
        raise AssemblyError(f"silence frames are made for MPEG-2 Layer III mono, not {spec}")
    bitrate = _MPEG2_L3_KBPS.index(spec.bitrate_kbps) + 1
    rate = _MPEG2_RATES.index(spec.sample_rate)
    # sync, MPEG-2 (10), Layer III (01), no CRC; bit rate, sample rate; mono.
    header = bytes((0xFF, 0xF3, bitrate << 4 | rate << 2, 0xC0))
    frame = parse_header(header, 0)
    if frame is None:
        raise AssemblyError("the silence frame header does not parse")
    return header + bytes(frame.length - 4)


def assemble(pieces: Sequence[Piece], read: Callable[[str], bytes],
             spec: Mp3Spec = ALEXA_MP3,
             cache: dict[str, tuple[bytes, int]] | None = None) -> Assembled:
    """The block as one MP3 stream; AssemblyError naming the clip that cannot be used.

    `read` returns a clip file's bytes (OSError if it cannot); `cache` keeps each clip's
    frames once read (a clip's name is a hash of its sound, so it never goes stale)."""
    silence = silent_frame(spec)
    frame_seconds = 576 / spec.sample_rate
    chunks: list[bytes] = []
    sentences: list[Placed] = []
    pauses: list[tuple[float, float]] = []
    after_pause = False
    frames = 0            # the cursor: frames written so far
    ideal = 0.0           # where the next piece should start, in seconds, before rounding
    for piece in pieces:
        if not piece.file:
            if after_pause:
                pauses[-1] = (pauses[-1][0], round(pauses[-1][1] + piece.seconds, 3))
            else:
                pauses.append((round(frames * frame_seconds, 3), piece.seconds))
            after_pause = True
            wanted = round((ideal + piece.seconds) / frame_seconds) - frames
            chunks.append(silence * max(0, wanted))
            frames += max(0, wanted)
            ideal += piece.seconds
            continue
        after_pause = False
        if cache is not None and piece.file in cache:
            clip, count = cache[piece.file]
        else:
            clip, count = _clip_frames(piece.file, read, spec)
            if cache is not None:
                cache[piece.file] = clip, count
        onset = frames * frame_seconds
        sentences.append(Placed(piece.key, piece.text, round(onset, 3)))
        chunks.append(clip)
        frames += count
        # A count's beat runs from its onset; anything else is followed from its end.
        ideal = ideal if piece.is_count else frames * frame_seconds
    if not sentences:
        raise AssemblyError("a block with nothing to say")
    return Assembled(block_name(pieces), b"".join(chunks), tuple(sentences),
                     round(frames * frame_seconds, 3), tuple(pauses))


def _clip_frames(file: str, read: Callable[[str], bytes], spec: Mp3Spec) -> tuple[bytes, int]:
    try:
        data = read(file)
    except OSError as exc:
        raise AssemblyError(f"cannot read {file}: {exc}") from None
    try:
        frames, count, header = audio_frames(data)
    except ProbeError as exc:
        raise AssemblyError(f"{file}: {exc}") from None
    shape = (header.version, header.layer, header.sample_rate, header.channels,
             header.bitrate_kbps)
    wanted = (spec.version, spec.layer, spec.sample_rate, spec.channels, spec.bitrate_kbps)
    if shape != wanted:
        raise AssemblyError(f"{file} is {header.version} Layer {header.layer}, "
                            f"{header.sample_rate} Hz, {header.channels} channel(s), "
                            f"{header.bitrate_kbps} kbps; blocks need {wanted}")
    return frames, count

