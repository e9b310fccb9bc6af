#!/usr/bin/env bash
# The test command of the README: installs what the tests need (Node.js 22 when the machine's
# is older, npm packages from the lockfile, the Pulumi toolchain built from Go modules) and runs
# the whole suite.
# Builds: scripts/install-pulumi.sh (CLI, language host, providers) and
# scripts/install-kubernetes.sh (etcd, kube-apiserver, controller-manager, scheduler, kwok).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC1091
source scripts/node-env.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# The Pulumi toolchain and the local Kubernetes control planes build side by side (their Go
# caches are shared and safe to use at once); each is seconds when already built. The Docker
# Engine for the tier-0/1 tests comes from Debian meanwhile.
bash scripts/install-pulumi.sh & pulumi_build=$!
bash scripts/install-kubernetes.sh & kube_build=$!
bash scripts/install-docker.sh
wait "$pulumi_build" || { echo "scripts/test.sh: the Pulumi toolchain build failed (see above)" >&2; exit 1; }
wait "$kube_build" || { echo "scripts/test.sh: the Kubernetes toolchain build failed (see above)" >&2; exit 1; }
# shellcheck disable=SC1091
source scripts/pulumi-env.sh
npm test
