"""dist/lambda.zip: reproducible, minimal, and a whole session from the unpacked bundle in a
clean interpreter, alone or against DynamoDB through moto."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path
from typing import Any

import pytest

from spine_stretch.alexa.envelopes import LOCAL_SKILL_ID, Conversation
from spine_stretch.core.ssml import to_plain
from tests.aws import FAKE_AWS_ENV, NEVER_ON_LAMBDA, TABLE, TABLE_SPEC
from tests.conftest import FakeClock
from tests.paths import ROOT

BUILD = ROOT / "lambda" / "build_zip.py"
DRIVER = Path(__file__).with_name("lambda_driver.py")
# Where this environment keeps boto3 and botocore (which Lambda provides) and moto.
SITE_PACKAGES = sysconfig.get_paths()["purelib"]


def build(out: Path) -> str:
    subprocess.run([sys.executable, str(BUILD), "--out", str(out)], check=True,
                   capture_output=True, text=True)
    return hashlib.sha256(out.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist") / "lambda.zip"
    build(out)
    return out


@pytest.fixture(scope="module")
def unpacked(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("task")  # what Lambda calls /var/task
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(folder)
    return folder


def test_the_same_inputs_build_the_same_bytes(bundle: Path, tmp_path: Path) -> None:
    assert build(tmp_path / "again.zip") == hashlib.sha256(bundle.read_bytes()).hexdigest()


def test_the_zip_holds_only_what_the_function_needs(bundle: Path) -> None:
    with zipfile.ZipFile(bundle) as archive:
        entries = archive.infolist()
    names = [entry.filename for entry in entries]
    assert names == sorted(names)
    assert {entry.date_time for entry in entries} == {(1980, 1, 1, 0, 0, 0)}
    assert {entry.external_attr >> 16 for entry in entries} == {0o100644}
    assert "lambda_function.py" in names and "spine_stretch/content/prompts.yaml" in names
    assert "spine_stretch/content/snapshot.pickle" in names
    assert not [name for name in names
                if name.endswith(("/RECORD", "/INSTALLER", "/direct_url.json"))]
    # Each module's bytecode beside it, for Lambda's 3.11, checked against its source's hash
    # (PEP 552 flags 0b11) rather than a time; nothing else is cached.
    sources = {name for name in names if name.endswith(".py")}
    cached = {name for name in names if "__pycache__" in name}
    assert cached == {bytecode_of(name) for name in sources}
    with zipfile.ZipFile(bundle) as archive:
        header = archive.read(bytecode_of("spine_stretch/content/__init__.py"))[:8]
    assert header[:4] == importlib.util.MAGIC_NUMBER and header[4:8] == b"\x03\x00\x00\x00"
    top = {name.split("/")[0].removesuffix(".py") for name in names}
    assert {"ask_sdk_core", "ask_sdk_model", "ask_sdk_runtime", "yaml", "dateutil"} <= top
    assert not top & NEVER_ON_LAMBDA
    ours = {name for name in names if name.startswith("spine_stretch/")}
    assert "spine_stretch/store/dynamodb.py" in ours
    rooms = {name.split("/")[1] for name in ours}
    assert not {"web", "cli"} & rooms
    assert "hosts" in rooms and "spine_stretch/hosts/serving.py" not in ours
    # Reading the audio manifest and the tracks' index, and naming blocks (assembly, probe,
    # block_store: packed, never imported there), is standard library only; the render
    # pipeline (pydub, engines) stays out.
    voice = {name for name in ours
             if name.startswith("spine_stretch/voice/") and name.endswith(".py")}
    assert voice <= {f"spine_stretch/voice/{m}.py" for m in (
        "__init__", "audio", "manifest", "clips", "urls", "track_index", "assembly", "probe",
        "block_store")}
    assert "audio/manifest.json" in names


def bytecode_of(source: str) -> str:
    folder, _, module = source.rpartition("/")
    return f"{folder}/__pycache__/{module[:-3]}.cpython-311.pyc".lstrip("/")


def save_envelopes(folder: Path, envelopes: list[dict[str, Any]]) -> list[Path]:
    paths = []
    for number, envelope in enumerate(envelopes):
        path = folder / f"{number:02d}-{envelope['request']['type']}.json"
        path.write_text(json.dumps(envelope))
        paths.append(path)
    return paths


def a_session_and_a_relaunch() -> list[dict[str, Any]]:
    """Launch, start, next twice, walk away mid-block; an hour later, relaunch and resume."""
    clock = FakeClock()
    talk = Conversation(clock=clock)
    envelopes = [talk.launch()]
    clock.advance(5)
    envelopes.append(talk.intent("StartStretchIntent", {"reps": "12"}))
    clock.advance(10)  # "next" during the setup: on to rep one
    envelopes.append(talk.intent("AMAZON.NextIntent"))
    clock.advance(300)
    envelopes.append(talk.intent("AMAZON.NextIntent"))
    clock.advance(10)
    envelopes.append(talk.session_ended("USER_INITIATED"))
    talk.end()
    clock.advance(3600)
    envelopes.append(talk.launch())
    envelopes.append(talk.intent("AMAZON.YesIntent"))
    return envelopes


def run_bundle(tmp_path: Path, plan: dict[str, Any],
               env: dict[str, str]) -> tuple[dict[str, Any], str]:
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan))
    done = subprocess.run([sys.executable, "-I", "-S", str(DRIVER), str(plan_file)],
                          env={"HOME": str(tmp_path), **env}, cwd=tmp_path,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(plan_file.with_suffix(".out.json").read_text())
    return result, done.stderr


def spoken(response: dict[str, Any]) -> str:
    return to_plain(response["response"]["outputSpeech"]["ssml"])


def assert_session_resumed(responses: list[dict[str, Any]]) -> None:
    launch, start, _, _, ended, relaunch, resumed = responses
    assert start["response"]["shouldEndSession"] is False
    assert "outputSpeech" not in ended["response"]
    assert spoken(relaunch).startswith(("Welcome back", "Good to have you back"))
    assert "rep six of twelve" in spoken(relaunch)
    assert spoken(resumed).startswith(("Picking up at rep six", "Let's carry on from rep six"))


def shipped_modules(bundle: Path) -> set[str]:
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
    return {name.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
            for name in names if name.startswith("spine_stretch/") and name.endswith(".py")}


def test_the_bundle_alone_answers_a_session_and_loads_nothing_else(
        bundle: Path, unpacked: Path, tmp_path: Path) -> None:
    envelopes = save_envelopes(tmp_path, a_session_and_a_relaunch())
    needs_boto3 = "spine_stretch.store.dynamodb"  # imported by the DynamoDB runs below
    plan = {"path": [str(unpacked)], "steps": [{"envelope": str(p)} for p in envelopes],
            "import_all": "spine_stretch", "import_skip": [needs_boto3]}
    result, _ = run_bundle(tmp_path, plan, {"SPINE_STRETCH_STORE": "memory",
                                            "SPINE_STRETCH_SKILL_ID": LOCAL_SKILL_ID})
    assert_session_resumed(result["responses"])
    modules = result["modules"]
    for name in ("spine_stretch", "lambda_function", "ask_sdk_core", "dateutil"):
        assert str(modules[name]).startswith(str(unpacked)), name
    assert not set(modules) & NEVER_ON_LAMBDA
    # The content comes from the snapshot validated at build time: no YAML parsed to answer.
    assert "yaml" not in result["answering"] and "spine_stretch" in result["answering"]
    # Every module shipped imports with only the bundle on the path.
    assert set(result["imported"]) == shipped_modules(bundle) - {needs_boto3}


def test_a_bundle_whose_content_was_edited_refuses_every_event_with_one_log_line(
        unpacked: Path, tmp_path: Path) -> None:
    task = tmp_path / "task"
    shutil.copytree(unpacked, task)
    prompts = task / "spine_stretch" / "content" / "prompts.yaml"
    prompts.write_text(prompts.read_text() + "\n# edited after the build\n")
    talk = Conversation()
    envelopes = save_envelopes(tmp_path, [talk.launch(), talk.intent("AMAZON.HelpIntent")])
    plan = {"path": [str(task)], "steps": [{"envelope": str(p)} for p in envelopes]}
    result, log = run_bundle(tmp_path, plan, {"SPINE_STRETCH_STORE": "memory"})
    refusal = ("the skill cannot start: snapshot.pickle: prompts.yaml differs from the "
               "validated content")
    assert [r["error"].startswith(refusal) for r in result["responses"]] == [True, True]
    assert "build the bundle again" in result["responses"][0]["error"]
    assert log.splitlines() == [result["responses"][0]["error"]]


def dynamodb_env() -> dict[str, str]:
    return {**FAKE_AWS_ENV, "SPINE_STRETCH_STORE": f"dynamodb://{TABLE}",
            "SPINE_STRETCH_SKILL_ID": LOCAL_SKILL_ID}


def test_the_bundle_keeps_progress_in_dynamodb_and_apologises_when_the_table_is_gone(
        unpacked: Path, tmp_path: Path) -> None:
    envelopes = a_session_and_a_relaunch()
    talk_on = Conversation(clock=FakeClock())
    envelopes.append(talk_on.intent("AMAZON.NextIntent"))
    paths = save_envelopes(tmp_path, envelopes)
    steps: list[dict[str, Any]] = [{"envelope": str(p)} for p in paths]
    steps[-1]["delete_table"] = True
    plan = {"path": [str(unpacked), SITE_PACKAGES], "table": TABLE, "table_spec": TABLE_SPEC,
            "steps": steps}
    result, log = run_bundle(tmp_path, plan, dynamodb_env())
    *session, after_delete = result["responses"]
    assert_session_resumed(session)
    assert spoken(after_delete).startswith("Sorry")
    assert after_delete["response"]["shouldEndSession"] is False
    assert f"DynamoDB table '{TABLE}' does not exist" in log
    assert str(result["modules"]["spine_stretch"]).startswith(str(unpacked))
    assert str(result["modules"]["boto3"]).startswith(SITE_PACKAGES)


def test_the_bundle_apologises_for_a_throttled_write(unpacked: Path, tmp_path: Path) -> None:
    clock = FakeClock()
    talk = Conversation(clock=clock)
    paths = save_envelopes(tmp_path, [talk.launch(),
                                      talk.intent("StartStretchIntent", {"reps": "5"})])
    plan = {"path": [str(unpacked), SITE_PACKAGES], "table": TABLE, "table_spec": TABLE_SPEC,
            "throttle_writes": True, "steps": [{"envelope": str(p)} for p in paths]}
    result, log = run_bundle(tmp_path, plan, dynamodb_env())
    start = result["responses"][-1]
    assert spoken(start).startswith("Sorry")
    assert "throttled a write (ProvisionedThroughputExceededException)" in log
    assert talk.user_id not in log
