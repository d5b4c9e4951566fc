"""interaction_model/skill.json: its store and privacy sections generated from
content/store.yaml for every locale of the model; the rest of the file (endpoint,
interfaces, events, permissions) is edited by hand and kept as it is."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from ..content.listing import FILE, Listing
from .source import InteractionSource


def manifest_path(root: Path) -> Path:
    return root / "interaction_model" / "skill.json"


def publishing_information(listing: Listing, locales: tuple[str, ...]) -> dict[str, Any]:
    per_locale = {
        "name": listing.name,
        "summary": listing.summary,
        "description": listing.description,
        "examplePhrases": list(listing.example_phrases),
        "keywords": list(listing.keywords),
        "smallIconUri": listing.url("small_icon"),
        "largeIconUri": listing.url("large_icon"),
    }
    return {
        "locales": {locale: dict(per_locale) for locale in locales},
        "isAvailableWorldwide": True,
        "testingInstructions": listing.testing_instructions,
        "category": listing.category,
        "distributionCountries": [],
    }


def privacy_and_compliance(listing: Listing, locales: tuple[str, ...]) -> dict[str, Any]:
    answers = listing.compliance
    return {
        "allowsPurchases": answers.allows_purchases,
        "usesPersonalInfo": answers.uses_personal_info,
        "isChildDirected": answers.is_child_directed,
        "isExportCompliant": answers.is_export_compliant,
        "containsAds": answers.contains_ads,
        "locales": {locale: {"privacyPolicyUrl": listing.url("privacy"),
                             "termsOfUseUrl": listing.url("terms")} for locale in locales},
    }


def build_manifest(current: dict[str, Any], listing: Listing,
                   source: InteractionSource) -> dict[str, Any]:
    """`current` with its generated sections replaced (in place of the old ones, so the
    file's order of keys stays as it was)."""
    manifest = copy.deepcopy(current)
    body = manifest.setdefault("manifest", {})
    body["publishingInformation"] = publishing_information(listing, source.locales)
    body["privacyAndCompliance"] = privacy_and_compliance(listing, source.locales)
    return manifest


def manifest_text(root: Path, listing: Listing, source: InteractionSource) -> str:
    current = json.loads(manifest_path(root).read_text(encoding="utf-8"))
    return json.dumps(build_manifest(current, listing, source), indent=2,
                      ensure_ascii=False) + "\n"


def write_manifest(root: Path, listing: Listing, source: InteractionSource) -> Path:
    path = manifest_path(root)
    path.write_text(manifest_text(root, listing, source), encoding="utf-8")
    return path


def drifted_manifest(root: Path, listing: Listing, source: InteractionSource) -> list[str]:
    path = manifest_path(root)
    if not path.exists():
        return [f"{path} is missing"]
    if path.read_text(encoding="utf-8") != manifest_text(root, listing, source):
        return [f"{path}: its store or privacy sections differ from content/{FILE}"]
    return []
