import { StackValidationPolicy } from "@pulumi/policy";
import { costCapsConfig, costCapsSchema, estimateStack } from "./costConfig";

/**
 * Severity: high. Topics: cost, autoscaling bounds (seed 002 section 7.1: max 20 nodes).
 */
export const worstCaseNodesWithinMaxNodes: StackValidationPolicy = {
    name: "worst-case-nodes-within-max-nodes",
    description:
        "In every region, the cost model's worst-case EC2 node count (instances + autoscaling group maxSize + node group maxSize) is at most maxNodes (policy config, default 20 from seed 002 section 7.1; each region runs its own cluster, so the bound is per region).",
    enforcementLevel: "advisory",
    severity: "high",
    configSchema: costCapsSchema,
    validateStack: (args, reportViolation) => {
        const config = costCapsConfig(args);
        const estimate = estimateStack(args, config);
        for (const [region, nodes] of Object.entries(estimate.nodesByRegion)) {
            if (nodes.worstCase <= config.maxNodes) {
                continue;
            }
            const fleets = estimate.lines
                .filter((l) => l.region === region && l.unit === "hour" && l.quantityWorstCase > 0 && /instance|autoscaling\/group|nodeGroup/.test(l.type))
                .sort((a, b) => b.quantityWorstCase - a.quantityWorstCase)
                .slice(0, 3)
                .map((l) => `${l.name} up to ${l.quantityWorstCase}`);
            reportViolation(`Region ${region} can scale to ${nodes.worstCase} nodes, above maxNodes ${config.maxNodes} (largest fleets: ${fleets.join(", ")}): lower the maximum sizes.`);
        }
    },
};
