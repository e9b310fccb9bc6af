import { ResourceValidationPolicy } from "@pulumi/policy";
import { isWorkloadType, podSpecOf } from "../../../shared/kubernetes";
import { isSet, list, read } from "../../../shared/props";

/**
 * An emptyDir without a size limit grows until its node's disk is full (or, memory-backed, until
 * the node runs out of memory); with one, the kubelet evicts only the pod that overran it.
 */
export const kubernetesEmptyDirVolumesHaveSizeLimit: ResourceValidationPolicy = {
    name: "kubernetes-empty-dir-volumes-have-size-limit",
    description: "Every emptyDir volume of a Kubernetes workload's pods (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod) sets emptyDir.sizeLimit.",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["node disk", "resource limits"],
    validateResource: (args, reportViolation) => {
        if (!isWorkloadType(args.type)) {
            return;
        }
        for (const volume of list(podSpecOf(args.type, args.props), "volumes")) {
            if (read(volume, "emptyDir") !== undefined && !isSet(volume, "emptyDir", "sizeLimit")) {
                reportViolation(
                    `emptyDir volume ${String(read(volume, "name") ?? "?")} has no sizeLimit: bound it (e.g. "1Gi"), and keep the containers' ephemeral-storage limits at least as large as the emptyDirs they hold.`,
                );
            }
        }
    },
};
