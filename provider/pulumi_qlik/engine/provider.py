"""The base of every provider: configured from the stack config in its own process, one Qlik client per region.

Secret inputs are hidden from its log and errors (:mod:`.secret_inputs`); the dynamic-provider server's worker
pool is widened (:mod:`.concurrency`).
"""

from __future__ import annotations

import threading

from pulumi.dynamic import ConfigureRequest, ResourceProvider

from pulumi_qlik.client import QlikClient
from pulumi_qlik.config import QlikSettings, load_settings
from pulumi_qlik.operations.factories import qlik_client
from pulumi_qlik.regions import Region

from .concurrency import widen_worker_pool
from .redaction import configure_logging


class QlikProvider(ResourceProvider):
    """A dynamic provider configured from the stack config in its own process, with one Qlik client per region.

    Instances are pickled into the state by reference to their class and hold nothing until `configure()`:
    credentials and clients never travel with the pickle.
    """

    _settings: QlikSettings | None = None

    def configure(self, req: ConfigureRequest) -> None:
        self._settings = load_settings(req.config._props)
        self._clients: dict[str, QlikClient] = {}
        self._clients_lock = threading.Lock()
        configure_logging(self._settings.log_file)
        widen_worker_pool(self._settings.provider_workers)

    def close(self) -> None:
        """Close the HTTP clients (the engine just ends the process; tests driving a provider call this)."""
        if "_clients_lock" not in self.__dict__:
            return
        with self._clients_lock:
            for client in self._clients.values():
                client.close()
            self._clients.clear()

    @property
    def settings(self) -> QlikSettings:
        if self._settings is None:
            # Only reachable if Pulumi changes how it starts dynamic providers.
            self._settings = load_settings({})
        return self._settings

    def client_for(self, region: Region) -> QlikClient:
        """The region's client (its OAuth client from the settings; tokens from the process-wide cache)."""
        if "_clients_lock" not in self.__dict__:  # configure() not called: only if Pulumi changes
            self._clients, self._clients_lock = {}, threading.Lock()
        with self._clients_lock:
            client = self._clients.get(region.code)
            if client is None:
                client = qlik_client(self.settings, self.settings.credentials_for(region.code))
                self._clients[region.code] = client
            return client
