"""Stopping the emulator closes every connection, even one whose client stopped reading its answer.

uvicorn's graceful shutdown cannot close such a connection (its unsent bytes wait for the client) and gives up
after ``timeout_graceful_shutdown``; the server then aborts it, so no socket outlives the stop (the fault
matrix's emulator restart met this as "unclosed socket/transport" ResourceWarnings under load).
"""

from __future__ import annotations

import gc
import socket
import sys
import time

import pytest

from pulumi_qlik.emulator import EmulatorControl, EmulatorServer

BIG_APP_BYTES = 16 * 1024 * 1024
"""More than the kernel's socket buffers hold, so the answer cannot all be sent to a client that never reads."""


def test_stop__aborts_a_connection_whose_client_stopped_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    leaked: list[str] = []
    monkeypatch.setattr(
        sys, "unraisablehook", lambda u: leaked.append(f"{u.exc_type.__name__}: {u.exc_value}")
    )
    server = EmulatorServer().start()
    try:
        with EmulatorControl(server.url) as control:
            tenant_id = server.world.regions["us"].source_tenant_id
            control.seed_app(tenant_id, "big", content="x" * BIG_APP_BYTES)
        host, port = server.url.removeprefix("http://").rsplit(":", 1)
        stuck = socket.create_connection((host, int(port)))
        stuck.sendall(f"GET /_emulator/tenants/{tenant_id}/apps HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        # The answer is being written once its first bytes are here (peeked, not read); its client never reads it.
        stuck.settimeout(30)
        assert stuck.recv(1, socket.MSG_PEEK) == b"H"
    finally:
        started = time.monotonic()
        server.stop()
        stopping = time.monotonic() - started
    try:
        assert stopping < 10, f"stop took {stopping:.1f} s"
        # The server's end is closed: the client sees the connection end (after the bytes that got through).
        stuck.settimeout(5)
        while stuck.recv(1 << 20):
            pass
    except ConnectionResetError:
        pass  # an abort may reset the connection instead of ending it: closed all the same
    finally:
        stuck.close()
    gc.collect()
    assert leaked == []
