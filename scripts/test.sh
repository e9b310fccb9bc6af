#!/usr/bin/env bash
# The test command of the README: installs what the tests need (Node.js 22 when the machine's
# is older, npm packages from the lockfile, the Pulumi toolchain built from Go modules) and runs
# the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC1091
source scripts/node-env.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
bash scripts/install-pulumi.sh
bash scripts/install-docker.sh
# shellcheck disable=SC1091
source scripts/pulumi-env.sh
npm test
