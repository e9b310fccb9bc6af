import { StackValidationPolicy } from "@pulumi/policy";
import { formatRequests, placePods, podGroupsAtMinimum } from "../../../shared/capacity";
import { kubeObjectsOf } from "../../../shared/kubernetes";
import { ConfiguredPool, nodePoolsSchema, nodesOfStack } from "../../nodePools";

/**
 * What a real scheduler would leave Pending, found before any cluster sees the workloads: the
 * pods of every Deployment and StatefulSet at their minimum, with their node selectors and
 * tolerations, placed on the nodes of the region's pools (allocatable CPU, memory, GPUs, pods).
 */
export const kubernetesPodsFitNodePools: StackValidationPolicy = {
    name: "kubernetes-pods-fit-node-pools",
    description:
        "In every region, the pods of the Deployments and StatefulSets at their minimum replicas (an HPA's minReplicas where one targets them) fit on the nodes of the node pools (EKS node groups at their desired size, else the nodePools policy config): node selectors, taints and tolerations, allocatable CPU, memory, GPUs and pod slots.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["capacity", "scheduling"],
    configSchema: nodePoolsSchema,
    validateStack: (args, reportViolation) => {
        const groups = podGroupsAtMinimum(kubeObjectsOf(args.resources));
        if (groups.length === 0) return;
        const nodes = nodesOfStack(args.resources, args.getConfig<{ nodePools?: ConfiguredPool[] }>().nodePools);
        if (nodes.unknownTypes.length > 0) {
            reportViolation(`Cannot size the node pools ${nodes.unknownTypes.join(", ")}: add the instance types to contract/instanceTypes.ts (vCPUs, memory, GPUs, max pods).`);
        }
        if (nodes.source === "none") {
            reportViolation("The stack declares workloads but no node pools (no EKS node group, no nodePools policy config): the capacity of their cluster cannot be checked.");
            return;
        }
        const regions = new Set(groups.map((g) => g.region ?? ""));
        for (const region of regions) {
            const slots = nodes.byRegion.get(region) ?? nodes.byRegion.get("") ?? [];
            const inRegion = groups.filter((g) => (g.region ?? "") === region);
            const result = placePods(inRegion, slots);
            for (const u of result.unplaced) {
                reportViolation(
                    `${u.group.workload}${region ? ` in ${region}` : ""}: ${u.pods} of ${u.group.count} pod(s) at minimum replicas (${formatRequests(u.group.requests)} each) fit on no node (${u.reason}); ` +
                        `the region's ${slots.length} node(s) offer ${formatRequests(result.allocatable)} for ${formatRequests(result.requested)} requested. ` +
                        `Add nodes or larger instance types to the pool, or lower the requests or minimum replicas.`,
                    u.group.urn,
                );
            }
        }
    },
};
