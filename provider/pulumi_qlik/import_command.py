"""`python -m pulumi_qlik import`: read existing tenants and write the Pulumi program that adopts them.

Credentials come from the environment (the `QLIK_*` variables `pulumi_qlik.config` reads): there is no stack yet.
"""

from __future__ import annotations

import argparse
import os
import shlex
from pathlib import Path
from typing import Any

from pulumi_qlik.config import QlikConfigError, QlikSettings, load_settings
from pulumi_qlik.operations.program_writer import Program, build_program
from pulumi_qlik.operations.tenant_import import discover, read_tenants


def add_import_command(commands: Any) -> None:
    command = commands.add_parser(
        "import",
        help="write a Pulumi program that adopts existing tenants and their objects, without writing to Qlik",
        description=(
            "Credentials from the environment: QLIK_CLIENT_ID / QLIK_CLIENT_SECRET (or per region "
            "QLIK_CLIENT_ID_<REGION>), QLIK_ORGANIZATION_CLIENT_ID / _SECRET for --subscription-id, QLIK_ENDPOINT."
        ),
    )
    command.add_argument("--out", required=True, help="the folder to write the program to (new or empty)")
    command.add_argument("--hostname", action="append", default=[], help="a tenant's hostname (repeatable)")
    command.add_argument(
        "--subscription-id",
        action="append",
        default=[],
        help="every active tenant of this subscription, any region (organization OAuth client)",
    )
    command.add_argument(
        "--match",
        action="append",
        default=[],
        help="only tenants whose hostname, alias or name matches this shell pattern, e.g. 'acme-*' (repeatable)",
    )
    command.add_argument("--project", default="qlik-tenants", help="the Pulumi project name")
    command.add_argument("--stack", default="imported", help="the stack name the printed commands use")


def run_import(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        raise QlikConfigError(f"--out {out} is not empty: pass a new folder (nothing is overwritten)")
    settings = load_settings({})
    tenants = discover(
        settings, hostnames=args.hostname, subscription_ids=args.subscription_id, patterns=args.match
    )
    if not tenants:
        raise QlikConfigError("no tenant matched: check --match, --hostname and --subscription-id")
    program = build_program(read_tenants(settings, tenants), args.project)
    program.write(out)
    print(summary(program, out, args.stack, settings))
    return 0


def summary(program: Program, out: Path, stack: str, settings: QlikSettings) -> str:
    lines = []
    for hostname, counts in program.objects.items():
        total = sum(counts.values())
        kinds = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        lines.append(f"{hostname}: {total} objects ({kinds})")
    lines += [
        f"wrote the program to {out}: {len(program.files)} files",
        "",
        "Now run:",
        f"  cd {shlex.quote(str(out))}",
    ]
    lines.append(f"  pulumi stack init {shlex.quote(stack)}")
    if settings.endpoint:
        lines.append(f"  pulumi config set qlik:endpoint {shlex.quote(settings.endpoint)}")
    regions = sorted(settings.region_credentials) if settings.region_credentials else []
    for code in regions:
        creds = settings.region_credentials[code]
        lines.append(
            f"  pulumi config set --path qlik:credentials.{code}.clientId {shlex.quote(creds.client_id)}"
        )
        lines.append(f"  pulumi config set --secret --path qlik:credentials.{code}.clientSecret   # prompts")
    if settings.default_credentials is not None:
        lines.append(
            f"  pulumi config set qlik:clientId {shlex.quote(settings.default_credentials.client_id)}"
        )
        lines.append("  pulumi config set --secret qlik:clientSecret   # prompts")
    for key, what in program.secret_config:
        lines.append(f"  pulumi config set --secret {key}   # optional: {what} (Qlik never returns it)")
    lines += [
        "  pulumi up --yes                       # records every object; writes nothing to Qlik",
        "  pulumi preview --expect-no-changes    # clean",
    ]
    if os.environ.get("QLIK_ORGANIZATION_CLIENT_ID"):
        lines.insert(
            -2,
            "  (set qlik:organizationClientId / organizationClientSecret too if the stack should use them)",
        )
    return "\n".join(lines)
