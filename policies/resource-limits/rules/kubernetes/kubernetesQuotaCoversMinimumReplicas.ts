import { StackValidationPolicy } from "@pulumi/policy";
import { podGroupsAtMinimum, quotaShortfalls } from "../../../shared/capacity";
import { kubeObjectsOf } from "../../../shared/kubernetes";

/**
 * A quota smaller than the workloads' minimum makes the API server refuse their pods
 * ("exceeded quota"); this finds it before the admission controller does.
 */
export const kubernetesQuotaCoversMinimumReplicas: StackValidationPolicy = {
    name: "kubernetes-quota-covers-minimum-replicas",
    description: "Every ResourceQuota's hard pods, requests.cpu, requests.memory and requests.nvidia.com/gpu cover the requests of the pods its namespace's Deployments and StatefulSets run at their minimum replicas.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["admission", "multi-tenancy"],
    validateStack: (args, reportViolation) => {
        const objects = kubeObjectsOf(args.resources);
        for (const s of quotaShortfalls(podGroupsAtMinimum(objects), objects)) {
            const figure = (n: number) => (s.resource === "requests.memory" || s.resource === "requests.ephemeral-storage" ? `${(n / 2 ** 30).toFixed(2)} GiB` : String(Math.round(n * 1000) / 1000));
            reportViolation(
                `ResourceQuota ${s.quota} in namespace ${s.namespace} allows ${s.resource} ${figure(s.hard)}, but the namespace's workloads need ${figure(s.needed)} at their minimum replicas: ` +
                    `the API server would refuse pods. Raise the quota or lower the requests or minimum replicas.`,
                s.urn,
            );
        }
    },
};
