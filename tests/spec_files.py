"""Qlik's spec files for the spec judge (``tests/spec_judge.py``): where they are, and how a file is named.

The specs are Qlik's, mirrored (``SOURCES.md`` beside them). They are not vendored: the mirror carries no
licence. They are found in ``$QLIK_OPENAPI_DIR`` or in ``shared/qlik-openapi`` beside the repository or one
of its parent folders (CI keeps ``shared/`` beside its clone); when they are missing the judge fails with a
message saying so, it never skips.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

SPEC_DIR_ENV = "QLIK_OPENAPI_DIR"
SPEC_SUBDIR = Path("shared") / "qlik-openapi"
SPEC_GLOB = "qliksense-*-api-openapi.yml"


class SpecsMissing(RuntimeError):
    """Qlik's spec files cannot be found: the judge refuses to run rather than skip."""


def find_spec_dir(start: Path | None = None) -> Path:
    """``$QLIK_OPENAPI_DIR``, else the first ``shared/qlik-openapi`` beside the repository or above it."""
    configured = os.environ.get(SPEC_DIR_ENV)
    if configured:
        found = Path(configured)
        if not any(found.glob(SPEC_GLOB)):
            raise SpecsMissing(f"{SPEC_DIR_ENV}={configured} holds no {SPEC_GLOB} file")
        return found
    repo = (start or Path(__file__)).resolve().parent
    while not (repo / "pyproject.toml").exists() and repo.parent != repo:
        repo = repo.parent
    for folder in [repo, *repo.parents]:
        candidate = folder / SPEC_SUBDIR
        if any(candidate.glob(SPEC_GLOB)):
            return candidate
    raise SpecsMissing(
        f"Qlik's OpenAPI specs were not found: the emulator's contract tests judge every answer against them."
        f" Put the spec files ({SPEC_GLOB}) in {SPEC_SUBDIR} beside the repository (as CI has them) or set"
        f" {SPEC_DIR_ENV} to their folder."
    )


def api_name(path: Path) -> str:
    return path.name.removeprefix("qliksense-").removesuffix("-api-openapi.yml")


def json_for_any_media_type(document: dict[str, Any]) -> None:
    """A request body declared ``*/*`` with a JSON schema (the apps spec's) is read as JSON too: openapi-core
    cannot deserialise ``*/*``, and a JSON body is what those schemas (``CreateApp``...) describe."""
    for item in document.get("paths", {}).values():
        for operation in item.values():
            content = (
                operation.get("requestBody", {}).get("content", {}) if isinstance(operation, dict) else {}
            )
            schema = content.get("*/*", {}).get("schema")
            if schema is not None and schema.get("format") != "binary" and "application/json" not in content:
                content["application/json"] = {"schema": schema}
