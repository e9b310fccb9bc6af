import { costCapsRule } from "./costConfig";

/**
 * Severity: high. Topics: cost, autoscaling bounds (seed 002 section 7.1: max 20 nodes).
 * Nodes are counted from the fleets' sizes, also for fleets the cost model could not price.
 */
export const worstCaseNodesWithinMaxNodes = costCapsRule(
    {
        name: "worst-case-nodes-within-max-nodes",
        description:
            "In every region, the cost model's worst-case EC2 node count (instances + autoscaling group maxSize + node group maxSize, priced or not) is at most maxNodes (policy config, default 20 from seed 002 section 7.1; each region runs its own cluster, so the bound is per region).",
        severity: "high",
    },
    (estimate, config, reportViolation) => {
        for (const [region, nodes] of Object.entries(estimate.nodesByRegion)) {
            if (nodes.worstCase <= config.maxNodes) {
                continue;
            }
            const fleets = estimate.fleets
                .filter((f) => f.region === region && f.nodes.worstCase > 0)
                .sort((a, b) => b.nodes.worstCase - a.nodes.worstCase)
                .slice(0, 3)
                .map((f) => `${f.name} up to ${f.nodes.worstCase}`);
            reportViolation(`Region ${region} can scale to ${nodes.worstCase} nodes, above maxNodes ${config.maxNodes} (largest fleets: ${fleets.join(", ")}): lower the maximum sizes.`);
        }
    },
);
