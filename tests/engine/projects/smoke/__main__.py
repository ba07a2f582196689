"""A trivial dynamic resource, defined here so dill pickles it by value into the state."""

from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, ResourceProvider, UpdateResult


class EchoProvider(ResourceProvider):
    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(id_=f"echo-{props['message']}", outs=_outputs(props))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return DiffResult(changes=olds.get("message") != news.get("message"))

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(outs=_outputs(news))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        return ReadResult(id_=id_, outs=props)


def _outputs(props: dict[str, Any]) -> dict[str, Any]:
    return {"message": props["message"], "length": len(props["message"])}


class Echo(Resource):
    message: pulumi.Output[str]
    length: pulumi.Output[int]

    def __init__(self, name: str, message: str) -> None:
        super().__init__(EchoProvider(), name, {"message": message, "length": None})


echo = Echo("greeting", pulumi.Config().get("message") or "hello")
pulumi.export("length", echo.length)
