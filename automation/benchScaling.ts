/**
 * How the offline engine's cost grows with the stack, for `npm run bench`: the `airgap` stack
 * (Kubernetes-only, tier 2, one region) with a synthetic catalog, the SutazAI services plus
 * copies of its frontend, from about 100 to 5,000 resources. Each size runs what an offline
 * preview runs: the program in a fresh runner child under the mock runtime, then every policy
 * rule through the shared evaluator, then the cost model. A straight line through the child's
 * figures splits them into the fixed part (process start, SDK and program load) and the part
 * per resource, for time and memory.
 *
 * Then the throughput of the rules and of the cost model on the largest size, after a warm-up
 * (the figures of a long-running process): resources per second of wall time and of CPU time.
 *
 * BENCH_OFFLINE_SIZES changes the sizes (comma-separated resource counts).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { sutazaiCatalog } from "../config/catalog/sutazai";
import { ServiceCatalog, Tier } from "../contract/catalog";
import { estimateCost } from "../cost";
import { RecordedResource } from "./engines/offline/recordingMocks";
import { startRunner } from "./engines/offline/runProgram";
import { evaluateStackPolicies } from "./engines/policyRules";
import { projectName, rawStackConfig, stackConfigFor } from "./engines/stackFile";
import { median } from "./benchStats";

/** The stack the sizes are measured on, and what one more catalog service adds to it. */
const STACK = "airgap";
const TIER: Tier = 2;
/** What the stack declares with the SutazAI catalog alone (the sizes printed are what it declared). */
const BASE_RESOURCES = 83;
/** A stateless service at tier 2 on this platform: Deployment, Service, HPA, PodDisruptionBudget. */
const RESOURCES_PER_SERVICE = 4;
const DEFAULT_SIZES = [100, 500, 1000, 2500, 5000];
/** Throughput: calls not counted (the JIT settles), then calls whose median is quoted. */
const WARM_UP = 5;
const RUNS = 9;

export interface GrowthRow {
    resources: number;
    /** Child process: start to reply (wall), its CPU, its peak memory. */
    childMs: number;
    childCpuMs: number;
    maxRssMb: number;
    /** Start-up of the child until the SDK was loaded, CPU. */
    startupCpuMs: number;
    /** One evaluation of every rule, and one cost estimate, in this process (cold: as a preview pays them). */
    rulesMs: number;
    costMs: number;
}

export interface Line {
    fixed: number;
    perResource: number;
}

export interface Throughput {
    resources: number;
    /** Medians over the timed runs. */
    wallMs: number;
    cpuMs: number;
}

export interface ScalingResult {
    rows: GrowthRow[];
    cpu: Line;
    wall: Line;
    memoryMb: Line;
    rules: Throughput;
    cost: Throughput;
}

/** The SutazAI catalog plus `extra` copies of its frontend (stateless, HPA, PDB), named synthetic-<i>. */
export function syntheticCatalog(extra: number): ServiceCatalog {
    const template = sutazaiCatalog.services.find((s) => s.name === "frontend");
    if (!template) throw new Error("the SutazAI catalog has no frontend service to copy");
    const copies = Array.from({ length: extra }, (_, i) => ({ ...template, name: `synthetic-${i}`, description: `synthetic copy ${i} of ${template.name}` }));
    return { name: `sutazai + ${extra} synthetic`, services: [...sutazaiCatalog.services, ...copies] };
}

/** Least squares line y = fixed + perResource * x. */
export function fitLine(points: readonly { x: number; y: number }[]): Line {
    const n = points.length;
    const mx = points.reduce((s, p) => s + p.x, 0) / n;
    const my = points.reduce((s, p) => s + p.y, 0) / n;
    const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
    const perResource = sxx === 0 ? 0 : points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
    return { fixed: my - perResource * mx, perResource };
}

function cpuNowMs(): number {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
}

/** Wall and CPU time of `fn`, in this process. */
async function timed<T>(fn: () => T | Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number }> {
    const cpu = cpuNowMs();
    const started = performance.now();
    const value = await fn();
    return { value, wallMs: performance.now() - started, cpuMs: cpuNowMs() - cpu };
}

/** Median wall and CPU time of `runs` calls of `fn` after `warmUp` calls that are not counted. */
async function throughput(resources: number, fn: () => unknown, warmUp = WARM_UP, runs = RUNS): Promise<Throughput> {
    for (let i = 0; i < warmUp; i++) await fn();
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push(await timed(fn));
    return { resources, wallMs: median(samples.map((s) => s.wallMs)), cpuMs: median(samples.map((s) => s.cpuMs)) };
}

function sizes(): number[] {
    const fromEnv = process.env.BENCH_OFFLINE_SIZES;
    if (!fromEnv) return DEFAULT_SIZES;
    const parsed = fromEnv.split(",").map((s) => Number(s.trim()));
    if (parsed.length < 2 || parsed.some((n) => !Number.isInteger(n) || n <= 0)) {
        throw new Error(`BENCH_OFFLINE_SIZES=${JSON.stringify(fromEnv)}: give two or more resource counts, e.g. 100,1000,5000`);
    }
    return parsed;
}

/** One offline preview's work at one catalog size; returns its figures and what the program declared. */
async function previewAtSize(projectDir: string, catalogFile: string): Promise<{ row: GrowthRow; recorded: RecordedResource[]; overrides: Record<string, string> }> {
    const overrides = { catalogFile };
    const runner = startRunner({ cwd: projectDir });
    const started = performance.now();
    const reply = await runner.run({ project: projectName(projectDir), stack: STACK, projectDir, raw: rawStackConfig(projectDir, STACK, TIER, overrides), includeOtpSeed: false });
    const childMs = performance.now() - started;
    if (!reply.ok) throw new Error(`offline run of ${catalogFile} failed: ${reply.error}`);
    const stackConfig = stackConfigFor(projectDir, STACK, TIER, overrides);
    const rules = await timed(() => evaluateStackPolicies(reply.resources, stackConfig));
    const cost = await timed(() => estimateCost(reply.resources.map(({ type, name, urn, inputs }) => ({ type, name, urn, props: inputs })), { defaultRegion: stackConfig.regions.primary }));
    return {
        row: {
            resources: reply.resources.length,
            childMs,
            childCpuMs: reply.cpuMs,
            maxRssMb: reply.maxRssKb / 1024,
            startupCpuMs: reply.startupCpuMs,
            rulesMs: rules.wallMs,
            costMs: cost.wallMs,
        },
        recorded: reply.resources,
        overrides,
    };
}

export async function runScalingBenchmark(projectDir: string): Promise<ScalingResult> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-platform-bench-catalog-"));
    try {
        const rows: GrowthRow[] = [];
        let largest: { recorded: RecordedResource[]; overrides: Record<string, string> } | undefined;
        for (const target of sizes()) {
            const extra = Math.max(0, Math.round((target - BASE_RESOURCES) / RESOURCES_PER_SERVICE));
            const file = path.join(dir, `catalog-${extra}.json`);
            fs.writeFileSync(file, JSON.stringify(syntheticCatalog(extra)));
            const run = await previewAtSize(projectDir, file);
            rows.push(run.row);
            if (!largest || run.recorded.length > largest.recorded.length) largest = run;
        }
        const stackConfig = stackConfigFor(projectDir, STACK, TIER, largest!.overrides);
        const recorded = largest!.recorded;
        const costResources = recorded.map(({ type, name, urn, inputs }) => ({ type, name, urn, props: inputs }));
        return {
            rows,
            cpu: fitLine(rows.map((r) => ({ x: r.resources, y: r.childCpuMs }))),
            wall: fitLine(rows.map((r) => ({ x: r.resources, y: r.childMs }))),
            memoryMb: fitLine(rows.map((r) => ({ x: r.resources, y: r.maxRssMb }))),
            rules: await throughput(recorded.length, () => evaluateStackPolicies(recorded, stackConfig)),
            cost: await throughput(recorded.length, () => estimateCost(costResources, { defaultRegion: stackConfig.regions.primary })),
        };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Targets from issue 14: resources per second through all rules, and through the cost model. */
export const TARGET_RULES_PER_S = 50_000;
export const TARGET_COST_PER_S = 100_000;

function perSecond(t: Throughput, ms: number): number {
    return Math.round((t.resources / ms) * 1000);
}

export function printScalingBenchmark(r: ScalingResult): void {
    const pad = (text: string | number, width: number) => String(text).padStart(width);
    console.log(`offline preview growth: ${STACK} stack, tier ${TIER}, synthetic catalog (SutazAI + copies of frontend); one fresh runner child per size`);
    console.log(`${pad("resources", 10)}${pad("child ms", 10)}${pad("cpu ms", 9)}${pad("start cpu", 11)}${pad("max RSS MB", 12)}${pad("cpu ms/res", 12)}${pad("KB/res", 8)}${pad("rules ms", 10)}${pad("cost ms", 9)}`);
    for (const row of r.rows) {
        console.log(
            `${pad(row.resources, 10)}${pad(row.childMs.toFixed(0), 10)}${pad(row.childCpuMs, 9)}${pad(row.startupCpuMs, 11)}${pad(row.maxRssMb.toFixed(0), 12)}` +
                `${pad((row.childCpuMs / row.resources).toFixed(2), 12)}${pad(((row.maxRssMb * 1024) / row.resources).toFixed(0), 8)}${pad(row.rulesMs.toFixed(0), 10)}${pad(row.costMs.toFixed(0), 9)}`,
        );
    }
    console.log(
        `fit over the sizes: child CPU = ${r.cpu.fixed.toFixed(0)} ms fixed + ${r.cpu.perResource.toFixed(2)} ms per resource; ` +
            `child wall = ${r.wall.fixed.toFixed(0)} ms + ${r.wall.perResource.toFixed(2)} ms per resource; ` +
            `peak memory = ${r.memoryMb.fixed.toFixed(0)} MB + ${(r.memoryMb.perResource * 1024).toFixed(0)} KB per resource`,
    );
    const rulesWall = perSecond(r.rules, r.rules.wallMs);
    const rulesCpu = perSecond(r.rules, r.rules.cpuMs);
    const costWall = perSecond(r.cost, r.cost.wallMs);
    const costCpu = perSecond(r.cost, r.cost.cpuMs);
    console.log(
        `rule evaluation (all four packs, shared evaluator, ${r.rules.resources} resources, median of ${RUNS} after ${WARM_UP} warm-up): ${r.rules.wallMs.toFixed(1)} ms = ` +
            `${rulesWall.toLocaleString("en-US")} resources/s (${rulesCpu.toLocaleString("en-US")}/s of CPU); target >= ${TARGET_RULES_PER_S.toLocaleString("en-US")}/s: ${rulesWall >= TARGET_RULES_PER_S ? "met" : "NOT met"}`,
    );
    console.log(
        `cost model (${r.cost.resources} resources, median of ${RUNS} after ${WARM_UP} warm-up): ${r.cost.wallMs.toFixed(1)} ms = ` +
            `${costWall.toLocaleString("en-US")} resources/s (${costCpu.toLocaleString("en-US")}/s of CPU); target >= ${TARGET_COST_PER_S.toLocaleString("en-US")}/s: ${costWall >= TARGET_COST_PER_S ? "met" : "NOT met"}`,
    );
}
