/**
 * `clusters start|status|stop --stack S`: the local Kubernetes clusters a `platform: kubernetes`
 * stack in kubeconfig mode deploys to, one per region, shaped like its node pools. `start`
 * writes the kubeconfig the stack file names (contexts named after the regions); the clusters
 * run in the background until `stop`.
 */
import * as path from "path";
import { DriverError, ExitCode } from "../exitCodes";
import { localClusterSpecs } from "../localClusters/fromStack";
import { localClustersStatus, startLocalClusters, stopLocalClusters } from "../localClusters";
import { lookupKubeToolchain } from "../localClusters/toolchain";
import type { CommandEnv } from "./context";
import { stackConfigAt } from "./context";

export const CLUSTER_ACTIONS = ["start", "status", "stop"] as const;
export type ClusterAction = (typeof CLUSTER_ACTIONS)[number];

/** Where a stack's local clusters keep their state: beside the kubeconfig the stack file names. */
export function clustersDirOf(kubeconfig: string): string {
    return path.join(path.dirname(kubeconfig), "clusters");
}

export async function clustersCommand(env: CommandEnv, action: ClusterAction): Promise<number> {
    const stack = env.args.stack!;
    const config = stackConfigAt(env, stack, 3);
    const kubeconfig = config.kubernetes.kubeconfig;
    if (config.platform !== "kubernetes" || !kubeconfig) {
        throw new DriverError(ExitCode.BadInput, `clusters: stack ${stack} is not a Kubernetes-only stack in kubeconfig mode (platform ${config.platform}); local clusters serve stacks with platform: kubernetes and a kubeconfig key, e.g. --stack local`);
    }
    const dir = clustersDirOf(kubeconfig);
    const out = env.args.json ? env.io.err : env.io.out;
    if (action === "start") {
        const found = lookupKubeToolchain(env.io.env);
        if (!found.toolchain) {
            throw new DriverError(ExitCode.BadInput, `clusters start: the local Kubernetes toolchain is not built (missing: ${found.missing.join(", ")}); run scripts/install-kubernetes.sh`);
        }
        const started = Date.now();
        const result = await startLocalClusters({ dir, clusters: localClusterSpecs(config), kubeconfigPath: kubeconfig, binaries: found.toolchain.binaries, log: out });
        out(`${result.clusters.length} cluster(s) ready: kubeconfig ${result.kubeconfigPath} (contexts ${result.clusters.map((c) => c.region).join(", ")}); state ${dir}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
        if (env.args.json) env.io.out(JSON.stringify({ command: "clusters start", stack, dir, ...result }, null, 2));
        return ExitCode.Success;
    }
    if (action === "status") {
        const clusters = await localClustersStatus(dir);
        if (env.args.json) env.io.out(JSON.stringify({ command: "clusters status", stack, dir, clusters }, null, 2));
        else if (clusters.length === 0) out(`no local clusters for ${stack} in ${dir}`);
        for (const c of clusters) {
            out(`cluster ${c.region}: ${c.running ? "running" : "NOT running"} at ${c.server}, nodes ${c.nodes ? `${c.nodes.ready}/${c.nodes.total} ready` : "unknown"}, ${(c.rssBytes / 2 ** 20).toFixed(0)} MiB RSS`);
        }
        return clusters.every((c) => c.running) ? ExitCode.Success : ExitCode.EngineFailure;
    }
    const stopped = await stopLocalClusters(dir, { log: out });
    for (const s of stopped) out(`cluster ${s.region}: stopped`);
    if (env.args.json) env.io.out(JSON.stringify({ command: "clusters stop", stack, dir, clusters: stopped }, null, 2));
    return ExitCode.Success;
}
