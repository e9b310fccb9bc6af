#!/usr/bin/env bash
# install-pulumi.sh - the project's Pulumi toolchain, built offline from the Go module proxy.
#
# The Pulumi CLI is not on the npm registry and download sites are out of reach, so this
# script builds, into a cache OUTSIDE the repository keyed by the @pulumi/pulumi version of
# package-lock.json:
#   pulumi                   the CLI, github.com/pulumi/pulumi/pkg/v3/cmd/pulumi at that version
#   pulumi-language-nodejs   a small Node.js language host (scripts/toolchain/langhost): the
#                            upstream one (github.com/pulumi/pulumi/sdk/nodejs/cmd/
#                            pulumi-language-nodejs/v3) is refused by the module proxy, at
#                            every version
#   resource plugins         kubernetes and random, installed with `pulumi plugin install
#                            resource NAME VERSION --file BIN` under exactly the versions that
#                            node_modules/@pulumi/{kubernetes,random} request (random is
#                            assembled here: see its section)
# and writes <cache>/env.sh (and env.json) for shells, CI and tests. `scripts/pulumi-env.sh`
# finds and loads that file. The aws plugin cannot be built here (see below).
# The Go sources of these wrapper modules are in scripts/toolchain/ (see its README.md).
#
# Cache layout (<root> = $PULUMI_TOOLCHAIN_HOME, default $HOME/.cache/ai-platform-tiers):
#   <root>/go/mod, <root>/go/build      GOMODCACHE and GOCACHE (shared by all versions)
#   <root>/pulumi-vX.Y.Z/bin            pulumi, pulumi-language-nodejs
#   <root>/pulumi-vX.Y.Z/home           PULUMI_HOME: plugins/ (and credentials.json if you
#                                       `pulumi login`; prefer PULUMI_BACKEND_URL in tests)
#   <root>/pulumi-vX.Y.Z/providers      the built provider binaries
#   <root>/pulumi-vX.Y.Z/{src,logs,stamps}  wrapper modules, build logs, one stamp per piece
#   <root>/pulumi-vX.Y.Z/env.sh, env.json   what to source / read
# Remove it all with: rm -rf <root>  (the module cache is written with -modcacherw).
#
# Usage: scripts/install-pulumi.sh [--force] [--no-providers] [--print-env] [--help]
#   --force         rebuild every piece even if its stamp matches
#   --no-providers  only the CLI and the language host
#   --print-env     print the env lines of an existing install and exit (no build)
# Environment:
#   PULUMI_TOOLCHAIN_HOME   cache root (default $HOME/.cache/ai-platform-tiers)
#   PULUMI_TOOLCHAIN_BUILD  "always" = never use a pulumi found on PATH
# A second run checks one stamp per piece and finishes in seconds. Exit status is non-zero
# with an "[install-pulumi] ERROR:" line when a piece fails (its build log is named).
set -euo pipefail

log() { printf '[install-pulumi] %s\n' "$*"; }
die() { printf '[install-pulumi] ERROR: %s\n' "$*" >&2; exit 1; }

FORCE=0 PROVIDERS=1 PRINT_ENV=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    --no-providers) PROVIDERS=0 ;;
    --print-env) PRINT_ENV=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg (see --help)" ;;
  esac
done

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
START=$SECONDS

# ---------------------------------------------------------------- versions ---
# version_of NPM_NAME: the plugin version the npm package asks for (package.json
# "pulumi.version", else its version); the lockfile when node_modules is absent.
version_of() {
  local pkg=$1
  node -e '
    const fs = require("fs"), path = require("path");
    const [root, pkg] = process.argv.slice(1);
    const pj = path.join(root, "node_modules", pkg, "package.json");
    if (fs.existsSync(pj)) {
      const j = JSON.parse(fs.readFileSync(pj, "utf8"));
      console.log(String((j.pulumi && j.pulumi.version) || j.version).replace(/^v/, ""));
      process.exit(0);
    }
    const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8"));
    const e = (lock.packages || {})["node_modules/" + pkg];
    if (!e || !e.version) { console.error(pkg + " is in neither node_modules nor package-lock.json"); process.exit(1); }
    console.log(e.version);
  ' "$REPO_ROOT" "$pkg"
}

command -v node >/dev/null || die "node is not on PATH (needed to read package versions)"
PULUMI_VERSION=$(version_of @pulumi/pulumi) || die "cannot read the @pulumi/pulumi version"
[[ $PULUMI_VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "unexpected @pulumi/pulumi version '$PULUMI_VERSION'"

TOOLCHAIN_HOME=${PULUMI_TOOLCHAIN_HOME:-$HOME/.cache/ai-platform-tiers}
TC=$TOOLCHAIN_HOME/pulumi-v$PULUMI_VERSION
BIN=$TC/bin
ENV_FILE=$TC/env.sh

if (( PRINT_ENV )); then
  [[ -f $ENV_FILE ]] || die "no toolchain at $TC; run scripts/install-pulumi.sh"
  exec "$REPO_ROOT/scripts/pulumi-env.sh"
fi

mkdir -p "$BIN" "$TC/stamps" "$TC/logs" "$TC/src" "$TC/providers" "$TC/home"
exec 9>"$TC/.lock"
flock -w 3600 9 || die "another install-pulumi.sh holds $TC/.lock"

log "Pulumi $PULUMI_VERSION toolchain in $TC"

# The engine, the plugins and `pulumi login` use PULUMI_HOME: keep it in the cache so
# nothing is written to ~/.pulumi (decision: env.sh exports it; use PULUMI_BACKEND_URL or
# `pulumi login file://DIR` with a temp dir for state).
export PULUMI_HOME=$TC/home
export PULUMI_SKIP_UPDATE_CHECK=1
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true


# ------------------------------------------------------------ build helpers ---
# Go settings, hashes, stamps, logged steps, go builds, source staging: shared with the other
# toolchain script.
# shellcheck source=scripts/toolchain/build-lib.sh
source "$REPO_ROOT/scripts/toolchain/build-lib.sh"
need_go() { require_go 25 "the Pulumi modules"; }

# stamp_ok PIECE KEY [FILES...]: the piece was built with KEY and its outputs exist.
stamp_ok() {
  local piece=$1 key=$2; shift 2
  (( FORCE )) && return 1
  [[ -f $TC/stamps/$piece && "$(cat "$TC/stamps/$piece")" == "$key" ]] || return 1
  local f; for f in "$@"; do [[ -x $f ]] || return 1; done
}

# The Go sources of each piece are in scripts/toolchain/PIECE/ (see its README.md); a
# go.mod.in there is the piece's go.mod with @NAME@ placeholders for versions set here.
TOOLCHAIN_SRC=$REPO_ROOT/scripts/toolchain

version_ge() { [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]; }

# -------------------------------------------------------------- 1. the CLI ---
PULUMI_BIN=""
use_path_pulumi() {
  [[ ${PULUMI_TOOLCHAIN_BUILD:-} == always ]] && return 1
  local p v
  p=$(command -v pulumi 2>/dev/null) || return 1
  [[ $(dirname "$(readlink -f "$p")") == "$(readlink -f "$BIN")" ]] && return 1
  v=$("$p" version 2>/dev/null | head -n1) || return 1
  v=${v#v}
  version_ge "${v%%[-+]*}" "$PULUMI_VERSION" || { log "cli: $p is $v, older than $PULUMI_VERSION: building"; return 1; }
  command -v pulumi-language-nodejs >/dev/null || [[ -x $(dirname "$p")/pulumi-language-nodejs ]] ||
    { log "cli: $p has no pulumi-language-nodejs beside it: building"; return 1; }
  log "cli: using $p (v$v >= $PULUMI_VERSION); not building the CLI and language host"
  PULUMI_BIN=$p
}

build_cli() {
  local d key
  d=$(fresh_src cli); stage_sources cli "$d" PULUMI_VERSION="$PULUMI_VERSION"
  key="cli v$PULUMI_VERSION $(hash_dir "$d")"
  if stamp_ok cli "$key" "$BIN/pulumi"; then log "cli: up to date ($BIN/pulumi)"; rm -rf "$d"; return; fi
  need_go; d=$(promote_src cli)
  go_build cli "$d" "$BIN/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
    "$LDFLAGS_COMMON -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
  [[ "$("$BIN/pulumi" version)" == "v$PULUMI_VERSION" ]] || die "cli: built binary does not report v$PULUMI_VERSION"
  stamp_set cli "$key"
}

# --------------------------------------------------- 2. the language host ---
build_langhost() {
  local d key
  d=$(fresh_src langhost); stage_sources langhost "$d" PULUMI_VERSION="$PULUMI_VERSION"
  key="langhost v$PULUMI_VERSION $(hash_dir "$d")"
  if stamp_ok langhost "$key" "$BIN/pulumi-language-nodejs"; then
    log "langhost: up to date ($BIN/pulumi-language-nodejs)"; rm -rf "$d"; return
  fi
  need_go; d=$(promote_src langhost)
  go_build langhost "$d" "$BIN/pulumi-language-nodejs" . \
    "$LDFLAGS_COMMON -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
  stamp_set langhost "$key"
}

# ----------------------------------------- 2b. the dynamic provider plugin ---
# Pulumi dynamic resources (components/shared/privateCa.ts) run in the resource plugin
# `pulumi-resource-pulumi-nodejs`, which the CLI expects beside itself: it starts
# @pulumi/pulumi's dynamic provider host from the program's node_modules (found from the
# program folder upward, as Node resolves modules).
install_dynamic_provider() {
  local out=$BIN/pulumi-resource-pulumi-nodejs
  local text='#!/bin/sh
# Resource plugin of Pulumi dynamic providers (written by scripts/install-pulumi.sh): runs the
# dynamic provider host of the nearest node_modules/@pulumi/pulumi above the program folder.
dir=$PWD
while :; do
  host=$dir/node_modules/@pulumi/pulumi/cmd/dynamic-provider
  if [ -f "$host/index.js" ]; then exec node "$host" "$@"; fi
  [ "$dir" = / ] && break
  dir=$(dirname "$dir")
done
echo "pulumi-resource-pulumi-nodejs: no node_modules/@pulumi/pulumi in $PWD or above" >&2
exit 1'
  if [[ -x $out && "$(cat "$out")" == "$text" ]]; then log "dynamic provider plugin: up to date ($out)"; return; fi
  printf '%s\n' "$text" >"$out.tmp" && chmod 0755 "$out.tmp" && mv -f "$out.tmp" "$out"
  log "dynamic provider plugin: wrote $out"
}

# -------------------------------------------------------- 3. the providers ---
# install_plugin NAME VERSION BINARY: `pulumi plugin install` into PULUMI_HOME, skipped
# when the same binary is already installed there.
install_plugin() {
  local name=$1 version=$2 bin=$3
  local dest=$PULUMI_HOME/plugins/resource-$name-v$version/pulumi-resource-$name
  if [[ -x $dest ]] && cmp -s "$bin" "$dest" && (( ! FORCE )); then
    log "$name: plugin v$version already installed"
    return
  fi
  log "$name: pulumi plugin install resource $name $version --file $bin"
  run_logged "$name" "plugin install" "$PULUMI_BIN" plugin install resource "$name" "$version" --file "$bin" --reinstall
  [[ -x $dest ]] || die "$name: plugin install did not create $dest"
}

# Kubernetes: the proxy serves github.com/pulumi/pulumi-kubernetes/provider/v4 only at
# v4.0.0-20260115033456-f47bc2d6f199, the commit tagged v4.25.0 (every later tag is
# refused), so package.json pins @pulumi/kubernetes 4.25.0: SDK and provider are the same
# release. The script refuses to install this code under another version.
K8S_PROVIDER_MODULE_VERSION=v4.0.0-20260115033456-f47bc2d6f199
K8S_PROVIDER_SOURCE=v4.25.0

build_kubernetes() {
  local version d key out=$TC/providers/pulumi-resource-kubernetes
  version=$(version_of @pulumi/kubernetes) || die "kubernetes: cannot read the @pulumi/kubernetes version"
  [[ v$version == "$K8S_PROVIDER_SOURCE" ]] ||
    die "kubernetes: @pulumi/kubernetes is $version but the module proxy serves the provider only at $K8S_PROVIDER_SOURCE; pin @pulumi/kubernetes to ${K8S_PROVIDER_SOURCE#v} in package.json"
  d=$(fresh_src kubernetes); stage_sources kubernetes "$d" K8S_PROVIDER_MODULE_VERSION="$K8S_PROVIDER_MODULE_VERSION"
  key="kubernetes v$version from $K8S_PROVIDER_MODULE_VERSION $(hash_dir "$d")"
  if stamp_ok kubernetes "$key" "$out"; then
    log "kubernetes: up to date ($out, v$version built from $K8S_PROVIDER_SOURCE)"; rm -rf "$d"
  else
    need_go; d=$(promote_src kubernetes)
    log "kubernetes: building v$version from provider/v4 $K8S_PROVIDER_SOURCE ($K8S_PROVIDER_MODULE_VERSION), the only version the proxy serves"
    local moddir
    moddir=$(cd "$d" && go mod download -json github.com/pulumi/pulumi-kubernetes/provider/v4 |
      node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(j.Error){console.error(j.Error);process.exit(1)}console.log(j.Dir)})') ||
      die "kubernetes: cannot download github.com/pulumi/pulumi-kubernetes/provider/v4@$K8S_PROVIDER_MODULE_VERSION"
    install -m 0644 "$moddir/cmd/pulumi-resource-kubernetes/schema.json" "$d/schema.json"
    install -m 0644 "$moddir/cmd/pulumi-resource-kubernetes/terraform-mapping.json" "$d/terraform-mapping.json"
    go_build kubernetes "$d" "$out" . "$LDFLAGS_COMMON -X main.version=$version"
    stamp_set kubernetes "$key"
  fi
  install_plugin kubernetes "$version" "$out"
}

# Random: github.com/pulumi/pulumi-random/provider/v4 is refused by the proxy, so the
# provider is assembled here from served modules: the upstream Terraform provider (v3.9.0
# at the pseudo-version that pulumi-random uses), reached through a local shim module
# (its constructor is in an internal package), pulumi-terraform-bridge v3.120.0 (newest
# served), and a small mapping with the npm SDK's tokens. A tfgen step writes the schema.
RANDOM_UPSTREAM_VERSION=v1.3.2-0.20260513075824-f8d869dc98d9
RANDOM_BRIDGE_VERSION=v3.120.0
RANDOM_SDK_FORK_VERSION=v2.0.0-20260318212141-5525259d096b

build_random() {
  local version d key out=$TC/providers/pulumi-resource-random
  version=$(version_of @pulumi/random) || die "random: cannot read the @pulumi/random version"
  d=$(fresh_src random)
  stage_sources random "$d" RANDOM_UPSTREAM_VERSION="$RANDOM_UPSTREAM_VERSION" \
    RANDOM_BRIDGE_VERSION="$RANDOM_BRIDGE_VERSION" RANDOM_SDK_FORK_VERSION="$RANDOM_SDK_FORK_VERSION"
  key="random v$version $(hash_dir "$d")"
  if stamp_ok random "$key" "$out"; then
    log "random: up to date ($out, v$version)"; rm -rf "$d"
  else
    need_go; d=$(promote_src random)
    local ld="$LDFLAGS_COMMON -X example.invalid/pulumi-toolchain/random/info.Version=$version"
    go_build random "$d" "$d/tfgen" ./cmd/tfgen "$ld"
    log "random: generating schema.json with tfgen"
    (cd "$d" && PULUMI_SKIP_MISSING_MAPPING_ERROR=true PULUMI_MISSING_DOCS_ERROR=false \
      run_logged random "tfgen schema" ./tfgen schema --out cmd/pulumi-resource-random)
    [[ -s $d/cmd/pulumi-resource-random/schema.json ]] || die "random: tfgen wrote no schema.json"
    [[ -f $d/cmd/pulumi-resource-random/bridge-metadata.json ]] || echo '{}' >"$d/cmd/pulumi-resource-random/bridge-metadata.json"
    go_build random "$d" "$out" ./cmd/pulumi-resource-random "$ld"
    stamp_set random "$key"
  fi
  install_plugin random "$version" "$out"
}

# -------------------------------------------------------------------- main ---
if use_path_pulumi; then
  CLI_DIR=""
else
  build_cli
  build_langhost
  install_dynamic_provider
  PULUMI_BIN=$BIN/pulumi
  CLI_DIR=$BIN
fi

if (( PROVIDERS )); then
  build_kubernetes
  build_random
  aws_version=$(version_of @pulumi/aws 2>/dev/null || echo "?")
  log "aws: NOT built - the aws provider (v$aws_version) cannot be built offline: pulumi-aws patches the"
  log "aws:   upstream Terraform provider in a git submodule that no Go module carries. Programs that"
  log "aws:   register aws resources fail with 'no resource plugin aws'; use the offline engine for those."
fi

# ------------------------------------------------------------------ env file ---
{
  echo "# Pulumi $PULUMI_VERSION toolchain, written by scripts/install-pulumi.sh ($(date -u +%FT%TZ))."
  echo "# Source it: . $ENV_FILE"
  echo "export PULUMI_TOOLCHAIN_HOME='$TOOLCHAIN_HOME'"
  echo "export PULUMI_TOOLCHAIN_DIR='$TC'"
  if [[ -n $CLI_DIR ]]; then
    echo "case \":\$PATH:\" in *':$CLI_DIR:'*) ;; *) export PATH='$CLI_DIR':\"\$PATH\" ;; esac"
  fi
  echo "export PULUMI_HOME='$PULUMI_HOME'"
  echo "export PULUMI_SKIP_UPDATE_CHECK=1"
  echo "export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true"
} >"$ENV_FILE.tmp"
mv -f "$ENV_FILE.tmp" "$ENV_FILE"
node -e '
  const [file, pulumi, home, tc, bin, version] = process.argv.slice(1);
  require("fs").writeFileSync(file, JSON.stringify({
    version, toolchainDir: tc, pulumi, binDir: bin || null,
    env: { PULUMI_HOME: home, PULUMI_SKIP_UPDATE_CHECK: "1", PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true" },
  }, null, 2) + "\n");
' "$TC/env.json" "$PULUMI_BIN" "$PULUMI_HOME" "$TC" "$CLI_DIR" "$PULUMI_VERSION"

log "done in $((SECONDS - START))s; env file: $ENV_FILE (also $TC/env.json)"
log "to use it: . $ENV_FILE   (or: eval \"\$(scripts/pulumi-env.sh)\"), i.e.:"
[[ -n $CLI_DIR ]] && echo "export PATH=\"$CLI_DIR:\$PATH\""
echo "export PULUMI_HOME=\"$PULUMI_HOME\""
echo "export PULUMI_SKIP_UPDATE_CHECK=1"
echo "export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true"
