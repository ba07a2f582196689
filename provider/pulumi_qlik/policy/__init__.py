"""The pulumi-qlik policy pack (Pulumi CrossGuard): `pulumi up --policy-pack "$(python -m pulumi_qlik policy-pack)"`.

`__main__.py` serves the rules of `rules.py` with `pulumi_policy`; the engine starts it as the executable
`pulumi-analyzer-policy-qlik` (`analyzer.py`, installed with the package). See docs/fleet-operations.md.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Final

PACK_DIRECTORY: Final = Path(__file__).resolve().parent
ANALYZER: Final = "pulumi-analyzer-policy-qlik"


def analyzer_path() -> Path:
    """The executable to give `--policy-pack`: installed beside this interpreter (the virtualenv's `bin/`)."""
    beside = Path(sys.executable).parent / ANALYZER
    found = beside if beside.exists() else shutil.which(ANALYZER)
    if found is None:
        raise FileNotFoundError(f"{ANALYZER} is not installed: reinstall pulumi-qlik in this virtualenv")
    return Path(found).absolute()
