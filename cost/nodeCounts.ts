/**
 * EC2 nodes a resource runs, read from its sizes alone (instance = 1, autoscaling group
 * desiredCapacity/maxSize, node group scalingConfig). Counted independently of pricing, so a
 * fleet whose instance type cannot be found (its launch template id is unknown during preview)
 * still counts towards maxNodes.
 */
import { numberAt } from "../contract/resourceProps";
import type { CostResource, NodeCount } from "./types";

export const INSTANCE_TYPE = "aws:ec2/instance:Instance";
const AUTOSCALING_GROUP_TYPE = "aws:autoscaling/group:Group";
const NODE_GROUP_TYPE = "aws:eks/nodeGroup:NodeGroup";

/** Types that run EC2 nodes. */
export const NODE_TYPES: ReadonlySet<string> = new Set([INSTANCE_TYPE, AUTOSCALING_GROUP_TYPE, NODE_GROUP_TYPE]);

/**
 * Types whose price is mostly compute by the hour: EC2 nodes, managed databases and caches, the
 * EKS control plane, and Kubernetes workloads (priced by their requests where no priced nodes run
 * them). When one of them cannot be priced, the hourly worst case is a lower bound of unknown gap.
 */
export const COMPUTE_TYPES: ReadonlySet<string> = new Set([
    ...NODE_TYPES,
    "aws:rds/instance:Instance",
    "aws:rds/clusterInstance:ClusterInstance",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:elasticache/cluster:Cluster",
    "aws:eks/cluster:Cluster",
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:core/v1:Pod",
]);

/**
 * Nodes in the expected case (desired size) and worst case (max size, never below desired);
 * undefined for types that run no nodes. An unknown max size falls back to the desired size.
 */
export function nodeCountOf(resource: CostResource): NodeCount | undefined {
    const props = resource.props;
    const bounded = (desired: number, max: number | undefined): NodeCount => ({ expected: desired, worstCase: Math.max(desired, max ?? desired) });
    switch (resource.type) {
        case INSTANCE_TYPE:
            return { expected: 1, worstCase: 1 };
        case AUTOSCALING_GROUP_TYPE:
            return bounded(numberAt(props, "desiredCapacity") ?? numberAt(props, "minSize") ?? 0, numberAt(props, "maxSize"));
        case NODE_GROUP_TYPE:
            return bounded(numberAt(props, "scalingConfig", "desiredSize") ?? 0, numberAt(props, "scalingConfig", "maxSize"));
        default:
            return undefined;
    }
}
