/**
 * The Kubernetes node pools of a stack as data: which nodes each regional cluster has (seed 002
 * section 3.3: pools "general" and "gpu"), with the labels and taints that steer pods onto them
 * and what each node offers to pods. The EKS node groups, the local clusters' fake nodes and the
 * capacity rule of the policy packs read the same description.
 */
import { Allocatable, instanceShape, kubernetesNodeAllocatable, unknownInstanceTypeHint } from "./instanceTypes";

/** Extended resource name of NVIDIA GPUs (device plugin). */
export const GPU_RESOURCE = "nvidia.com/gpu";

/** Label every node carries with the name of its pool. */
export const NODE_POOL_LABEL = "ai-platform.io/node-pool";

/** Well-known node labels the topology spread of replicas uses: the node itself and its zone. */
export const HOSTNAME_TOPOLOGY_KEY = "kubernetes.io/hostname";
export const ZONE_TOPOLOGY_KEY = "topology.kubernetes.io/zone";

/**
 * How GPU pods find the GPU pool: its label value and its taint (only pods that tolerate it
 * land on GPU nodes).
 */
export const GPU_NODE_POOL = {
    labelKey: NODE_POOL_LABEL,
    labelValue: "gpu",
    taintKey: GPU_RESOURCE,
    taintValue: "true",
    /** GPUs each inference pod asks for. */
    gpusPerPod: 1,
} as const;

export type NodePoolName = "general" | "gpu";

/** One pool as a stack configures it (the `generalNode*`, `gpuNode*` and `swarmWorker*` keys). */
export interface NodePoolConfig {
    instanceType: string;
    minSize: number;
    desiredSize: number;
    maxSize: number;
}

/** What a stack sizes at tier 2+: its node pools and its managed data services. */
export interface KubernetesTierSizes {
    /** Tier 2+ node groups (seed 002 section 3.3: general 3-10, gpu 0-3). Keys: `generalNode*`, `gpuNode*`. */
    generalNodes: NodePoolConfig;
    gpuNodes: NodePoolConfig;
    /** Managed PostgreSQL and Redis at tier 2+. Keys: `databaseInstanceClass`, `databaseStorageGb`, `databaseReadReplicas`, `cacheNodeType`, `cacheNodes`. */
    databaseInstanceClass: string;
    databaseStorageGb: number;
    databaseReadReplicas: number;
    cacheNodeType: string;
    cacheNodes: number;
}

/** The part of a stack's configuration that sizes its Kubernetes node pools. */
export interface NodePoolsConfig {
    compute: { generalNodes: NodePoolConfig; gpuNodes: NodePoolConfig };
}

/**
 * Root volume of every node of a pool, GiB: it holds the images, the logs and the pods' emptyDirs
 * (caches such as downloaded models), so it is the node's ephemeral storage. The EKS launch
 * templates and the capacity checks read it.
 */
export const NODE_ROOT_VOLUME_GB: Record<NodePoolName, number> = { general: 50, gpu: 200 };

/** Root volume EKS gives a node when neither the node group nor a launch template sizes it, GiB. */
export const EKS_DEFAULT_ROOT_VOLUME_GB = 20;

export interface NodeTaint {
    key: string;
    value?: string;
    effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export interface NodePoolSpec {
    name: NodePoolName;
    instanceType: string;
    /** Nodes the pool starts with (its desired size; no cluster autoscaler is declared). */
    nodes: number;
    minNodes: number;
    maxNodes: number;
    labels: Record<string, string>;
    taints: NodeTaint[];
    /** Root volume of each node, GiB (its ephemeral storage). */
    rootVolumeGb: number;
    /** What one node offers to pods; undefined when the instance type is not in the table. */
    allocatable?: Allocatable;
}

function poolSpec(name: NodePoolName, config: NodePoolConfig): NodePoolSpec {
    const shape = instanceShape(config.instanceType);
    return {
        name,
        instanceType: config.instanceType,
        nodes: config.desiredSize,
        minNodes: config.minSize,
        maxNodes: config.maxSize,
        labels: { [NODE_POOL_LABEL]: name },
        taints: name === "gpu" ? [{ key: GPU_NODE_POOL.taintKey, value: GPU_NODE_POOL.taintValue, effect: "NoSchedule" }] : [],
        rootVolumeGb: NODE_ROOT_VOLUME_GB[name],
        ...(shape ? { allocatable: kubernetesNodeAllocatable(shape, NODE_ROOT_VOLUME_GB[name]) } : {}),
    };
}

/** The pools of every regional cluster of the stack (the same in each region). */
export function nodePoolsOf(config: NodePoolsConfig): NodePoolSpec[] {
    return [poolSpec("general", config.compute.generalNodes), poolSpec("gpu", config.compute.gpuNodes)];
}

/** Why a pool's capacity cannot be computed, or undefined. */
export function poolCapacityProblem(pool: NodePoolSpec): string | undefined {
    return pool.allocatable ? undefined : `node pool "${pool.name}": ${unknownInstanceTypeHint(pool.instanceType)}`;
}
