/**
 * Topology spread of a service's replicas across nodes and zones, so a node or zone outage (or a
 * drain) takes at most a share of them.
 *
 * Zones: always `ScheduleAnyway` (a preference the scheduler scores). The pools may span fewer
 * zones than a service has replicas, EBS volumes tie StatefulSet pods to their zone, and with
 * `DoNotSchedule` a zone whose nodes are full holds back every other zone: on 8 nodes in 3 zones
 * (3/3/2), two full nodes in the small zone would leave new replicas Pending with room elsewhere.
 *
 * Nodes: `DoNotSchedule` for StatefulSets (quorum members: two on one node would lose quorum with
 * that node; they have few replicas and the capacity rules check the placement), `ScheduleAnyway`
 * for Deployments (they scale out under an HPA; a hard per-node skew of 1 would stop a scale-up
 * as soon as one eligible node is full, and their PodDisruptionBudget already keeps a drain from
 * taking two replicas at once).
 *
 * Both honour taints (`nodeTaintsPolicy: Honor`): otherwise the tainted GPU nodes, where general
 * pods never run, would count as empty domains and cap every general node at maxSkew pods.
 */
import * as k8s from "@pulumi/kubernetes";
import { HOSTNAME_TOPOLOGY_KEY, ZONE_TOPOLOGY_KEY } from "../../contract/nodePools";
import { selectorLabels, WorkloadContext } from "./labels";

type TopologySpreadConstraint = k8s.types.input.core.v1.TopologySpreadConstraint;

export { HOSTNAME_TOPOLOGY_KEY, ZONE_TOPOLOGY_KEY };

/** At most one replica more in any domain than in the emptiest one. */
export const SPREAD_MAX_SKEW = 1;

export function spreadConstraints(ctx: WorkloadContext, app: string, options: { hardAcrossNodes: boolean }): TopologySpreadConstraint[] {
    const constraint = (topologyKey: string, whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway"): TopologySpreadConstraint => ({
        maxSkew: SPREAD_MAX_SKEW,
        topologyKey,
        whenUnsatisfiable,
        labelSelector: { matchLabels: selectorLabels(ctx, app) },
        nodeTaintsPolicy: "Honor",
    });
    return [constraint(HOSTNAME_TOPOLOGY_KEY, options.hardAcrossNodes ? "DoNotSchedule" : "ScheduleAnyway"), constraint(ZONE_TOPOLOGY_KEY, "ScheduleAnyway")];
}
