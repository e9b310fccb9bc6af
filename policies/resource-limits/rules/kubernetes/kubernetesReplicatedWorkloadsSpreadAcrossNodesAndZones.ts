import { StackValidationPolicy } from "@pulumi/policy";
import { HOSTNAME_TOPOLOGY_KEY, ZONE_TOPOLOGY_KEY } from "../../../../contract/nodePools";
import { KubeObject, selects } from "../../../shared/capacity";
import { kubeObjectsOf } from "../../../shared/kubernetes";

const targetKey = (namespace: string | undefined, kind: unknown, name: unknown) => JSON.stringify([namespace ?? "", kind, name]);

/** The first HPA that targets each workload, by namespace, kind and name. */
function hpasByTarget(objects: readonly KubeObject[]): Map<string, KubeObject> {
    const byTarget = new Map<string, KubeObject>();
    for (const h of objects) {
        if (h.kind !== "HorizontalPodAutoscaler") continue;
        const key = targetKey(h.namespace, h.spec?.scaleTargetRef?.kind, h.spec?.scaleTargetRef?.name);
        if (!byTarget.has(key)) byTarget.set(key, h);
    }
    return byTarget;
}

/** Most replicas a workload can run: an HPA's maxReplicas where one targets it, else spec.replicas (default 1). */
function mostReplicas(workload: KubeObject, hpas: Map<string, KubeObject>): number {
    const hpa = hpas.get(targetKey(workload.namespace, workload.kind, workload.name));
    const declared = typeof workload.spec?.replicas === "number" ? workload.spec.replicas : 1;
    const max = typeof hpa?.spec?.maxReplicas === "number" ? hpa.spec.maxReplicas : undefined;
    return Math.max(declared, max ?? declared);
}

/**
 * Replicas only protect a service when they do not share a failure: without spread constraints
 * the scheduler may put every replica on one node (a drain or a node failure takes them all) or
 * in one zone. Hard or soft constraints both count: which to use is the workload's choice (see
 * components/kubernetes/spread.ts).
 */
export const kubernetesReplicatedWorkloadsSpreadAcrossNodesAndZones: StackValidationPolicy = {
    name: "kubernetes-replicated-workloads-spread-across-nodes-and-zones",
    description:
        "Every Deployment and StatefulSet that can run more than one replica (spec.replicas, or the maxReplicas of an HPA that targets it) has topologySpreadConstraints over kubernetes.io/hostname and over topology.kubernetes.io/zone whose labelSelector selects its own pods.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["availability", "node and zone outages"],
    validateStack: (args, reportViolation) => {
        const objects = kubeObjectsOf(args.resources);
        const hpas = hpasByTarget(objects);
        for (const workload of objects.filter((o) => o.kind === "Deployment" || o.kind === "StatefulSet")) {
            const replicas = mostReplicas(workload, hpas);
            if (replicas <= 1) continue;
            const template = workload.spec?.template ?? {};
            const labels: Record<string, string> = { ...(template.metadata?.labels ?? {}) };
            const constraints: any[] = Array.isArray(template.spec?.topologySpreadConstraints) ? template.spec.topologySpreadConstraints : [];
            const spreads = (key: string) => constraints.some((c) => c?.topologyKey === key && selects(c?.labelSelector, labels));
            const missing = [HOSTNAME_TOPOLOGY_KEY, ZONE_TOPOLOGY_KEY].filter((key) => !spreads(key));
            if (missing.length > 0) {
                reportViolation(
                    `${workload.kind} ${workload.name} can run ${replicas} replicas but does not spread them over ${missing.join(" and ")}: one node or zone could hold all of them. ` +
                        `Add topologySpreadConstraints (maxSkew 1) with those topology keys and a labelSelector of its pods' labels (ScheduleAnyway where the pools may not offer enough domains).`,
                    workload.urn,
                );
            }
        }
    },
};
