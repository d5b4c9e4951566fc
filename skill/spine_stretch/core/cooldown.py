"""The cool-down: the whole guided stretch as one breath-paced track, and playback arithmetic.

Pure. A track is the same speech the live coach gives (setup, then every rep, counted), with
prompt variants chosen by a fixed rotation so the track for a setting is always the same
recording. Chapters mark where each rep starts, so "next" and "previous" can jump by rep.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import blocks
from .prompts import fill
from .speech import Part, Pause, Prompt, Resolved, Spoken, Text
from .workout import Content

# A chapter jump lands this far back from a chapter's start would replay the previous one:
# "previous" within the first seconds of a rep goes to the rep before, like a music player.
RESTART_GRACE_MS = 3000


@dataclass(frozen=True)
class Track:
    """What a cool-down track says, in order; `chapters` index the items where reps start."""

    id: str
    reps: int
    breath_seconds: int
    items: tuple[Resolved, ...]
    chapters: tuple[int, ...]


def _fixed(content: Content, parts: Sequence[Part]) -> list[Resolved]:
    """Resolve prompts by rotating variants, so the same setting always sounds the same."""
    used: dict[str, int] = {}
    out: list[Resolved] = []
    for part in parts:
        if isinstance(part, Prompt):
            turn = used.get(part.key, 0)
            used[part.key] = turn + 1
            count = len(content.prompts.variants[part.key])
            out.append(fill(content.prompts, part.key, turn % count, part.fields))
        elif isinstance(part, Text):
            out.append(Spoken(part.key, part.text))
        else:
            out.append(part)
    return out


def track_for(content: Content, reps: int, breath_seconds: int) -> Track:
    """The cool-down for a setting (clamped to the workout's limits)."""
    workout = content.workout
    reps = workout.reps.clamp(reps)
    breath_seconds = workout.breath_seconds.clamp(breath_seconds)
    parts: list[Part] = [Prompt.of("cooldown_intro"), *blocks.setup_parts(workout)]
    starts: list[int] = []
    for rep in range(1, reps + 1):
        starts.append(len(parts))
        parts += blocks.rep_parts(workout, content.prompts, rep, reps, breath_seconds)
    parts.append(Prompt.of("cooldown_done"))
    items = tuple(_fixed(content, parts))
    digest = hashlib.sha256(repr(items).encode()).hexdigest()[:16]
    return Track(f"cooldown-{reps}x{breath_seconds}-{digest}", reps, breath_seconds, items,
                 tuple(starts))


def item_seconds(item: Resolved, clip_seconds: Mapping[str, float]) -> float:
    if isinstance(item, Pause):
        return item.seconds
    return clip_seconds[item.key]


def chapter_offsets_ms(track: Track, clip_seconds: Mapping[str, float]) -> tuple[int, ...]:
    """Where each rep starts in the assembled track, from each clip's real duration."""
    offsets = []
    elapsed = 0.0
    starts = set(track.chapters)
    for index, item in enumerate(track.items):
        if index in starts:
            offsets.append(round(elapsed * 1000))
        elapsed += item_seconds(item, clip_seconds)
    return tuple(offsets)


def next_chapter(chapters_ms: Sequence[int], offset_ms: int) -> int | None:
    """The start of the rep after the one playing; None after the last rep."""
    later = [start for start in chapters_ms if start > max(0, offset_ms)]
    return later[0] if later else None


def previous_chapter(chapters_ms: Sequence[int], offset_ms: int) -> int:
    """The start of the current rep, or of the one before if it only just began."""
    offset_ms = max(0, offset_ms)
    earlier = [start for start in chapters_ms if start + RESTART_GRACE_MS <= offset_ms]
    return earlier[-1] if earlier else 0


# ---- tokens: which user and which track a playback belongs to ------------------------------

TOKEN_PREFIX = "spine-stretch"


def token_for(user_hash: str, track_id: str) -> str:
    return f"{TOKEN_PREFIX}:{user_hash}:{track_id}"


def parse_token(token: str | None) -> tuple[str, str] | None:
    """(user hash, track id) of one of our tokens; None for anything else."""
    if not token:
        return None
    parts = token.split(":")
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]
