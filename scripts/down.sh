#!/usr/bin/env bash
# Undo `make up`: destroy the local stack (deactivating its tenants on the emulator), then stop the emulator.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
STACK="${STACK:-local}"
if scripts/pulumi stack select "$STACK" >/dev/null 2>&1; then
  scripts/up.sh --configure-only  # the emulator may have restarted on another port
  scripts/pulumi destroy --yes --stack "$STACK"
fi
scripts/emulator.sh stop
