"""A run's create journal, copied into the broker's Redis as it grows, for whichever worker takes a dead run over.

The provider journals every tenant create on the machine that runs it (`QLIK_CREATE_JOURNAL`: when it began, which
tenant Qlik made): `python -m pulumi_qlik orphans --adopt-interrupted` needs it to adopt a tenant whose create was
cut off before its alias and name were set. The worker that takes the customer over may be on another machine,
so each run journals to a file of its own and a thread copies its new lines to `journal:<customer>` in Redis
twice a second; the takeover writes those lines (and, on the same host, the dead run's whole file) into a journal
for its recovery.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

import redis
from ownership import KEY_PREFIX, RunInfo

JOURNAL_ENV = "QLIK_CREATE_JOURNAL"
COPY_INTERVAL_SECONDS = 0.5
JOURNAL_DIR = Path(tempfile.gettempdir()) / "qlik-onboarding-journals"


def journal_file(run: RunInfo) -> Path:
    JOURNAL_DIR.mkdir(mode=0o700, exist_ok=True)
    return JOURNAL_DIR / f"{run.customer}.{run.run}.jsonl"


def _key(customer: str) -> str:
    return f"{KEY_PREFIX}:journal:{customer}"


class JournalCopy:
    """Copies the complete lines appended to `path` into Redis until `stop`."""

    def __init__(self, client: redis.Redis, customer: str, path: Path) -> None:
        self._redis, self._customer, self._path = client, customer, path
        self._offset = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"journal {customer}", daemon=True)

    def __enter__(self) -> JournalCopy:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self._copy()

    def _run(self) -> None:
        while not self._stop.wait(COPY_INTERVAL_SECONDS):
            try:
                self._copy()
            except redis.RedisError:  # the broker is restarting: the lines wait for the next copy
                continue

    def _copy(self) -> None:
        try:
            with self._path.open("rb") as journal:
                journal.seek(self._offset)
                data = journal.read()
        except FileNotFoundError:
            return
        complete = data[: data.rfind(b"\n") + 1]
        if complete:
            self._redis.rpush(_key(self._customer), *complete.splitlines())
            self._offset += len(complete)


def journal_for_takeover(client: redis.Redis, previous: RunInfo, me: RunInfo) -> Path:
    """A journal holding every copied line of this customer's runs, and the dead run's file if it is on this host."""
    copied: list[bytes | str] = client.lrange(_key(me.customer), 0, -1)
    lines = [line if isinstance(line, bytes) else line.encode() for line in copied]
    local = journal_file(previous)
    if previous.host == me.host and local.exists():
        lines += local.read_bytes().splitlines()
    merged = JOURNAL_DIR / f"{me.customer}.{me.run}.takeover.jsonl"
    merged.write_bytes(b"".join(line + b"\n" for line in dict.fromkeys(lines)))
    return merged


def forget(client: redis.Redis, customer: str) -> None:
    """After a clean run: the stack is consistent, no journal line of earlier runs is needed any more."""
    client.delete(_key(customer))
