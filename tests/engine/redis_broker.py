"""Debian's `redis-server` on a free loopback port, as the onboarding queue's broker: started and stopped by the test,
restartable on the same port with its data (append-only file), as a broker a team operates would be."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from pathlib import Path

from tests.engine.s3_backend import free_port

START_TIMEOUT_SECONDS = 20


class RedisServer:
    """`redis-server` with its data in `directory`; `restart()` keeps the port and what was stored."""

    def __init__(self, directory: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError(
                "redis-server is not installed: run scripts/ensure-redis.sh (`make test` does)"
            )
        self._binary, self.directory, self.port = binary, directory, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.restarts = 0
        directory.mkdir(parents=True, exist_ok=True)
        self._proc = self._start()

    def _start(self) -> subprocess.Popen[bytes]:
        log = (self.directory / f"redis.{self.restarts}.log").open("w")
        proc = subprocess.Popen(
            [
                *(
                    self._binary,
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--dir",
                    str(self.directory),
                ),
                # Every write on disk before it is answered: a restarted broker has every message and lease.
                *("--appendonly", "yes", "--appendfsync", "always", "--save", ""),
                *("--protected-mode", "yes", "--daemonize", "no"),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"redis-server exited {proc.returncode}; see {self.directory}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 0.5) as sock,
            ):
                sock.sendall(b"PING\r\n")
                if sock.recv(64).startswith(b"+PONG"):
                    return proc
            time.sleep(0.1)
        proc.kill()
        raise RuntimeError(f"redis-server not answering on port {self.port} after {START_TIMEOUT_SECONDS} s")

    def stop(self) -> None:
        """SIGTERM: Redis writes out what it has and exits."""
        self._proc.terminate()
        try:
            self._proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()

    def restart(self) -> None:
        self.stop()
        self.restarts += 1
        self._proc = self._start()
