"""Loudness over the shipped audio, and the blocks assembled from it (audio/blocks/, which
`make run` fills on demand and `spine-stretch publish` with every reachable block): the
spread of integrated loudness (files of 1 s or more; goal at most 1 LU) and the highest true
peak (goal at most -1.0 dBTP; Amazon asks -2.0), each
file decoded and measured as `validate` does, and how long measuring all of them takes.

`SPINE_STRETCH_AUDIO_DIR` picks another folder (default: audio/).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from spine_stretch.voice.assembly import FOLDER_NAME as BLOCKS_FOLDER
from spine_stretch.voice.loudness import ALEXA_LOUDNESS, Level, measure_mp3
from spine_stretch.voice.track_index import FOLDER_NAME

SPREAD_GOAL_LU = 1.0
PEAK_GOAL_DBTP = -1.0


def measure_folder(folder: Path) -> tuple[dict[Path, Level], float]:
    """Every MP3 in `folder`, its tracks and its assembled blocks, measured; and the seconds
    it took."""
    files = [path for sub in (folder, folder / FOLDER_NAME, folder / BLOCKS_FOLDER)
             for path in sorted(sub.glob("*.mp3"))]
    start = time.perf_counter()
    levels = {path: measure_mp3(path.read_bytes()) for path in files}
    return levels, time.perf_counter() - start


def run() -> None:
    folder = Path(os.environ.get("SPINE_STRETCH_AUDIO_DIR", "audio"))
    levels, seconds = measure_folder(folder)
    if not levels:
        print(f"  no MP3s in {folder}/")
        return
    long = {path: level for path, level in levels.items()
            if level.seconds >= ALEXA_LOUDNESS.min_seconds}
    quietest = min(long.values(), key=lambda level: level.lufs)
    loudest = max(long.values(), key=lambda level: level.lufs)
    spread = loudest.lufs - quietest.lufs
    peak_path, peak = max(levels.items(), key=lambda item: item[1].true_peak_dbtp)
    over = sum(level.true_peak_dbtp > PEAK_GOAL_DBTP for level in levels.values())
    print(f"loudness over {folder}/: {len(levels)} files ({len(long)} of "
          f"{ALEXA_LOUDNESS.min_seconds:g} s or more), measured in {seconds:.1f} s "
          f"({1000 * seconds / len(levels):.1f} ms a file)")
    print(f"  integrated loudness {quietest.lufs:.2f} to {loudest.lufs:.2f} LUFS: spread "
          f"{spread:.2f} LU (goal <= {SPREAD_GOAL_LU:g} LU, target "
          f"{ALEXA_LOUDNESS.target_lufs:g} LUFS)")
    print(f"  highest true peak {peak.true_peak_dbtp:.2f} dBTP in {peak_path.name} "
          f"(goal <= {PEAK_GOAL_DBTP:g} dBTP; Amazon's ceiling {ALEXA_LOUDNESS.ceiling_dbtp:g}); "
          f"{over} files above {PEAK_GOAL_DBTP:g} dBTP")
