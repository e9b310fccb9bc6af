import { StackValidationPolicy } from "@pulumi/policy";
import { regionOf } from "../../../../cost";
import { nodeCountOf } from "../../../../cost";
import { DEFAULT_MAX_NODES, DEFAULT_REGION, maxNodesPerRegionSchema } from "../../config";

/**
 * Each region runs its own cluster, and maxNodes bounds one cluster. A fleet without a region tag
 * counts in the stack's primary region (`defaultRegion`), as the cost model counts it, so this
 * pack and cost-caps' worst-case-nodes-within-max-nodes name the same region for the same fleet.
 * Every fleet of a region over the bound is reported on its own resource.
 */
export const nodeCapacityWithinMaxNodes: StackValidationPolicy = {
    name: "node-capacity-within-max-nodes",
    description:
        "In every region (the region tag, else the stack's primary region from defaultRegion), the sum of autoscaling group maxSize, EKS node group scalingConfig.maxSize and 1 per standalone EC2 instance is <= maxNodes (policy config, default 20 from seed 002 section 7.1; one cluster per region, so the bound is per region); each fleet of a region above it is reported.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["autoscaling bounds", "cost"],
    configSchema: maxNodesPerRegionSchema,
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<{ maxNodes?: number; defaultRegion?: string }>();
        const maxNodes = config.maxNodes ?? DEFAULT_MAX_NODES;
        const defaultRegion = config.defaultRegion ?? DEFAULT_REGION;
        const byRegion = new Map<string, Array<{ name: string; urn: string; nodes: number }>>();
        for (const r of args.resources) {
            const nodes = nodeCountOf(r)?.worstCase ?? 0;
            if (nodes > 0) {
                const region = regionOf(r, defaultRegion);
                byRegion.set(region, [...(byRegion.get(region) ?? []), { name: r.name, urn: r.urn, nodes }]);
            }
        }
        for (const [region, fleets] of byRegion) {
            const total = fleets.reduce((sum, c) => sum + c.nodes, 0);
            if (total <= maxNodes) continue;
            const largest = [...fleets].sort((a, b) => b.nodes - a.nodes);
            const summary = largest.slice(0, 5).map((c) => `${c.name} ${c.nodes}`).join(", ");
            for (const fleet of largest) {
                reportViolation(
                    `${fleet.name} can scale to ${fleet.nodes} node(s) in region ${region}, where the fleets add up to ${total}, above maxNodes ${maxNodes} (largest: ${summary}): ` +
                        `lower the max sizes of autoscaling groups / node groups.`,
                    fleet.urn,
                );
            }
        }
    },
};
