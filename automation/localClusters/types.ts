/**
 * Plain-data shapes of the local clusters: what to start (one cluster per region, fake nodes
 * shaped like the stack's node pools) and what is recorded about what was started.
 */

export type TaintEffect = "NoSchedule" | "PreferNoSchedule" | "NoExecute";

export interface FakeNodeTaint {
    key: string;
    value?: string;
    effect: TaintEffect;
}

/** One node pool, played by `count` fake nodes (kwok) of the same shape. */
export interface FakeNodePool {
    /** Pool name: part of each node's name (`<name>-<i>`); must be a DNS label. */
    name: string;
    count: number;
    /** Capacity and allocatable of each node, as Kubernetes quantities ("8", "32Gi"). */
    cpu: string;
    memory: string;
    /** Pod capacity per node (default 110). */
    pods?: number;
    /** `nvidia.com/gpu` capacity per node (none when 0 or absent). */
    gpus?: number;
    /** `ephemeral-storage` capacity per node, a quantity ("44Gi"; default 100Gi). */
    ephemeralStorage?: string;
    /** Extra node labels, e.g. `{ "ai-platform/pool": "general" }`. */
    labels?: Record<string, string>;
    taints?: FakeNodeTaint[];
    /** `node.kubernetes.io/instance-type` (default "kwok.<cpu>cpu-<memory>"). */
    instanceType?: string;
}

export interface LocalClusterSpec {
    /** Region name: the kubeconfig context, the `topology.kubernetes.io/region` label and the cluster's directory. */
    region: string;
    nodePools: FakeNodePool[];
    /** Zones the nodes of each pool are spread over, round-robin (default `<region>a`, `<region>b`, `<region>c`). */
    zones?: string[];
    /** StorageClass the cluster setup creates (default "encrypted"); PVCs of it bind to hostPath volumes. */
    storageClassName?: string;
    /** IngressClass the cluster setup creates (default "nginx"); Ingresses get a load-balancer address. */
    ingressClassName?: string;
}

/** Absolute paths of the binaries (automation/localClusters/toolchain.ts reads them from the toolchain's env.json). */
export interface LocalClusterBinaries {
    kubeApiserver: string;
    kubeControllerManager: string;
    kubeScheduler: string;
    etcd: string;
    kwok: string;
    /** kwok stage files for nodes and pods (the toolchain's copies of kwok's defaults). */
    kwokStages: string[];
}

export interface StartOptions {
    /** State directory: one sub-directory per cluster, `state.json`, the PKI and the logs. */
    dir: string;
    clusters: LocalClusterSpec[];
    /** Where the kubeconfig with one context per region is written (mode 0600). */
    kubeconfigPath: string;
    binaries: LocalClusterBinaries;
    log?: (line: string) => void;
    /** How long to wait for each cluster's apiserver and nodes (default 120 s). */
    readyTimeoutMs?: number;
}

export type ProcessName = "etcd" | "kube-apiserver" | "kube-controller-manager" | "kube-scheduler" | "kwok";

export const PROCESS_NAMES: readonly ProcessName[] = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"];

export interface ProcessRecord {
    pid: number;
    /** Start time of the process in clock ticks since boot (/proc/<pid>/stat field 22): tells a reused pid apart. */
    startTicks: number;
    binary: string;
    args: string[];
    logFile: string;
    startedAt: string;
}

export interface ClusterPorts {
    apiserver: number;
    etcdClient: number;
    etcdPeer: number;
    controllerManager: number;
    scheduler: number;
}

export interface ClusterRecord {
    region: string;
    dir: string;
    ports: ClusterPorts;
    /** `https://127.0.0.1:<port>` */
    server: string;
    /** Pod IP range kwok hands out. */
    podCidr: string;
    processes: Partial<Record<ProcessName, ProcessRecord>>;
    spec: LocalClusterSpec;
    createdAt: string;
    /** Set by the last start that saw the cluster ready. */
    readyAt?: string;
}

export interface StateFile {
    version: 1;
    clusters: Record<string, ClusterRecord>;
}

export interface ProcessStatus {
    name: ProcessName;
    pid: number;
    running: boolean;
    /** Resident memory in bytes (0 when not running). */
    rssBytes: number;
    logFile: string;
}

export interface ClusterStatus {
    region: string;
    dir: string;
    server: string;
    ports: ClusterPorts;
    /** Every process alive and the apiserver answering /readyz. */
    running: boolean;
    processes: ProcessStatus[];
    /** Nodes known to the apiserver, and how many are Ready (undefined when the apiserver does not answer). */
    nodes?: { total: number; ready: number };
    rssBytes: number;
}

export interface StartedCluster {
    region: string;
    /** "started" (new or restarted) or "running" (already running: reported, not duplicated). */
    outcome: "started" | "running";
    server: string;
    ports: ClusterPorts;
    /** Time from the first process start to ready nodes (0 when already running). */
    startMs: number;
    nodes: number;
}

export interface StartResult {
    kubeconfigPath: string;
    clusters: StartedCluster[];
}
