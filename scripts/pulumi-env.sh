#!/usr/bin/env bash
# pulumi-env.sh - find the Pulumi toolchain that scripts/install-pulumi.sh built for this
# checkout (keyed by the @pulumi/pulumi version) and load its environment.
#
#   . scripts/pulumi-env.sh             load it into this shell (returns 1 if not installed)
#   eval "$(scripts/pulumi-env.sh)"     the same, from the printed export lines
#   scripts/pulumi-env.sh -- CMD ARGS   run CMD with it (exit 3 if not installed)
#   scripts/pulumi-env.sh --path        print the env file's path (env.json lies beside it)
#   scripts/pulumi-env.sh --check       exit 0 if installed, 1 if not (message on stderr)
#
# Where: ${PULUMI_TOOLCHAIN_HOME:-$HOME/.cache/ai-platform-tiers}/pulumi-v<version>/env.sh
# It sets PATH (pulumi, pulumi-language-nodejs), PULUMI_HOME (plugins inside the cache),
# PULUMI_SKIP_UPDATE_CHECK=1 and PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true.

__pulumi_env_file() {
  local root version
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd) || return 1
  version=$(node -e '
    const fs = require("fs"), path = require("path"), root = process.argv[1];
    const pj = path.join(root, "node_modules/@pulumi/pulumi/package.json");
    if (fs.existsSync(pj)) { console.log(JSON.parse(fs.readFileSync(pj, "utf8")).version); process.exit(0); }
    const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8"));
    console.log(lock.packages["node_modules/@pulumi/pulumi"].version);
  ' "$root" 2>/dev/null) || { echo "pulumi-env: cannot read the @pulumi/pulumi version under $root" >&2; return 1; }
  printf '%s/pulumi-v%s/env.sh\n' "${PULUMI_TOOLCHAIN_HOME:-$HOME/.cache/ai-platform-tiers}" "$version"
}

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  # Sourced: load into the caller's shell, touching nothing else.
  __pulumi_env_f=$(__pulumi_env_file) || { unset -f __pulumi_env_file; return 1; }
  unset -f __pulumi_env_file
  if [[ -f $__pulumi_env_f ]]; then
    # shellcheck disable=SC1090
    . "$__pulumi_env_f"
    unset __pulumi_env_f
    return 0
  fi
  echo "pulumi-env: no Pulumi toolchain at $__pulumi_env_f; run scripts/install-pulumi.sh" >&2
  unset __pulumi_env_f
  return 1
fi

set -euo pipefail
env_file=$(__pulumi_env_file)
missing() { echo "pulumi-env: no Pulumi toolchain at $env_file; run scripts/install-pulumi.sh" >&2; }

case "${1:-}" in
  --path) [[ -f $env_file ]] || { missing; exit 1; }; echo "$env_file" ;;
  --check) [[ -f $env_file ]] || { missing; exit 1; } ;;
  --)
    shift
    (( $# )) || { echo "pulumi-env: -- needs a command" >&2; exit 2; }
    [[ -f $env_file ]] || { missing; exit 3; }
    # shellcheck disable=SC1090
    . "$env_file"
    exec "$@"
    ;;
  "")
    [[ -f $env_file ]] || { missing; exit 1; }
    # shellcheck disable=SC1090
    ( . "$env_file"
      for v in PULUMI_TOOLCHAIN_HOME PULUMI_TOOLCHAIN_DIR PATH PULUMI_HOME PULUMI_SKIP_UPDATE_CHECK \
               PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION; do
        printf 'export %s=%q\n' "$v" "${!v}"
      done )
    ;;
  -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) echo "pulumi-env: unknown argument $1 (see --help)" >&2; exit 2 ;;
esac
