// Policy packs: how a pack's Node.js process is started, and the proxy the engine talks to
// while it starts.
//
// The engine boots plugins one at a time: it holds its plugin loader from the pack's launch
// until the pack answers GetPluginInfo. A proxy that waited for Node.js before answering would
// make N packs cost N start-ups in a row. This proxy answers Handshake, ConfigureStack and
// GetPluginInfo itself at once, so the engine goes on to launch the next pack while this one
// starts; the calls that need the pack (GetAnalyzerInfo, Configure, Analyze...) wait for it
// and are forwarded.
//
// The engine also asks every pack to remediate every resource. Only policies at enforcement
// level "remediate" change anything; the proxy knows the levels (the pack's GetAnalyzerInfo,
// then the engine's Configure), and while no policy has that level it answers Remediate with
// "no remediation" itself instead of a round trip through the pack per resource.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// runPolicyPack serves one policy pack for the engine: it prints the proxy's port (the port
// the engine dials), waits for the stack configuration, starts the pack with that stack in its
// environment, and forwards to it until it exits.
func (h *host) runPolicyPack(ctx context.Context, req *pulumirpc.RunPluginRequest, opts options,
	node string, stdout, stderr io.Writer,
) error {
	dir := req.GetInfo().GetProgramDirectory()
	args, env, err := policyPackCommand(ctx, node, dir, opts, req.GetArgs())
	if err != nil {
		return err
	}
	env = append(append([]string{}, req.GetEnv()...), env...)

	proxy, err := startPackProxy(ctx, policySDKVersion(dir))
	if err != nil {
		return fmt.Errorf("could not start the policy pack proxy: %w", err)
	}
	defer proxy.stop()
	if _, err := fmt.Fprintf(stdout, "%d\n", proxy.port); err != nil {
		return err
	}

	// A pack learns the stack (name, config, dry-run) from its environment.
	stack, err := proxy.awaitStack(ctx)
	if err != nil {
		return fmt.Errorf("could not get the stack configuration: %w", err)
	}
	env, err = appendStackEnv(env, stack)
	if err != nil {
		return err
	}

	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		proxy.fail(err)
		return fmt.Errorf("could not start node: %w", err)
	}
	lines := bufio.NewReader(out)
	port, err := readPackPort(lines)
	if err == nil {
		err = proxy.attach(ctx, port, stack)
	}
	if err != nil {
		proxy.fail(err)
		_ = cmd.Process.Kill()
	}
	// Whatever the pack prints after its port goes to the engine.
	_, _ = io.Copy(stdout, lines)
	waitErr := cmd.Wait()
	proxy.fail(errors.New("the policy pack exited"))
	var exitErr *exec.ExitError
	switch {
	case err != nil && errors.As(waitErr, &exitErr):
		return fmt.Errorf("%w (exit code %d)", err, exitErr.ExitCode())
	case err != nil:
		return err
	case errors.As(waitErr, &exitErr):
		return fmt.Errorf("Program exited with non-zero exit code: %d", exitErr.ExitCode())
	default:
		return waitErr
	}
}

// policyPackCommand is node's command line for a pack and the environment it adds.
//
// With `typescript: false` among the runtime options of PulumiPolicy.yaml the pack is
// JavaScript (compiled ahead of time): node runs the pack folder itself, so its package.json
// `main` is the entry point, and neither TypeScript nor the program scaffolding of
// @pulumi/pulumi is loaded. Otherwise @pulumi/pulumi's run-policy-pack script runs it, which
// compiles and type-checks TypeScript at load.
func policyPackCommand(ctx context.Context, node, dir string, opts options, engineArgs []string,
) ([]string, []string, error) {
	if !opts.typescript {
		if err := checkPackEntryPoint(dir); err != nil {
			return nil, nil, err
		}
		args := append(append([]string{}, opts.nodeargs...), dir)
		return args, nil, nil
	}
	runPath, err := resolveModule(ctx, node, dir, "@pulumi/pulumi/cmd/run-policy-pack")
	if err != nil {
		return nil, nil, err
	}
	args := append([]string{runPath}, opts.nodeargs...)
	args = append(args, engineArgs...)
	args = append(args, dir)
	return args, opts.env(), nil
}

// checkPackEntryPoint fails with what to do when a compiled pack's entry point is missing
// (the pack was not built), instead of node's module-not-found trace.
func checkPackEntryPoint(dir string) error {
	pkg, err := readPackageJSON(filepath.Join(dir, "package.json"))
	if err != nil {
		return fmt.Errorf("policy pack %s: cannot read its package.json: %w", dir, err)
	}
	main := pkg.Main
	if main == "" {
		main = "index.js"
	}
	entry := filepath.Join(dir, main)
	for _, candidate := range []string{entry, entry + ".js", filepath.Join(entry, "index.js")} {
		if st, err := os.Stat(candidate); err == nil && !st.IsDir() {
			return nil
		}
	}
	how := "compile it first"
	if pkg.Scripts["build"] != "" {
		how = fmt.Sprintf("run `npm run build` in %s first (%s)", dir, pkg.Scripts["build"])
	}
	return fmt.Errorf("policy pack %s runs compiled JavaScript, and its entry point %s does not exist: %s",
		dir, entry, how)
}

// policySDKVersion is the version of the @pulumi/policy package a pack in dir loads (found the
// way node finds it, in node_modules folders from dir upwards), or "" when there is none.
func policySDKVersion(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if pkg, err := readPackageJSON(filepath.Join(d, "node_modules", "@pulumi", "policy", "package.json")); err == nil {
			return strings.TrimPrefix(pkg.Version, "v")
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

func appendStackEnv(env []string, stack *pulumirpc.AnalyzerStackConfigureRequest) ([]string, error) {
	if stack == nil {
		return env, nil
	}
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
			return nil, err
		}
		add("PULUMI_CONFIG", string(b))
	}
	return env, nil
}

// readPackPort reads the first line a pack prints: the port of its gRPC server.
func readPackPort(r *bufio.Reader) (int, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		if errors.Is(err, io.EOF) {
			return 0, errors.New("the policy pack exited before it printed its port")
		}
		return 0, fmt.Errorf("could not read the policy pack's port: %w", err)
	}
	port, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		return 0, fmt.Errorf("the policy pack's first line of output is not its port: %q", strings.TrimSpace(line))
	}
	return port, nil
}

// packProxy is the Analyzer server the engine talks to on behalf of one pack process.
type packProxy struct {
	pulumirpc.UnimplementedAnalyzerServer

	port          int
	pluginVersion string
	stop          func()

	configureOnce sync.Once
	configured    chan struct{}
	stack         *pulumirpc.AnalyzerStackConfigureRequest

	readyOnce sync.Once
	ready     chan struct{}
	client    pulumirpc.AnalyzerClient
	conn      *grpc.ClientConn
	err       error

	// Enforcement levels by policy: from GetAnalyzerInfo, overridden by Configure.
	levelsMu sync.Mutex
	levels   map[string]pulumirpc.EnforcementLevel
}

func startPackProxy(ctx context.Context, pluginVersion string) (*packProxy, error) {
	p := &packProxy{
		pluginVersion: pluginVersion,
		configured:    make(chan struct{}),
		ready:         make(chan struct{}),
	}
	cancel := make(chan bool, 1)
	var stopOnce sync.Once
	p.stop = func() {
		stopOnce.Do(func() {
			p.fail(errors.New("the policy pack was stopped"))
			cancel <- true
			select {
			case <-p.ready:
				if p.conn != nil {
					_ = p.conn.Close()
				}
			default:
			}
		})
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterAnalyzerServer(srv, p)
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	p.port = handle.Port
	context.AfterFunc(ctx, p.stop)
	return p, nil
}

// configure records the stack configuration; the first call wins (nil: the engine asked for
// something else first, as `pulumi policy publish` does, and the pack starts without a stack).
func (p *packProxy) configure(stack *pulumirpc.AnalyzerStackConfigureRequest) {
	p.configureOnce.Do(func() {
		p.stack = stack
		close(p.configured)
	})
}

func (p *packProxy) awaitStack(ctx context.Context) (*pulumirpc.AnalyzerStackConfigureRequest, error) {
	select {
	case <-p.configured:
		return p.stack, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// attach connects to the started pack and hands it the stack configuration.
func (p *packProxy) attach(ctx context.Context, port int, stack *pulumirpc.AnalyzerStackConfigureRequest) error {
	conn, err := grpc.NewClient(fmt.Sprintf("127.0.0.1:%d", port),
		grpc.WithTransportCredentials(insecure.NewCredentials()), rpcutil.GrpcChannelOptions())
	if err != nil {
		return fmt.Errorf("could not connect to the policy pack: %w", err)
	}
	client := pulumirpc.NewAnalyzerClient(conn)
	if stack != nil {
		if _, err := client.ConfigureStack(ctx, stack); err != nil && status.Code(err) != codes.Unimplemented {
			_ = conn.Close()
			return fmt.Errorf("policy pack configuration failed: %w", err)
		}
	}
	p.readyOnce.Do(func() {
		p.conn, p.client = conn, client
		close(p.ready)
	})
	return nil
}

// fail ends the wait of every call still waiting for the pack (no-op once attached).
func (p *packProxy) fail(err error) {
	p.readyOnce.Do(func() {
		p.err = fmt.Errorf("policy pack not started: %w", err)
		close(p.ready)
	})
}

func (p *packProxy) pack(ctx context.Context) (pulumirpc.AnalyzerClient, error) {
	p.configure(nil)
	select {
	case <-p.ready:
		return p.client, p.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (p *packProxy) Handshake(context.Context, *pulumirpc.AnalyzerHandshakeRequest,
) (*pulumirpc.AnalyzerHandshakeResponse, error) {
	return &pulumirpc.AnalyzerHandshakeResponse{}, nil
}

func (p *packProxy) ConfigureStack(_ context.Context, req *pulumirpc.AnalyzerStackConfigureRequest,
) (*pulumirpc.AnalyzerStackConfigureResponse, error) {
	p.configure(req)
	return &pulumirpc.AnalyzerStackConfigureResponse{}, nil
}

// GetPluginInfo is answered without the pack: the plugin version of a Node.js pack is the
// version of the @pulumi/policy package it runs on.
func (p *packProxy) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: p.pluginVersion}, nil
}

func (p *packProxy) GetAnalyzerInfo(ctx context.Context, req *emptypb.Empty) (*pulumirpc.AnalyzerInfo, error) {
	c, err := p.pack(ctx)
	if err != nil {
		return nil, err
	}
	info, err := c.GetAnalyzerInfo(ctx, req)
	if err == nil {
		levels := map[string]pulumirpc.EnforcementLevel{}
		for _, policy := range info.GetPolicies() {
			levels[policy.GetName()] = policy.GetEnforcementLevel()
		}
		p.levelsMu.Lock()
		p.levels = levels
		p.levelsMu.Unlock()
	}
	return info, err
}

func (p *packProxy) Configure(ctx context.Context, req *pulumirpc.ConfigureAnalyzerRequest) (*emptypb.Empty, error) {
	c, err := p.pack(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := c.Configure(ctx, req)
	if err == nil {
		p.levelsMu.Lock()
		if p.levels != nil {
			// A configured policy takes the configured level (the pack's own is replaced).
			for name, config := range req.GetPolicyConfig() {
				p.levels[name] = config.GetEnforcementLevel()
			}
		}
		p.levelsMu.Unlock()
	}
	return resp, err
}

// mayRemediate is false once the pack's policy levels are known and none is "remediate".
func (p *packProxy) mayRemediate() bool {
	p.levelsMu.Lock()
	defer p.levelsMu.Unlock()
	if p.levels == nil {
		return true
	}
	for _, level := range p.levels {
		if level == pulumirpc.EnforcementLevel_REMEDIATE {
			return true
		}
	}
	return false
}

func (p *packProxy) Analyze(ctx context.Context, req *pulumirpc.AnalyzeRequest) (*pulumirpc.AnalyzeResponse, error) {
	c, err := p.pack(ctx)
	if err != nil {
		return nil, err
	}
	return c.Analyze(ctx, req)
}

func (p *packProxy) AnalyzeStack(ctx context.Context, req *pulumirpc.AnalyzeStackRequest,
) (*pulumirpc.AnalyzeResponse, error) {
	c, err := p.pack(ctx)
	if err != nil {
		return nil, err
	}
	return c.AnalyzeStack(ctx, req)
}

func (p *packProxy) Remediate(ctx context.Context, req *pulumirpc.AnalyzeRequest) (*pulumirpc.RemediateResponse, error) {
	if !p.mayRemediate() {
		return &pulumirpc.RemediateResponse{}, nil
	}
	c, err := p.pack(ctx)
	if err != nil {
		return nil, err
	}
	return c.Remediate(ctx, req)
}

func (p *packProxy) Cancel(ctx context.Context, req *emptypb.Empty) (*emptypb.Empty, error) {
	c, err := p.pack(ctx)
	if err != nil {
		return nil, err
	}
	return c.Cancel(ctx, req)
}
