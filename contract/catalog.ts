/**
 * Types of the service catalog: the platform's services as data that every tier reads.
 * A user can swap in their own catalog by passing another `ServiceCatalog` to the program.
 */

/** The four scaling tiers (seed 002, section 3). */
export type Tier = 0 | 1 | 2 | 3;
export const TIERS: readonly Tier[] = [0, 1, 2, 3];

/**
 * stateless: replicated freely behind a load balancer (Deployment, swarm replicas);
 * stateful: needs stable storage and identity (StatefulSet, managed service at tier 2+);
 * gpu: inference that wants the GPU node pool from tier 2 on.
 */
export type ServiceKind = "stateless" | "stateful" | "gpu";

/** Kubernetes-style quantities: cpu in cores ("500m", "2"), memory in bytes units ("256Mi", "2Gi"). */
export interface ResourceFigures {
    cpu: string;
    memory: string;
}

export interface ContainerResources {
    requests: ResourceFigures;
    limits: ResourceFigures;
}

/** Horizontal autoscaling bounds and thresholds (seed 002 section 3.3 and 4.1, seed 001 behaviour). */
export interface AutoscalingSpec {
    minReplicas: number;
    maxReplicas: number;
    /** Target average CPU utilisation, percent. */
    cpuUtilization: number;
    /** Target average memory utilisation, percent. */
    memoryUtilization: number;
    /** Stabilisation window before scaling up, seconds. */
    scaleUpWindowSeconds: number;
    /** Stabilisation window before scaling down (the cooldown), seconds. */
    scaleDownWindowSeconds: number;
}

/**
 * A path the container writes to while its root filesystem is read-only: an `emptyDir` of at most
 * `sizeLimit` mounted there (e.g. /tmp, a socket or log directory the image writes).
 */
export interface WritablePath {
    /** Absolute path inside the container, e.g. "/tmp". */
    path: string;
    /** Most the directory may hold (the emptyDir's sizeLimit), e.g. "1Gi". */
    sizeLimit: string;
}

/**
 * Node-local disk one container uses (Kubernetes `ephemeral-storage`): its writable paths, its
 * logs and, for Deployments, the emptyDir its `storage` becomes. The scheduler reserves the
 * request on a node; the kubelet evicts a pod whose use passes the sum of its limits.
 */
export interface EphemeralStorageSpec {
    /** What the container normally uses, e.g. "512Mi". */
    request: string;
    /** Most it may use: at least the sum of its emptyDirs' size limits, e.g. "2Gi". */
    limit: string;
}

/**
 * How the kubelet tells a working container from one that only runs. Readiness gates traffic
 * (`healthPath`, else `readinessCommand`, else a TCP connect to the first port); liveness restarts
 * a wedged process and checks something different and cheaper (`livenessPath`, else a TCP connect
 * to the first port), so a slow dependency takes pods out of traffic without restarting them.
 */
export interface ProbeSpec {
    /**
     * Command run in the container that succeeds when the service takes traffic, for services
     * without an HTTP health endpoint (e.g. ["pg_isready", "-h", "127.0.0.1"]).
     */
    readinessCommand?: string[];
    /** HTTP path on the first port that answers as long as the process serves at all (liveness). */
    livenessPath?: string;
    /**
     * Longest time the service may take to start, seconds (model loading, joining a cluster): a
     * startup probe holds liveness and readiness off until the liveness check first passes.
     */
    startupSeconds?: number;
}

export interface StorageSpec {
    /** Persistent volume size, e.g. "50Gi". */
    size: string;
    /** Path mounted inside the container. */
    mountPath: string;
}

/** Per-tier placement of one service. */
export interface TierPlacement {
    /** Replicas (tier 0: always 1 host copy; tier 1: swarm replicas; tier 2+: initial/minimum replicas). */
    replicas: number;
    /** Autoscaling at tier 2+; absent means a fixed replica count. */
    autoscaling?: AutoscalingSpec;
    /**
     * Where a stateful service runs from this tier on: "container" (compose/swarm/StatefulSet)
     * or "managed" (a managed cloud service replaces the container, e.g. RDS, ElastiCache).
     */
    runsAs?: "container" | "managed";
    /**
     * Requests/limits at this tier when they differ from the service's `resources` (e.g. the
     * single host of tier 0 reserves more CPU than a Kubernetes request); see `resourcesAt`.
     */
    resources?: ContainerResources;
}

export interface ServiceDefinition {
    /** DNS-safe name used for containers, Deployments and Services. */
    name: string;
    /** What the service is, for humans reading reports. */
    description: string;
    image: string;
    ports: number[];
    kind: ServiceKind;
    /** Grouping used in reports: core, application, llm, agents, vector, monitoring. */
    group: "core" | "application" | "llm" | "agents" | "vector" | "monitoring";
    resources: ContainerResources;
    storage?: StorageSpec;
    /**
     * HTTP path on the first port that answers 200 when the service takes traffic (readiness
     * probe, load balancer and global health checks), if the service has one.
     */
    healthPath?: string;
    /** Liveness and startup checks besides `healthPath` (see ProbeSpec); absent: liveness is a TCP connect. */
    probes?: ProbeSpec;
    /**
     * Paths the image writes to: each becomes an emptyDir (with its size limit) under a read-only
     * root filesystem. `storage.mountPath` is writable as well and is not repeated here. Every
     * service lists them, an empty list when it writes nowhere else.
     */
    writablePaths: WritablePath[];
    /** Node-local disk of one container at tier 2+ (requests and limits of `ephemeral-storage`). */
    ephemeralStorage: EphemeralStorageSpec;
    /** Placement per tier; every tier 0-3 has an entry. */
    tiers: Record<Tier, TierPlacement>;
}

export interface ServiceCatalog {
    /** Name of the catalog, shown in reports. */
    name: string;
    services: ServiceDefinition[];
}

/** The requests and limits a service runs with at a tier (the tier's override, else the service's). */
export function resourcesAt(service: ServiceDefinition, tier: Tier): ContainerResources {
    return service.tiers[tier]?.resources ?? service.resources;
}
