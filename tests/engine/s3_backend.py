"""An S3-compatible server on loopback (moto's server mode) and the buckets Pulumi's S3 backend keeps stacks in.

Platform teams share stack state in an object store; this is the store our users have, run as they would run it:
a separate process speaking the S3 protocol, reached by `pulumi login s3://BUCKET?endpoint=...`.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

REGION = "us-east-1"
# moto accepts any credentials; Pulumi's S3 backend (the AWS SDK) insists on having some.
DUMMY_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test-access-key", "AWS_SECRET_ACCESS_KEY": "test-secret-key"}
START_TIMEOUT_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class MotoServer:
    """`python -m moto.server` on a free loopback port, as a process of its own (its log in `log_file`)."""

    def __init__(self, log_file: Path) -> None:
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._log = log_file.open("w")
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_listening()

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"moto server exited {self._proc.returncode}; see {self._log.name}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 0.5):
                return
            time.sleep(0.1)
        raise RuntimeError(f"moto server not listening on {self.endpoint} after {START_TIMEOUT_SECONDS} s")

    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )

    def new_bucket(self) -> S3Backend:
        """A new, empty bucket: one per test, so tests sharing the server never see each other's stacks."""
        bucket = f"pulumi-state-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=bucket)
        return S3Backend(self, bucket)

    def stop(self) -> None:
        self._proc.terminate()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._log.close()


@dataclass(frozen=True)
class S3Backend:
    """One bucket as a Pulumi backend: its login URL, the environment the CLI needs, and its objects."""

    server: MotoServer
    bucket: str

    @property
    def url(self) -> str:
        # `use_path_style`: the bucket goes in the path, not in a `BUCKET.127.0.0.1` hostname loopback lacks.
        return f"s3://{self.bucket}?endpoint={self.server.endpoint}&use_path_style=true&region={REGION}"

    @property
    def env(self) -> dict[str, str]:
        return {
            **DUMMY_CREDENTIALS,
            "AWS_REGION": REGION,
            # The AWS SDK warns on stderr about every answer without a checksum (moto sends none): ask for
            # checksums only where S3 requires them, so the CLI's output stays readable.
            "AWS_REQUEST_CHECKSUM_CALCULATION": "when_required",
            "AWS_RESPONSE_CHECKSUM_VALIDATION": "when_required",
        }

    def objects(self) -> dict[str, bytes]:
        """Every object of the bucket, by key: checkpoints, backups, history, locks, metadata."""
        client = self.server.client()
        found: dict[str, bytes] = {}
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
            for entry in page.get("Contents", []):
                key = entry["Key"]
                found[key] = client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        return found

    def read(self, key: str) -> bytes:
        return self.server.client().get_object(Bucket=self.bucket, Key=key)["Body"].read()  # type: ignore[no-any-return]

    def keys(self, prefix: str = "") -> list[str]:
        client = self.server.client()
        return [
            entry["Key"]
            for page in client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
            for entry in page.get("Contents", [])
        ]
