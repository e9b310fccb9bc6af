import { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, isWorkloadType } from "../../../shared/kubernetes";
import { isSet } from "../../../shared/props";

const FIGURES = [
    ["requests", "cpu"],
    ["requests", "memory"],
    ["limits", "cpu"],
    ["limits", "memory"],
] as const;

/**
 * Severity: high. Topics: resource limits, scheduling, noisy neighbours.
 */
export const containersHaveRequestsAndLimits: ResourceValidationPolicy = {
    name: "kubernetes-containers-have-requests-and-limits",
    description:
        "Every container and init container of a Deployment, StatefulSet, DaemonSet (apps/v1), Job, CronJob (batch/v1) or Pod (core/v1) sets resources.requests.cpu, resources.requests.memory, resources.limits.cpu and resources.limits.memory.",
    enforcementLevel: "advisory",
    severity: "high",
    validateResource: (args, reportViolation) => {
        if (!isWorkloadType(args.type)) {
            return;
        }
        for (const { kind, name, container } of containersOf(args.type, args.props)) {
            const missing = FIGURES.filter(([group, figure]) => !isSet(container, "resources", group, figure)).map(([g, f]) => `${g}.${f}`);
            if (missing.length > 0) {
                reportViolation(`${kind === "initContainers" ? "Init container" : "Container"} ${name} has no resources.${missing.join(", resources.")}: set CPU and memory requests and limits (from the service catalog).`);
            }
        }
    },
};
