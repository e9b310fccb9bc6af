#!/usr/bin/env bash
# install-pulumi.sh - the project's Pulumi toolchain, built offline from the Go module proxy.
#
# The Pulumi CLI is not on the npm registry and download sites are out of reach, so this
# script builds, into a cache OUTSIDE the repository keyed by the @pulumi/pulumi version of
# package-lock.json:
#   pulumi                   the CLI, github.com/pulumi/pulumi/pkg/v3/cmd/pulumi at that version
#   pulumi-language-nodejs   a small Node.js language host (source below): the upstream one
#                            (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3)
#                            is refused by the module proxy, at every version
#   resource plugins         kubernetes and random, installed with `pulumi plugin install
#                            resource NAME VERSION --file BIN` under exactly the versions that
#                            node_modules/@pulumi/{kubernetes,random} request (random is
#                            assembled here: see its section)
# and writes <cache>/env.sh (and env.json) for shells, CI and tests. `scripts/pulumi-env.sh`
# finds and loads that file. The aws plugin cannot be built here (see below).
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

# Go: module and build caches live in the toolchain cache, shared by all versions.
export GOMODCACHE=${PULUMI_TOOLCHAIN_GOMODCACHE:-$TOOLCHAIN_HOME/go/mod}
export GOCACHE=${PULUMI_TOOLCHAIN_GOCACHE:-$TOOLCHAIN_HOME/go/build}
export GOFLAGS="-mod=mod -modcacherw -buildvcs=false"
export GOTOOLCHAIN=local
export CGO_ENABLED=0
export GOWORK=off
LDFLAGS_COMMON="-s -w"

# ------------------------------------------------------------ build helpers ---
GO_VERSION=""
need_go() {
  [[ -n $GO_VERSION ]] && return 0
  command -v go >/dev/null || die "go is not on PATH (Go >= 1.25 is needed to build the toolchain)"
  GO_VERSION=$(go env GOVERSION)
  local v=${GO_VERSION#go} major minor
  IFS=. read -r major minor _ <<<"$v"
  (( major > 1 || (major == 1 && minor >= 25) )) || die "$GO_VERSION is too old: the Pulumi modules need Go >= 1.25"
}

# hash_dir DIR: one hash over the files of a generated source tree.
hash_dir() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16); }

# stamp_ok PIECE KEY [FILES...]: the piece was built with KEY and its outputs exist.
stamp_ok() {
  local piece=$1 key=$2; shift 2
  (( FORCE )) && return 1
  [[ -f $TC/stamps/$piece && "$(cat "$TC/stamps/$piece")" == "$key" ]] || return 1
  local f; for f in "$@"; do [[ -x $f ]] || return 1; done
}
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

# fresh_src PIECE: an empty staging dir for a piece's generated sources.
fresh_src() { local d=$TC/src/$1.new; rm -rf "$d"; mkdir -p "$d"; echo "$d"; }
# promote_src PIECE: the staged sources become the build dir.
promote_src() { rm -rf "$TC/src/$1"; mv "$TC/src/$1.new" "$TC/src/$1"; echo "$TC/src/$1"; }

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

write_cli_sources() {
  local d=$1
  cat >"$d/go.mod" <<EOF
module example.invalid/pulumi-toolchain/cli

go 1.25

require (
	github.com/pulumi/pulumi/pkg/v3 v$PULUMI_VERSION
	github.com/pulumi/pulumi/sdk/v3 v$PULUMI_VERSION
)

// From pulumi's pkg/go.mod (the ../sdk replace is covered by the require above).
replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
EOF
  cat >"$d/tools.go" <<'EOF'
//go:build tools

// Package tools pins the CLI's main package in this wrapper module.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
EOF
}

build_cli() {
  local d key
  d=$(fresh_src cli); write_cli_sources "$d"
  key="cli v$PULUMI_VERSION $(hash_dir "$d")"
  if stamp_ok cli "$key" "$BIN/pulumi"; then log "cli: up to date ($BIN/pulumi)"; rm -rf "$d"; return; fi
  need_go; d=$(promote_src cli)
  go_build cli "$d" "$BIN/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
    "$LDFLAGS_COMMON -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
  [[ "$("$BIN/pulumi" version)" == "v$PULUMI_VERSION" ]] || die "cli: built binary does not report v$PULUMI_VERSION"
  stamp_set cli "$key"
}

# --------------------------------------------------- 2. the language host ---
write_langhost_sources() {
  local d=$1
  cat >"$d/go.mod" <<EOF
module example.invalid/pulumi-toolchain/langhost

go 1.25

require github.com/pulumi/pulumi/sdk/v3 v$PULUMI_VERSION
EOF
  cat >"$d/main.go" <<'EOF'
// pulumi-language-nodejs: a small Node.js language host for the offline Pulumi
// toolchain of this project (written by scripts/install-pulumi.sh).
//
// The upstream host (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3)
// is not served by the Go module proxy this project can reach, so this program
// implements the part of the LanguageRuntime gRPC protocol that `pulumi
// preview/up/destroy/refresh`, local policy packs (`--policy-pack DIR`) and the
// Automation API use: Handshake, GetPluginInfo, GetRequiredPackages, Run,
// RunPlugin (policy packs and plugins), InstallDependencies (npm install),
// About, GetProgramDependencies and Cancel. Code generation (pulumi convert,
// pulumi package gen-sdk, templates of pulumi new) is not implemented. The
// Node.js side is @pulumi/pulumi's own cmd/run, cmd/run-policy-pack and
// cmd/run-plugin scripts, resolved with node from the program folder.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Exit code with which @pulumi/pulumi's run script says "the user was already told".
const exitAfterUserMessage = 32

func main() {
	flag.String("tracing", "", "ignored (accepted for compatibility)")
	flag.String("runtime", "nodejs", "ignored (only nodejs)")
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.Version)
		return
	}
	engine := ""
	if flag.NArg() > 0 {
		engine = flag.Arg(0)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cancelServe := make(chan bool)
	go func() { <-ctx.Done(); close(cancelServe) }()

	h := &host{engine: engine}
	h.cancelCtx, h.cancel = context.WithCancel(context.Background())
	if engine != "" {
		if err := rpcutil.Healthcheck(ctx, engine, 5*time.Minute, stop); err != nil {
			cmdutil.Exit(fmt.Errorf("could not start health check: %w", err))
		}
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancelServe,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start language host: %w", err))
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("language host stopped: %w", err))
	}
}

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu        sync.Mutex
	engine    string
	cancelCtx context.Context
	cancel    context.CancelFunc
}

func (h *host) engineAddr() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engine
}

func (h *host) Handshake(ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	h.engine = req.GetEngineAddress()
	h.mu.Unlock()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.cancel()
	return &emptypb.Empty{}, nil
}

// options are the `runtime.options` of Pulumi.yaml / PulumiPolicy.yaml.
type options struct {
	typescript bool
	tsconfig   string
	nodeargs   []string
}

func parseOptions(info *pulumirpc.ProgramInfo) (options, error) {
	o := options{typescript: true}
	if info == nil || info.GetOptions() == nil {
		return o, nil
	}
	m := info.GetOptions().AsMap()
	if v, ok := m["typescript"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return o, errors.New("runtime option typescript must be a boolean")
		}
		o.typescript = b
	}
	if v, ok := m["tsconfig"]; ok {
		s, isString := v.(string)
		if !isString {
			return o, errors.New("runtime option tsconfig must be a string")
		}
		o.tsconfig = s
	}
	if v, ok := m["nodeargs"]; ok {
		s, isString := v.(string)
		if !isString {
			return o, errors.New("runtime option nodeargs must be a string")
		}
		o.nodeargs = strings.Fields(s)
	}
	return o, nil
}

func (o options) env() []string {
	var env []string
	if o.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if o.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+o.tsconfig)
	}
	return env
}

// resolveModule asks node where `mod` resolves from `dir` (node's own lookup, so a
// node_modules in a parent folder or behind a symlink is found the way node finds it).
func resolveModule(ctx context.Context, node, dir, mod string) (string, error) {
	script := fmt.Sprintf("try{console.log(require.resolve(%q))}catch(e){"+
		"console.error(e.code==='MODULE_NOT_FOUND'?%q:e.message);process.exit(1)}",
		mod, "cannot find "+mod+" from "+dir+": install the npm dependencies (npm ci)")
	cmd := exec.CommandContext(ctx, node, "-e", script)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return "", errors.New(msg)
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	if info == nil {
		return nil, errors.New("RunRequest without program info (engine too old for this language host)")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not find node on the PATH: " + err.Error()}, nil
	}
	opts, err := parseOptions(info)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	runModule := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runModule == "" {
		runModule = "@pulumi/pulumi/cmd/run"
	}
	runPath, err := resolveModule(ctx, node, info.GetProgramDirectory(), runModule)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	args := append([]string{}, opts.nodeargs...)
	args = append(args, runPath)
	flagArg := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k, v)
		}
	}
	flagArg("monitor", req.GetMonitorAddress())
	flagArg("engine", h.engineAddr())
	flagArg("organization", req.GetOrganization())
	flagArg("project", req.GetProject())
	flagArg("root-directory", info.GetRootDirectory())
	flagArg("stack", req.GetStack())
	flagArg("pwd", info.GetProgramDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	flagArg("parallel", strconv.Itoa(int(req.GetParallel())))
	entry := info.GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	// The run script reads config as "<namespace>:config:<name>" keys.
	cfg := map[string]string{}
	for k, v := range req.GetConfig() {
		key, err := config.ParseKey(k)
		if err != nil {
			return nil, err
		}
		cfg[key.Namespace()+":config:"+key.Name()] = v
	}
	cfgJSON, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}

	env := append(os.Environ(), "PULUMI_CONFIG="+string(cfgJSON), "PULUMI_CONFIG_SECRET_KEYS="+string(secretJSON))
	env = append(env, opts.env()...)

	cmdCtx, cmdCancel := context.WithCancel(h.cancelCtx)
	defer cmdCancel()
	context.AfterFunc(ctx, cmdCancel)
	cmd := exec.CommandContext(cmdCtx, node, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	cmd.Dir = info.GetProgramDirectory()
	cmd.Env = env
	// Wrapped so that node gets pipes, not this process's own descriptors.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}

	if err := cmd.Run(); err != nil {
		_ = os.Stdout.Sync()
		_ = os.Stderr.Sync()
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			switch code := exitErr.ExitCode(); code {
			case exitAfterUserMessage:
				return &pulumirpc.RunResponse{Bail: true}, nil
			case 0:
				return &pulumirpc.RunResponse{Error: "Program exited unexpectedly: " + err.Error()}, nil
			default:
				return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", code)}, nil
			}
		}
		return &pulumirpc.RunResponse{Error: "Problem executing program (could not run node): " + err.Error()}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	ctx := server.Context()
	info := req.GetInfo()
	if info == nil {
		return errors.New("RunPluginRequest without program info")
	}
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	node, err := exec.LookPath("node")
	if err != nil {
		return err
	}
	opts, err := parseOptions(info)
	if err != nil {
		return err
	}
	dir := info.GetProgramDirectory()
	isPolicyPack := req.GetKind() == "analyzer"

	module := "@pulumi/pulumi/cmd/run-plugin"
	if isPolicyPack {
		module = "@pulumi/pulumi/cmd/run-policy-pack"
	} else if p := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH"); p != "" {
		module = p
	}
	runPath, err := resolveModule(ctx, node, dir, module)
	if err != nil {
		return err
	}

	args := []string{runPath}
	args = append(args, opts.nodeargs...)
	if isPolicyPack {
		args = append(args, req.GetArgs()...)
		args = append(args, dir)
	} else {
		args = append(args, dir)
		args = append(args, req.GetArgs()...)
	}
	env := append(append([]string{}, req.GetEnv()...), opts.env()...)

	// A policy pack learns the stack (name, config, dry-run) from its environment,
	// so the engine's ConfigureStack call is taken by a proxy before node starts.
	var proxy *sdk.PolicyProxy
	if isPolicyPack {
		proxy, stdout, err = sdk.NewPolicyProxy(ctx, stdout)
		if err != nil {
			return fmt.Errorf("could not start the policy pack proxy: %w", err)
		}
		stack, err := proxy.AwaitConfiguration(ctx)
		if err != nil {
			return fmt.Errorf("could not get the stack configuration: %w", err)
		}
		if stack != nil {
			add := func(k, v string) {
				if v != "" {
					env = append(env, k+"="+v)
				}
			}
			add("PULUMI_NODEJS_ORGANIZATION", stack.GetOrganization())
			add("PULUMI_NODEJS_PROJECT", stack.GetProject())
			add("PULUMI_NODEJS_STACK", stack.GetStack())
			add("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(stack.GetDryRun()))
			if stack.GetConfig() != nil {
				b, err := json.Marshal(stack.GetConfig())
				if err != nil {
					return err
				}
				add("PULUMI_CONFIG", string(b))
			}
		}
	}

	cmd := exec.CommandContext(ctx, node, args...)
	if isPolicyPack {
		cmd.Dir = dir
	} else {
		cmd.Dir = req.GetPwd()
	}
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("could not start node: %w", err)
	}
	if proxy != nil {
		err = proxy.Attach(ctx, cmd)
	} else {
		err = cmd.Wait()
	}
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return fmt.Errorf("Program exited with non-zero exit code: %d", exitErr.ExitCode())
		}
		return err
	}
	return closer.Close()
}

// GetRequiredPackages reports every resource plugin that an installed npm package
// asks for (package.json "pulumi": {"resource": true, "name", "version"}), found
// in node_modules folders under the program folder (symlinks followed, policy
// packs skipped).
func (h *host) GetRequiredPackages(ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	found := map[string]*pulumirpc.PackageDependency{}
	seen := map[string]bool{}
	var walk func(dir string, inNodeModules bool)
	walk = func(dir string, inNodeModules bool) {
		real, err := filepath.EvalSymlinks(dir)
		if err != nil || seen[real] {
			return
		}
		seen[real] = true
		entries, err := os.ReadDir(real)
		if err != nil {
			return
		}
		for _, e := range entries {
			p := filepath.Join(real, e.Name())
			if e.Name() == "package.json" && inNodeModules {
				if dep := readPluginPackage(p); dep != nil {
					found[dep.Name+"@"+dep.Version] = dep
				}
				continue
			}
			if e.Name() == ".git" {
				continue
			}
			st, err := os.Stat(p)
			if err != nil || !st.IsDir() || isPolicyPackDir(p) {
				continue
			}
			walk(p, inNodeModules || e.Name() == "node_modules")
		}
	}
	if info := req.GetInfo(); info != nil {
		walk(info.GetProgramDirectory(), false)
	}
	keys := make([]string, 0, len(found))
	for k := range found {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	resp := &pulumirpc.GetRequiredPackagesResponse{}
	for _, k := range keys {
		resp.Packages = append(resp.Packages, found[k])
	}
	return resp, nil
}

func isPolicyPackDir(dir string) bool {
	for _, n := range []string{"PulumiPolicy.yaml", "PulumiPolicy.yml", "PulumiPolicy.json"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			return true
		}
	}
	return false
}

type packageJSON struct {
	Name         string            `json:"name"`
	Version      string            `json:"version"`
	Dependencies map[string]string `json:"dependencies"`
	Pulumi       struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

func readPackageJSON(path string) (*packageJSON, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p packageJSON
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

func readPluginPackage(path string) *pulumirpc.PackageDependency {
	p, err := readPackageJSON(path)
	if err != nil || !p.Pulumi.Resource {
		return nil
	}
	name := p.Pulumi.Name
	if name == "" {
		if !strings.HasPrefix(p.Name, "@pulumi/") {
			return nil
		}
		name = strings.TrimPrefix(p.Name, "@pulumi/")
	}
	v := p.Pulumi.Version
	if v == "" {
		v = p.Version
	}
	if v == "" {
		return nil
	}
	if !strings.HasPrefix(v, "v") {
		v = "v" + v
	}
	return &pulumirpc.PackageDependency{Kind: "resource", Name: name, Version: v, Server: p.Pulumi.Server}
}

// InstallDependencies runs `npm install` in the program (or plugin) folder. The CLI
// asks for it in `pulumi install`, `pulumi new` and `pulumi policy new`, not in
// preview/up with a local --policy-pack.
func (h *host) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()
	dir := req.GetInfo().GetProgramDirectory()
	fmt.Fprintf(stdout, "Installing dependencies in %s (npm install)...\n\n", dir)
	cmd := exec.CommandContext(server.Context(), "npm", "install", "--no-audit", "--no-fund")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm install failed: %w", err)
	}
	fmt.Fprintf(stdout, "Finished installing dependencies\n\n")
	return closer.Close()
}

func (h *host) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, err
	}
	out, _ := exec.CommandContext(ctx, node, "--version").Output()
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimSpace(string(out)),
		Metadata:   map[string]string{"packagemanager": "npm"},
	}, nil
}

// GetProgramDependencies lists the program's direct npm dependencies with the
// versions installed (resolved by node from the program folder).
func (h *host) GetProgramDependencies(ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	pkg, err := readPackageJSON(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(pkg.Dependencies))
	for n := range pkg.Dependencies {
		names = append(names, n)
	}
	sort.Strings(names)
	resp := &pulumirpc.GetProgramDependenciesResponse{}
	node, nodeErr := exec.LookPath("node")
	for _, n := range names {
		v := pkg.Dependencies[n]
		if nodeErr == nil {
			if p, err := resolveModule(ctx, node, dir, n+"/package.json"); err == nil {
				if dep, err := readPackageJSON(p); err == nil {
					v = dep.Version
				}
			}
		}
		resp.Dependencies = append(resp.Dependencies, &pulumirpc.DependencyInfo{Name: n, Version: v})
	}
	return resp, nil
}
EOF
}

build_langhost() {
  local d key
  d=$(fresh_src langhost); write_langhost_sources "$d"
  key="langhost v$PULUMI_VERSION $(hash_dir "$d")"
  if stamp_ok langhost "$key" "$BIN/pulumi-language-nodejs"; then
    log "langhost: up to date ($BIN/pulumi-language-nodejs)"; rm -rf "$d"; return
  fi
  need_go; d=$(promote_src langhost)
  go_build langhost "$d" "$BIN/pulumi-language-nodejs" . \
    "$LDFLAGS_COMMON -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
  stamp_set langhost "$key"
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

write_kubernetes_sources() {
  local d=$1 version=$2
  cat >"$d/go.mod" <<EOF
module example.invalid/pulumi-toolchain/kubernetes

go 1.25

require github.com/pulumi/pulumi-kubernetes/provider/v4 $K8S_PROVIDER_MODULE_VERSION
EOF
  cat >"$d/main.go" <<'EOF'
// Command pulumi-resource-kubernetes serves the Kubernetes provider of
// github.com/pulumi/pulumi-kubernetes/provider/v4 with the schema and mapping
// files of that module (copied next to this file by scripts/install-pulumi.sh).
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
)

//go:embed schema.json
var schema []byte

//go:embed terraform-mapping.json
var terraformMapping []byte

// version is set with -ldflags -X.
var version = "0.0.0-dev"

func main() {
	provider.Serve("kubernetes", version, schema, terraformMapping)
}
EOF
}

build_kubernetes() {
  local version d key out=$TC/providers/pulumi-resource-kubernetes
  version=$(version_of @pulumi/kubernetes) || die "kubernetes: cannot read the @pulumi/kubernetes version"
  [[ v$version == "$K8S_PROVIDER_SOURCE" ]] ||
    die "kubernetes: @pulumi/kubernetes is $version but the module proxy serves the provider only at $K8S_PROVIDER_SOURCE; pin @pulumi/kubernetes to ${K8S_PROVIDER_SOURCE#v} in package.json"
  d=$(fresh_src kubernetes); write_kubernetes_sources "$d" "$version"
  key="kubernetes v$version from $K8S_PROVIDER_MODULE_VERSION $(hash_dir "$d")"
  if stamp_ok kubernetes "$key" "$out"; then
    log "kubernetes: up to date ($out, v$version built from $K8S_PROVIDER_SOURCE)"
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

write_random_sources() {
  local d=$1
  mkdir -p "$d/shim" "$d/info" "$d/cmd/tfgen" "$d/cmd/pulumi-resource-random"
  cat >"$d/shim/go.mod" <<EOF
module github.com/terraform-providers/terraform-provider-random/shim

go 1.25

require github.com/terraform-providers/terraform-provider-random $RANDOM_UPSTREAM_VERSION
EOF
  cat >"$d/shim/shim.go" <<'EOF'
// Package shim gives the Pulumi bridge the upstream provider, whose constructor is
// in an internal package: Go allows the import because this module's path lies
// inside github.com/terraform-providers/terraform-provider-random.
package shim

import (
	tfprovider "github.com/hashicorp/terraform-plugin-framework/provider"

	upstream "github.com/terraform-providers/terraform-provider-random/internal/provider"
)

// NewProvider returns the upstream Terraform random provider.
func NewProvider() tfprovider.Provider { return upstream.New() }
EOF
  cat >"$d/go.mod" <<EOF
module example.invalid/pulumi-toolchain/random

go 1.25

require (
	github.com/pulumi/pulumi-terraform-bridge/v3 $RANDOM_BRIDGE_VERSION
	github.com/terraform-providers/terraform-provider-random/shim v0.0.0
)

replace github.com/terraform-providers/terraform-provider-random/shim => ./shim

// Pulumi's fork of the SDK, as pulumi-terraform-bridge and pulumi-random replace it (a
// dependency's replace lines do not apply here); this fork version (the one of
// pulumi-random 4.21.x) knows terraform-plugin-go v0.31, which the upstream v3.9.0 needs.
replace github.com/hashicorp/terraform-plugin-sdk/v2 => github.com/pulumi/terraform-plugin-sdk/v2 $RANDOM_SDK_FORK_VERSION
EOF
  cat >"$d/info/info.go" <<'EOF'
// Package info maps the Terraform random provider to the Pulumi package "random",
// with the tokens of the @pulumi/random npm SDK (random:index/randomPassword:RandomPassword, ...).
package info

import (
	"context"
	"errors"

	pf "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/terraform-providers/terraform-provider-random/shim"
)

// Version is the plugin version, set with -ldflags -X.
var Version = "0.0.0-dev"

// Provider describes the bridged provider; metadata is the bridge-metadata.json
// written by the tfgen step (empty while that step runs).
func Provider(metadata []byte) tfbridge.ProviderInfo {
	if len(metadata) == 0 {
		metadata = []byte("{}")
	}
	p := tfbridge.ProviderInfo{
		P:            pf.ShimProvider(shim.NewProvider()),
		Name:         "random",
		Version:      Version,
		Description:  "Randomness for Pulumi programs (offline build of the Terraform random provider).",
		License:      "Apache-2.0",
		MetadataInfo: tfbridge.NewProviderMetadata(metadata),
		Resources: map[string]*tfbridge.ResourceInfo{
			// random_bytes has no "id" attribute: its base64 value serves as the id.
			"random_bytes": {ComputeID: bytesID},
		},
		EnableAccurateBridgePreview: true,
	}
	p.MustComputeTokens(tokens.SingleModule("random_", "index", func(module, name string) (string, error) {
		return tokens.MakeStandard("random")(module, "Random"+name)
	}))
	return p
}

func bytesID(_ context.Context, state resource.PropertyMap) (resource.ID, error) {
	v, ok := state["base64"]
	if !ok {
		return "", errors.New("random_bytes: no base64 property in state")
	}
	if v.IsSecret() {
		v = v.SecretValue().Element
	}
	if !v.IsString() {
		return "", errors.New("random_bytes: base64 property is not a string")
	}
	return resource.ID(v.StringValue()), nil
}
EOF
  cat >"$d/cmd/tfgen/main.go" <<'EOF'
// Command tfgen writes schema.json and bridge-metadata.json for the random provider.
package main

import (
	pftfgen "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfgen"

	"example.invalid/pulumi-toolchain/random/info"
)

func main() { pftfgen.Main("random", info.Provider(nil)) }
EOF
  cat >"$d/cmd/pulumi-resource-random/main.go" <<'EOF'
// Command pulumi-resource-random is the Pulumi resource plugin "random".
package main

import (
	"context"
	_ "embed"

	pf "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"

	"example.invalid/pulumi-toolchain/random/info"
)

//go:embed schema.json
var schema []byte

//go:embed bridge-metadata.json
var metadata []byte

func main() {
	pf.Main(context.Background(), "random", info.Provider(metadata),
		pf.ProviderMetadata{PackageSchema: schema, BridgeMetadata: metadata})
}
EOF
}

build_random() {
  local version d key out=$TC/providers/pulumi-resource-random
  version=$(version_of @pulumi/random) || die "random: cannot read the @pulumi/random version"
  d=$(fresh_src random); write_random_sources "$d"
  key="random v$version $(hash_dir "$d")"
  if stamp_ok random "$key" "$out"; then
    log "random: up to date ($out, v$version)"
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
