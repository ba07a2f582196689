#!/usr/bin/env bash
# Debian's redis-server: the broker the onboarding service's queue tests start on loopback
# (tests/engine/redis_broker.py). Idempotent, and quiet unless it has to install and fails.
set -euo pipefail
command -v redis-server >/dev/null 2>&1 && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
log="$(mktemp)"
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends redis-server; } >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
rm -f "$log"
# The package's own service is not used: each test starts its broker on a free loopback port and stops it.
