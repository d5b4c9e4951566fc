"""`spine-stretch publish` against S3 as moto serves it: changed files only, right headers."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from spine_stretch import cli
from spine_stretch.cli.audio import build_blocks
from spine_stretch.content.listing import load_listing
from spine_stretch.core.prompts import block_picker
from spine_stretch.core.reachable import reachable_blocks
from spine_stretch.core.speech import Spoken
from spine_stretch.core.workout import Content, Range
from spine_stretch.interaction.icons import png_size
from spine_stretch.voice.block_store import read_block_index
from spine_stretch.voice.engines import EspeakEngine
from spine_stretch.voice.manifest import MANIFEST_NAME, read_manifest
from spine_stretch.voice.plan import RenderItem
from spine_stretch.voice.post import Postprocessor
from spine_stretch.voice.publish import (
    AUDIO_CACHE_CONTROL,
    MANIFEST_CACHE_CONTROL,
    PublishError,
    base_url,
    clean_prefix,
    publish,
)
from spine_stretch.voice.render import render
from tests.paths import ROOT

BUCKET = "spine-stretch-audio"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fake credentials and moto's S3; nothing reaches AWS."""
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "us-east-1"
                        }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        yield


@pytest.fixture
def s3(aws: None) -> Any:
    client = boto3.client("s3")
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture
def folder(tmp_path: Path, espeak: EspeakEngine, post: Postprocessor,
           small_plan: list[RenderItem]) -> Path:
    render(small_plan, espeak, post, tmp_path)
    return tmp_path


def keys(s3: Any, bucket: str = BUCKET) -> set[str]:
    return {item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", ())}


def test_publish_uploads_every_file_then_nothing_the_second_time(
        s3: Any, folder: Path) -> None:
    files = read_manifest(folder).files()
    first = publish(folder, BUCKET, "voice/v1/", s3)
    assert set(first.uploaded) == files | {MANIFEST_NAME}
    assert first.uploaded[-1] == MANIFEST_NAME  # last: it never names a file not yet there
    assert first.base_url == f"https://{BUCKET}.s3.amazonaws.com/voice/v1"
    assert keys(s3) == {f"voice/v1/{name}" for name in files | {MANIFEST_NAME}}
    second = publish(folder, BUCKET, "voice/v1", s3)
    assert second.uploaded == () and second.unchanged == len(files) + 1


def test_objects_carry_their_type_caching_and_exact_bytes(s3: Any, folder: Path) -> None:
    publish(folder, BUCKET, "", s3)
    name = read_manifest(folder).entries["count.2"].file
    audio = s3.get_object(Bucket=BUCKET, Key=name)
    assert audio["ContentType"] == "audio/mpeg"
    assert audio["CacheControl"] == AUDIO_CACHE_CONTROL
    assert audio["Body"].read() == (folder / name).read_bytes()
    manifest = s3.get_object(Bucket=BUCKET, Key=MANIFEST_NAME)
    assert manifest["ContentType"] == "application/json"
    assert manifest["CacheControl"] == MANIFEST_CACHE_CONTROL
    assert manifest["Body"].read() == (folder / MANIFEST_NAME).read_bytes()


def test_after_a_re_render_only_the_changed_file_and_the_manifest_go_up(
        s3: Any, folder: Path, espeak: EspeakEngine, post: Postprocessor,
        small_plan: list[RenderItem]) -> None:
    publish(folder, BUCKET, "v1", s3)
    edited = [RenderItem("count.2", "two, slowly"), *small_plan[:3], small_plan[4]]
    render(edited, espeak, post, folder)
    report = publish(folder, BUCKET, "v1", s3)
    new_file = read_manifest(folder).entries["count.2"].file
    assert set(report.uploaded) == {new_file, MANIFEST_NAME}
    # The old file stays: a skill still on the previous manifest keeps playing it.
    assert len(keys(s3)) == len(small_plan) + 2


def test_a_regional_bucket_gets_its_regional_url(aws: None, folder: Path) -> None:
    s3 = boto3.client("s3", region_name="eu-west-1")
    s3.create_bucket(Bucket="coach-eu",
                     CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    report = publish(folder, "coach-eu", "audio", s3)
    assert report.base_url == "https://coach-eu.s3.eu-west-1.amazonaws.com/audio"


@pytest.mark.parametrize(("bucket", "region", "prefix", "url"), [
    ("b", "us-east-1", "", "https://b.s3.amazonaws.com"),
    ("b", "ap-south-1", "a b", "https://b.s3.ap-south-1.amazonaws.com/a%20b"),
    # S3's wildcard certificate does not cover dotted names: path style.
    ("audio.example.com", "us-east-1", "v1", "https://s3.amazonaws.com/audio.example.com/v1"),
    ("audio.example.com", "eu-west-1", "", "https://s3.eu-west-1.amazonaws.com/audio.example.com"),
])
def test_base_url(bucket: str, region: str, prefix: str, url: str) -> None:
    assert base_url(bucket, region, prefix) == url


@pytest.mark.parametrize("prefix", ["a/../b", "./a", "a//b"])
def test_a_prefix_with_dot_segments_is_refused(prefix: str) -> None:
    with pytest.raises(PublishError, match="folder names"):
        clean_prefix(prefix)


def test_a_missing_bucket_is_a_clear_error(s3: Any, folder: Path) -> None:
    with pytest.raises(PublishError, match="NoSuchBucket"):
        publish(folder, "no-such-bucket", "", s3)


def test_nothing_rendered_is_a_clear_error(s3: Any, tmp_path: Path) -> None:
    with pytest.raises(PublishError, match="run spine-stretch render"):
        publish(tmp_path, BUCKET, "", s3)
    assert keys(s3) == set()


def test_a_lost_file_stops_the_publish_before_any_upload(s3: Any, folder: Path) -> None:
    (folder / read_manifest(folder).entries["count.2"].file).unlink()
    with pytest.raises(PublishError, match="spine-stretch validate"):
        publish(folder, BUCKET, "", s3)
    assert keys(s3) == set()


def test_the_command_prints_the_base_url_to_set(
        s3: Any, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["publish", "--bucket", BUCKET, "--prefix", "v1", "--out", str(folder), "--quiet"]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    store_files = 4  # two icons, the privacy policy and the terms of use
    uploaded = len(read_manifest(folder).files()) + 1 + store_files
    assert re.search(rf"{uploaded} files uploaded \(\d+ bytes\), 0 already there", out)
    assert f"SPINE_STRETCH_AUDIO_BASE_URL=https://{BUCKET}.s3.amazonaws.com/v1" in out
    assert cli.main(argv) == 0
    assert "0 files uploaded" in capsys.readouterr().out


def test_the_command_without_credentials_says_how_to_set_them(
        monkeypatch: pytest.MonkeyPatch, folder: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                 "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    assert cli.main(["publish", "--bucket", BUCKET, "--out", str(folder), "--quiet"]) == 1
    assert "no AWS credentials" in capsys.readouterr().err


def test_the_store_files_the_manifest_names_are_published_beside_the_audio(
        s3: Any, folder: Path) -> None:
    listing = load_listing()
    argv = ["publish", "--bucket", BUCKET, "--out", str(folder), "--quiet", "--root", str(ROOT)]
    assert cli.main(argv) == 0
    skill = json.loads((ROOT / "interaction_model" / "skill.json").read_text())["manifest"]
    named = {skill["publishingInformation"]["locales"]["en-GB"]["smallIconUri"],
             skill["publishingInformation"]["locales"]["en-IN"]["largeIconUri"],
             skill["privacyAndCompliance"]["locales"]["en-AU"]["privacyPolicyUrl"],
             skill["privacyAndCompliance"]["locales"]["en-CA"]["termsOfUseUrl"]}
    published = {f"{listing.published_at}/{key}" for key in keys(s3)}
    assert named <= published
    page = s3.get_object(Bucket=BUCKET, Key=listing.files["privacy"])
    assert page["ContentType"].startswith("text/html")
    assert "delete my data" in page["Body"].read().decode()
    icon = s3.get_object(Bucket=BUCKET, Key=listing.files["large_icon"])
    assert icon["ContentType"] == "image/png"
    assert png_size(icon["Body"].read()) == (512, 512)


def test_every_reachable_block_is_built_and_uploaded_once(
        s3: Any, tmp_path: Path, content: Content, espeak: EspeakEngine,
        post: Postprocessor) -> None:
    # A workout of one or two reps at a 2 s breath: ten blocks, a few dozen sentences.
    small = replace(content, workout=replace(content.workout, reps=Range(2, 1, 2),
                                             breath_seconds=Range(2, 2, 2)))
    said = {item for parts in reachable_blocks(small)
            for item in block_picker(small.prompts, parts).resolve(parts)
            if isinstance(item, Spoken)}
    render(sorted((RenderItem(s.key, s.text) for s in said), key=lambda i: i.key), espeak,
           post, tmp_path, workers=2)
    first = build_blocks(tmp_path, small)
    assert re.match(r"10 block files written \(\d+ bytes\) of 10 reachable", first), first
    blocks = {entry.file for entry in read_block_index(tmp_path).values()}
    assert len(blocks) == 10
    report = publish(tmp_path, BUCKET, "v1", s3)
    assert blocks <= set(report.uploaded) and report.bytes_uploaded > 0
    assert build_blocks(tmp_path, small).startswith("0 block files written (0 bytes)")
    assert publish(tmp_path, BUCKET, "v1", s3).uploaded == ()
