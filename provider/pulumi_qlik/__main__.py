"""`python -m pulumi_qlik orphans|deactivate|drift|policy-pack|import`: find and clean up tenants an interrupted
run left behind; report drift across stacks; print the path of the policy pack; bring existing tenants under code."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from pulumi_qlik.client import QlikError
from pulumi_qlik.import_command import add_import_command, run_import
from pulumi_qlik.operations.create_journal import CreateJournal
from pulumi_qlik.operations.deactivation import (
    DEFAULT_PURGE_AFTER_DAYS,
    MAX_PURGE_AFTER_DAYS,
    MIN_PURGE_AFTER_DAYS,
    deactivate,
)
from pulumi_qlik.operations.drift_report import DriftError
from pulumi_qlik.operations.orphans import adopt_interrupted, find_orphans, organization_client_of
from pulumi_qlik.operations.stack_state import (
    BACKUP_DIRECTORY,
    OrphansError,
    PulumiStack,
    read_snapshot,
    save_state_backup,
    state_fingerprint,
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pulumi_qlik", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    def stack_options(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--stack", required=True, help="the Pulumi stack (its config has the credentials)"
        )
        command.add_argument("--cwd", help="the Pulumi project directory (default: the current one)")
        command.add_argument(
            "--pulumi", help="the Pulumi CLI to run (default: $PULUMI_QLIK_PULUMI or pulumi)"
        )

    orphans = commands.add_parser(
        "orphans",
        help="list the subscription's tenants that no resource of the stack claims",
        description="Needs an organization OAuth client (qlik:organizationClientId / organizationClientSecret).",
    )
    stack_options(orphans)
    orphans.add_argument(
        "--subscription-id", action="append", default=[], help="also search this subscription"
    )
    orphans.add_argument(
        "--all", action="store_true", help="include tenants created before the stack's first resource"
    )
    orphans.add_argument("--json", action="store_true", help="print JSON")
    orphans.add_argument(
        "--adopt-interrupted",
        action="store_true",
        help="put the tenants of interrupted creates into the stack and drop the other interrupted creates "
        "(edits the state with `pulumi stack export` / `pulumi stack import`); then run `pulumi refresh`",
    )

    off = commands.add_parser(
        "deactivate", help="deactivate one tenant with the stack's regional OAuth client"
    )
    stack_options(off)
    off.add_argument("--tenant-id", required=True)
    off.add_argument("--hostname", required=True, help="the tenant's hostname, to confirm")
    off.add_argument(
        "--purge-after-days",
        type=int,
        default=DEFAULT_PURGE_AFTER_DAYS,
        choices=range(MIN_PURGE_AFTER_DAYS, MAX_PURGE_AFTER_DAYS + 1),
        metavar=f"{MIN_PURGE_AFTER_DAYS}-{MAX_PURGE_AFTER_DAYS}",
    )
    drift = commands.add_parser(
        "drift",
        help="refresh-preview many stacks at once and report what changed in Qlik outside Pulumi (read-only)",
        description="Exit code: 0 no drift, 1 drift, 2 a stack could not be read. Runs `pulumi refresh "
        "--preview-only` of each stack through the Automation API; nothing in any stack changes.",
    )
    drift.add_argument("--stack", action="append", default=[], help="a stack (repeatable)")
    drift.add_argument(
        "--stacks",
        action="append",
        default=[],
        metavar="GLOB",
        help="the project's stacks in the backend whose name matches (repeatable); default: every stack "
        "when no --stack is given",
    )
    drift.add_argument("--cwd", default=".", help="the Pulumi project directory (default: the current one)")
    drift.add_argument(
        "--backend", help="the backend URL (default: $PULUMI_BACKEND_URL, the project's or `pulumi login`'s)"
    )
    drift.add_argument("--concurrency", type=int, default=4, help="stacks refreshed at once (default 4)")
    drift.add_argument("--json", action="store_true", help="print JSON (for CI)")

    commands.add_parser(
        "policy-pack",
        help="print the path of the pulumi-qlik policy pack, for `pulumi up --policy-pack`",
    )
    add_import_command(commands)
    return parser


def _orphans(args: argparse.Namespace) -> int:
    stack = PulumiStack(args.stack, pulumi=args.pulumi, cwd=args.cwd)
    read = stack.export()
    with organization_client_of(stack) as org_client:
        report = find_orphans(
            args.stack,
            read_snapshot(read),
            org_client,
            subscription_ids=args.subscription_id,
            include_all=args.all,
            journal=CreateJournal().creates(),
        )
    print(json.dumps(report.to_json(), indent=2) if args.json else report.to_text())
    if args.adopt_interrupted and report.pending_creates:
        current = stack.export(show_secrets=False)
        if state_fingerprint(current) != state_fingerprint(read):
            raise OrphansError(
                f"the state of stack {args.stack} changed since it was read (a `pulumi` command or another run "
                "wrote it): nothing was imported; run this command again"
            )
        backup = save_state_backup(current, Path(args.cwd or ".") / BACKUP_DIRECTORY, args.stack)
        print(
            f"saved the state this replaces to {backup} (restore it with `pulumi stack import --stack "
            f"{args.stack} --file {backup}`)",
            file=sys.stderr,
        )
        stack.import_(adopt_interrupted(current, report.imports))
        dropped = len(report.pending_creates) - len(report.imports)
        print(
            f"adopted {len(report.imports)} tenants of interrupted creates into stack {args.stack} and dropped "
            f"{dropped} other interrupted creates (a tenant one of them may have made is listed above, with why it "
            "was not adopted); now run `pulumi refresh --yes` and `pulumi up --yes`",
            file=sys.stderr,
        )
    return 0


def _deactivate(args: argparse.Namespace) -> int:
    stack = PulumiStack(args.stack, pulumi=args.pulumi, cwd=args.cwd)
    purge = deactivate(stack.settings(), args.tenant_id, args.hostname, args.purge_after_days)
    print(f"deactivated tenant {args.tenant_id} ({args.hostname}); purge expected {purge}")
    return 0


def _drift(args: argparse.Namespace) -> int:
    from pulumi_qlik.fleet.drift import detect_drift
    from pulumi_qlik.operations.drift_report import render_table, to_json

    env = {"PULUMI_BACKEND_URL": args.backend} if args.backend else {}
    found = detect_drift(
        args.cwd, names=args.stack, patterns=args.stacks, concurrency=args.concurrency, env=env
    )
    rows = [row for stack in found for row in stack.rows]
    errors = {stack.stack: stack.error for stack in found if stack.error}
    if args.json:
        print(to_json(rows, [stack.stack for stack in found], errors))
    else:
        print(render_table(rows))
        for name, error in errors.items():
            print(f"error: stack {name}: {error}", file=sys.stderr)
    return 2 if errors else 1 if rows else 0


def _policy_pack(_: argparse.Namespace) -> int:
    from pulumi_qlik.policy import analyzer_path

    print(analyzer_path())
    return 0


_COMMANDS = {
    "orphans": _orphans,
    "deactivate": _deactivate,
    "drift": _drift,
    "policy-pack": _policy_pack,
    "import": run_import,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except (DriftError, OrphansError, QlikError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
