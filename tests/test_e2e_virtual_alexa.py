"""End to end with a real outside client: virtual-alexa (npm) drives `spine-stretch serve`.

virtual-alexa resolves each utterance of tests/e2e/session.json against the committed en-US
interaction model and POSTs the request envelope to the server over HTTP, as one user. Each
step of the script becomes one test here, checked against what the driver printed. Adding a
step is one line in session.json. The driver's node_modules come from `make test`
(`npm ci --prefix tests/e2e`); only a machine without Node.js skips this.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.hosts.serving import running_server

E2E = Path(__file__).parent / "e2e"
SCRIPT = E2E / "session.json"
DRIVER = E2E / "drive.mjs"
# A guard against a hung driver, not a speed check: the whole script takes about a second.
DRIVER_TIMEOUT_S = 120


@dataclass(frozen=True)
class Step:
    """One line of the script: what is said and what must come of it."""

    say: str
    request: str  # LaunchRequest, or the intent name for an IntentRequest
    hears: tuple[str, ...]
    slots: dict[str, str] = field(default_factory=dict)  # slot values as sent
    resolved: dict[str, str] = field(default_factory=dict)  # canonical values of custom types
    ends: bool = False

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Step:
        hears = data["hears"]
        return cls(say=data["say"], request=data["request"],
                   hears=(hears,) if isinstance(hears, str) else tuple(hears),
                   slots=dict(data.get("slots", {})), resolved=dict(data.get("resolved", {})),
                   ends=bool(data.get("ends", False)))


def load_steps(path: Path) -> list[Step]:
    return [Step.from_dict(step) for step in json.loads(path.read_text("utf-8"))["steps"]]


STEPS = load_steps(SCRIPT)


@pytest.fixture(scope="module")
def transcript(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The driver's one JSON line per step, from one run of the whole script."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the virtual-alexa end-to-end test needs Node.js "
                    "18 or newer (apt-get install nodejs npm)")
    if not (E2E / "node_modules" / "virtual-alexa").is_dir():
        pytest.fail("tests/e2e/node_modules is missing: `make test` installs it, or run "
                    "`npm ci --prefix tests/e2e`")
    # Alexa's voice, not the recorded one `serve --no-verify` would play by default: the
    # script checks the words of each reply, and a recorded reply is only <audio> tags.
    with running_server(tmp_path_factory.mktemp("e2e"),
                        {"SPINE_STRETCH_AUDIO_BASE_URL": ""}) as server:
        run = subprocess.run([node, str(DRIVER), str(SCRIPT), server.url],
                             capture_output=True, text=True, timeout=DRIVER_TIMEOUT_S)
        log = server.log.read_text()
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    if run.returncode != 0 or len(lines) != len(STEPS):
        pytest.fail(f"drive.mjs exited {run.returncode} after {len(lines)} of {len(STEPS)} "
                    f"steps\nstdout:\n{run.stdout}\nstderr:\n{run.stderr}\nserver log:\n{log}")
    return lines


def sent_request(line: dict[str, Any]) -> str:
    request = line["request"]
    return str(request["intent"] or request["type"])


@pytest.mark.parametrize("index", range(len(STEPS)),
                         ids=[f"{n:02d}-{step.say}" for n, step in enumerate(STEPS, 1)])
def test_step(transcript: list[dict[str, Any]], index: int) -> None:
    step, line = STEPS[index], transcript[index]
    assert line["say"] == step.say
    assert sent_request(line) == step.request, line["request"]
    slots = line["request"]["slots"]
    assert {name: slots.get(name, {}).get("value") for name in step.slots} == step.slots, slots
    assert {name: slots.get(name, {}).get("resolved") for name in step.resolved} \
        == step.resolved, slots
    heard = html.unescape(line["ssml"] or "").lower()
    missing = [text for text in step.hears if text.lower() not in heard]
    assert missing == [], line["ssml"]
    assert line["shouldEndSession"] is step.ends


def test_the_script_covers_the_seed_session() -> None:
    """Launch, start, next, pause, resume and stop stay in the script whatever is added."""
    requests = [step.request for step in STEPS]
    for wanted in ("LaunchRequest", "StartStretchIntent", "AMAZON.NextIntent",
                   "AMAZON.PauseIntent", "AMAZON.ResumeIntent", "AMAZON.StopIntent"):
        assert wanted in requests
