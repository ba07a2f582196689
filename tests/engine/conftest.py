from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_qlik.emulator import EmulatorConfig, EmulatorServer
from pulumi_qlik.emulator.control import EmulatorControl
from tests.engine.command_lines import CommandLines, watch_command_lines
from tests.engine.pulumi_cli import PulumiCLI, toolchain_bin


@pytest.fixture(scope="session")
def pulumi_bin() -> Path:
    return toolchain_bin()


@pytest.fixture
def pulumi_cli(tmp_path: Path, pulumi_bin: Path) -> PulumiCLI:
    return PulumiCLI(root=tmp_path / "pulumi")


@pytest.fixture(autouse=True)
def command_lines() -> Iterator[CommandLines]:
    """The command line of every process the test starts, directly or not (see `command_lines.py`), for the
    secret searches: this fixture's, the matrices' (`reliability_kit.secrets_in_plain_text`), the packaging's."""
    with watch_command_lines() as seen:
        yield seen


@pytest.fixture
def emulator(
    pulumi_cli: PulumiCLI, test_secrets: dict[str, str], tmp_path: Path, command_lines: CommandLines
) -> Iterator[EmulatorServer]:
    # record_secrets: leak tests search for the real tokens and license keys the emulator handed out.
    with EmulatorServer(EmulatorConfig(record_secrets=True)) as server:
        yield server
        assert_no_secret_in_plain_text(server, pulumi_cli, test_secrets, tmp_path, command_lines)


@pytest.fixture
def control(emulator: EmulatorServer) -> Iterator[EmulatorControl]:
    with EmulatorControl(emulator.url) as control:
        yield control


class LabelledSecrets(dict[str, str]):
    """Secret values by label; `repr` shows the labels only, so a failing test prints no value."""

    def __repr__(self) -> str:
        return f"<secrets: {', '.join(self)}>"


@pytest.fixture
def test_secrets() -> dict[str, str]:
    """Secret values a test passes itself (e.g. a secret display name): add them, by label, to be searched for."""
    return LabelledSecrets()


def assert_no_secret_in_plain_text(
    emulator: EmulatorServer,
    cli: PulumiCLI,
    test_secrets: dict[str, str],
    tmp_path: Path,
    command_lines: CommandLines,
) -> None:
    """The standard ending of every engine test against the emulator: no secret anywhere it left a trace.

    Searched: every state file and backup of the test's backend, everything the CLI printed, every log file
    under the test's directory, and the command line of every process the test started, directly or not
    (visible to anyone on the machine). Sought: every client secret, every token and license key the emulator handed out,
    and the values the test put in `test_secrets`. A failure names the secrets by label only, never by value.
    """
    world = emulator.world
    secrets = {f"client secret of {c.name}": c.client_secret for c in world.clients}
    secrets.update({f"client secret {code}": info.client_secret for code, info in world.regions.items()})
    secrets["organization client secret"] = world.organization.client_secret
    secrets.update({f"token or license key #{i}": v for i, v in enumerate(emulator.backend.recorded_secrets)})
    secrets.update(test_secrets)
    started = command_lines.all()
    assert any("pulumi" in line for line in started), "no command line recorded: the search proves nothing"
    haystacks = {"CLI output": "\n".join(cli.transcript), "command lines": "\n".join(started)}
    haystacks.update({f"state {name}": text for name, text in cli.state_files().items()})
    haystacks.update({f"log {p.name}": p.read_text(errors="replace") for p in tmp_path.rglob("*.log")})
    leaks = sorted(
        {
            f"{what} in {where}"
            for where, text in haystacks.items()
            for what, v in secrets.items()
            if v in text
        }
    )
    assert not leaks, f"secrets found in plain text: {leaks}"
