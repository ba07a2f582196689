"""The reference pages under docs/resources/ are generated from the specs: a stale page fails here."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from pulumi_qlik.engine.object_spec import REGISTRY

ROOT = Path(__file__).resolve().parents[2]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gen_resource_docs", ROOT / "scripts" / "gen-resource-docs.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_every_spec_has_a_page_and_every_page_is_up_to_date() -> None:
    generator = _generator()
    pages = generator.pages()
    assert len(pages) == len(REGISTRY) + 1 >= 8  # and the index
    assert generator.DOCS / generator.INDEX in pages
    stale = [
        path.relative_to(ROOT).as_posix()
        for path, text in pages.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    assert not stale, f"stale reference pages {stale}: run `make docs`"


def test_a_page_lists_every_input_with_how_its_change_is_applied() -> None:
    generator = _generator()
    group = REGISTRY["QlikGroup"]
    page = generator.page(group)
    for field in group.fields:
        assert f"| `{field.name}` |" in page
    assert "| `name` | yes | replaces (the old one first) |" in page
    assert "| `assigned_roles` |  | in place |" in page
    assert "| `description` |  | in place | keeps Qlik's value |" in page


def test_the_index_lists_every_resource_the_package_exports_and_its_page_exists() -> None:
    import pulumi_qlik

    generator = _generator()
    index = generator.pages()[generator.DOCS / generator.INDEX]
    resources = [
        name for name in pulumi_qlik.__all__ if name.startswith("Qlik") and not name.endswith("Args")
    ]
    assert len(resources) >= 10
    missing = [name for name in resources if f"| `{name}` |" not in index]
    assert not missing, (
        f"resources missing from docs/resources/README.md: {missing} (add a hand-written entry)"
    )
    for page in re.findall(r"\]\(([a-z_]+\.md)\)", index):
        assert (generator.DOCS / page).exists(), page


def test_hand_written_pages_exist_and_the_generator_never_writes_them() -> None:
    generator = _generator()
    written = set(generator.pages())
    for entry in generator.HAND_WRITTEN:
        path = generator.DOCS / entry.page
        assert path.exists(), path
        assert not generator.is_generated(path.read_text(encoding="utf-8")), path
        if entry.resource not in REGISTRY:
            assert path not in written


def test_no_generated_page_is_left_over_from_a_spec_that_is_gone() -> None:
    generator = _generator()
    on_disk = {
        p for p in generator.DOCS.glob("*.md") if generator.is_generated(p.read_text(encoding="utf-8"))
    }
    assert on_disk == set(generator.pages())


def test_write__refuses_to_overwrite_a_hand_written_page_and_removes_a_stale_generated_one(
    tmp_path: Path,
) -> None:
    generator = _generator()
    hand = tmp_path / "tenant.md"
    hand.write_text("# `QlikTenant`\n\nWritten by hand.\n", encoding="utf-8")
    stale = tmp_path / "gone.md"
    stale.write_text(generator.HEADER + "\n\n# `QlikGone`\n", encoding="utf-8")

    with pytest.raises(ValueError, match=r"tenant\.md is written by hand.*notes/tenant\.md"):
        generator.write({hand: generator.HEADER + "\n"}, tmp_path)
    assert hand.read_text(encoding="utf-8") == "# `QlikTenant`\n\nWritten by hand.\n"
    assert stale.exists()  # nothing is done when one page is refused

    fresh = tmp_path / "group.md"
    assert generator.write({fresh: generator.HEADER + "\n"}, tmp_path) == [
        "removed gone.md",
        "wrote group.md",
    ]
    assert not stale.exists()
    assert hand.exists()
    assert generator.write({fresh: generator.HEADER + "\n"}, tmp_path) == []


def test_a_page_carries_its_hand_written_notes_and_the_order_is_the_modules() -> None:
    generator = _generator()
    space = generator.page(REGISTRY["QlikSpace"])
    notes = (generator.NOTES / "space.md").read_text(encoding="utf-8").strip()
    assert f"## Behaviour\n\n{notes}\n" in space
    assert "412" in space
    order = [generator.file_name(spec).removesuffix(".md") for spec in generator.specs_in_order()]
    from pulumi_qlik.resources import SPEC_MODULES

    assert order[: len(SPEC_MODULES)] == list(SPEC_MODULES)


def test_first_sentence__stops_at_a_sentence_not_at_an_abbreviation() -> None:
    first = _generator().first_sentence
    assert (
        first("A person (e.g. an admin), invited. Destroy deletes it.")
        == "A person (e.g. an admin), invited."
    )
    assert first("One sentence only.") == "One sentence only."
