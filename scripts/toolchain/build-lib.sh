# Shell functions the toolchain build scripts share (sourced by scripts/install-pulumi.sh and
# scripts/install-kubernetes.sh after they set TOOLCHAIN_HOME, TC, BIN and FORCE and define log and die):
# hashing and stamps of what was built, logged steps, go builds, and the staging of each piece's
# sources from scripts/toolchain/PIECE.
# shellcheck shell=bash

# Go: module and build caches live in the toolchain cache (TOOLCHAIN_HOME), shared by both scripts
# and every version; static binaries, modules resolved from the proxy, the local Go only.
export GOMODCACHE=${PULUMI_TOOLCHAIN_GOMODCACHE:-$TOOLCHAIN_HOME/go/mod}
export GOCACHE=${PULUMI_TOOLCHAIN_GOCACHE:-$TOOLCHAIN_HOME/go/build}
export GOFLAGS="-mod=mod -modcacherw -buildvcs=false"
export GOTOOLCHAIN=local
export CGO_ENABLED=0
export GOWORK=off
LDFLAGS_COMMON="-s -w"

# require_go MINOR WHAT: Go 1.MINOR or newer is on PATH (sets GO_VERSION once), else die naming WHAT.
GO_VERSION=""
require_go() {
  [[ -n $GO_VERSION ]] && return 0
  command -v go >/dev/null || die "go is not on PATH (Go >= 1.$1 is needed to build $2)"
  GO_VERSION=$(go env GOVERSION)
  local v=${GO_VERSION#go} major minor
  IFS=. read -r major minor _ <<<"$v"
  (( major > 1 || (major == 1 && minor >= $1) )) || die "$GO_VERSION is too old: $2 need Go >= 1.$1"
}

# hash_dir DIR: one hash over the files of a generated source tree.
hash_dir() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16); }

# stamp_set PIECE KEY: record that PIECE is now built with KEY.
stamp_set() { printf '%s\n' "$2" >"$TC/stamps/$1"; }

# run_logged PIECE STEP CMD...: run CMD with output in a log; on failure show its tail and die.
run_logged() {
  local piece=$1 step=$2; shift 2
  local logf=$TC/logs/$piece.log
  printf '\n== %s: %s\n$ %s\n' "$(date -u +%FT%TZ)" "$step" "$*" >>"$logf"
  if ! "$@" >>"$logf" 2>&1; then
    echo "----- last lines of $logf -----" >&2
    grep -v '^go: downloading' "$logf" | tail -n 25 >&2
    if grep -q 'requires go >=' "$logf"; then
      echo "(a module needs a newer Go than $GO_VERSION; export GOTOOLCHAIN=go1.27.3 lets the go command fetch that approved version from the module proxy)" >&2
    fi
    die "$piece: $step failed (full log: $logf)"
  fi
}

# go_build PIECE SRC_DIR OUT PACKAGE LDFLAGS
go_build() {
  local piece=$1 src=$2 out=$3 pkg=$4 ldflags=$5 t0=$SECONDS
  log "$piece: go build $pkg (cold: several minutes; log: $TC/logs/$piece.log)"
  (cd "$src" && run_logged "$piece" "go build $pkg" go build -trimpath -ldflags "$ldflags" -o "$out.tmp" "$pkg")
  mv -f "$out.tmp" "$out"
  log "$piece: built $(basename "$out") in $((SECONDS - t0))s"
}

# stage_sources PIECE DIR [NAME=VALUE...]: copy scripts/toolchain/PIECE into DIR and render
# each go.mod.in into go.mod, @NAME@ replaced by VALUE (the stamp hashes the result).
stage_sources() {
  local piece=$1 d=$2; shift 2
  local src=$TOOLCHAIN_SRC/$piece kv tmpl sedargs=(-e '')
  [[ -d $src ]] || die "$piece: no sources at $src"
  cp -R "$src/." "$d/"
  for kv in "$@"; do sedargs+=(-e "s|@${kv%%=*}@|${kv#*=}|g"); done
  while IFS= read -r -d '' tmpl; do
    sed "${sedargs[@]}" "$tmpl" >"${tmpl%.in}"
    rm -f "$tmpl"
    ! grep -q '@[A-Z0-9_]*@' "${tmpl%.in}" ||
      die "$piece: ${tmpl#"$d"/} has a placeholder this script does not set: $(grep -o '@[A-Z0-9_]*@' "${tmpl%.in}" | head -n1)"
  done < <(find "$d" -type f -name go.mod.in -print0)
}

# fresh_src PIECE: an empty staging dir for a piece's generated sources.
fresh_src() { local d=$TC/src/$1.new; rm -rf "$d"; mkdir -p "$d"; echo "$d"; }

# promote_src PIECE: the staged sources become the build dir.
promote_src() { rm -rf "$TC/src/$1"; mv "$TC/src/$1.new" "$TC/src/$1"; echo "$TC/src/$1"; }
