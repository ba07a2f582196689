"""`pulumi-analyzer-policy-qlik`: the policy pack as an executable analyzer plugin, the form to give
`pulumi up --policy-pack` (`python -m pulumi_qlik policy-pack` prints its path).

Why an executable and not the folder: the engine runs a folder whose `PulumiPolicy.yaml` says `runtime: python`
through the Python language host's `RunPlugin`, and the host this repository builds offline (sdk/v3 v3.68.0, see
scripts/ensure-pulumi.sh) predates the request field that names the pack's folder: it starts the *program's*
`__main__.py` instead. An executable given to `--policy-pack` the engine starts directly (v3.274.1,
`pkg/resource/plugin/analyzer_plugin.go`: "launch it directly as a binary analyzer plugin"), with its
`PulumiPolicy.yaml` beside it optional, and reads the port it serves on from its stdout. The engine of v3.274.1
no longer looks for a `pulumi-analyzer-policy-python` shim at all.
"""

from __future__ import annotations

import runpy

from pulumi_qlik.policy import PACK_DIRECTORY


def main() -> None:
    runpy.run_path(str(PACK_DIRECTORY), run_name="__main__")  # serves until the engine stops it
