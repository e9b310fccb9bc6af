import { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, isWorkloadType } from "../../../shared/kubernetes";
import { isSet } from "../../../shared/props";

const FIGURES = [
    ["requests", "cpu"],
    ["requests", "memory"],
    ["requests", "ephemeral-storage"],
    ["limits", "cpu"],
    ["limits", "memory"],
    ["limits", "ephemeral-storage"],
] as const;

/**
 * Ephemeral storage counts like CPU and memory: without a request the scheduler places pods on
 * nodes whose disks are full, and without a limit one pod's logs or emptyDirs fill its node's
 * disk until the kubelet evicts whatever it picks.
 */
export const kubernetesContainersHaveRequestsAndLimits: ResourceValidationPolicy = {
    name: "kubernetes-containers-have-requests-and-limits",
    description:
        "Every container and init container of a Deployment, StatefulSet, DaemonSet (apps/v1), Job, CronJob (batch/v1) or Pod (core/v1) sets resources.requests and resources.limits of cpu, memory and ephemeral-storage.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["resource limits", "scheduling", "noisy neighbours", "node disk pressure"],
    validateResource: (args, reportViolation) => {
        if (!isWorkloadType(args.type)) {
            return;
        }
        for (const { kind, name, container } of containersOf(args.type, args.props)) {
            const missing = FIGURES.filter(([group, figure]) => !isSet(container, "resources", group, figure)).map(([g, f]) => `${g}.${f}`);
            if (missing.length > 0) {
                reportViolation(
                    `${kind === "initContainers" ? "Init container" : "Container"} ${name} has no resources.${missing.join(", resources.")}: set CPU, memory and ephemeral-storage requests and limits (from the service catalog).`,
                );
            }
        }
    },
};
