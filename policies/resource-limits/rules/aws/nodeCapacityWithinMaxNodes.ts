import { aws } from "../../../shared/resourceClasses";
import { StackValidationPolicy } from "@pulumi/policy";
import { read, regionOf } from "../../../shared/props";
import { typeToken } from "../../../shared/types";
import { DEFAULT_MAX_NODES, maxNodesSchema } from "../config";

/** Most nodes one resource can run: ASG maxSize, node group scalingConfig.maxSize, 1 per instance. */
function maxNodesOf(resource: { type: string; props: Record<string, any> }): number {
    if (resource.type === typeToken(aws.autoscaling.Group)) {
        return Number(read(resource.props, "maxSize") ?? 0);
    }
    if (resource.type === typeToken(aws.eks.NodeGroup)) {
        return Number(read(resource.props, "scalingConfig", "maxSize") ?? 0);
    }
    return resource.type === typeToken(aws.ec2.Instance) ? 1 : 0;
}

/**
 * Severity: high. Topics: autoscaling bounds, cost.
 */
export const nodeCapacityWithinMaxNodes: StackValidationPolicy = {
    name: "node-capacity-within-max-nodes",
    description:
        "In every region (the region tag; untagged resources count together), the sum of autoscaling group maxSize, EKS node group scalingConfig.maxSize and 1 per standalone EC2 instance is <= maxNodes (policy config, default 20 from seed 002 section 7.1; one cluster per region, so the bound is per region).",
    enforcementLevel: "advisory",
    severity: "high",
    configSchema: maxNodesSchema,
    validateStack: (args, reportViolation) => {
        const maxNodes = args.getConfig<{ maxNodes?: number }>().maxNodes ?? DEFAULT_MAX_NODES;
        const byRegion = new Map<string, Array<{ name: string; nodes: number }>>();
        for (const r of args.resources) {
            const nodes = maxNodesOf(r);
            if (nodes > 0) {
                const region = regionOf(r.props) ?? "untagged";
                byRegion.set(region, [...(byRegion.get(region) ?? []), { name: r.name, nodes }]);
            }
        }
        for (const [region, contributors] of byRegion) {
            const total = contributors.reduce((sum, c) => sum + c.nodes, 0);
            if (total > maxNodes) {
                const largest = [...contributors].sort((a, b) => b.nodes - a.nodes).slice(0, 5).map((c) => `${c.name} ${c.nodes}`);
                reportViolation(`Region ${region} can scale to ${total} nodes, above maxNodes ${maxNodes} (largest: ${largest.join(", ")}): lower the max sizes of autoscaling groups / node groups.`);
            }
        }
    },
};
