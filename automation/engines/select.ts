/**
 * Chooses the engine: `--engine pulumi|offline`, or by default the real Pulumi engine when a
 * recent enough `pulumi` CLI is on PATH (or installed by scripts/pulumi-env.sh), otherwise the
 * offline engine with a one-line notice.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DriverError, ExitCode } from "../exitCodes";
import { findRepoRoot } from "../repoRoot";
import { Engine, EngineName } from "./engine";
import { OfflineEngine, OfflineEngineOptions } from "./offline/offlineEngine";
import type { StackFiles } from "./stackFile";
import { PulumiEngine, PulumiEngineOptions } from "./pulumi/pulumiEngine";

/** The Automation API of the installed @pulumi/pulumi wants a CLI at least as new as itself. */
export const MINIMUM_PULUMI_VERSION: string = (require("@pulumi/pulumi/package.json") as { version: string }).version;

export interface PulumiCli {
    /** Absolute path of the `pulumi` binary. */
    path: string;
    /** Version without the leading v, e.g. 3.276.0. */
    version: string;
}

export interface SelectOptions {
    /** Project directory (default: the repository root). */
    projectDir?: string;
    offline?: OfflineEngineOptions;
    pulumi?: PulumiEngineOptions;
    /** The run's stack files, handed to whichever engine is chosen. */
    stackFiles?: StackFiles;
    /** Where the one-line notice goes (default: stderr). */
    notify?: (line: string) => void;
    /** Finds the CLI (default: `findPulumiCli`); tests inject one. */
    detect?: (projectDir: string) => PulumiCli | undefined;
    /**
     * Resource plugins the stack's program needs, as `name@version`; without `--engine`, a CLI
     * that lacks one of them is not chosen (the aws plugin cannot be built offline).
     */
    requiredPlugins?: string[];
    /** Whether the CLI's plugin store has a plugin (default: `pluginInstalled`); tests inject one. */
    hasPlugin?: (cli: PulumiCli, plugin: string) => boolean;
}

/** Whether `name@version` is in the plugin store of the CLI (the toolchain's PULUMI_HOME, else ~/.pulumi). */
export function pluginInstalled(cli: PulumiCli, plugin: string): boolean {
    const [name, version] = plugin.split("@");
    const binDir = path.dirname(cli.path);
    const home = (path.basename(binDir) === "bin" ? toolchainEnv(path.dirname(binDir)).PULUMI_HOME : undefined) ?? process.env.PULUMI_HOME ?? path.join(os.homedir(), ".pulumi");
    return fs.existsSync(path.join(home, "plugins", `resource-${name}-v${version}`));
}

/** -1, 0 or 1 comparing dotted versions numerically ("3.248.0" vs "3.250.1"). */
export function compareVersions(a: string, b: string): number {
    const parts = (v: string) => v.replace(/^v/, "").split(/[.+-]/).slice(0, 3).map((p) => Number.parseInt(p, 10) || 0);
    const [x, y] = [parts(a), parts(b)];
    for (let i = 0; i < 3; i++) {
        if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

function versionOf(binary: string): string | undefined {
    try {
        const out = execFileSync(binary, ["version"], { encoding: "utf8", timeout: 20_000, stdio: ["ignore", "pipe", "ignore"], env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
        return out.trim().replace(/^v/, "") || undefined;
    } catch {
        return undefined;
    }
}

function pulumiOnPath(extraEnvScript?: string): string | undefined {
    try {
        const script = extraEnvScript ? `source "${extraEnvScript}" >/dev/null 2>&1; command -v pulumi` : "command -v pulumi";
        const out = execFileSync("bash", ["-c", script], { encoding: "utf8", timeout: 20_000, stdio: ["ignore", "pipe", "ignore"] }).trim();
        return out ? path.resolve(out) : undefined;
    } catch {
        return undefined;
    }
}

/** A `pulumi` CLI >= MINIMUM_PULUMI_VERSION on PATH, else the one scripts/pulumi-env.sh puts on PATH, else undefined. */
export function findPulumiCli(projectDir: string): PulumiCli | undefined {
    const envScript = path.join(projectDir, "scripts", "pulumi-env.sh");
    const candidates = [pulumiOnPath(), fs.existsSync(envScript) ? pulumiOnPath(envScript) : undefined];
    for (const candidate of candidates) {
        if (!candidate) continue;
        const version = versionOf(candidate);
        if (version && compareVersions(version, MINIMUM_PULUMI_VERSION) >= 0) {
            return { path: candidate, version };
        }
    }
    return undefined;
}

/** Options that make the Pulumi engine run this particular binary (and its plugins next to it). */
export function pulumiOptionsFor(cli: PulumiCli, options: PulumiEngineOptions = {}): PulumiEngineOptions {
    const binDir = path.dirname(cli.path);
    const root = path.basename(binDir) === "bin" ? path.dirname(binDir) : undefined;
    return {
        ...options,
        pulumiRoot: options.pulumiRoot ?? root,
        envVars: { ...(root ? toolchainEnv(root) : {}), PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}`, ...(options.envVars ?? {}) },
    };
}

/**
 * Environment of a toolchain built by scripts/install-pulumi.sh (its `env.json`: PULUMI_HOME with
 * the provider plugins, no update checks, no plugin downloads); empty for any other pulumi.
 */
export function toolchainEnv(toolchainDir: string): Record<string, string> {
    const file = path.join(toolchainDir, "env.json");
    if (!fs.existsSync(file)) return {};
    const env = (JSON.parse(fs.readFileSync(file, "utf8")) as { env?: Record<string, string> }).env;
    return env ?? {};
}

export function selectEngine(name?: EngineName, options: SelectOptions = {}): Engine {
    const projectDir = options.projectDir ?? findRepoRoot();
    const notify = options.notify ?? ((line: string) => process.stderr.write(line + "\n"));
    const detect = options.detect ?? findPulumiCli;
    if (name === "offline") {
        return new OfflineEngine({ projectDir, ...options.offline });
    }
    const cli = detect(projectDir);
    if (name === "pulumi") {
        if (!cli) {
            throw new DriverError(
                ExitCode.EngineFailure,
                `--engine pulumi needs a pulumi CLI >= ${MINIMUM_PULUMI_VERSION} on PATH; run scripts/install-pulumi.sh and source scripts/pulumi-env.sh, or use --engine offline.`,
            );
        }
        return new PulumiEngine({ workDir: projectDir, stackFiles: options.stackFiles, ...pulumiOptionsFor(cli, options.pulumi) });
    }
    if (name !== undefined) {
        throw new DriverError(ExitCode.BadInput, `--engine ${JSON.stringify(name)} is not an engine; use pulumi or offline.`);
    }
    const hasPlugin = options.hasPlugin ?? pluginInstalled;
    const missing = cli ? (options.requiredPlugins ?? []).filter((plugin) => !hasPlugin(cli, plugin)) : [];
    if (cli && missing.length === 0) {
        return new PulumiEngine({ workDir: projectDir, stackFiles: options.stackFiles, ...pulumiOptionsFor(cli, options.pulumi) });
    }
    if (cli) {
        notify(`engine: offline (the pulumi CLI is here but the resource plugin(s) ${missing.join(", ")} this stack needs are not; pass --engine pulumi after installing them)`);
        return new OfflineEngine({ projectDir, ...options.offline });
    }
    notify(`engine: offline (no pulumi CLI >= ${MINIMUM_PULUMI_VERSION} on PATH or from scripts/pulumi-env.sh; pass --engine pulumi after installing it)`);
    return new OfflineEngine({ projectDir, ...options.offline });
}
