/** The rules of the resource-limits pack. */
import { Policies } from "@pulumi/policy";
import { nodeCapacityWithinMaxNodes } from "./rules/aws/nodeCapacityWithinMaxNodes";
import { composeFitsHost } from "./rules/docker/compose/composeFitsHost";
import { composeServiceLimitsWithinMaxima } from "./rules/docker/compose/composeServiceLimitsWithinMaxima";
import { composeServiceReservationsNotAboveLimits } from "./rules/docker/compose/composeServiceReservationsNotAboveLimits";
import { composeServicesHaveLimitsAndReservations } from "./rules/docker/compose/composeServicesHaveLimitsAndReservations";
import { composeSingleHostCpuSharesCarryReservations } from "./rules/docker/compose/composeSingleHostCpuSharesCarryReservations";
import { swarmStatefulServicesUpdateStopFirst } from "./rules/docker/compose/swarmStatefulServicesUpdateStopFirst";
import { swarmStackFitsNodes } from "./rules/docker/compose/swarmStackFitsNodes";
import { kubernetesContainerLimitsWithinMaxima } from "./rules/kubernetes/kubernetesContainerLimitsWithinMaxima";
import { kubernetesContainerRequestsNotAboveLimits } from "./rules/kubernetes/kubernetesContainerRequestsNotAboveLimits";
import { kubernetesContainersHaveReadOnlyRootFilesystem } from "./rules/kubernetes/kubernetesContainersHaveReadOnlyRootFilesystem";
import { kubernetesEmptyDirVolumesHaveSizeLimit } from "./rules/kubernetes/kubernetesEmptyDirVolumesHaveSizeLimit";
import { kubernetesLivenessAndReadinessProbesDiffer } from "./rules/kubernetes/kubernetesLivenessAndReadinessProbesDiffer";
import { kubernetesPdbsAlwaysAllowUnhealthyPodEviction } from "./rules/kubernetes/kubernetesPdbsAlwaysAllowUnhealthyPodEviction";
import { kubernetesReplicatedWorkloadsSpreadAcrossNodesAndZones } from "./rules/kubernetes/kubernetesReplicatedWorkloadsSpreadAcrossNodesAndZones";
import { kubernetesContainersHaveRequestsAndLimits } from "./rules/kubernetes/kubernetesContainersHaveRequestsAndLimits";
import { hpaMaxReplicasWithinMaxNodes } from "./rules/kubernetes/hpaMaxReplicasWithinMaxNodes";
import { kubernetesHpaTargetsLeaveReplicasToHpa } from "./rules/kubernetes/kubernetesHpaTargetsLeaveReplicasToHpa";
import { kubernetesPodsFitNodePools } from "./rules/kubernetes/kubernetesPodsFitNodePools";
import { kubernetesQuotaCoversMinimumReplicas } from "./rules/kubernetes/kubernetesQuotaCoversMinimumReplicas";
import { kubernetesRolloutSurgeFitsNodePools } from "./rules/kubernetes/kubernetesRolloutSurgeFitsNodePools";
import { kubernetesNamespacesHaveLimitRangeAndQuota } from "./rules/kubernetes/kubernetesNamespacesHaveLimitRangeAndQuota";

export const resourceLimitsPolicies: Policies = [
    kubernetesContainersHaveRequestsAndLimits,
    kubernetesContainerLimitsWithinMaxima,
    kubernetesContainerRequestsNotAboveLimits,
    kubernetesContainersHaveReadOnlyRootFilesystem,
    kubernetesEmptyDirVolumesHaveSizeLimit,
    kubernetesLivenessAndReadinessProbesDiffer,
    kubernetesReplicatedWorkloadsSpreadAcrossNodesAndZones,
    kubernetesPdbsAlwaysAllowUnhealthyPodEviction,
    kubernetesNamespacesHaveLimitRangeAndQuota,
    hpaMaxReplicasWithinMaxNodes,
    kubernetesHpaTargetsLeaveReplicasToHpa,
    kubernetesPodsFitNodePools,
    kubernetesQuotaCoversMinimumReplicas,
    kubernetesRolloutSurgeFitsNodePools,
    nodeCapacityWithinMaxNodes,
    composeServicesHaveLimitsAndReservations,
    composeServiceReservationsNotAboveLimits,
    composeServiceLimitsWithinMaxima,
    composeFitsHost,
    composeSingleHostCpuSharesCarryReservations,
    swarmStackFitsNodes,
    swarmStatefulServicesUpdateStopFirst,
];
