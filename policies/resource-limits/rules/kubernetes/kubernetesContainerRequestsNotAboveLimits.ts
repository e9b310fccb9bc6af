import { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, isWorkloadType } from "../../../shared/kubernetes";
import { read } from "../../../shared/props";
import { tryParseQuantity } from "../../../../contract/quantities";

export const kubernetesContainerRequestsNotAboveLimits: ResourceValidationPolicy = {
    name: "kubernetes-container-requests-not-above-limits",
    description:
        "For every container and init container of a Kubernetes workload that sets both, requests.cpu <= limits.cpu, requests.memory <= limits.memory and requests.ephemeral-storage <= limits.ephemeral-storage (parsed as Kubernetes quantities).",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["resource limits (Kubernetes rejects such pods at admission)"],
    validateResource: (args, reportViolation) => {
        if (!isWorkloadType(args.type)) {
            return;
        }
        for (const { name, container } of containersOf(args.type, args.props)) {
            for (const figure of ["cpu", "memory", "ephemeral-storage"]) {
                const requestText = read(container, "resources", "requests", figure);
                const limitText = read(container, "resources", "limits", figure);
                const request = tryParseQuantity(requestText);
                const limit = tryParseQuantity(limitText);
                if (request !== undefined && limit !== undefined && request > limit) {
                    reportViolation(`Container ${name} requests ${figure} ${requestText}, more than its limit ${limitText}: lower the request or raise the limit.`);
                }
            }
        }
    },
};
