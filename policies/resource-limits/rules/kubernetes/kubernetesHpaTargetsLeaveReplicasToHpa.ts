import { StackValidationPolicy } from "@pulumi/policy";
import { KubeObject } from "../../../shared/capacity";
import { kubeObjectsOf } from "../../../shared/kubernetes";

/**
 * A workload that an HPA scales must not declare its own replica count: every update would
 * reset the count the autoscaler chose (the HPA's minReplicas is where it starts).
 *
 * What the rule can see differs by source. A deployed object (a real preview reads the state's
 * outputs, which carry `metadata.managedFields`) tells exactly whether an update resets the
 * count: the rule fires when a Pulumi field manager owns `spec.replicas`. A declared object
 * (offline engine, or a real preview of a create) shows its inputs, which the Kubernetes provider
 * normalises with the API's defaults, so an absent `spec.replicas` reads as 1: any other value
 * fires, 1 passes.
 */
/** The API default of spec.replicas, which a real preview shows when the program sets none. */
const API_DEFAULT_REPLICAS = 1;

/** Whether a Pulumi field manager's apply owns spec.replicas of a live object; undefined when the object carries no managed fields. */
function pulumiOwnsReplicas(workload: KubeObject, managedFields: unknown): boolean | undefined {
    if (!Array.isArray(managedFields)) return undefined;
    return managedFields.some(
        (entry: any) =>
            typeof entry?.manager === "string" &&
            entry.manager.startsWith("pulumi-kubernetes") &&
            entry?.fieldsV1?.["f:spec"]?.["f:replicas"] !== undefined,
    );
}

export const kubernetesHpaTargetsLeaveReplicasToHpa: StackValidationPolicy = {
    name: "kubernetes-hpa-targets-leave-replicas-to-hpa",
    description:
        "A Deployment or StatefulSet that a HorizontalPodAutoscaler of the stack targets (same namespace, scaleTargetRef kind and name) does not set spec.replicas: on a deployed object no Pulumi field manager owns it; on a declared one it is absent (or 1, the API default a real preview shows for an absent value).",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["autoscaling", "drift"],
    validateStack: (args, reportViolation) => {
        const objects = kubeObjectsOf(args.resources);
        const managedFieldsOf = new Map(args.resources.map((r) => [r.urn, r.props?.metadata?.managedFields]));
        // The first object of each kind, name and namespace, as a search in declaration order finds it.
        const key = (kind: unknown, name: unknown, namespace: unknown) => JSON.stringify([kind, name, namespace]);
        const byKey = new Map<string, KubeObject>();
        for (const o of objects) {
            if (!byKey.has(key(o.kind, o.name, o.namespace))) byKey.set(key(o.kind, o.name, o.namespace), o);
        }
        for (const hpa of objects.filter((o) => o.kind === "HorizontalPodAutoscaler")) {
            const target = hpa.spec?.scaleTargetRef ?? {};
            const workload = byKey.get(key(target.kind, target.name, hpa.namespace));
            if (!workload) continue;
            const owned = pulumiOwnsReplicas(workload, managedFieldsOf.get(workload.urn ?? ""));
            const declared = workload.spec?.replicas !== undefined && workload.spec.replicas !== API_DEFAULT_REPLICAS;
            if (owned ?? declared) {
                reportViolation(
                    `${workload.kind} ${workload.name} sets spec.replicas (${String(workload.spec?.replicas)}) while HPA ${hpa.name} scales it, so every update resets the autoscaler's count: ` +
                        `remove spec.replicas and let the HPA's minReplicas (${String(hpa.spec?.minReplicas ?? 1)}) set the starting count.`,
                    workload.urn,
                );
            }
        }
    },
};
