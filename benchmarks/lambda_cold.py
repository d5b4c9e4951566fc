"""The Lambda entry: a cold first response against ask-sdk-core's hello world, and warm time.

Cold (issue 12, goal <= 1.3): `make lambda-zip`'s bundle is built and unpacked, then each
round starts two fresh `python -B -I -S` interpreters with only the bundle on the path, as
Lambda does (-B: /var/task is read-only, nothing is written beside the code): ours imports
`lambda_function` and answers a LaunchRequest through its `lambda_handler`; the baseline is
ask-sdk-core's hello-world skill (SkillBuilder, one LaunchRequest handler, its
`lambda_handler`) importing from the same bundle and answering the same event. Each is the
child's CPU time (user + system), which other work on a shared machine barely moves where
wall time doubles; rounds alternate; medians. The ratio is given twice: as the sum of the
stages each child times inside itself (import, build, first request: the definition above,
and the steadier figure), and as the whole process less what the harness alone costs (a
child that starts, reads the event and exits), which also counts the kernel's work of
mapping and unmapping a larger process. The stages are printed as the breakdown
(benchmarks/_cold_child.py).

Warm: the handler answering requests in-process, against the bare one-handler ask-sdk-core
skill of skill_overhead on the same envelopes; with the memory store, and with DynamoDB
emulated in-process by moto (moto's own cost, not DynamoDB's network round trip).
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.hosts.aws_lambda import LambdaHandler
from spine_stretch.settings import Settings

from .skill_overhead import bare_invoke, interleaved

ROOT = Path(__file__).resolve().parent.parent
CHILD = Path(__file__).with_name("_cold_child.py")
ROUNDS = 15
STAGES = ("import entry", "import skill", "content", "audio manifest", "store", "skill build",
          "first request")


def cpu_seconds(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


def fresh_process(args: list[str]) -> tuple[float, str]:
    """CPU time and standard output of a fresh `python -B -I -S` running `args`."""
    before = cpu_seconds(resource.getrusage(resource.RUSAGE_CHILDREN))
    done = subprocess.run([sys.executable, "-B", "-I", "-S", *args], check=True,
                          capture_output=True, text=True)
    return cpu_seconds(resource.getrusage(resource.RUSAGE_CHILDREN)) - before, done.stdout


def unpacked_bundle(folder: Path) -> Path:
    """`make lambda-zip`'s bundle, built afresh and unpacked as Lambda's /var/task."""
    spec = importlib.util.spec_from_file_location("build_zip", ROOT / "lambda" / "build_zip.py")
    assert spec is not None and spec.loader is not None
    build_zip = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_zip)
    out = folder / "lambda.zip"
    build_zip.build(out)
    task = folder / "task"
    with zipfile.ZipFile(out) as archive:
        archive.extractall(task)
    return task


def cold_starts(task: Path, event_file: Path) -> dict[str, dict[str, float]]:
    """Medians per variant: "total" (CPU time less the harness's own) and each stage."""
    samples: dict[str, list[dict[str, float]]] = {"ours": [], "bare": []}
    starts = []
    for _ in range(ROUNDS):
        starts.append(fresh_process([str(CHILD), "none", str(task), str(event_file)])[0])
        for variant, runs in samples.items():
            seconds, out = fresh_process([str(CHILD), variant, str(task), str(event_file)])
            stages = json.loads(out)
            runs.append({**stages, "first response": sum(stages.values()), "total": seconds})
    start_up = statistics.median(starts)
    medians = {}
    for variant, runs in samples.items():
        names = {name for run in runs for name in run}
        medians[variant] = {name: statistics.median(run.get(name, 0.0) for run in runs)
                            for name in names}
        medians[variant]["total"] -= start_up
    return medians


def print_cold(medians: dict[str, dict[str, float]]) -> None:
    ours, bare = medians["ours"], medians["bare"]
    print(f"lambda cold first response from the bundle (import + build + one LaunchRequest; "
          f"fresh processes' CPU time, medians of {ROUNDS}; goal <= 1.3)")
    for key, label in (("first response", "measured inside the process"),
                       ("total", "whole process, less the harness's own")):
        print(f"  {label:38s} ours {ours[key] * 1e3:6.1f} ms vs hello world "
              f"{bare[key] * 1e3:6.1f} ms  ratio {ours[key] / bare[key]:5.2f}")
    print("  where it goes (ms)      ours   hello world")
    for name in STAGES:
        if name in ours or name in bare:
            print(f"    {name:20s} {ours.get(name, 0.0) * 1e3:7.1f}  "
                  f"{bare.get(name, 0.0) * 1e3:7.1f}")


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
    with tempfile.TemporaryDirectory(prefix="lambda-cold-") as folder:
        task = unpacked_bundle(Path(folder))
        event_file = Path(folder) / "launch.json"
        event_file.write_text(json.dumps(Conversation().launch()), encoding="utf-8")
        print_cold(cold_starts(task, event_file))

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
                measured, baseline_call, ratio = interleaved(handler, bare, body)
                print(f"  {store:6s} {name:20s} {measured * 1e3:7.3f} ms vs "
                      f"{baseline_call * 1e3:7.3f} ms  ratio {ratio:5.2f}")


if __name__ == "__main__":
    run()
