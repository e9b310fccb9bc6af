/**
 * The real engine's price of the policy packs, for `npm run bench` when the Pulumi toolchain is
 * installed: `pulumi preview` of the `airgap` stack (the Kubernetes-only platform rendering YAML,
 * no cloud account) without packs, with the combined pack the driver loads (all four packs' rules
 * in one process) and with the four packs loaded one by one, in turn (bare, driver, four, bare...)
 * after one warm-up round, in a throwaway copy of the project with its own local backend. Taking
 * the runs in turn keeps the ratios meaningful while the machine's load drifts; medians are quoted.
 *
 * BENCH_REAL_RUNS sets the number of rounds (default 3); BENCH_REAL_RUNS=0 skips it.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { combinedPolicyPack, policyPackDirs, writePolicyPackConfigs } from "./engines/policyRules";
import { findPulumiCli, pluginInstalled, PulumiCli, pulumiOptionsFor } from "./engines/select";
import { stackConfigFor } from "./engines/stackFile";
import { median } from "./benchStats";

const STACK = "airgap";
const TIER = 2;
/** What a preview of the program needs from the repository; node_modules and dist/ are linked. */
const PROJECT_PARTS = ["Pulumi.yaml", `Pulumi.${STACK}.yaml`, "package.json", "tsconfig.json", "contract", "config", "cost", "infra", "components", "policies", "sync", path.join("automation", "driver.config.json")];
const PLUGINS = ["kubernetes@4.25.0", "random@4.21.2"];
/** Target from issue 14: a preview with the packs' rules within 1.2x of a bare one. */
export const TARGET_RATIO = 1.2;

export interface PreviewRun {
    wallMs: number;
    /** CPU of the processes the CLI waited for (Linux: the reaped-children counters of /proc/self/stat). */
    cpuMs?: number;
}

export interface RealEngineResult {
    cli: string;
    bare: PreviewRun[];
    /** With the combined pack, as the driver runs a preview. */
    combined: PreviewRun[];
    /** With the four packs by path, as a user may load them. */
    four: PreviewRun[];
}

type Variant = "bare" | "combined" | "four";

/** Why the comparison cannot run here, or undefined when it can. */
export function realEngineUnavailable(projectDir: string): string | undefined {
    if (process.env.BENCH_REAL_RUNS === "0") return "BENCH_REAL_RUNS=0";
    const cli = findPulumiCli(projectDir);
    if (!cli) return "no Pulumi toolchain (scripts/install-pulumi.sh builds it)";
    const missing = PLUGINS.filter((plugin) => !pluginInstalled(cli, plugin));
    return missing.length > 0 ? `the toolchain lacks the plugin(s) ${missing.join(", ")}` : undefined;
}

/** CPU time of this process's reaped children so far, ms (Linux), else undefined. */
function childrenCpuMs(): number | undefined {
    try {
        const stat = fs.readFileSync("/proc/self/stat", "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        // Fields 16 and 17 of proc(5) (cutime, cstime), counted from the state field (3), in
        // clock ticks of 10 ms (USER_HZ is 100 on Linux).
        const ticks = Number(fields[13]) + Number(fields[14]);
        return Number.isFinite(ticks) ? ticks * 10 : undefined;
    } catch {
        return undefined;
    }
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (chunk) => (output = (output + chunk.toString()).slice(-20_000)));
        child.stderr.on("data", (chunk) => (output = (output + chunk.toString()).slice(-20_000)));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, output }));
    });
}

/** A copy of the program with the airgap stack initialised on a local backend of its own. */
async function projectCopy(projectDir: string, cli: PulumiCli, env: NodeJS.ProcessEnv): Promise<string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-platform-bench-real-"));
    for (const part of PROJECT_PARTS) {
        fs.mkdirSync(path.dirname(path.join(dir, part)), { recursive: true });
        fs.cpSync(path.join(projectDir, part), path.join(dir, part), { recursive: true });
    }
    for (const part of ["node_modules", "dist"]) {
        fs.symlinkSync(path.join(projectDir, part), path.join(dir, part), "dir");
    }
    fs.mkdirSync(path.join(dir, ".pulumi-state"));
    const init = await run(cli.path, ["stack", "init", STACK, "--non-interactive"], dir, { ...env, PULUMI_BACKEND_URL: `file://${path.join(dir, ".pulumi-state")}` });
    if (init.code !== 0) throw new Error(`pulumi stack init ${STACK} failed: ${init.output}`);
    return dir;
}

export async function runRealEngineBenchmark(projectDir: string, pairs = Number(process.env.BENCH_REAL_RUNS ?? 3)): Promise<RealEngineResult> {
    const cli = findPulumiCli(projectDir)!;
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        ...pulumiOptionsFor(cli).envVars,
        PULUMI_CONFIG_PASSPHRASE: "bench-passphrase",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
    const dir = await projectCopy(projectDir, cli, env);
    env.PULUMI_BACKEND_URL = `file://${path.join(dir, ".pulumi-state")}`;
    try {
        const stackConfig = stackConfigFor(dir, STACK, TIER);
        const policiesDir = path.join(dir, "policies");
        const configDir = path.join(dir, ".policy-config");
        const packs = policyPackDirs(policiesDir);
        const configs = writePolicyPackConfigs(stackConfig, packs, configDir);
        const combined = combinedPolicyPack(policiesDir, stackConfig, configDir);
        const flags: Record<Variant, string[]> = {
            bare: [],
            combined: ["--policy-pack", combined.dir, "--policy-pack-config", combined.config],
            four: packs.flatMap((pack, i) => ["--policy-pack", pack, "--policy-pack-config", configs[i]]),
        };
        const preview = async (variant: Variant): Promise<PreviewRun> => {
            const cpuBefore = childrenCpuMs();
            const started = performance.now();
            const result = await run(cli.path, ["preview", "--stack", STACK, "--non-interactive", ...flags[variant]], dir, env);
            const wallMs = performance.now() - started;
            const cpuAfter = childrenCpuMs();
            if (result.code !== 0) throw new Error(`pulumi preview (${variant}) failed:\n${result.output}`);
            return { wallMs, cpuMs: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined };
        };
        const variants: Variant[] = ["bare", "combined", "four"];
        for (const variant of variants) await preview(variant);
        const result: RealEngineResult = { cli: `${cli.path} ${cli.version}`, bare: [], combined: [], four: [] };
        for (let i = 0; i < pairs; i++) {
            for (const variant of variants) result[variant].push(await preview(variant));
        }
        return result;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

export function printRealEngineBenchmark(r: RealEngineResult): void {
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    const wall = (runs: PreviewRun[]) => `median ${seconds(median(runs.map((x) => x.wallMs)))} s wall (runs ${runs.map((x) => seconds(x.wallMs)).join(", ")})`;
    console.log(`real engine (${r.cli}): pulumi preview of the ${STACK} stack at tier ${TIER}: bare, with the driver's combined pack, with the four packs by path, in turn; ${r.bare.length} rounds after one warm-up round`);
    console.log(`  bare preview:                    ${wall(r.bare)}`);
    console.log(`  combined pack (the driver's):    ${wall(r.combined)}`);
    console.log(`  four packs by path:              ${wall(r.four)}`);
    const cpu = (runs: PreviewRun[]) => runs.map((x) => x.cpuMs).filter((x): x is number => x !== undefined);
    const hasCpu = [r.bare, r.combined, r.four].every((runs) => cpu(runs).length === runs.length);
    for (const [label, runs, target] of [["combined pack / bare:", r.combined, true], ["four packs / bare:", r.four, false]] as const) {
        const ratios = runs.map((p, i) => p.wallMs / r.bare[i].wallMs);
        const ratio = median(ratios);
        const verdict = target ? `; target <= ${TARGET_RATIO}: ${ratio <= TARGET_RATIO ? "met" : "NOT met"}` : "";
        const cpuRatio = hasCpu ? `; CPU ratio ${median(runs.map((p, i) => p.cpuMs! / r.bare[i].cpuMs!)).toFixed(2)}` : "";
        console.log(`  ratio ${label.padEnd(30)} median ${ratio.toFixed(2)} (rounds ${ratios.map((x) => x.toFixed(2)).join(", ")})${verdict}${cpuRatio}`);
    }
    if (hasCpu) {
        console.log(`  CPU (processes the CLI waited for): bare ${seconds(median(cpu(r.bare)))} s, combined ${seconds(median(cpu(r.combined)))} s, four packs ${seconds(median(cpu(r.four)))} s`);
    }
}
