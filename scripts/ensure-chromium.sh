#!/usr/bin/env bash
# Make sure a headless-capable Chromium exists for the browser test of embedding
# (tests/engine/test_embedding_browser.py): Debian's `chromium` package, installed with apt-get when missing.
# Quiet when it is already there. The last line of stdout is the browser's path.
#
# Why Debian's package and not `playwright install`: that downloads browsers from a CDN outside the package
# registries; the test drives this system Chromium through playwright's `executable_path`.
#
# Environment:
#   PULUMI_QLIK_CHROMIUM   a Chromium (or Chrome) binary to use instead; nothing is installed then
set -euo pipefail

find_chromium() {
  if [ -n "${PULUMI_QLIK_CHROMIUM:-}" ]; then
    [ -x "$PULUMI_QLIK_CHROMIUM" ] && { echo "$PULUMI_QLIK_CHROMIUM"; return 0; }
    echo "[ensure-chromium] error: PULUMI_QLIK_CHROMIUM=$PULUMI_QLIK_CHROMIUM is not an executable" >&2
    exit 1
  fi
  command -v chromium || command -v chromium-browser || return 1
}

if ! find_chromium >/dev/null; then
  if ! command -v apt-get >/dev/null; then
    echo "[ensure-chromium] error: no chromium on PATH and no apt-get to install it; install Chromium and set" \
      "PULUMI_QLIK_CHROMIUM to its binary" >&2
    exit 1
  fi
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "[ensure-chromium] error: installing chromium needs root or sudo" >&2; exit 1; }
    SUDO="sudo"
  fi
  echo "[ensure-chromium] installing Debian's chromium package" >&2
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >&2
fi
find_chromium
