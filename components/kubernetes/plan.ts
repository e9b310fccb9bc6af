/**
 * Decides, per catalog service, which Kubernetes shape it takes at a tier. Pure: the
 * component and the tests read the same answer.
 */
import { ServiceCatalog, ServiceDefinition, Tier, TierPlacement } from "../../contract/catalog";

/**
 * deployment: stateless services; gpu: a Deployment pinned to the GPU node pool;
 * statefulSet: stateful stores running in the cluster; managed: replaced by a managed cloud
 * service at this tier (nothing is declared in the cluster).
 */
export type WorkloadShape = "deployment" | "gpu" | "statefulSet" | "managed";

export interface PlannedWorkload {
    service: ServiceDefinition;
    placement: TierPlacement;
    shape: WorkloadShape;
}

/** What the cluster around the workloads offers. */
export interface ClusterOffer {
    /**
     * false on clusters without a cloud around them (platform kubernetes): stores that the
     * catalog puts on managed services then run as StatefulSets.
     */
    managedServicesAvailable: boolean;
    /**
     * true when the GPU node pool keeps at least one node (its minimum is 1 or more). Nothing
     * scales a pool up from zero here (no cluster autoscaler is declared), so with no GPU node a
     * GPU workload runs on the general pool's CPUs instead of waiting forever for a GPU.
     */
    gpuNodesAvailable: boolean;
}

export function workloadShape(service: ServiceDefinition, tier: Tier, offer: ClusterOffer): WorkloadShape {
    const placement = service.tiers[tier];
    switch (service.kind) {
        case "stateless":
            return "deployment";
        case "gpu":
            return offer.gpuNodesAvailable ? "gpu" : "deployment";
        case "stateful":
            return placement.runsAs === "managed" && offer.managedServicesAvailable ? "managed" : "statefulSet";
    }
}

export function planWorkloads(catalog: ServiceCatalog, tier: Tier, offer: ClusterOffer): PlannedWorkload[] {
    if (tier < 2) {
        throw new Error(`Kubernetes workloads start at tier 2 (got tier ${tier}); tiers 0-1 run docker compose / swarm`);
    }
    return catalog.services.map((service) => {
        const placement = service.tiers[tier];
        if (!placement) {
            throw new Error(`catalog service "${service.name}" has no placement for tier ${tier}: add tiers.${tier} to its entry`);
        }
        return { service, placement, shape: workloadShape(service, tier, offer) };
    });
}

/** Replicas the workload can reach at most (HPA max, else its fixed count). */
export function maxReplicas(workload: PlannedWorkload): number {
    return workload.placement.autoscaling?.maxReplicas ?? workload.placement.replicas;
}
