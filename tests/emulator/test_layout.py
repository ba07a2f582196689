"""The emulator's import arrows, read from its source with ``ast``: it stands apart from the provider, and the
services sit below the app, the backend and the control plane (docs/emulator.md, "Map of the code")."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import pulumi_qlik.emulator
from pulumi_qlik.emulator.services import SERVICES

EMULATOR_DIR = Path(pulumi_qlik.emulator.__file__).parent
ALLOWED_OUTSIDE = ("pulumi_qlik.regions",)
"""The one module of the provider package the emulator shares: the region table and the console host."""
ABOVE_THE_SERVICES = (
    "pulumi_qlik.emulator.app",
    "pulumi_qlik.emulator.backend",
    "pulumi_qlik.emulator.control",
    "pulumi_qlik.emulator.server",
    "pulumi_qlik.emulator.__main__",
)


def _module_name(path: Path) -> str:
    parts = path.relative_to(EMULATOR_DIR.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_modules(path: Path) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of everything the file imports, relative imports resolved.

    ``from a.b import c`` gives ``a.b.c`` (c may be a submodule or a name in a.b: both lie under a.b).
    """
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            for alias in node.names:
                yield node.lineno, f"{module}.{alias.name}"


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def _sources() -> list[Path]:
    return sorted(EMULATOR_DIR.rglob("*.py"))


def test_layout__the_scan_sees_every_module_and_resolves_relative_imports() -> None:
    services = EMULATOR_DIR / "services" / "tenants" / "rules.py"
    assert services in _sources()
    imported = {module for _, module in _imported_modules(services)}
    assert "pulumi_qlik.emulator.domain.Domain" in imported
    assert "pulumi_qlik.emulator.services.licenses.rules.Licenses" in imported
    assert "pulumi_qlik.regions.Region" in imported


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(EMULATOR_DIR)))
def test_layout__emulator_imports_nothing_of_the_provider_but_regions(path: Path) -> None:
    crossing = [
        f"line {line}: {module}"
        for line, module in _imported_modules(path)
        if _within(module, "pulumi_qlik")
        and not _within(module, "pulumi_qlik.emulator")
        and not any(_within(module, allowed) for allowed in ALLOWED_OUTSIDE)
    ]
    assert crossing == [], f"{path.name} imports from the provider package outside {ALLOWED_OUTSIDE}"


@pytest.mark.parametrize(
    "path", sorted((EMULATOR_DIR / "services").rglob("*.py")), ids=lambda p: str(p.relative_to(EMULATOR_DIR))
)
def test_layout__services_never_import_the_layers_above_them(path: Path) -> None:
    upward = [
        f"line {line}: {module}"
        for line, module in _imported_modules(path)
        if any(_within(module, above) for above in ABOVE_THE_SERVICES)
    ]
    assert upward == []


def test_layout__every_service_folder_is_registered_once() -> None:
    folders = {p.name for p in (EMULATOR_DIR / "services").iterdir() if (p / "__init__.py").exists()}
    names = [service.name for service in SERVICES]
    assert sorted(names) == sorted(folders)
    assert len(set(names)) == len(names)
