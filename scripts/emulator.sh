#!/usr/bin/env bash
# Start (or reuse) the bundled Qlik Cloud emulator in the background, with a state file under .state/emulator.
#   scripts/emulator.sh start   prints the emulator's start-up JSON line (url, regions and their credentials)
#   scripts/emulator.sh stop
set -euo pipefail
umask 077  # info.json and the state file hold every client secret: readable by you only
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${PULUMI_QLIK_STATE_DIR:-$ROOT/.state}/emulator"
PY="$ROOT/.venv/bin/python"
mkdir -p "$DIR"

running() { [ -f "$DIR/pid" ] && kill -0 "$(cat "$DIR/pid")" 2>/dev/null; }

case "${1:-start}" in
  start)
    if running && [ -s "$DIR/info.json" ]; then
      cat "$DIR/info.json"
      exit 0
    fi
    rm -f "$DIR/info.json"
    nohup "$PY" -m pulumi_qlik.emulator --port 0 --state-file "$DIR/state.json" \
      > "$DIR/info.json" 2> "$DIR/emulator.log" < /dev/null &
    echo $! > "$DIR/pid"
    for _ in $(seq 1 300); do
      if [ -s "$DIR/info.json" ]; then cat "$DIR/info.json"; exit 0; fi
      running || { echo "emulator exited; its log:" >&2; cat "$DIR/emulator.log" >&2; exit 1; }
      sleep 0.1
    done
    echo "emulator did not start within 30 s; its log: $DIR/emulator.log" >&2
    exit 1
    ;;
  stop)
    if running; then kill "$(cat "$DIR/pid")" && echo "emulator stopped (state kept in $DIR/state.json)" >&2; fi
    rm -f "$DIR/pid" "$DIR/info.json"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
