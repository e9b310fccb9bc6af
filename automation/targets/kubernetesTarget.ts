/**
 * A promotion step's Kubernetes target: the clusters of a `platform: kubernetes` stack in
 * kubeconfig mode, one per region of the step. The driver asks it three things: may the step go
 * up (preflight), is the rollout failing (watch during `up`), did it land (verification).
 */
import { StackConfig } from "../../config/config";
import { clusterTargets } from "../../components/kubernetesOnly/clusters";
import { KubeApi } from "../localClusters/kubeApi";
import type { EngineResult } from "../engines/engine";
import { ClusterReader } from "./inspect";
import { credentialsFor } from "./kubeconfig";
import { objectsByRegion, preflight, TargetReport } from "./preflight";
import { describeProblem, podProblems, RolloutProblem, verifyRegion } from "./rollout";

export interface StepTarget {
    /** One line: what the target is. */
    readonly description: string;
    preflight(preview: EngineResult): Promise<TargetReport>;
    /**
     * Polls the clusters while `up` runs and calls `onFatal` once with the problems that waiting
     * will not fix (unschedulable pods, admission refusals); `stop` ends the polling.
     */
    watch(preview: EngineResult, since: Date, onFatal: (problems: RolloutProblem[]) => void): { stop(): Promise<void> };
    verify(preview: EngineResult, since: Date): Promise<TargetReport>;
    /** Releases connections. */
    close?(): void;
}

/** A cluster reader over the Kubernetes REST API with the credentials of a kubeconfig context. */
export function connect(region: string, kubeconfig: string, context?: string): ClusterReader & { close(): void } {
    const credentials = credentialsFor(kubeconfig, context);
    const api = KubeApi.fromCredentials(credentials);
    return {
        region,
        list: async (apiPath: string) => ((await api.get<{ items?: any[] }>(apiPath)).items ?? []),
        close: () => api.close(),
    };
}

/** Namespaces the step's objects live in, per region. */
function namespacesByRegion(preview: EngineResult): Map<string, string[]> {
    const result = new Map<string, string[]>();
    for (const [region, objects] of objectsByRegion(preview.resources)) {
        const names = new Set<string>();
        for (const o of objects) {
            if (o.kind === "Namespace") names.add(o.name);
            else if (o.namespace) names.add(o.namespace);
        }
        result.set(region, [...names]);
    }
    return result;
}

export class KubernetesTarget implements StepTarget {
    readonly description: string;
    private readonly clusters = new Map<string, ClusterReader & { close(): void }>();

    constructor(readonly targets: { region: string; kubeconfig: string; context?: string }[]) {
        this.description = `Kubernetes clusters ${targets.map((t) => `${t.region} (${t.context ? `context ${t.context}` : "current context"})`).join(", ")} of ${targets[0]?.kubeconfig ?? "?"}`;
    }

    private readers(): Map<string, ClusterReader> {
        for (const t of this.targets) {
            if (!this.clusters.has(t.region)) this.clusters.set(t.region, connect(t.region, t.kubeconfig, t.context));
        }
        return this.clusters;
    }

    async preflight(preview: EngineResult): Promise<TargetReport> {
        try {
            return await preflight(preview.resources, this.readers());
        } catch (error) {
            return { ok: false, problems: [`cannot read the target clusters: ${(error as Error).message}`], lines: [] };
        }
    }

    watch(preview: EngineResult, since: Date, onFatal: (problems: RolloutProblem[]) => void, intervalMs = 2000): { stop(): Promise<void> } {
        let stopped = false;
        let fired = false;
        const loop = (async () => {
            while (!stopped && !fired) {
                await new Promise((r) => setTimeout(r, intervalMs));
                if (stopped) break;
                try {
                    const readers = this.readers();
                    const fatal: RolloutProblem[] = [];
                    for (const [region, namespaces] of namespacesByRegion(preview)) {
                        const cluster = readers.get(region);
                        if (!cluster) continue;
                        for (const ns of namespaces) fatal.push(...(await podProblems(cluster, ns, since, Date.now(), undefined, true)).filter((p) => p.fatal));
                    }
                    if (fatal.length > 0 && !stopped) {
                        fired = true;
                        onFatal(fatal);
                    }
                } catch {
                    // A read that fails while the step runs is retried at the next tick.
                }
            }
        })();
        return {
            stop: async () => {
                stopped = true;
                await loop;
            },
        };
    }

    async verify(preview: EngineResult, since: Date): Promise<TargetReport> {
        const report: TargetReport = { ok: true, problems: [], lines: [] };
        try {
            const readers = this.readers();
            for (const [region, namespaces] of namespacesByRegion(preview)) {
                const cluster = readers.get(region);
                if (!cluster) {
                    report.problems.push(`${region}: no cluster to verify`);
                    continue;
                }
                const problems = await verifyRegion(cluster, namespaces, since);
                report.problems.push(...problems.map(describeProblem));
                report.lines.push(`${region}: ${namespaces.join(", ")} verified${problems.length ? ` with ${problems.length} problem(s)` : ": every workload available, HPAs found their targets, PDBs allow a disruption, no pod pending"}`);
            }
        } catch (error) {
            report.problems.push(`cannot read the target clusters: ${(error as Error).message}`);
        }
        report.ok = report.problems.length === 0;
        return report;
    }

    close(): void {
        for (const c of this.clusters.values()) c.close();
        this.clusters.clear();
    }
}

/**
 * The target of a stack at a tier: Kubernetes clusters for `platform: kubernetes` with a
 * kubeconfig, none otherwise (AWS stacks reach EKS only through the cloud; rendered YAML has no
 * cluster).
 */
export function stepTargetFor(config: StackConfig): KubernetesTarget | undefined {
    if (config.platform !== "kubernetes" || !config.kubernetes.kubeconfig) return undefined;
    return new KubernetesTarget(
        clusterTargets(config).flatMap((t) => (t.mode === "kubeconfig" ? [{ region: t.region, kubeconfig: t.kubeconfig, context: t.context }] : [])),
    );
}
