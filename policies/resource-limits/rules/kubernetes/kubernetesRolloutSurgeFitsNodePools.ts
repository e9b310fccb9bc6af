import { StackValidationPolicy } from "@pulumi/policy";
import { formatRequests, podGroupsAtMinimum, stalledRollouts } from "../../../shared/capacity";
import { kubeObjectsOf } from "../../../shared/kubernetes";
import { ConfiguredPool, nodePoolsSchema, nodesOfStack } from "../../nodePools";

/**
 * A rolling update with maxUnavailable 0 keeps every old pod until a new one runs; when the
 * pools have no room for the surge pod (typically the only GPU is held by the old pod), the
 * update waits forever. Found on the local clusters: Ollama's update to tier 3 stayed Pending
 * with "Insufficient nvidia.com/gpu".
 */
export const kubernetesRolloutSurgeFitsNodePools: StackValidationPolicy = {
    name: "kubernetes-rollout-surge-fits-node-pools",
    description:
        "In every region, with every workload at its minimum replicas on the node pools, each Deployment's rolling-update surge pods (maxSurge, default 25 %) still fit somewhere; otherwise the update cannot make progress (use maxSurge 0 and maxUnavailable 1, or add capacity).",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["capacity", "rolling updates"],
    configSchema: nodePoolsSchema,
    validateStack: (args, reportViolation) => {
        const groups = podGroupsAtMinimum(kubeObjectsOf(args.resources));
        if (groups.length === 0) return;
        const nodes = nodesOfStack(args.resources, args.getConfig<{ nodePools?: ConfiguredPool[] }>().nodePools);
        for (const region of new Set(groups.map((g) => g.region ?? ""))) {
            const slots = nodes.byRegion.get(region) ?? nodes.byRegion.get("") ?? [];
            if (slots.length === 0) continue; // no pools known: the capacity rule reports it
            for (const s of stalledRollouts(groups.filter((g) => (g.region ?? "") === region), slots)) {
                reportViolation(
                    `${s.group.workload}${region ? ` in ${region}` : ""}: a rolling update needs ${s.pods} surge pod(s) (${formatRequests(s.group.requests)} each) beside the running ones, and none fits (${s.reason}): ` +
                        `the update would never finish. Set strategy.rollingUpdate maxSurge 0 and maxUnavailable 1 for this workload, or add room to its pool.`,
                    s.group.urn,
                );
            }
        }
    },
};
