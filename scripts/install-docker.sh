#!/usr/bin/env bash
# install-docker.sh - what the Docker Engine tests of tiers 0-1 need (test/docker/), installed
# from Debian and the Go module proxy:
#   docker.io        Docker Engine 20.10 (dockerd, containerd, runc, iptables) from Debian; the
#                    tests start a PRIVATE dockerd of their own (test/support/dockerEngine.ts),
#                    never the system service
#   busybox-static   a static busybox: the root file system of the stand-in images the tests
#                    make with `docker import` (no registry is reachable)
#   Compose v2       the `docker compose` CLI plugin, built from github.com/docker/compose/v2
#                    at $COMPOSE_VERSION (Debian bookworm's `docker-compose` is Compose v1 and
#                    no Debian package carries v2) into the cache, keyed by version:
#                      <root>/docker-compose-vX.Y.Z/cli-plugins/docker-compose
#                    <root> = $PULUMI_TOOLCHAIN_HOME, default $HOME/.cache/ai-platform-tiers
#                    (GOMODCACHE and GOCACHE shared with scripts/install-pulumi.sh). The tests
#                    point DOCKER_CONFIG at a directory whose cli-plugins/ links to it.
# The same version is what the tier-0 host installs (components/tier0/userData.ts
# COMPOSE_PLUGIN_VERSION; a test keeps the two equal).
#
# Usage: scripts/install-docker.sh [--force] [--print-plugin] [--help]
#   --force          rebuild the Compose plugin even if its stamp matches
#   --print-plugin   print the path of the installed plugin and exit (no install)
# A second run finds everything and takes a second; `apt-get update` runs only when a package
# is missing. Exit status is non-zero with an "[install-docker] ERROR:" line on failure.
set -euo pipefail

log() { printf '[install-docker] %s\n' "$*"; }
die() { printf '[install-docker] ERROR: %s\n' "$*" >&2; exit 1; }

COMPOSE_VERSION=v2.40.3

FORCE=0 PRINT_PLUGIN=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    --print-plugin) PRINT_PLUGIN=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg (see --help)" ;;
  esac
done

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLCHAIN_HOME=${PULUMI_TOOLCHAIN_HOME:-$HOME/.cache/ai-platform-tiers}
DEST=$TOOLCHAIN_HOME/docker-compose-$COMPOSE_VERSION
PLUGIN=$DEST/cli-plugins/docker-compose

if (( PRINT_PLUGIN )); then
  [[ -x $PLUGIN ]] || die "no Compose plugin at $PLUGIN; run scripts/install-docker.sh"
  echo "$PLUGIN"; exit 0
fi

START=$SECONDS

# ---------------------------------------------------------- Debian packages ---
# package -> a file it installs that the tests use
declare -A NEEDED=(
  [docker.io]=/usr/sbin/dockerd
  [busybox-static]=/bin/busybox
  [iptables]=/usr/sbin/iptables
)
missing=()
for pkg in "${!NEEDED[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || [[ ! -x ${NEEDED[$pkg]} ]]; then
    missing+=("$pkg")
  fi
done
if (( ${#missing[@]} > 0 )); then
  (( EUID == 0 )) || die "missing ${missing[*]}: run as root (or: sudo apt-get install ${missing[*]})"
  log "apt: installing ${missing[*]} (apt-get update first)"
  t0=$SECONDS
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed"
  # The package's service is not started here (policy-rc.d or no init): the tests run their own dockerd.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    die "apt-get install ${missing[*]} failed"
  log "apt: installed ${missing[*]} in $((SECONDS - t0))s"
else
  log "apt: docker.io, busybox-static and iptables already installed"
fi
log "engine: $(dockerd --version)"

# ------------------------------------------------------- Compose v2 plugin ---
SRC=$REPO_ROOT/scripts/toolchain/compose
[[ -d $SRC ]] || die "no sources at $SRC"
mkdir -p "$DEST/cli-plugins" "$DEST/src" "$DEST/logs"
exec 9>"$DEST/.lock"
flock -w 1800 9 || die "another install-docker.sh holds $DEST/.lock"

# The wrapper module, its go.mod rendered from go.mod.in; the stamp hashes the result.
STAGE=$DEST/src.new
rm -rf "$STAGE"; mkdir -p "$STAGE"; cp -R "$SRC/." "$STAGE/"
sed "s|@COMPOSE_VERSION@|${COMPOSE_VERSION#v}|g" "$STAGE/go.mod.in" >"$STAGE/go.mod"; rm -f "$STAGE/go.mod.in"
KEY="compose $COMPOSE_VERSION $(cd "$STAGE" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)"

if (( ! FORCE )) && [[ -x $PLUGIN && -f $DEST/stamp && "$(cat "$DEST/stamp")" == "$KEY" ]]; then
  rm -rf "$STAGE"
  log "compose: up to date ($PLUGIN)"
else
  command -v go >/dev/null || die "go is not on PATH (Go >= 1.24 builds the Compose plugin)"
  rm -rf "$DEST/src"; mv "$STAGE" "$DEST/src"
  export GOMODCACHE=${PULUMI_TOOLCHAIN_GOMODCACHE:-$TOOLCHAIN_HOME/go/mod}
  export GOCACHE=${PULUMI_TOOLCHAIN_GOCACHE:-$TOOLCHAIN_HOME/go/build}
  export GOFLAGS="-mod=mod -modcacherw -buildvcs=false" GOTOOLCHAIN=local CGO_ENABLED=0 GOWORK=off
  LOGF=$DEST/logs/compose.log
  log "compose: go build github.com/docker/compose/v2/cmd@$COMPOSE_VERSION (cold: a few minutes; log: $LOGF)"
  t0=$SECONDS
  if ! (cd "$DEST/src" && go build -trimpath \
      -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$COMPOSE_VERSION" \
      -o "$PLUGIN.tmp" github.com/docker/compose/v2/cmd) >"$LOGF" 2>&1; then
    grep -v '^go: downloading' "$LOGF" | tail -n 25 >&2
    die "compose: build failed (full log: $LOGF)"
  fi
  mv -f "$PLUGIN.tmp" "$PLUGIN"
  printf '%s\n' "$KEY" >"$DEST/stamp"
  log "compose: built in $((SECONDS - t0))s"
fi
version=$("$PLUGIN" version --short 2>/dev/null) || die "compose: $PLUGIN does not run"
[[ v${version#v} == "$COMPOSE_VERSION" ]] || die "compose: $PLUGIN reports $version, not $COMPOSE_VERSION"

log "done in $((SECONDS - START))s: dockerd $(command -v dockerd), busybox /bin/busybox, compose $COMPOSE_VERSION at $PLUGIN"
