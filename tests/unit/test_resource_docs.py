"""The reference pages under docs/resources/ are generated from the specs: a stale page fails here."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from pulumi_qlik.engine.object_spec import REGISTRY

ROOT = Path(__file__).resolve().parents[2]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gen_resource_docs", ROOT / "scripts" / "gen-resource-docs.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_spec_has_a_page_and_every_page_is_up_to_date() -> None:
    pages = _generator().pages()
    assert len(pages) == len(REGISTRY) >= 7
    stale = [
        path.relative_to(ROOT).as_posix()
        for path, text in pages.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    assert not stale, f"stale reference pages {stale}: run `.venv/bin/python scripts/gen-resource-docs.py`"


def test_a_page_lists_every_input_with_how_its_change_is_applied() -> None:
    generator = _generator()
    group = REGISTRY["QlikGroup"]
    page = generator.page(group)
    for field in group.fields:
        assert f"| `{field.name}` |" in page
    assert "| `name` | yes | replaces (the old one first) |" in page
    assert "| `assigned_roles` |  | in place |" in page
    assert "| `description` |  | in place | keeps Qlik's value |" in page
