/**
 * Configuration of the resource-limits rules: figures a stack sets through policy config.
 */
import { PolicyConfigSchema } from "@pulumi/policy";
import { COST_CONTROLS, REGIONS } from "../../contract/seedFigures";

/** Seed 002 section 7.1: auto_scaling_limits.max_nodes. */
export const DEFAULT_MAX_NODES = COST_CONTROLS.maxNodes;
/** Region of resources without a region tag, unless the policy config names the stack's primary region. */
export const DEFAULT_REGION = REGIONS.primary;
/** Default per-container maxima (one node's worth of a general-pool instance). */
export const DEFAULT_MAX_CONTAINER_CPU = "4";
export const DEFAULT_MAX_CONTAINER_MEMORY = "8Gi";

export const maxNodesSchema: PolicyConfigSchema = {
    properties: { maxNodes: { type: "integer", minimum: 1, default: DEFAULT_MAX_NODES, description: "Most nodes (and replicas of one HPA) the stack may scale to." } },
};

/** maxNodes per region, and the region untagged fleets count in. */
export const maxNodesPerRegionSchema: PolicyConfigSchema = {
    properties: {
        ...maxNodesSchema.properties,
        defaultRegion: { type: "string", default: DEFAULT_REGION, description: "Region of resources without a region tag (the stack's primary region), as the cost-caps pack counts them." },
    },
};

export const containerMaximaSchema: PolicyConfigSchema = {
    properties: {
        maxContainerCpu: { type: "string", default: DEFAULT_MAX_CONTAINER_CPU, description: "Largest CPU limit of one container (Kubernetes quantity)." },
        maxContainerMemory: { type: "string", default: DEFAULT_MAX_CONTAINER_MEMORY, description: "Largest memory limit of one container (Kubernetes quantity)." },
    },
};
