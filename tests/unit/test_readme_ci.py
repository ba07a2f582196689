"""The README's GitHub Actions workflow passes actionlint (syntax, expressions, action inputs, `run:` scripts
with shellcheck where it is installed) as written. tests/engine/test_readme_commands.py runs its scripts."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.readme import README, REPO_ROOT, fenced_blocks


def _actionlint() -> str:
    out = subprocess.run(
        [REPO_ROOT / "scripts" / "ensure-actionlint.sh"], check=True, capture_output=True, text=True
    ).stdout
    return out.strip().splitlines()[-1]


def test_readme_workflows__pass_actionlint(tmp_path: Path) -> None:
    workflows = fenced_blocks(README, "yaml")
    assert workflows, "the README has no ```yaml block"
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    files = [folder / f"readme-{index}.yml" for index in range(len(workflows))]
    for file, workflow in zip(files, workflows, strict=True):
        file.write_text(workflow)

    lint = subprocess.run(
        [_actionlint(), "-no-color", *files],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    findings = lint.stdout + lint.stderr
    assert not findings, f"actionlint on the README's workflow:\n{findings}"
    assert lint.returncode == 0
