/**
 * Local clusters shaped like a stack: one per region of its tier-3 layout (primary and
 * secondaries), each with the stack's node pools played by fake nodes that offer what a real node
 * of the pool's instance type offers to pods (allocatable, GPUs, max pods, the ephemeral storage
 * of the pool's root volume, the pool's label and taint), the StorageClass the stack names and the
 * IngressClass the workloads use.
 */
import { StackConfig } from "../../config/config";
import { nodePoolsOf, poolCapacityProblem } from "../../contract/nodePools";
import { DEFAULT_INGRESS_CLASS } from "./manifests";
import { FakeNodePool, LocalClusterSpec } from "./types";

export function localClusterSpecs(config: StackConfig): LocalClusterSpec[] {
    const pools: FakeNodePool[] = [];
    for (const pool of nodePoolsOf(config)) {
        const problem = poolCapacityProblem(pool);
        if (problem) throw new Error(`${problem} (needed to shape the local clusters' fake nodes)`);
        if (pool.nodes === 0) continue;
        const a = pool.allocatable!;
        pools.push({
            name: pool.name,
            count: pool.nodes,
            cpu: `${a.cpuMillicores}m`,
            memory: `${a.memoryMib}Mi`,
            pods: a.pods,
            ephemeralStorage: `${a.ephemeralStorageMib}Mi`,
            ...(a.gpus > 0 ? { gpus: a.gpus } : {}),
            labels: { ...pool.labels },
            taints: pool.taints.map((t) => ({ ...t })),
            instanceType: pool.instanceType,
        });
    }
    return [config.regions.primary, ...config.regions.secondaries].map((region) => ({
        region,
        nodePools: pools,
        storageClassName: config.kubernetes.storageClass,
        ingressClassName: DEFAULT_INGRESS_CLASS,
    }));
}
