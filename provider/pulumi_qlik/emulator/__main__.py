"""``python -m pulumi_qlik.emulator`` / ``qlik-emulator``: serve until SIGTERM/SIGINT, then save state.

Once listening it prints exactly one JSON line on stdout (the world: URL, regions, credentials); logs go to
stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from pydantic import ValidationError

from .server import EmulatorServer
from .settings import EmulatorConfig, RegionSeed


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qlik-emulator", description="A local Qlik Cloud emulator.")
    parser.add_argument("--config", type=Path, help="JSON config file (flags override it)")
    parser.add_argument("--host", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to bind; 0 = any free port (default 0)")
    parser.add_argument(
        "--https-port",
        type=int,
        help="also serve HTTPS here, for browsers; 0 = any free port (default: none)",
    )
    parser.add_argument("--tls-cert", type=Path, help="HTTPS certificate PEM (default: generated per start)")
    parser.add_argument("--tls-key", type=Path, help="HTTPS key PEM (with --tls-cert)")
    parser.add_argument("--state-file", type=Path, help="persist the world here and load it on start")
    parser.add_argument("--regions", help="comma-separated region codes to seed (default us,eu)")
    parser.add_argument("--seed", help="make generated ids, secrets and keys reproducible")
    parser.add_argument("--token-ttl", type=int, help="access token lifetime in seconds (default 21600)")
    parser.add_argument("--tier1-limit", type=int, help="tier 1 requests per window (default 1000)")
    parser.add_argument("--tier2-limit", type=int, help="tier 2 requests per window (default 100)")
    parser.add_argument("--rate-window", type=int, help="rate-limit sliding window in seconds (default 60)")
    parser.add_argument(
        "--max-tenants", type=int, help="tenant allotment of each seeded license (default 50)"
    )
    parser.add_argument("--log-level", default="INFO", help="stderr log level (default INFO)")
    return parser


def config_from_args(args: argparse.Namespace) -> EmulatorConfig:
    base = EmulatorConfig.from_file(args.config) if args.config else EmulatorConfig()
    data = base.model_dump()
    overrides = {
        "host": args.host,
        "port": args.port,
        "https_port": args.https_port,
        "tls_cert_file": args.tls_cert,
        "tls_key_file": args.tls_key,
        "state_file": args.state_file,
        "seed": args.seed,
        "token_ttl_seconds": args.token_ttl,
        "tier1_limit": args.tier1_limit,
        "tier2_limit": args.tier2_limit,
        "rate_window_seconds": args.rate_window,
    }
    data.update({k: v for k, v in overrides.items() if v is not None})
    config = EmulatorConfig.model_validate(data)
    if args.regions:
        by_code = {r.code: r for r in config.regions}
        codes = [c.strip().lower() for c in args.regions.split(",") if c.strip()]
        config.regions = [by_code.get(code, RegionSeed(code=code)) for code in codes]
    if args.max_tenants is not None:
        for region in config.regions:
            region.max_tenants = args.max_tenants
    return config


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        stream=sys.stderr,
        level=args.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        config = config_from_args(args)
        server = EmulatorServer(config).start()
    except (ValidationError, ValueError, OSError) as exc:
        print(f"qlik-emulator: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        logging.getLogger("pulumi_qlik.emulator").info("signal %d: stopping", signum)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print(json.dumps(server.world.model_dump(mode="json")), flush=True)
    logging.getLogger("pulumi_qlik.emulator").info("listening on %s", server.url)
    if server.certificate is not None:
        logging.getLogger("pulumi_qlik.emulator").info(
            "HTTPS on %s; Chromium trusts its certificate with --ignore-certificate-errors-spki-list=%s",
            server.https_url,
            server.certificate.spki_sha256,
        )
    while not stop.wait(0.5):
        pass
    server.stop()  # writes the state file
    return 0


if __name__ == "__main__":
    sys.exit(main())
