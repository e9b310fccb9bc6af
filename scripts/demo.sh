#!/usr/bin/env bash
# The README's main job: installs Node.js 22 if the machine's is older and the npm packages from
# the lockfile if needed, then promotes the dev stack from nothing to tier 3 with the offline
# engine and a fresh local state dir.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC1091
source scripts/node-env.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
exec npm run demo -- "$@"
