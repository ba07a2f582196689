"""A trivial dynamic resource in an importable module, for the Automation API smoke test."""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, Resource, ResourceProvider


class EchoProvider(ResourceProvider):
    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(id_=f"echo-{props['message']}", outs={**props, "length": len(props["message"])})

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return DiffResult(changes=olds.get("message") != news.get("message"))


class Echo(Resource):
    length: pulumi.Output[int]

    def __init__(self, name: str, message: str) -> None:
        super().__init__(EchoProvider(), name, {"message": message, "length": None})
