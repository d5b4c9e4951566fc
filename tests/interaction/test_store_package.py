"""The store-ready package: the manifest's store and privacy sections for every locale from
content/store.yaml, the icons rendered from content/icon.svg, the policy pages served."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from spine_stretch.alexa.skill import build_skill
from spine_stretch.content.listing import load_listing
from spine_stretch.core.workout import Content
from spine_stretch.interaction.icons import SIZES, drifted_icons, icon_path, png_size
from spine_stretch.interaction.manifest import drifted_manifest, manifest_path, write_manifest
from spine_stretch.interaction.source import load_interaction
from spine_stretch.store.memory import MemoryStore
from spine_stretch.web.app import create_app
from tests.paths import ROOT


def manifest() -> Any:
    return json.loads(manifest_path(ROOT).read_text())["manifest"]


def test_the_manifest_store_sections_match_their_source() -> None:
    assert drifted_manifest(ROOT, load_listing(), load_interaction()) == []


def test_drift_in_the_manifest_is_detected_and_the_hand_written_parts_survive_a_write(
        tmp_path: Path) -> None:
    path = manifest_path(tmp_path)
    path.parent.mkdir(parents=True)
    data = json.loads(manifest_path(ROOT).read_text())
    data["manifest"]["publishingInformation"]["locales"]["en-GB"]["name"] = "Other"
    data["manifest"]["permissions"] = [{"name": "alexa::alerts:reminders:skill:readwrite"}]
    path.write_text(json.dumps(data))
    assert drifted_manifest(tmp_path, load_listing(), load_interaction())
    write_manifest(tmp_path, load_listing(), load_interaction())
    assert drifted_manifest(tmp_path, load_listing(), load_interaction()) == []
    written = json.loads(path.read_text())["manifest"]
    assert written["permissions"] == data["manifest"]["permissions"]
    assert written["publishingInformation"]["locales"]["en-GB"]["name"] == "Spine Stretch Coach"


def test_every_locale_of_the_model_has_its_listing_and_privacy_pages() -> None:
    locales = set(load_interaction().locales)
    assert locales == {"en-US", "en-GB", "en-CA", "en-AU", "en-IN"}
    info = manifest()
    assert set(info["publishingInformation"]["locales"]) == locales
    assert set(info["privacyAndCompliance"]["locales"]) == locales
    for locale in locales:
        listing = info["publishingInformation"]["locales"][locale]
        assert listing["smallIconUri"].endswith(".png")
        assert listing["smallIconUri"].startswith("https://")
        assert "not a substitute for professional medical advice" in listing["description"]
        urls = info["privacyAndCompliance"]["locales"][locale]
        assert urls["privacyPolicyUrl"].startswith("https://")
        assert urls["termsOfUseUrl"].startswith("https://")


def test_the_privacy_answers_are_the_truthful_ones() -> None:
    answers = manifest()["privacyAndCompliance"]
    assert (answers["allowsPurchases"], answers["usesPersonalInfo"], answers["isChildDirected"],
            answers["containsAds"], answers["isExportCompliant"]) == (
        False, False, False, False, True)
    assert "delete my data" in manifest()["publishingInformation"]["testingInstructions"].lower()


def test_the_manifest_declares_name_free_requests_and_subscribes_to_disabling() -> None:
    info = manifest()
    interfaces = {i["type"] for i in info["apis"]["custom"]["interfaces"]}
    assert "CAN_FULFILL_INTENT_REQUEST" in interfaces
    events = info["events"]
    assert {"eventName": "SKILL_DISABLED"} in events["subscriptions"]
    assert events["endpoint"]["uri"] == info["apis"]["custom"]["endpoint"]["uri"]


def test_the_committed_icons_are_the_source_rendered_at_both_sizes() -> None:
    pytest.importorskip("resvg_py", reason="pip install 'spine-stretch-coach[store]'")
    assert drifted_icons(ROOT) == []
    for size in SIZES:
        data = icon_path(ROOT, size).read_bytes()
        assert png_size(data) == (size, size)
        assert len(data) < 64 * 1024  # small enough to keep in git


def test_a_changed_icon_is_drift(tmp_path: Path) -> None:
    pytest.importorskip("resvg_py", reason="pip install 'spine-stretch-coach[store]'")
    for size in SIZES:
        target = icon_path(tmp_path, size)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(icon_path(ROOT, size), target)
    assert drifted_icons(tmp_path) == []
    icon_path(tmp_path, 512).write_bytes(icon_path(ROOT, 108).read_bytes())
    assert drifted_icons(tmp_path) == [f"{icon_path(tmp_path, 512)} differs from "
                                       "content/icon.svg rendered at 512 px"]


@pytest.mark.parametrize(("path", "facts"), [
    ("/privacy", ["pain", "delete my data", "30 days", "not sold"]),
    ("/terms", ["not a substitute for professional medical advice", "Stop at once"]),
])
def test_the_web_app_serves_the_policy_pages(content: Content, path: str,
                                             facts: list[str]) -> None:
    client = create_app(build_skill(content, MemoryStore(), random.Random(0))).test_client()
    page = client.get(path)
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert text.startswith("<!doctype html>") and "<script" not in text
    for fact in facts:
        assert fact in text, fact
