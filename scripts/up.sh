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
field() { "$PY" -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2], {}, {"d": d}))' "$info" "$1"; }
url="$(field 'd["url"]')"
echo "    $url (state: .state/emulator/state.json)" >&2

echo "==> configuring stack '$STACK' for region '$REGION'" >&2
scripts/pulumi stack select --create "$STACK" >/dev/null
scripts/pulumi config set qlik:endpoint "$url"
scripts/pulumi config set qlik:region "$REGION"
scripts/pulumi config set qlik:clientId "$(field "d['regions']['$REGION']['client_id']")"
# Through stdin, so the secret never shows in a process listing.
field "d['regions']['$REGION']['client_secret']" | scripts/pulumi config set --secret qlik:clientSecret
scripts/pulumi config set sourceTenant "$(field "d['regions']['$REGION']['source_tenant']")"

[ "${1:-}" = "--configure-only" ] && exit 0

echo "==> pulumi up" >&2
scripts/pulumi up --yes --stack "$STACK"

hostname="$(scripts/pulumi stack output hostname --stack "$STACK")"
cat >&2 <<DONE

Tenant ready: https://$hostname (on the emulator at $url)
  outputs:    scripts/pulumi stack output --stack $STACK
  tear down:  make down   (deactivates the tenant and stops the emulator)
DONE
