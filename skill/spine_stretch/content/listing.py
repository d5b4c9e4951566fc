"""The store listing (content/store.yaml): what the Alexa store shows, the privacy answers,
and the privacy policy and terms of use, with the one way those pages are written as HTML."""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass
from typing import Any

from . import Reader, read_yaml

FILE = "store.yaml"


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    title: str
    updated: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Compliance:
    allows_purchases: bool
    uses_personal_info: bool
    is_child_directed: bool
    is_export_compliant: bool
    contains_ads: bool


@dataclass(frozen=True)
class Listing:
    published_at: str  # HTTPS base the files below are published under
    files: dict[str, str]  # small_icon, large_icon, privacy, terms -> path under published_at
    name: str
    category: str
    summary: str
    description: str
    example_phrases: tuple[str, ...]
    keywords: tuple[str, ...]
    testing_instructions: str
    compliance: Compliance
    pages: dict[str, Page]  # privacy, terms

    def url(self, file: str) -> str:
        """The published address of one of `files` (KeyError for another name)."""
        return f"{self.published_at.rstrip('/')}/{self.files[file]}"


FILE_KEYS = ("small_icon", "large_icon", "privacy", "terms")
PAGE_KEYS = ("privacy", "terms")


def _page(reader: Reader) -> Page:
    sections = tuple(Section(item.get("heading", str), item.strings("paragraphs"))
                     for item in reader.items("sections"))
    # YAML reads an unquoted 2026-12-08 as a date: either spelling is a date here.
    return Page(reader.get("title", str), str(reader.child("updated").data), sections)


def parse_listing(data: Any, file: str = FILE) -> Listing:
    root = Reader(file, data)
    published = root.get("published_at", str)
    if not published.startswith("https://"):
        raise root.child("published_at").fail("must be an https:// URL (Alexa fetches icons "
                                              "and pages over HTTPS only)")
    files = {key: root.child("files").get(key, str) for key in FILE_KEYS}
    answers = root.child("privacy_and_compliance")
    compliance = Compliance(*(answers.get(name, bool) for name in (
        "allows_purchases", "uses_personal_info", "is_child_directed", "is_export_compliant",
        "contains_ads")))
    return Listing(
        published_at=published,
        files=files,
        name=root.get("name", str),
        category=root.get("category", str),
        summary=root.get("summary", str),
        description=root.get("description", str),
        example_phrases=root.strings("example_phrases"),
        keywords=root.strings("keywords"),
        testing_instructions=root.get("testing_instructions", str),
        compliance=compliance,
        pages={key: _page(root.child("pages").child(key)) for key in PAGE_KEYS},
    )


@functools.cache
def load_listing() -> Listing:
    return parse_listing(read_yaml(FILE))


def page_html(page: Page) -> str:
    """The page as a small, self-contained HTML document (no scripts, no outside files)."""
    esc = html.escape
    body = [f"<h1>{esc(page.title)}</h1>", f"<p><em>Last updated {esc(page.updated)}</em></p>"]
    for section in page.sections:
        body.append(f"<h2>{esc(section.heading)}</h2>")
        body += [f"<p>{esc(paragraph)}</p>" for paragraph in section.paragraphs]
    return "\n".join([
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(page.title)}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;"
        "padding:0 1rem;line-height:1.5;color:#1f2933}h1{color:#0f5e59}</style>",
        "</head>",
        "<body>",
        *body,
        "</body>",
        "</html>",
        "",
    ])
