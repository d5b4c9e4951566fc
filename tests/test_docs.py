"""README and docs/: every relative link and heading anchor resolves; every guide is reachable."""

from __future__ import annotations

import re
from pathlib import Path

from tests.paths import ROOT

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.M | re.S)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text("utf-8"))
    return {slug(m.group(1)) for m in re.finditer(r"^#{1,6} (.+)$", text, re.M)}


def broken_links(pages: list[Path]) -> list[str]:
    """Each relative link of `pages` whose file, or heading within it, does not exist."""
    broken = []
    for page in pages:
        for target in LINK.findall(FENCE.sub("", page.read_text("utf-8"))):
            if re.match(r"[a-z]+:", target):  # https:, mailto: ...: not ours to check
                continue
            file_part, _, anchor = target.partition("#")
            resolved = (page.parent / file_part).resolve() if file_part else page
            if not resolved.exists():
                broken.append(f"{page.name}: {target} (no such file)")
            elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
                broken.append(f"{page.name}: {target} (no such heading)")
    return broken


def pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_every_relative_link_resolves() -> None:
    assert broken_links(pages()) == []


def test_a_broken_link_or_anchor_is_caught(tmp_path: Path) -> None:
    (tmp_path / "guide.md").write_text("# A guide\n\n## Real part\n")
    page = tmp_path / "README.md"
    page.write_text("[ok](guide.md#real-part) [gone](missing.md) [bad](guide.md#nowhere)\n"
                    "[web](https://example.org/x) [self](#title)\n# Title\n")
    assert broken_links([page]) == ["README.md: missing.md (no such file)",
                                    "README.md: guide.md#nowhere (no such heading)"]


def test_readme_is_short_and_links_every_guide() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert len(readme.splitlines()) <= 120
    assert "make run" in readme and "make test" in readme
    linked = {Path(t).name for t in LINK.findall(readme) if t.startswith("docs/")}
    assert linked == {p.name for p in (ROOT / "docs").glob("*.md")}


def test_every_guide_links_back_and_to_its_neighbours() -> None:
    for guide in sorted((ROOT / "docs").glob("*.md")):
        targets = LINK.findall(guide.read_text("utf-8"))
        assert "../README.md" in targets, guide.name
        assert any(t.endswith(".md") and not t.startswith("../") for t in targets), guide.name
