import { ResourceValidationPolicy } from "@pulumi/policy";
import { k8s } from "../../../shared/resourceClasses";
import { objectName } from "../../../shared/kubernetes";
import { read } from "../../../shared/props";
import { typeTokens } from "../../../shared/types";

const PDB_TYPES = typeTokens(k8s.policy.v1.PodDisruptionBudget, k8s.policy.v1beta1.PodDisruptionBudget);

/**
 * With the default policy (IfHealthyBudget) a running pod that is not ready counts against the
 * budget: one crash-looping pod of a service spends it, and every drain of its node (a node group
 * upgrade, a scale-in) waits for it forever. AlwaysAllow lets the eviction API take such pods.
 */
export const kubernetesPdbsAlwaysAllowUnhealthyPodEviction: ResourceValidationPolicy = {
    name: "kubernetes-pdbs-always-allow-unhealthy-pod-eviction",
    description: "Every PodDisruptionBudget (policy/v1, policy/v1beta1) sets spec.unhealthyPodEvictionPolicy: AlwaysAllow, so pods that run but are not ready never block a node drain.",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["node drains", "upgrades"],
    validateResource: (args, reportViolation) => {
        if (!PDB_TYPES.has(args.type)) {
            return;
        }
        const policy = read(args.props, "spec", "unhealthyPodEvictionPolicy");
        if (policy !== "AlwaysAllow") {
            reportViolation(
                `PodDisruptionBudget ${objectName(args.props, args.name)} has unhealthyPodEvictionPolicy ${policy === undefined ? "unset (IfHealthyBudget)" : JSON.stringify(policy)}: ` +
                    `a crash-looping pod would block every drain of its node. Set spec.unhealthyPodEvictionPolicy: AlwaysAllow.`,
            );
        }
    },
};
