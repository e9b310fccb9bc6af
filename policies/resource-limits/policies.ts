/** The rules of the resource-limits pack. */
import { Policies } from "@pulumi/policy";
import { nodeCapacityWithinMaxNodes } from "./rules/aws/nodeCapacityWithinMaxNodes";
import { composeFitsHost } from "./rules/docker/compose/composeFitsHost";
import { serviceLimitsWithinMaxima } from "./rules/docker/compose/serviceLimitsWithinMaxima";
import { serviceReservationsNotAboveLimits } from "./rules/docker/compose/serviceReservationsNotAboveLimits";
import { servicesHaveLimitsAndReservations } from "./rules/docker/compose/servicesHaveLimitsAndReservations";
import { singleHostCpuSharesCarryReservations } from "./rules/docker/compose/singleHostCpuSharesCarryReservations";
import { statefulServicesUpdateStopFirst } from "./rules/docker/compose/statefulServicesUpdateStopFirst";
import { swarmStackFitsNodes } from "./rules/docker/compose/swarmStackFitsNodes";
import { containerLimitsWithinMaxima } from "./rules/kubernetes/containerLimitsWithinMaxima";
import { containerRequestsNotAboveLimits } from "./rules/kubernetes/containerRequestsNotAboveLimits";
import { containersHaveReadOnlyRootFilesystem } from "./rules/kubernetes/containersHaveReadOnlyRootFilesystem";
import { emptyDirVolumesHaveSizeLimit } from "./rules/kubernetes/emptyDirVolumesHaveSizeLimit";
import { livenessAndReadinessProbesDiffer } from "./rules/kubernetes/livenessAndReadinessProbesDiffer";
import { podDisruptionBudgetsAlwaysAllowUnhealthyPodEviction } from "./rules/kubernetes/podDisruptionBudgetsAlwaysAllowUnhealthyPodEviction";
import { replicatedWorkloadsSpreadAcrossNodesAndZones } from "./rules/kubernetes/replicatedWorkloadsSpreadAcrossNodesAndZones";
import { containersHaveRequestsAndLimits } from "./rules/kubernetes/containersHaveRequestsAndLimits";
import { hpaMaxReplicasWithinMaxNodes } from "./rules/kubernetes/hpaMaxReplicasWithinMaxNodes";
import { hpaTargetsLeaveReplicasToHpa } from "./rules/kubernetes/hpaTargetsLeaveReplicasToHpa";
import { podsFitNodePools } from "./rules/kubernetes/podsFitNodePools";
import { quotaCoversMinimumReplicas } from "./rules/kubernetes/quotaCoversMinimumReplicas";
import { rolloutSurgeFitsNodePools } from "./rules/kubernetes/rolloutSurgeFitsNodePools";
import { namespacesHaveLimitRangeAndQuota } from "./rules/kubernetes/namespacesHaveLimitRangeAndQuota";

export const resourceLimitsPolicies: Policies = [
    containersHaveRequestsAndLimits,
    containerLimitsWithinMaxima,
    containerRequestsNotAboveLimits,
    containersHaveReadOnlyRootFilesystem,
    emptyDirVolumesHaveSizeLimit,
    livenessAndReadinessProbesDiffer,
    replicatedWorkloadsSpreadAcrossNodesAndZones,
    podDisruptionBudgetsAlwaysAllowUnhealthyPodEviction,
    namespacesHaveLimitRangeAndQuota,
    hpaMaxReplicasWithinMaxNodes,
    hpaTargetsLeaveReplicasToHpa,
    podsFitNodePools,
    quotaCoversMinimumReplicas,
    rolloutSurgeFitsNodePools,
    nodeCapacityWithinMaxNodes,
    servicesHaveLimitsAndReservations,
    serviceReservationsNotAboveLimits,
    serviceLimitsWithinMaxima,
    composeFitsHost,
    singleHostCpuSharesCarryReservations,
    swarmStackFitsNodes,
    statefulServicesUpdateStopFirst,
];
