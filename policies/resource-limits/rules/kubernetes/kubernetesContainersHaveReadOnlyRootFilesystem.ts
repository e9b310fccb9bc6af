import { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, isWorkloadType } from "../../../shared/kubernetes";
import { read } from "../../../shared/props";

/**
 * A read-only root filesystem keeps an intruder from changing the image's binaries and keeps
 * writes where they are accounted: the emptyDirs (with size limits) and volumes the pod mounts.
 */
export const kubernetesContainersHaveReadOnlyRootFilesystem: ResourceValidationPolicy = {
    name: "kubernetes-containers-have-read-only-root-filesystem",
    description:
        "Every container and init container of a Deployment, StatefulSet, DaemonSet (apps/v1), Job, CronJob (batch/v1) or Pod (core/v1) sets securityContext.readOnlyRootFilesystem: true; paths the image writes to are mounted volumes.",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["container hardening", "node disk"],
    validateResource: (args, reportViolation) => {
        if (!isWorkloadType(args.type)) {
            return;
        }
        for (const { kind, name, container } of containersOf(args.type, args.props)) {
            if (read(container, "securityContext", "readOnlyRootFilesystem") !== true) {
                reportViolation(
                    `${kind === "initContainers" ? "Init container" : "Container"} ${name} does not set securityContext.readOnlyRootFilesystem: true: ` +
                        `make its root filesystem read-only and mount an emptyDir with a sizeLimit at each path the image writes to (the catalog's writablePaths).`,
                );
            }
        }
    },
};
