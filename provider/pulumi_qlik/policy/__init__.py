"""The pulumi-qlik policy pack (Pulumi CrossGuard): `pulumi up --policy-pack "$(python -m pulumi_qlik policy-pack)"`.

This folder is the pack: `PulumiPolicy.yaml` and `__main__.py` (the `pulumi_policy` glue), the rules in
`rules.py`. See docs/fleet-operations.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

PACK_DIRECTORY: Final = Path(__file__).resolve().parent
"""The folder to give `--policy-pack`."""
