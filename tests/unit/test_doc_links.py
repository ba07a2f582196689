"""The links between the project's Markdown pages (README, CHANGELOG, docs, examples) resolve: the file exists,
and so does the heading an anchor names.

The README links the reference under docs/resources/, whose pages link back to README sections by anchor
(`#what-every-object-on-a-tenant-promises`); moving or renaming a section must not leave a dead link behind.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / "docs" / "resources" / "notes"
PAGES = [
    ROOT / "README.md",
    ROOT / "CHANGELOG.md",
    *sorted(p for p in (ROOT / "docs").rglob("*.md") if p.parent != NOTES),
    *sorted((ROOT / "examples").rglob("README.md")),
]
"""Not the notes: the generator copies them into docs/resources/<x>.md, where their links are relative to."""
LINK = re.compile(r"\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```$", re.MULTILINE | re.DOTALL)
CODE = re.compile(r"`[^`\n]*`")


def prose(markdown: Path) -> str:
    """The page without its code blocks and code spans (`f(x)[0](y)` is no link)."""
    return CODE.sub("", FENCE.sub("", markdown.read_text(encoding="utf-8")))


def anchors(markdown: Path) -> set[str]:
    """The anchors GitHub gives the page's headings: lower-case, punctuation dropped, spaces as hyphens."""
    seen: dict[str, int] = {}
    found = set()
    for heading in re.findall(
        r"^#+ (.+)$", FENCE.sub("", markdown.read_text(encoding="utf-8")), re.MULTILINE
    ):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def dead_links(page: Path) -> list[str]:
    dead = []
    for target in LINK.findall(prose(page)):
        if re.match(r"[a-z]+:", target):
            continue  # another site
        path_part, _, anchor = target.partition("#")
        linked = (page.parent / path_part).resolve() if path_part else page
        if not linked.exists():
            dead.append(f"{target} (no such file)")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            dead.append(f"{target} (no such heading)")
    return dead


def test_the_slug_of_a_heading_is_githubs() -> None:
    page = ROOT / "docs" / "resources" / "app_deployment.md"
    assert "reading-the-source-app-get_app_output" in anchors(page)
    assert "what-every-object-on-a-tenant-promises" in anchors(ROOT / "README.md")


def test_every_relative_link_of_the_readme_docs_and_examples_resolves() -> None:
    dead = {page.relative_to(ROOT).as_posix(): dead_links(page) for page in PAGES}
    assert not {page: links for page, links in dead.items() if links}
