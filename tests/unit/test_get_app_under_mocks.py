"""`get_app` / `get_app_output` under `pulumi.runtime.set_mocks`: answered by `Mocks.call`, no HTTP call."""

from __future__ import annotations

import socket
from typing import Any

import pulumi
import pytest

from pulumi_qlik.functions.app import AppInfo, AppLookupError, get_app, get_app_output

APP = {
    "id": "app-1",
    "name": "Sales",
    "space_id": "space-1",
    "modified_date": "2026-12-01T10:00:00Z",
    "last_reload_time": None,
    "space_is_managed": False,
    "published": False,
    "origin_app_id": None,
}


class AppMocks(pulumi.runtime.Mocks):
    def __init__(self, answer: dict[str, Any]) -> None:
        self.answer = answer
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        self.calls.append((args.token, dict(args.args)))
        return self.answer


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("a network connection was attempted under mocks")

    monkeypatch.setattr(socket.socket, "connect", refuse)


@pulumi.runtime.test
def test_get_app_output__answered_by_mocks_call(no_network: None) -> Any:
    mocks = AppMocks(APP)
    pulumi.runtime.set_mocks(mocks, preview=False)
    app = get_app_output("source.us.qlikcloud.com", "app-1")

    def check(info: AppInfo) -> None:
        assert info == AppInfo(**APP)
        assert mocks.calls == [
            ("qlik:index:getApp", {"sourceTenant": "source.us.qlikcloud.com", "appId": "app-1"})
        ]

    return app.apply(check)


def test_get_app__answered_by_mocks_call(no_network: None) -> None:
    pulumi.runtime.set_mocks(AppMocks(APP), preview=False)
    assert get_app("source.us.qlikcloud.com", "app-1").modified_date == APP["modified_date"]


def test_get_app__a_wrong_mocks_answer_names_the_token(no_network: None) -> None:
    pulumi.runtime.set_mocks(AppMocks({"id": "app-1"}), preview=False)
    with pytest.raises(AppLookupError, match="qlik:index:getApp"):
        get_app("source.us.qlikcloud.com", "app-1")
