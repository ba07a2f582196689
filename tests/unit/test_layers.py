"""The package's layers, read from every module's imports: arrows point down only (docs/architecture.md).

regions -> client -> operations (and config) -> engine -> resources / functions -> the package's entry points.
The client, the operations and the settings never import the Pulumi SDK; the emulator shares only `regions`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import pulumi_qlik

PACKAGE_DIR = Path(pulumi_qlik.__file__).parent

# Rank of each top-level part of the package: a module may import its own rank or lower, never higher.
RANKS = {
    "regions": 0,
    "client": 1,
    "config": 2,
    "operations": 2,
    "engine": 3,
    "resources": 4,
    "functions": 4,
    # Entry points and the compatibility re-exports sit on top of everything.
    "__init__": 5,
    "__main__": 5,
    "import_command": 5,
    "tenant": 5,
    "user": 5,
    "entitlement": 5,
    "policy": 5,
    "fleet": 5,
}
WITHOUT_PULUMI = ("regions", "client", "config", "operations")


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = path.relative_to(PACKAGE_DIR).with_suffix("").parts
        if parts[0] == "emulator":
            continue
        name = ".".join(("pulumi_qlik", *parts))
        found[name.removesuffix(".__init__") if parts[-1] == "__init__" and len(parts) > 1 else name] = path
    return found


def _imports(module: str, path: Path) -> set[str]:
    """Every module `module` imports (relative imports resolved), type-checking-only ones included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            names.add(target)
            # `from pulumi_qlik.engine import concurrency` imports a module too.
            names.update(f"{target}.{alias.name}" for alias in node.names)
    return names


def _part(module: str) -> str | None:
    """The top-level part of the package a module name belongs to (None: not in the package)."""
    parts = module.split(".")
    if parts[0] != "pulumi_qlik":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


MODULES = _modules()


def test_every_module_has_a_layer() -> None:
    unranked = sorted(m for m in MODULES if _part(m) not in RANKS)
    assert not unranked, f"give these modules a layer in RANKS (and docs/architecture.md): {unranked}"
    assert {
        "pulumi_qlik.client._client",
        "pulumi_qlik.operations.orphans",
        "pulumi_qlik.engine.provider",
    } <= set(MODULES)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down_only(module: str) -> None:
    own = _part(module)
    assert own is not None
    upward = sorted(
        target
        for target in _imports(module, MODULES[module])
        if (part := _part(target)) is not None and part in RANKS and RANKS[part] > RANKS[own]
    )
    assert not upward, f"{module} (layer {own}) imports from a higher layer: {upward}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _part(m) in WITHOUT_PULUMI))
def test_client_operations_and_settings_never_import_pulumi(module: str) -> None:
    pulumi_imports = sorted(
        target for target in _imports(module, MODULES[module]) if target.split(".")[0] == "pulumi"
    )
    assert not pulumi_imports, f"{module} imports the Pulumi SDK: {pulumi_imports}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_nothing_outside_the_emulator_imports_it(module: str) -> None:
    emulator = sorted(t for t in _imports(module, MODULES[module]) if _part(t) == "emulator")
    assert not emulator, f"{module} imports the emulator: {emulator}"


def test_the_emulator_shares_only_the_region_table() -> None:
    shared = set()
    for path in sorted((PACKAGE_DIR / "emulator").rglob("*.py")):
        parts = path.relative_to(PACKAGE_DIR).with_suffix("").parts
        module = ".".join(("pulumi_qlik", *parts))
        shared |= {
            part
            for target in _imports(module, path)
            if (part := _part(target)) is not None and part != "emulator"
        }
    assert shared <= {"regions"}, f"the emulator imports more of the package than regions: {sorted(shared)}"


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    """The checker itself: an upward relative import and a `pulumi` import are both found."""
    module = tmp_path / "bad.py"
    module.write_text("from ..engine.provider import QlikProvider\nimport pulumi.dynamic\n", encoding="utf-8")
    found = _imports("pulumi_qlik.operations.bad", module)
    assert "pulumi_qlik.engine.provider" in found
    assert "pulumi.dynamic" in found
