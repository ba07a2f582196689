"""The reference resources' provider, in a module of its own so that it is pickled by reference, as
QlikTenant's provider is (a class defined in the program's `__main__` is pickled by value, which costs the
program a serialization of the class for every resource and would make the reference slower than it is).

`bench/fleet.py` puts this directory on the PYTHONPATH of the run, so the provider process can import it.
"""

import threading
from typing import Any

from pulumi.dynamic import ConfigureRequest, CreateResult, DiffResult, ReadResult, ResourceProvider

WORKERS = 64


class ReferenceProvider(ResourceProvider):
    def configure(self, req: ConfigureRequest) -> None:
        # Imported here, in the provider process, so that the program imports nothing of pulumi_qlik.
        from pulumi_qlik.engine.concurrency import widen_worker_pool

        widen_worker_pool(WORKERS)
        self.http: Any = None
        self.lock = threading.Lock()

    def _round_trip(self, props: dict[str, Any]) -> None:
        if not props["url"]:
            return
        with self.lock:
            if self.http is None:
                import httpx

                self.http = httpx.Client(base_url=props["url"], timeout=30)
        # Unauthenticated: the emulator answers 401 after the full request pipeline (host lookup, latency).
        self.http.get("/api/v1/tenants/me", headers={"Host": props["host"]})

    def create(self, props: dict[str, Any]) -> CreateResult:
        self._round_trip(props)
        return CreateResult(id_=props["index"], outs=props)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return DiffResult(changes=olds.get("index") != news.get("index"))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        self._round_trip(props)
        return ReadResult(id_=id_, outs=props)
