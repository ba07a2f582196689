"""Widening the dynamic-provider server's worker pool from inside one of its calls."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from pulumi_qlik.config import DEFAULT_PROVIDER_WORKERS, QlikConfigError, load_settings
from pulumi_qlik.engine import concurrency


def _meets_the_others_at(barrier: threading.Barrier) -> Callable[[], bool]:
    """A call that returns True only if every party of `barrier` reached it within the barrier's timeout."""

    def call() -> bool:
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            return False
        return True

    return call


def _blocking_calls_all_run_at_once(pool: ThreadPoolExecutor, calls: int) -> bool:
    call = _meets_the_others_at(threading.Barrier(calls, timeout=1))
    return all(f.result() for f in [pool.submit(call) for _ in range(calls)])


def test_widen__from_a_worker_of_the_server__more_calls_run_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(concurrency, "running_as_dynamic_provider", lambda: True)
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert pool.submit(concurrency.widen_worker_pool, 10).result() == 10
        assert _blocking_calls_all_run_at_once(pool, 10)


def test_widen__calls_queued_before_it__start_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A refresh sends every read while the provider is being configured: those queued calls must not wait
    for the first four."""
    monkeypatch.setattr(concurrency, "running_as_dynamic_provider", lambda: True)
    calls = 10
    call = _meets_the_others_at(threading.Barrier(calls, timeout=1))
    all_submitted = threading.Event()

    def first_call() -> bool:
        all_submitted.wait()  # the other nine are queued behind the stock four workers by now
        concurrency.widen_worker_pool(calls)
        return call()

    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(first_call)] + [pool.submit(call) for _ in range(calls - 1)]
        all_submitted.set()
        assert all(f.result() for f in futures)


def test_stock_pool__the_ceiling_is_real() -> None:
    # The check above would prove nothing if four workers could run ten blocking calls together.
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert not _blocking_calls_all_run_at_once(pool, 10)


def test_widen__never_shrinks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(concurrency, "running_as_dynamic_provider", lambda: True)
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert pool.submit(concurrency.widen_worker_pool, 2).result() == 8


def test_widen__outside_the_dynamic_provider_server__does_nothing() -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert pool.submit(concurrency.widen_worker_pool, 10).result() is None
        assert pool._max_workers == 4


def test_widen__not_on_an_executor_thread__does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(concurrency, "running_as_dynamic_provider", lambda: True)
    assert concurrency.widen_worker_pool(10) is None


def test_provider_workers_setting() -> None:
    assert load_settings({}, environ={}).provider_workers == DEFAULT_PROVIDER_WORKERS
    assert load_settings({"qlik:providerWorkers": 16}, environ={}).provider_workers == 16
    assert load_settings({}, environ={"QLIK_PROVIDER_WORKERS": "8"}).provider_workers == 8
    with pytest.raises(
        QlikConfigError, match=r"qlik:providerWorkers must be a whole number .* \(got 'lots'\)"
    ):
        load_settings({"qlik:providerWorkers": "lots"}, environ={})


@pytest.mark.parametrize("workers", ["0", "1", "3", "1025"])
def test_provider_workers__outside_what_can_be_honoured__refused_with_the_true_range(workers: str) -> None:
    # The dynamic-provider server runs four calls at once whatever the pool is narrowed to: 1-3 would be a lie.
    with pytest.raises(QlikConfigError, match=r"from 4 to 1024 .*always runs 4 calls at once"):
        load_settings({"qlik:providerWorkers": workers}, environ={})
    assert load_settings({"qlik:providerWorkers": "4"}, environ={}).provider_workers == 4
