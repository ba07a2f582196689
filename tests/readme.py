"""The code blocks of the project's Markdown files, so tests can run and lint them as a user copies them."""

from __future__ import annotations

import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
README = REPO_ROOT / "README.md"


def fenced_blocks(markdown: Path, language: str) -> list[str]:
    """The bodies of the ```LANGUAGE blocks of `markdown`, in order."""
    fence = re.compile(rf"^```{re.escape(language)}\n(.*?)^```$", re.MULTILINE | re.DOTALL)
    return fence.findall(markdown.read_text())
