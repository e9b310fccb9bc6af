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
    /** HTTP path for liveness/readiness probes, if the service has one. */
    healthPath?: string;
    /** Placement per tier; every tier 0-3 has an entry. */
    tiers: Record<Tier, TierPlacement>;
}

export interface ServiceCatalog {
    /** Name of the catalog, shown in reports. */
    name: string;
    services: ServiceDefinition[];
}
