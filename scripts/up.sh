#!/usr/bin/env bash
# The main job: start the bundled emulator, point a local stack at it, and `pulumi up` the root project.
# With --configure-only it stops after pointing the stack at the (possibly restarted) emulator.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"
STACK="${STACK:-local}"
REGION="${QLIK_REGION:-us}"

echo "==> starting the Qlik Cloud emulator" >&2
info="$(scripts/emulator.sh start)"
# One value of the start-up JSON by its keys, e.g. `field regions us client_id`. The JSON holds every region's
# client secret, so it goes to Python on stdin, never as an argument: arguments show in any process listing.
field() {
  "$PY" -c 'import json, sys
value = json.load(sys.stdin)
for key in sys.argv[1:]:
    value = value[key]
print(value)' "$@" <<<"$info"
}
url="$(field url)"
echo "    $url (state: .state/emulator/state.json)" >&2

echo "==> configuring stack '$STACK' for region '$REGION'" >&2
scripts/pulumi stack select --create "$STACK" >/dev/null
scripts/pulumi config set qlik:endpoint "$url"
scripts/pulumi config set qlik:region "$REGION"
scripts/pulumi config set qlik:clientId "$(field regions "$REGION" client_id)"
# The secret goes through a pipe (stdin), like the JSON above, so it never shows in a process listing.
field regions "$REGION" client_secret | scripts/pulumi config set --secret qlik:clientSecret
scripts/pulumi config set sourceTenant "$(field regions "$REGION" source_tenant)"

[ "${1:-}" = "--configure-only" ] && exit 0

echo "==> pulumi up" >&2
scripts/pulumi up --yes --stack "$STACK"

hostname="$(scripts/pulumi stack output hostname --stack "$STACK")"
cat >&2 <<DONE

Tenant ready: https://$hostname (on the emulator at $url)
  outputs:    scripts/pulumi stack output --stack $STACK
  tear down:  make down   (deactivates the tenant and stops the emulator)
DONE
