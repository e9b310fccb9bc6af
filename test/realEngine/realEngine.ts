/**
 * Support for the tests that run the real Pulumi engine: the toolchain that
 * scripts/install-pulumi.sh builds, and throwaway copies of the project whose dev stack renders
 * its Kubernetes manifests to a directory (platform kubernetes, seed 000: air-gapped clusters).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { findRepoRoot } from "../../automation/repoRoot";
import { toolchainEnv } from "../../automation/engines/select";

export const ROOT = findRepoRoot(__dirname);
export const PASSPHRASE = "real-engine-tests-passphrase";

export interface Toolchain {
    /** Directory holding bin/ and env.json. */
    dir: string;
    binDir: string;
    env: Record<string, string>;
}

let cached: Toolchain | null | undefined;

/** The toolchain of this checkout, or undefined when scripts/install-pulumi.sh has not run. */
export function findToolchain(): Toolchain | undefined {
    if (cached !== undefined) return cached ?? undefined;
    const found = spawnSync("bash", [path.join(ROOT, "scripts", "pulumi-env.sh"), "--path"], { encoding: "utf8" });
    const envFile = found.status === 0 ? found.stdout.trim() : "";
    if (!envFile || !fs.existsSync(envFile)) {
        cached = null;
        return undefined;
    }
    const dir = path.dirname(envFile);
    cached = { dir, binDir: path.join(dir, "bin"), env: toolchainEnv(dir) };
    return cached;
}

/** Skips the calling suite, loudly, when the toolchain is absent. */
export function requireToolchain(suite: Mocha.Context): Toolchain {
    const toolchain = findToolchain();
    if (!toolchain) {
        if (process.env.CI === "true") {
            throw new Error("CI=true but no Pulumi toolchain for this checkout: .ci/run must build it (scripts/install-pulumi.sh) before the tests");
        }
        console.warn(
            "\n      !!! REAL-ENGINE TESTS SKIPPED: no Pulumi toolchain for this checkout." +
                "\n      !!! Run scripts/install-pulumi.sh (scripts/test.sh and .ci/run do) to run them.\n",
        );
        suite.skip();
    }
    return toolchain!;
}

export interface RenderProject {
    dir: string;
    /** Where the manifests land: `<renderDir>/<region>/`. */
    renderDir: string;
    /** Environment for the pulumi CLI and the Automation API. */
    env: NodeJS.ProcessEnv;
}

export interface RenderProjectOptions {
    /** Project-namespace config layered over the render-mode dev stack (values as in the stack file). */
    config?: Record<string, unknown>;
    /**
     * Adds deliberately broken resources to the program: a container without requests/limits
     * and a sync workload that takes its OTP seed as a literal instead of from the gate's secret.
     */
    broken?: boolean;
}

/** What the program needs: itself, its packs, the sync service it bundles, and the driver's lockout figures. */
const PROGRAM_PARTS = ["Pulumi.yaml", "package.json", "tsconfig.json", "contract", "config", "cost", "infra", "components", "policies", "sync", path.join("automation", "driver.config.json")];

/** The repository's node_modules and dist/ (the packs run the JavaScript compiled there), linked into a copy. */
function linkBuild(dir: string): void {
    for (const part of ["node_modules", "dist"]) {
        fs.symlinkSync(path.join(ROOT, part), path.join(dir, part), "dir");
    }
}

/** The CLI's environment for a copy: the toolchain, a local backend inside the copy, no update checks or plugin downloads. */
function localBackendEnv(dir: string, toolchain: Toolchain): NodeJS.ProcessEnv {
    const backend = path.join(dir, ".pulumi-state");
    fs.mkdirSync(backend);
    return {
        ...process.env,
        ...toolchain.env,
        PATH: `${toolchain.binDir}${path.delimiter}${process.env.PATH ?? ""}`,
        PULUMI_BACKEND_URL: `file://${backend}`,
        PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
}

/** The project-namespace keys of the shipped dev stack file (its sizing, regions, cap, enforcement). */
function shippedDevConfig(): Record<string, unknown> {
    const config = (parse(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> }).config;
    return Object.fromEntries(Object.entries(config).filter(([key]) => key.startsWith("ai-platform:")));
}

/** A copy of the program with its own local backend and a dev stack (the shipped dev stack file's settings) in render mode at tier 2. */
export function renderProject(toolchain: Toolchain, options: RenderProjectOptions = {}): RenderProject {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-platform-real-"));
    for (const part of PROGRAM_PARTS) {
        fs.mkdirSync(path.dirname(path.join(dir, part)), { recursive: true });
        fs.cpSync(path.join(ROOT, part), path.join(dir, part), { recursive: true });
    }
    linkBuild(dir);
    const renderDir = path.join(dir, "rendered");
    const config = {
        ...shippedDevConfig(),
        "ai-platform:tier": 2,
        "ai-platform:platform": "kubernetes",
        "ai-platform:renderDir": renderDir,
        ...Object.fromEntries(Object.entries(options.config ?? {}).map(([k, v]) => [`ai-platform:${k}`, v])),
    };
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), stringify({ config }));
    if (options.broken) addBrokenResources(dir, renderDir);
    const env = localBackendEnv(dir, toolchain);
    const init = pulumi({ dir, env }, ["stack", "init", "dev"]);
    if (init.status !== 0) throw new Error(`pulumi stack init failed: ${init.output}`);
    return { dir, renderDir, env };
}

function addBrokenResources(dir: string, renderDir: string): void {
    fs.writeFileSync(
        path.join(dir, "infra", "brokenResources.ts"),
        `import * as k8s from "@pulumi/kubernetes";
import { LABEL, LEGACY_SEED_ENV, ROLE } from "../contract/markers";

const provider = new k8s.Provider("broken", { renderYamlToDirectory: ${JSON.stringify(path.join(renderDir, "broken"))} });
const labels = { app: "broken" };
new k8s.apps.v1.Deployment("no-limits", {
    metadata: { name: "no-limits", namespace: "default" },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: "app", image: "nginx:1.27" }] } } },
}, { provider });
const syncLabels = { app: "ungated-sync", [LABEL.role]: ROLE.crossRegionSync };
new k8s.apps.v1.Deployment("ungated-sync", {
    metadata: { name: "ungated-sync", namespace: "default", labels: syncLabels },
    spec: {
        selector: { matchLabels: { app: "ungated-sync" } },
        template: {
            metadata: { labels: syncLabels },
            spec: { containers: [{
                name: "sync", image: "busybox:1.36",
                env: [{ name: LEGACY_SEED_ENV, value: "JBSWY3DPEHPK3PXP" }],
                resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
            }] },
        },
    },
}, { provider });
`,
    );
    fs.appendFileSync(path.join(dir, "infra", "index.ts"), `\nimport "./brokenResources";\n`);
}

export interface CliResult {
    status: number | null;
    stdout: string;
    /** stdout and stderr together. */
    output: string;
}

export interface LocalProject {
    dir: string;
    /** The kubeconfig the local clusters write (the stack file's `kubeconfig`). */
    kubeconfig: string;
    env: NodeJS.ProcessEnv;
}

/**
 * A copy of the program with the shipped `local` stack (platform kubernetes, kubeconfig mode),
 * its own local backend, and its local clusters' state inside the copy.
 */
export function localProject(toolchain: Toolchain): LocalProject {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-platform-local-"));
    for (const part of [...PROGRAM_PARTS, "Pulumi.local.yaml"]) {
        fs.cpSync(path.join(ROOT, part), path.join(dir, part), { recursive: true });
    }
    linkBuild(dir);
    const env = localBackendEnv(dir, toolchain);
    return { dir, kubeconfig: path.join(dir, ".local-clusters", "local", "kubeconfig"), env };
}

export function pulumi(project: { dir: string; env: NodeJS.ProcessEnv }, args: string[]): CliResult {
    const run = spawnSync("pulumi", [...args, "--non-interactive"], { cwd: project.dir, env: project.env, encoding: "utf8", timeout: 600_000 });
    return { status: run.status, stdout: run.stdout, output: `${run.stdout}\n${run.stderr}` };
}

export function removeProject(project: { dir: string } | undefined): void {
    if (project) fs.rmSync(project.dir, { recursive: true, force: true });
}
