"""`count` no-op dynamic resources whose create and read each wait `latency` seconds (one round trip).

The provider is defined here, so it is pickled by value and served by Pulumi's stock dynamic provider (four
workers): the floor that `make bench` compares QlikTenant with.
"""

import time
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, ResourceProvider

config = pulumi.Config()
count = config.require_int("count")
latency = config.require_float("latency")


class RoundTrip(ResourceProvider):
    def create(self, props: dict[str, Any]) -> CreateResult:
        time.sleep(props["latency"])
        return CreateResult(id_=props["index"], outs=props)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return DiffResult(changes=olds.get("index") != news.get("index"))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        time.sleep(props["latency"])
        return ReadResult(id_=id_, outs=props)


class NoOp(Resource):
    def __init__(self, name: str, index: str) -> None:
        super().__init__(RoundTrip(), name, {"index": index, "latency": latency})


for i in range(count):
    NoOp(f"noop-{i:03d}", f"{i:03d}")
