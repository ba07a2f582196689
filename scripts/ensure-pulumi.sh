#!/usr/bin/env bash
# Make sure a Pulumi toolchain (CLI + Python language host + the two Python shims) exists, building it from the
# Go module proxy when needed. Progress goes to stderr; the last line of stdout is the toolchain's bin directory.
#
# Why build: for machines that reach the Go module proxy but not the CLI's release downloads (offline CI).
# Why two versions: the engine is pinned at PULUMI_VERSION. The Python language host has been its own Go module
# (github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3) since Aug 2023 and the Go module proxy
# refuses every version of that module ("403 This module version is not available"), so we build the host from
# the newest sdk/v3 release that still carried it as a package (LANGUAGE_HOST_SDK_VERSION). The shims
# (`pulumi-language-python-exec`, `pulumi-resource-pulumi-python`) come from the pinned sdk/v3 release.
#
# Environment:
#   PULUMI_QLIK_CACHE             cache root (default: ${XDG_CACHE_HOME:-~/.cache}/pulumi-qlik)
#   PULUMI_QLIK_USE_PATH_PULUMI   1 = prefer a `pulumi` >= MIN_PATH_VERSION already on PATH (default 1)
set -euo pipefail

PULUMI_VERSION="3.274.1"
LANGUAGE_HOST_SDK_VERSION="3.68.0"
MIN_PATH_VERSION="3.200.0"
# Non-local `replace` lines of pkg/go.mod at PULUMI_VERSION (a dependency's go.mod replaces don't apply to us).
CLIPBOARD_REPLACE="github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e"

CACHE_ROOT="${PULUMI_QLIK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-qlik}"
TOOLCHAIN="$CACHE_ROOT/pulumi-v$PULUMI_VERSION"
BIN="$TOOLCHAIN/bin"
STAMP="$TOOLCHAIN/.complete"

say() { printf '[ensure-pulumi] %s\n' "$*" >&2; }
die() { printf '[ensure-pulumi] error: %s\n' "$*" >&2; exit 1; }

version_at_least() { # $1 >= $2, both X.Y.Z
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

use_path_pulumi() {
  [ "${PULUMI_QLIK_USE_PATH_PULUMI:-1}" = "1" ] || return 1
  local found dir version
  found="$(command -v pulumi 2>/dev/null)" || return 1
  dir="$(cd "$(dirname "$found")" && pwd)"
  [ "$dir" = "$BIN" ] && return 1
  version="$(pulumi version 2>/dev/null | sed 's/^v//')" || return 1
  [ -n "$version" ] && version_at_least "$version" "$MIN_PATH_VERSION" || return 1
  for piece in pulumi-language-python pulumi-language-python-exec pulumi-resource-pulumi-python; do
    command -v "$piece" >/dev/null 2>&1 || return 1
  done
  say "using pulumi v$version already on PATH ($dir)"
  echo "$dir"
}

if use_path_pulumi; then exit 0; fi

if [ -f "$STAMP" ]; then
  echo "$BIN"
  exit 0
fi

command -v go >/dev/null 2>&1 || die "Go is not installed: it is needed to build Pulumi v$PULUMI_VERSION (install Go >= 1.26, or put a pulumi >= $MIN_PATH_VERSION with its Python language host on PATH)"
go_version="$(go env GOVERSION | sed 's/^go//')"
version_at_least "$go_version" "1.26.0" || die "Go $go_version is too old to build Pulumi v$PULUMI_VERSION: Go >= 1.26 is needed"

say "building Pulumi v$PULUMI_VERSION into $TOOLCHAIN (first run only; ~10-25 min on 2 cores, ~1 GB of module downloads and build cache)"
started=$SECONDS
mkdir -p "$BIN"
work="$TOOLCHAIN/build"
rm -rf "$work"
mkdir -p "$work/cli" "$work/language-host"

ldflags() { echo "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$1"; }
go_build() { # $1 module dir, $2 version for ldflags, $3 output, $4 main package
  (cd "$1" && CGO_ENABLED=0 go build -trimpath -tags osusergo,grpcnotrace -ldflags "$(ldflags "$2")" -o "$3" "$4")
}
write_module() { # $1 dir, $2 module name, $3 imported main package, $4 optional replace line
  {
    echo "module $2"
    echo
    echo "go 1.26"
    [ -n "${4:-}" ] && { echo; echo "replace $4"; }
  } > "$1/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$3" > "$1/tools.go"
}

say "[1/4] resolving github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION and sdk/v3@v$PULUMI_VERSION"
write_module "$work/cli" "pulumiqlik.local/pulumi-cli" "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi" "$CLIPBOARD_REPLACE"
(cd "$work/cli" \
  && go get "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" >&2 \
  && go mod tidy >&2) || die "could not resolve Pulumi v$PULUMI_VERSION from the Go module proxy (see the go output above)"

say "[2/4] building the pulumi CLI (the slow part)"
go_build "$work/cli" "$PULUMI_VERSION" "$BIN/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2 \
  || die "go build of the pulumi CLI failed (see above)"

say "[3/4] building pulumi-language-python from sdk/v3@v$LANGUAGE_HOST_SDK_VERSION"
write_module "$work/language-host" "pulumiqlik.local/pulumi-language-python" \
  "github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python"
(cd "$work/language-host" \
  && go get "github.com/pulumi/pulumi/sdk/v3@v$LANGUAGE_HOST_SDK_VERSION" >&2 \
  && go mod tidy >&2) || die "could not resolve sdk/v3@v$LANGUAGE_HOST_SDK_VERSION from the Go module proxy"
go_build "$work/language-host" "$LANGUAGE_HOST_SDK_VERSION" "$BIN/pulumi-language-python" \
  github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python >&2 \
  || die "go build of pulumi-language-python failed (see above)"

say "[4/4] installing the Python shims from sdk/v3@v$PULUMI_VERSION"
sdk_dir="$(cd "$work/cli" && go list -m -f '{{.Dir}}' "github.com/pulumi/pulumi/sdk/v3")"
[ -d "$sdk_dir/python" ] || die "sdk/v3@v$PULUMI_VERSION has no python/ directory at $sdk_dir"
# Module zips drop the exec bit.
install -m 755 "$sdk_dir/python/cmd/pulumi-language-python-exec" "$BIN/pulumi-language-python-exec"
install -m 755 "$sdk_dir/python/dist/pulumi-resource-pulumi-python" "$BIN/pulumi-resource-pulumi-python"

built="$("$BIN/pulumi" version)"
[ "$built" = "v$PULUMI_VERSION" ] || die "built pulumi reports version '$built', expected v$PULUMI_VERSION"
rm -rf "$work"
touch "$STAMP"
say "done in $((SECONDS - started)) s: $built"
echo "$BIN"
