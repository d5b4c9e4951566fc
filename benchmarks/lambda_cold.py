"""The Lambda entry: cold import against ask-sdk-core's own, and warm time per request.

Cold: `import lambda_function` against `import ask_sdk_core.skill_builder`, each in a fresh
`python -I -S` (so no .pth file or editable-install hook runs, as on Lambda) with the same
path, minus a bare interpreter's start. Each is the child's CPU time (user + system), which
other work on a shared machine barely moves, where wall time doubles; rounds interleave the
variants; medians. Goal (issue 8): at most 1.5. Also shown: the entry plus building
the skill (importing the factory, reading the content, memory store), which the first event
does: what a cold start costs in total before the request itself.

Warm: the handler answering requests in-process, against the bare one-handler ask-sdk-core
skill of skill_overhead on the same envelopes; with the memory store, and with DynamoDB
emulated in-process by moto (moto's own cost, not DynamoDB's network round trip).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import sysconfig
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.hosts.aws_lambda import LambdaHandler
from spine_stretch.settings import Settings

from .skill_overhead import bare_invoke, per_call

ROOT = Path(__file__).resolve().parent.parent
PATH = [str(ROOT / "lambda"), str(ROOT / "skill"), sysconfig.get_paths()["purelib"]]
ROUNDS = 15

BASELINE = "import ask_sdk_core.skill_builder"
ENTRY = "import lambda_function"
BUILT = ("import lambda_function\n"
         "from spine_stretch.hosts.runtime import skill_from_settings\n"
         "from spine_stretch.settings import Settings\n"
         "skill_from_settings(Settings.from_env({'SPINE_STRETCH_STORE': 'memory'}))")


def cpu_seconds(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


def fresh_process_seconds(code: str) -> float:
    """CPU time of a fresh interpreter that runs `code` with the Lambda entry's path."""
    program = f"import sys\nsys.path[:0] = {PATH!r}\n{code}"
    before = cpu_seconds(resource.getrusage(resource.RUSAGE_CHILDREN))
    subprocess.run([sys.executable, "-I", "-S", "-c", program], check=True)
    return cpu_seconds(resource.getrusage(resource.RUSAGE_CHILDREN)) - before


def cold_imports() -> dict[str, float]:
    samples: dict[str, list[float]] = {"": [], BASELINE: [], ENTRY: [], BUILT: []}
    for _ in range(ROUNDS):
        for code, times in samples.items():
            times.append(fresh_process_seconds(code))
    start_up = statistics.median(samples.pop(""))
    return {code: statistics.median(times) - start_up for code, times in samples.items()}


@contextmanager
def moto_table(name: str) -> Iterator[None]:
    from moto import mock_aws

    fake = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "us-east-1"}
    saved = {key: os.environ.get(key) for key in fake}
    os.environ.update(fake)
    try:
        with mock_aws():
            import boto3

            boto3.client("dynamodb").create_table(
                TableName=name, BillingMode="PAY_PER_REQUEST",
                KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
            yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def warm_handler(store_url: str) -> Callable[[dict[str, Any]], Any]:
    handler = LambdaHandler(lambda: Settings.from_env({"SPINE_STRETCH_STORE": store_url}))

    def answer(event: dict[str, Any]) -> Any:
        return handler(event, None)

    return answer


def run() -> None:
    cold = cold_imports()
    baseline = cold[BASELINE]
    print(f"lambda cold import (fresh processes' CPU time, medians of {ROUNDS}; goal <= 1.5)")
    print(f"  ask_sdk_core.skill_builder     {baseline * 1e3:7.1f} ms")
    for label, code in (("lambda_function", ENTRY), ("  + skill built (first event)", BUILT)):
        print(f"  {label:30s} {cold[code] * 1e3:7.1f} ms  ratio {cold[code] / baseline:5.2f}")

    talk = Conversation()
    envelopes = {
        "StartStretchIntent": talk.intent("StartStretchIntent", {"reps": "5"}),
        "AMAZON.NextIntent": talk.intent("AMAZON.NextIntent"),
    }
    bare = bare_invoke()
    print("lambda warm request (lambda_handler / bare ask-sdk-core skill, same envelope)")
    with moto_table("bench-users"):
        for store, url in (("memory", "memory"), ("moto", "dynamodb://bench-users")):
            handler = warm_handler(url)
            for name, body in envelopes.items():
                handler(body)  # the first event builds the skill: not a warm request
                measured = per_call(handler, body)
                baseline_call = per_call(bare, body)
                print(f"  {store:6s} {name:20s} {measured * 1e3:7.3f} ms vs "
                      f"{baseline_call * 1e3:7.3f} ms  ratio {measured / baseline_call:5.2f}")


if __name__ == "__main__":
    run()
