import { costCapsRule } from "../costConfig";

/**
 * Seed 002 section 7.1: at most 20 nodes.
 * Nodes are counted from the fleets' sizes, also for fleets the cost model could not price; each
 * fleet of a region over the bound is reported on its own resource, in the region the
 * resource-limits pack's node-capacity-within-max-nodes names as well.
 */
export const worstCaseNodesWithinMaxNodes = costCapsRule(
    {
        name: "worst-case-nodes-within-max-nodes",
        description:
            "In every region, the cost model's worst-case EC2 node count (instances + autoscaling group maxSize + node group maxSize, priced or not) is at most maxNodes (policy config, default 20 from seed 002 section 7.1; each region runs its own cluster, so the bound is per region).",
        severity: "high",
        tags: ["cost", "autoscaling bounds"],
    },
    (estimate, config, reportViolation) => {
        for (const [region, nodes] of Object.entries(estimate.nodesByRegion)) {
            if (nodes.worstCase <= config.maxNodes) {
                continue;
            }
            const fleets = estimate.fleets.filter((f) => f.region === region && f.nodes.worstCase > 0).sort((a, b) => b.nodes.worstCase - a.nodes.worstCase);
            const largest = fleets.slice(0, 3).map((f) => `${f.name} up to ${f.nodes.worstCase}`);
            for (const fleet of fleets) {
                reportViolation(
                    `Region ${region} can scale to ${nodes.worstCase} nodes, above maxNodes ${config.maxNodes} (largest fleets: ${largest.join(", ")}); ${fleet.name} contributes up to ${fleet.nodes.worstCase}: lower the maximum sizes.`,
                    fleet.urn,
                );
            }
        }
    },
);
