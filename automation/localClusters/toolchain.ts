/**
 * Finds the local-cluster toolchain that scripts/install-kubernetes.sh builds (kube-apiserver,
 * kube-controller-manager, kube-scheduler, etcd, kwok and kwok's stage files) through the
 * env.json it writes, and lets tests skip loudly without it (or fail on CI).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalClusterBinaries } from "./types";

/** The Kubernetes release scripts/install-kubernetes.sh builds (its KUBE_VERSION). */
export const KUBERNETES_VERSION = "1.36.3";

const BINARY_KEYS: Record<string, keyof Omit<LocalClusterBinaries, "kwokStages">> = {
    "kube-apiserver": "kubeApiserver",
    "kube-controller-manager": "kubeControllerManager",
    "kube-scheduler": "kubeScheduler",
    etcd: "etcd",
    kwok: "kwok",
};

export interface KubeToolchain {
    envFile: string;
    kubernetesVersion: string;
    binaries: LocalClusterBinaries;
    versions: Record<string, string>;
    /** kubectl found on PATH when the toolchain was installed (not built by it). */
    kubectl?: { path: string; version: string };
}

export interface ToolchainLookup {
    toolchain?: KubeToolchain;
    envFile: string;
    /** What is absent: the env.json itself, or binaries/stage files it names that are not there. */
    missing: string[];
}

/** Where env.json is: $AI_PLATFORM_KUBE_TOOLCHAIN, else `${PULUMI_TOOLCHAIN_HOME:-~/.cache/ai-platform-tiers}/kubernetes-v<version>/env.json`. */
export function toolchainEnvFile(env: NodeJS.ProcessEnv = process.env): string {
    if (env.AI_PLATFORM_KUBE_TOOLCHAIN) return path.resolve(env.AI_PLATFORM_KUBE_TOOLCHAIN);
    const root = env.PULUMI_TOOLCHAIN_HOME || path.join(os.homedir(), ".cache", "ai-platform-tiers");
    return path.join(root, `kubernetes-v${KUBERNETES_VERSION}`, "env.json");
}

function isExecutable(file: string): boolean {
    try {
        fs.accessSync(file, fs.constants.X_OK);
        return fs.statSync(file).isFile();
    } catch {
        return false;
    }
}

/** Reads env.json and checks that everything it names exists. */
export function lookupKubeToolchain(env: NodeJS.ProcessEnv = process.env): ToolchainLookup {
    const envFile = toolchainEnvFile(env);
    if (!fs.existsSync(envFile)) return { envFile, missing: [envFile, ...Object.keys(BINARY_KEYS)] };
    let parsed: {
        kubernetesVersion?: string;
        binaries?: Record<string, { path?: string; version?: string }>;
        kwokStages?: string[];
        kubectl?: { path: string; version: string } | null;
    };
    try {
        parsed = JSON.parse(fs.readFileSync(envFile, "utf8"));
    } catch (err) {
        return { envFile, missing: [`${envFile} (unreadable: ${(err as Error).message})`] };
    }
    const missing: string[] = [];
    const binaries: Partial<LocalClusterBinaries> = {};
    const versions: Record<string, string> = {};
    for (const [name, key] of Object.entries(BINARY_KEYS)) {
        const entry = parsed.binaries?.[name];
        if (!entry?.path || !isExecutable(entry.path)) {
            missing.push(entry?.path ?? name);
            continue;
        }
        binaries[key] = entry.path;
        versions[name] = entry.version ?? "unknown";
    }
    const stages = parsed.kwokStages ?? [];
    if (stages.length === 0) missing.push("kwok stage files");
    for (const stage of stages) if (!fs.existsSync(stage)) missing.push(stage);
    if (missing.length > 0) return { envFile, missing };
    return {
        envFile,
        missing,
        toolchain: {
            envFile,
            kubernetesVersion: parsed.kubernetesVersion ?? KUBERNETES_VERSION,
            binaries: { ...(binaries as Omit<LocalClusterBinaries, "kwokStages">), kwokStages: stages },
            versions,
            kubectl: parsed.kubectl ?? undefined,
        },
    };
}

/** The toolchain, or an error that says what is missing and how to build it. */
export function requireKubeToolchain(env: NodeJS.ProcessEnv = process.env): KubeToolchain {
    const found = lookupKubeToolchain(env);
    if (found.toolchain) return found.toolchain;
    throw new Error(`local-cluster toolchain incomplete (${found.envFile}): missing ${found.missing.join(", ")}; run scripts/install-kubernetes.sh`);
}

/**
 * For tests: the toolchain, or a loud skip of the calling suite/test when its binaries are
 * absent. With CI=true an absent toolchain is a failure, not a skip.
 */
export function requireToolchainOrSkip(ctx: { skip(): void }, env: NodeJS.ProcessEnv = process.env): KubeToolchain {
    const found = lookupKubeToolchain(env);
    if (found.toolchain) return found.toolchain;
    const what = `missing ${found.missing.join(", ")} (env file ${found.envFile})`;
    if (env.CI === "true") {
        throw new Error(`CI=true and the local-cluster toolchain is absent: ${what}. Run scripts/install-kubernetes.sh before the tests.`);
    }
    console.warn(
        `\n      !!! LOCAL-CLUSTER TESTS SKIPPED: ${what}.` +
            "\n      !!! Run scripts/install-kubernetes.sh (about 20 minutes the first time) to run them.\n",
    );
    ctx.skip();
    throw new Error("unreachable: skip() returned");
}
