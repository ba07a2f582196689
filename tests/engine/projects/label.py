"""`Label`: a dynamic resource whose output is known only once it exists (a DNS zone, a bucket, ...).

Shared by the test projects: `copy_project(..., modules=[LABEL_MODULE])` puts this file next to a project's
`__main__.py`. dill pickles `LabelProvider` by reference (module `label`), so the provider process imports it from
the project directory, where the engine starts it.
"""

from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, ResourceProvider


class LabelProvider(ResourceProvider):
    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(
            id_=f"label-{props['seed']}", outs={"seed": props["seed"], "value": f"{props['seed']}-lbl"}
        )

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return DiffResult(changes=olds.get("seed") != news.get("seed"), replaces=["seed"])

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        return ReadResult(id_=id_, outs=props)


class Label(Resource):
    """`value` is `<seed>-lbl`: a valid DNS label when the seed is one, and a valid display name."""

    value: pulumi.Output[str]

    def __init__(self, name: str, seed: str) -> None:
        super().__init__(LabelProvider(), name, {"seed": seed, "value": None})
