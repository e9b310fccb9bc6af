#!/usr/bin/env bash
# install-kubernetes.sh - local Kubernetes control-plane binaries, built offline from the Go
# module proxy, for the local clusters of automation/localClusters/ (one per region).
#
# Builds, into a cache OUTSIDE the repository keyed by the Kubernetes version:
#   kube-apiserver, kube-controller-manager, kube-scheduler
#                 k8s.io/kubernetes/cmd/... at v$KUBE_VERSION (wrapper module
#                 scripts/toolchain/kube: the staging modules are pinned with replace lines)
#   etcd          a small main around go.etcd.io/etcd/server/v3 etcdmain (scripts/toolchain/etcd)
#   kwok          sigs.k8s.io/kwok/cmd/kwok, the fake-node controller (scripts/toolchain/kwok)
#   kwok stages   kwok's own default node and pod stages, taken from the downloaded kwok module
#                 (the kwok binary embeds none; kwokctl normally passes them)
# and writes <cache>/env.json with the absolute paths and versions of the binaries, read by
# automation/localClusters/toolchain.ts.
#
# Cache layout (<root> = $PULUMI_TOOLCHAIN_HOME, default $HOME/.cache/ai-platform-tiers):
#   <root>/go/mod, <root>/go/build        GOMODCACHE and GOCACHE (shared with install-pulumi.sh)
#   <root>/kubernetes-vX.Y.Z/bin          kube-apiserver kube-controller-manager kube-scheduler etcd kwok
#   <root>/kubernetes-vX.Y.Z/share/kwok-stages   the kwok stage files
#   <root>/kubernetes-vX.Y.Z/{src,logs,stamps}   wrapper modules, build logs, one stamp per piece
#   <root>/kubernetes-vX.Y.Z/env.json     what the TypeScript side reads
# Remove it with: rm -rf <root>/kubernetes-vX.Y.Z
#
# Usage: scripts/install-kubernetes.sh [--force] [--help]
#   --force   rebuild every piece even if its stamp matches
# Environment:
#   PULUMI_TOOLCHAIN_HOME   cache root (default $HOME/.cache/ai-platform-tiers)
# The first run takes ~20 minutes on two cores (the three control-plane binaries; etcd and
# kwok build beside them); a second run checks one stamp per piece and finishes in seconds.
# Exit status is non-zero with an "[install-kubernetes] ERROR:" line when a piece fails (its
# build log is named).
set -euo pipefail

log() { printf '[install-kubernetes] %s\n' "$*"; }
die() { printf '[install-kubernetes] ERROR: %s\n' "$*" >&2; exit 1; }

FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg (see --help)" ;;
  esac
done

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
START=$SECONDS

# ---------------------------------------------------------------- versions ---
# The Kubernetes release; its staging modules (k8s.io/api, k8s.io/client-go, ...) are
# published as v0.<minor>.<patch>. automation/localClusters/toolchain.ts names the same
# version (KUBERNETES_VERSION) to find the cache.
KUBE_VERSION=1.36.3
KUBE_STAGING_VERSION=0.${KUBE_VERSION#*.}
ETCD_VERSION=3.6.16
KWOK_VERSION=0.8.0

TOOLCHAIN_HOME=${PULUMI_TOOLCHAIN_HOME:-$HOME/.cache/ai-platform-tiers}
TC=$TOOLCHAIN_HOME/kubernetes-v$KUBE_VERSION
BIN=$TC/bin
STAGES=$TC/share/kwok-stages

mkdir -p "$BIN" "$TC/stamps" "$TC/logs" "$TC/src" "$TC/share"
exec 9>"$TC/.lock"
flock -w 3600 9 || die "another install-kubernetes.sh holds $TC/.lock"

log "Kubernetes $KUBE_VERSION control plane, etcd $ETCD_VERSION and kwok $KWOK_VERSION in $TC"


# ------------------------------------------------------------ build helpers ---
# Go settings, hashes, stamps, logged steps, go builds, source staging: shared with the other
# toolchain script.
# shellcheck source=scripts/toolchain/build-lib.sh
source "$REPO_ROOT/scripts/toolchain/build-lib.sh"
need_go() { require_go 26 "k8s.io/kubernetes v$KUBE_VERSION, etcd and kwok"; }

# stamp_ok PIECE KEY [FILES...]: the piece was built with KEY and its outputs exist.
stamp_ok() {
  local piece=$1 key=$2; shift 2
  (( FORCE )) && return 1
  [[ -f $TC/stamps/$piece && "$(cat "$TC/stamps/$piece")" == "$key" ]] || return 1
  local f; for f in "$@"; do [[ -x $f || ( -f $f && $f != "$BIN"/* ) ]] || return 1; done
}

# The Go sources of each piece are in scripts/toolchain/PIECE/ (see its README.md); a
# go.mod.in there is the piece's go.mod with @NAME@ placeholders for versions set here.
TOOLCHAIN_SRC=$REPO_ROOT/scripts/toolchain

# module_dir SRC_DIR MODULE@VERSION: download a module (from SRC_DIR's module context) and
# print its directory in the module cache.
module_dir() {
  (cd "$1" && go mod download -json "$2") | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p'
}

# ------------------------------------------ 1. the control plane (3 binaries) ---
KUBE_CMDS=(kube-apiserver kube-controller-manager kube-scheduler)

# The version the binaries report: kubectl refuses a server whose version string is the
# unstamped default, and the apiserver derives its emulation version from it.
kube_ldflags() {
  local major=${KUBE_VERSION%%.*} rest=${KUBE_VERSION#*.} minor pkg flags=$LDFLAGS_COMMON
  minor=${rest%%.*}
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=v$KUBE_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  printf '%s' "$flags"
}

# check_staging_replaces DIR: the replace lines of scripts/toolchain/kube/go.mod.in name
# exactly the staging modules that k8s.io/kubernetes' own go.mod points at ./staging/.
check_staging_replaces() {
  local d=$1 moddir want have
  moddir=$(module_dir "$d" "k8s.io/kubernetes@v$KUBE_VERSION") && [[ -n $moddir ]] ||
    die "kube: cannot download k8s.io/kubernetes@v$KUBE_VERSION"
  want=$(sed -n 's|^[[:space:]]*\([^[:space:]]*\) => \./staging/.*|\1|p' "$moddir/go.mod" | sort)
  have=$(sed -n "s|^[[:space:]]*\([^[:space:]]*\) => [^[:space:]]* v$KUBE_STAGING_VERSION\$|\1|p" "$d/go.mod" | sort)
  [[ $want == "$have" ]] ||
    die "kube: the replace lines of scripts/toolchain/kube/go.mod.in do not match the staging modules of k8s.io/kubernetes v$KUBE_VERSION:
$(diff <(echo "$have") <(echo "$want") | sed -n 's/^[<>]/  &/p')"
}

build_kube() {
  local d key c outs=()
  for c in "${KUBE_CMDS[@]}"; do outs+=("$BIN/$c"); done
  d=$(fresh_src kube)
  stage_sources kube "$d" KUBE_VERSION="$KUBE_VERSION" KUBE_STAGING_VERSION="$KUBE_STAGING_VERSION"
  key="kube v$KUBE_VERSION $(hash_dir "$d")"
  if stamp_ok kube "$key" "${outs[@]}"; then log "kube: up to date (${KUBE_CMDS[*]} in $BIN)"; rm -rf "$d"; return; fi
  need_go; d=$(promote_src kube)
  check_staging_replaces "$d"
  for c in "${KUBE_CMDS[@]}"; do
    go_build kube "$d" "$BIN/$c" "k8s.io/kubernetes/cmd/$c" "$(kube_ldflags)"
  done
  local v
  v=$("$BIN/kube-apiserver" --version 2>&1 | head -n1)
  [[ $v == "Kubernetes v$KUBE_VERSION" ]] || die "kube: built kube-apiserver reports '$v', not 'Kubernetes v$KUBE_VERSION'"
  stamp_set kube "$key"
}

# ------------------------------------------------------------------ 2. etcd ---
build_etcd() {
  local d key out=$BIN/etcd
  d=$(fresh_src etcd); stage_sources etcd "$d" ETCD_VERSION="$ETCD_VERSION"
  key="etcd v$ETCD_VERSION $(hash_dir "$d")"
  if stamp_ok etcd "$key" "$out"; then log "etcd: up to date ($out)"; rm -rf "$d"; return; fi
  need_go; d=$(promote_src etcd)
  go_build etcd "$d" "$out" . "$LDFLAGS_COMMON -X go.etcd.io/etcd/api/v3/version.GitSHA=v$ETCD_VERSION-module"
  "$out" --version 2>&1 | grep -q "etcd Version: $ETCD_VERSION" || die "etcd: built binary does not report $ETCD_VERSION"
  stamp_set etcd "$key"
}

# ------------------------------------------------------- 3. kwok and its stages ---
# The stages kwok plays on the nodes and pods it manages (kwokctl's defaults): a node
# becomes Ready and keeps a lease; a pod becomes Running and Ready with an IP, completes,
# and is removed once deleted. Copied from the kwok module of the same version.
KWOK_STAGE_FILES=(
  kustomize/stage/node/fast/node-initialize.yaml
  kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml
  kustomize/stage/pod/fast/pod-ready.yaml
  kustomize/stage/pod/fast/pod-complete.yaml
  kustomize/stage/pod/fast/pod-delete.yaml
)

build_kwok() {
  local d key out=$BIN/kwok
  d=$(fresh_src kwok); stage_sources kwok "$d" KWOK_VERSION="$KWOK_VERSION"
  key="kwok v$KWOK_VERSION $(hash_dir "$d")"
  if stamp_ok kwok "$key" "$out"; then
    log "kwok: up to date ($out)"; rm -rf "$d"
  else
    need_go; d=$(promote_src kwok)
    go_build kwok "$d" "$out" sigs.k8s.io/kwok/cmd/kwok "$LDFLAGS_COMMON"
    "$out" --version 2>&1 | grep -q "$KWOK_VERSION" || die "kwok: built binary does not report $KWOK_VERSION"
    stamp_set kwok "$key"
  fi

  local f outs=() skey="kwok-stages v$KWOK_VERSION ${KWOK_STAGE_FILES[*]}"
  for f in "${KWOK_STAGE_FILES[@]}"; do outs+=("$STAGES/$(basename "$f")"); done
  if stamp_ok kwok-stages "$skey" "${outs[@]}"; then log "kwok: stages up to date ($STAGES)"; return; fi
  need_go
  [[ -d $TC/src/kwok ]] || { d=$(fresh_src kwok); stage_sources kwok "$d" KWOK_VERSION="$KWOK_VERSION"; promote_src kwok >/dev/null; }
  local moddir
  moddir=$(module_dir "$TC/src/kwok" "sigs.k8s.io/kwok@v$KWOK_VERSION") && [[ -n $moddir ]] ||
    die "kwok: cannot download sigs.k8s.io/kwok@v$KWOK_VERSION"
  rm -rf "$STAGES.new"; mkdir -p "$STAGES.new"
  for f in "${KWOK_STAGE_FILES[@]}"; do
    [[ -f $moddir/$f ]] || die "kwok: sigs.k8s.io/kwok@v$KWOK_VERSION has no $f"
    install -m 0644 "$moddir/$f" "$STAGES.new/$(basename "$f")"
  done
  rm -rf "$STAGES"; mv "$STAGES.new" "$STAGES"
  log "kwok: stages copied from sigs.k8s.io/kwok@v$KWOK_VERSION into $STAGES"
  stamp_set kwok-stages "$skey"
}

# -------------------------------------------------------------------- main ---
# etcd and kwok are small: they build in the background while the control plane builds.
PIDS=()
cleanup() { local p; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
build_etcd & PIDS+=($!)
build_kwok & PIDS+=($!)
build_kube
failed=0
for p in "${PIDS[@]}"; do wait "$p" || failed=1; done
PIDS=()
(( failed == 0 )) || die "a piece failed (see the ERROR line above)"

# ------------------------------------------------------------------ env.json ---
json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
kubectl_entry=null
if kp=$(command -v kubectl 2>/dev/null); then
  kv=$("$kp" version --client 2>/dev/null | sed -n 's/^Client Version: //p' | head -n1)
  kubectl_entry="{ \"path\": $(json_str "$kp"), \"version\": $(json_str "${kv:-unknown}") }"
fi
{
  echo "{"
  echo "  \"kubernetesVersion\": $(json_str "$KUBE_VERSION"),"
  echo "  \"toolchainDir\": $(json_str "$TC"),"
  echo "  \"binaries\": {"
  for c in "${KUBE_CMDS[@]}"; do
    echo "    $(json_str "$c"): { \"path\": $(json_str "$BIN/$c"), \"version\": $(json_str "v$KUBE_VERSION") },"
  done
  echo "    \"etcd\": { \"path\": $(json_str "$BIN/etcd"), \"version\": $(json_str "v$ETCD_VERSION") },"
  echo "    \"kwok\": { \"path\": $(json_str "$BIN/kwok"), \"version\": $(json_str "v$KWOK_VERSION") }"
  echo "  },"
  echo "  \"kwokStages\": ["
  n=${#KWOK_STAGE_FILES[@]} i=0
  for f in "${KWOK_STAGE_FILES[@]}"; do
    i=$((i + 1)); sep=","; (( i == n )) && sep=""
    echo "    $(json_str "$STAGES/$(basename "$f")")$sep"
  done
  echo "  ],"
  echo "  \"kubectl\": $kubectl_entry"
  echo "}"
} >"$TC/env.json.tmp"
mv -f "$TC/env.json.tmp" "$TC/env.json"

log "done in $((SECONDS - START))s; binaries in $BIN; env file: $TC/env.json"
