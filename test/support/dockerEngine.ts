/**
 * A private Docker Engine for the tests of tiers 0-1 (test/docker/): its own containerd and
 * dockerd, data and exec roots, pid files and unix sockets under one temp dir (no TCP, no
 * default bridge, no iptables or IP forwarding of its own), the `docker compose` plugin that
 * scripts/install-docker.sh builds, and stand-in images made without a registry (`docker import`
 * of a static busybox root file system) under the catalog's image names, so the rendered files
 * run unchanged. `stop()` removes everything it started: swarm, containers, networks, both
 * daemons, their shims, mounts and network links, and the firewall rules the engine added
 * (an encrypted overlay programs some even with --iptables=false).
 */
import { spawn, spawnSync, ChildProcess, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { COMPOSE_PLUGIN_VERSION } from "../../components/tier0/userData";

export interface DockerTools {
    dockerd: string;
    containerd: string;
    docker: string;
    /** The Compose v2 CLI plugin. */
    composePlugin: string;
    /** A static busybox: the stand-in images' only binary. */
    busybox: string;
}

function onPath(name: string, extra: string[] = []): string | undefined {
    for (const dir of [...(process.env.PATH ?? "").split(path.delimiter), ...extra]) {
        const file = path.join(dir, name);
        try {
            fs.accessSync(file, fs.constants.X_OK);
            return file;
        } catch {
            // next
        }
    }
    return undefined;
}

/** Where scripts/install-docker.sh puts the Compose plugin of the version the tier-0 host installs. */
export function composePluginPath(): string {
    const root = process.env.PULUMI_TOOLCHAIN_HOME || path.join(os.homedir(), ".cache", "ai-platform-tiers");
    return path.join(root, `docker-compose-${COMPOSE_PLUGIN_VERSION}`, "cli-plugins", "docker-compose");
}

/** The tools, or the names of the missing ones. */
export function findDockerTools(): DockerTools | { missing: string[] } {
    const sbin = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];
    const found = {
        dockerd: onPath("dockerd", sbin),
        containerd: onPath("containerd", sbin),
        docker: onPath("docker", sbin),
        composePlugin: fs.existsSync(composePluginPath()) ? composePluginPath() : undefined,
        busybox: fs.existsSync("/bin/busybox") ? "/bin/busybox" : undefined,
    };
    const missing = Object.entries(found).filter(([, v]) => v === undefined).map(([k]) => k);
    if (process.getuid?.() !== 0) missing.push("root (dockerd runs as root)");
    return missing.length > 0 ? { missing } : (found as DockerTools);
}

/** The tools; skips the calling suite loudly when they are absent, and fails instead under CI=true. */
export function requireDockerTools(suite: Mocha.Context): DockerTools {
    const tools = findDockerTools();
    if ("missing" in tools) {
        if (process.env.CI === "true") {
            throw new Error(`CI=true but the Docker Engine tests lack ${tools.missing.join(", ")}: .ci/run must run scripts/install-docker.sh (scripts/test.sh does)`);
        }
        console.warn(
            `\n      !!! DOCKER ENGINE TESTS SKIPPED: missing ${tools.missing.join(", ")}.` +
                "\n      !!! Run scripts/install-docker.sh (scripts/test.sh and .ci/run do) to run them.\n",
        );
        suite.skip();
    }
    return tools as DockerTools;
}

export interface RunResult {
    status: number | null;
    stdout: string;
    stderr: string;
}

export interface StopReport {
    /** Processes of this engine still alive after the daemons stopped (killed by pid). */
    killed: number[];
    /** Mounts under the engine's dir that had to be unmounted after the daemons stopped. */
    unmounted: string[];
    /** Network links the engine left (deleted). */
    links: string[];
    /** Firewall rules and chains the engine added (deleted). */
    firewall: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number | undefined): boolean {
    if (!pid) return false;
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

async function stopProcess(child: ChildProcess | undefined, graceMs: number): Promise<void> {
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)))]);
    clearTimeout(timer);
    if (timedOut) {
        child.kill("SIGKILL");
        await exited;
    }
}

/** Pids of processes whose command line names `dir` (this engine's shims, daemons). */
function processesUnder(dir: string): number[] {
    const pids: number[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
        try {
            if (fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(dir)) pids.push(Number(entry));
        } catch {
            // gone
        }
    }
    return pids;
}

function mountsUnder(dir: string): string[] {
    return fs
        .readFileSync("/proc/self/mountinfo", "utf8")
        .split("\n")
        .map((line) => line.split(" ")[4])
        .filter((mountPoint): mountPoint is string => mountPoint !== undefined && (mountPoint === dir || mountPoint.startsWith(dir + "/")));
}

function linkNames(): Set<string> {
    const run = spawnSync("ip", ["-o", "link", "show"], { encoding: "utf8" });
    return new Set((run.stdout ?? "").split("\n").map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1]).filter((n): n is string => n !== undefined));
}

type FirewallSnapshot = Map<string, { chains: Map<string, string>; rules: string[] }>;

function firewallSnapshot(): FirewallSnapshot | undefined {
    const run = spawnSync("iptables-save", [], { encoding: "utf8" });
    if (run.status !== 0) return undefined;
    const tables: FirewallSnapshot = new Map();
    let table: { chains: Map<string, string>; rules: string[] } | undefined;
    for (const line of run.stdout.split("\n")) {
        if (line.startsWith("*")) {
            table = { chains: new Map(), rules: [] };
            tables.set(line.slice(1), table);
        } else if (table && line.startsWith(":")) {
            const [name, policy] = line.slice(1).split(" ");
            table.chains.set(name, policy);
        } else if (table && line.startsWith("-A ")) {
            table.rules.push(line.slice(3));
        }
    }
    return tables;
}

/** Deletes the rules and chains that appeared since `before` and restores changed policies. */
function restoreFirewall(before: FirewallSnapshot | undefined): string[] {
    const after = firewallSnapshot();
    if (!before || !after) return [];
    const script: string[] = [];
    const changes: string[] = [];
    for (const [name, now] of after) {
        const then = before.get(name) ?? { chains: new Map<string, string>(), rules: [] };
        const remaining = [...then.rules];
        const added = now.rules.filter((rule) => {
            const i = remaining.indexOf(rule);
            if (i >= 0) remaining.splice(i, 1);
            return i < 0;
        });
        const addedChains = [...now.chains.keys()].filter((c) => !then.chains.has(c));
        const policies = [...now.chains].filter(([c, p]) => then.chains.has(c) && p !== "-" && then.chains.get(c) !== p);
        if (added.length + addedChains.length + policies.length === 0) continue;
        script.push(`*${name}`);
        for (const rule of added.reverse()) script.push(`-D ${rule}`);
        for (const chain of addedChains) script.push(`-F ${chain}`);
        for (const chain of addedChains) script.push(`-X ${chain}`);
        for (const [chain] of policies) script.push(`-P ${chain} ${then.chains.get(chain)}`);
        script.push("COMMIT");
        changes.push(...added.map((r) => `${name}: ${r}`), ...addedChains.map((c) => `${name}: chain ${c}`), ...policies.map(([c, p]) => `${name}: policy ${c} ${p}`));
    }
    if (script.length > 0) {
        const run = spawnSync("iptables-restore", ["--noflush"], { input: script.join("\n") + "\n", encoding: "utf8" });
        if (run.status !== 0) console.warn(`      dockerEngine: could not remove the engine's firewall rules: ${run.stderr}`);
    }
    return changes;
}

/** Name of the one stand-in image; every catalog image name is a tag of it. */
export const STAND_IN_IMAGE = "ai-platform-tests/stand-in:busybox";

/**
 * What the stand-in containers run: a shell that sleeps until stopped (SIGTERM ends it at once,
 * so `down` and `stack rm` do not wait for docker's kill timeout).
 */
export const STAND_IN_COMMAND = ["/bin/sh", "-c", 'trap "exit 0" TERM INT; while :; do sleep 3600 & wait $!; done'];

export class PrivateDockerEngine {
    /** Milliseconds from spawning the daemons to the engine answering. */
    startupMs = 0;
    private containerd?: ChildProcess;
    private dockerd?: ChildProcess;
    private stopped = false;

    private constructor(
        readonly tools: DockerTools,
        /** Everything of this engine lives under it. */
        readonly dir: string,
        private readonly linksBefore: Set<string>,
        private readonly firewallBefore: FirewallSnapshot | undefined,
    ) {}

    get socket(): string {
        return path.join(this.dir, "docker.sock");
    }

    /** Environment for docker CLI calls against this engine (its own CLI config with the Compose plugin). */
    get env(): NodeJS.ProcessEnv {
        return { ...process.env, DOCKER_HOST: `unix://${this.socket}`, DOCKER_CONFIG: path.join(this.dir, "cli"), DOCKER_CLI_HINTS: "false" };
    }

    static async start(tools: DockerTools, timeoutMs = 60_000): Promise<PrivateDockerEngine> {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aip-docker-"));
        const engine = new PrivateDockerEngine(tools, dir, linkNames(), firewallSnapshot());
        try {
            await engine.launch(timeoutMs);
        } catch (e) {
            await engine.stop();
            throw e;
        }
        return engine;
    }

    private async launch(timeoutMs: number): Promise<void> {
        const d = (...p: string[]) => path.join(this.dir, ...p);
        fs.mkdirSync(d("cli", "cli-plugins"), { recursive: true });
        fs.writeFileSync(d("cli", "config.json"), "{}\n");
        fs.symlinkSync(this.tools.composePlugin, d("cli", "cli-plugins", "docker-compose"));
        fs.writeFileSync(d("daemon.json"), "{}\n");
        fs.writeFileSync(
            d("containerd.toml"),
            [
                "version = 2",
                `root = ${JSON.stringify(d("containerd", "root"))}`,
                `state = ${JSON.stringify(d("containerd", "state"))}`,
                "disabled_plugins = [\"io.containerd.grpc.v1.cri\"]",
                "[grpc]",
                `  address = ${JSON.stringify(d("containerd", "containerd.sock"))}`,
                "[ttrpc]",
                `  address = ${JSON.stringify(d("containerd", "containerd.sock.ttrpc"))}`,
                "",
            ].join("\n"),
        );
        const log = fs.openSync(d("engine.log"), "a");
        const started = Date.now();
        this.containerd = spawn(this.tools.containerd, ["--config", d("containerd.toml"), "--log-level", "warn"], { stdio: ["ignore", log, log] });
        this.dockerd = spawn(
            this.tools.dockerd,
            [
                "--config-file", d("daemon.json"),
                "--data-root", d("data"),
                "--exec-root", d("exec"),
                "--pidfile", d("dockerd.pid"),
                "--host", `unix://${this.socket}`,
                "--containerd", d("containerd", "containerd.sock"),
                "--bridge=none",
                "--iptables=false",
                "--ip-forward=false",
                "--ip-masq=false",
                "--userland-proxy=false",
                "--default-address-pool", "base=172.29.0.0/16,size=24",
                "--log-level", "warn",
            ],
            { stdio: ["ignore", log, log] },
        );
        fs.closeSync(log);
        while (Date.now() - started < timeoutMs) {
            if (this.dockerd.exitCode !== null || this.containerd.exitCode !== null) break;
            if (this.run(["version", "--format", "{{.Server.Version}}"], { allowFailure: true }).status === 0) {
                this.startupMs = Date.now() - started;
                return;
            }
            await sleep(100);
        }
        throw new Error(`the private dockerd did not answer within ${timeoutMs} ms; last lines of ${d("engine.log")}:\n${this.logTail()}`);
    }

    logTail(lines = 20): string {
        try {
            return fs.readFileSync(path.join(this.dir, "engine.log"), "utf8").trim().split("\n").slice(-lines).join("\n");
        } catch {
            return "(no log)";
        }
    }

    /** `docker ARGS` against this engine; throws with the output unless allowFailure. */
    run(args: string[], options: { input?: string; cwd?: string; allowFailure?: boolean; env?: NodeJS.ProcessEnv } = {}): RunResult {
        const result: SpawnSyncReturns<string> = spawnSync(this.tools.docker, args, {
            env: { ...this.env, ...options.env },
            cwd: options.cwd,
            input: options.input,
            encoding: "utf8",
            timeout: 300_000,
            maxBuffer: 64 * 1024 * 1024,
        });
        const out = { status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? String(result.error ?? "") };
        if (out.status !== 0 && !options.allowFailure) {
            throw new Error(`docker ${args.join(" ")} exited ${out.status}:\n${out.stderr || out.stdout}`);
        }
        return out;
    }

    /** `docker inspect` of several objects as parsed JSON. */
    inspect(ids: string[], kind?: "container" | "service" | "network" | "node"): any[] {
        if (ids.length === 0) return [];
        return JSON.parse(this.run([...(kind ? [kind] : []), "inspect", ...ids]).stdout);
    }

    /** CPUs and memory the engine reports (`docker info`). */
    capacity(): { cpus: number; memoryBytes: number } {
        const info = JSON.parse(this.run(["info", "--format", "{{json .}}"]).stdout);
        return { cpus: info.NCPU, memoryBytes: info.MemTotal };
    }

    /** One stand-in image (a static busybox that sleeps until stopped), tagged with every name given. */
    makeStandInImages(names: string[]): void {
        const root = fs.mkdtempSync(path.join(this.dir, "rootfs-"));
        for (const sub of ["bin", "tmp", "etc"]) fs.mkdirSync(path.join(root, sub));
        fs.copyFileSync(this.tools.busybox, path.join(root, "bin", "busybox"));
        fs.chmodSync(path.join(root, "bin", "busybox"), 0o755);
        for (const applet of ["sh", "sleep", "cat", "ls", "true"]) fs.symlinkSync("busybox", path.join(root, "bin", applet));
        fs.writeFileSync(path.join(root, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        const tar = spawnSync("tar", ["-C", root, "-c", "."], { maxBuffer: 64 * 1024 * 1024 });
        if (tar.status !== 0) throw new Error(`tar of the stand-in root file system failed: ${tar.stderr}`);
        const imported = spawnSync(this.tools.docker, ["import", "--change", `CMD ${JSON.stringify(STAND_IN_COMMAND)}`, "-", STAND_IN_IMAGE], {
            env: this.env,
            input: tar.stdout,
            encoding: "utf8",
        });
        if (imported.status !== 0) throw new Error(`docker import failed: ${imported.stderr}`);
        for (const name of new Set(names)) this.run(["tag", STAND_IN_IMAGE, name]);
        fs.rmSync(root, { recursive: true, force: true });
    }

    /** Polls until `check` returns a value (not undefined) or the time is up. */
    async waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 120_000, intervalMs = 500): Promise<T> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const value = check();
            if (value !== undefined) return value;
            if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
            await sleep(intervalMs);
        }
    }

    /** Stops and removes everything this engine started; safe to call twice. */
    async stop(): Promise<StopReport> {
        const report: StopReport = { killed: [], unmounted: [], links: [], firewall: [] };
        if (this.stopped) return report;
        this.stopped = true;
        if (this.dockerd?.exitCode === null) {
            const quiet = { allowFailure: true };
            if (this.run(["info", "--format", "{{.Swarm.LocalNodeState}}"], quiet).stdout.trim() === "active") {
                this.run(["swarm", "leave", "--force"], quiet);
            }
            const containers = this.run(["ps", "-aq"], quiet).stdout.split("\n").filter(Boolean);
            if (containers.length > 0) this.run(["rm", "-f", "-v", ...containers], quiet);
            this.run(["network", "prune", "-f"], quiet);
            this.run(["network", "rm", "docker_gwbridge"], quiet);
        }
        await stopProcess(this.dockerd, 20_000);
        await stopProcess(this.containerd, 10_000);
        for (const pid of processesUnder(this.dir)) {
            if (!alive(pid)) continue;
            process.kill(pid, "SIGKILL");
            report.killed.push(pid);
        }
        for (const mountPoint of mountsUnder(this.dir).sort((a, b) => b.length - a.length)) {
            if (spawnSync("umount", [mountPoint]).status !== 0) spawnSync("umount", ["-l", mountPoint]);
            report.unmounted.push(mountPoint);
        }
        for (const link of linkNames()) {
            if (!this.linksBefore.has(link) && /^(docker_gwbridge|br-|veth|vx-)/.test(link)) {
                spawnSync("ip", ["link", "delete", link]);
                report.links.push(link);
            }
        }
        report.firewall = restoreFirewall(this.firewallBefore);
        fs.rmSync(this.dir, { recursive: true, force: true });
        return report;
    }

    /** Processes and mounts of this engine still present (for the no-leak assertions). */
    leftovers(): { processes: number[]; mounts: string[] } {
        return { processes: processesUnder(this.dir).filter(alive), mounts: mountsUnder(this.dir) };
    }
}

/** Every `image:` of the given compose documents. */
export function imagesOf(...documents: Array<{ services: Record<string, any> }>): string[] {
    return [...new Set(documents.flatMap((d) => Object.values(d.services).map((s) => String(s.image))))];
}
