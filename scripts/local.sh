#!/usr/bin/env bash
# The same promotion on real Kubernetes: the `local` stack from nothing to tier 3 with the real
# Pulumi engine on local clusters (one per region: etcd, kube-apiserver, controller-manager,
# scheduler, fake nodes shaped like the node pools). Builds what is missing first (Node.js 22,
# npm packages, the Pulumi toolchain and the control-plane binaries: about 40 minutes on two
# cores the first time, seconds afterwards), starts fresh clusters, promotes, and leaves them
# running (`npm run driver -- clusters stop --stack local` ends them).
# The stack's secrets (the OTP seed) are encrypted with PULUMI_CONFIG_PASSPHRASE; unset, this
# script uses a local-only passphrase and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC1091
source scripts/node-env.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
bash scripts/install-pulumi.sh & pulumi_build=$!
bash scripts/install-kubernetes.sh & kube_build=$!
wait "$pulumi_build" && wait "$kube_build"
# shellcheck disable=SC1091
source scripts/pulumi-env.sh
if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ]; then
  export PULUMI_CONFIG_PASSPHRASE=local-clusters-only
  echo "local.sh: PULUMI_CONFIG_PASSPHRASE unset; using a local-only passphrase for the local stack's secrets"
fi
npm run build --silent
exec node dist/automation/demo.js --stack local --engine pulumi "$@"
