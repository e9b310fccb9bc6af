/**
 * What the driver reads from a target cluster, in the shapes the capacity checks and the
 * rollout checks use: nodes with their free room, objects of the platform's namespaces, and the
 * pods and events that say why something did not start.
 */
import { KubeObject, NodeSlot, podRequests, PodRequests } from "../../policies/shared/capacity";
import { tryParseQuantity } from "../../contract/quantities";
import { GPU_RESOURCE } from "../../contract/nodePools";

/** Read access to one cluster (the API paths of the Kubernetes REST API). */
export interface ClusterReader {
    /** The region the cluster serves (its kubeconfig context). */
    region: string;
    /** Items of a list path, e.g. /api/v1/nodes. */
    list(apiPath: string): Promise<any[]>;
}

/** Paths of the collections the driver reads, cluster-wide or in one namespace. */
export const COLLECTIONS = {
    nodes: "/api/v1/nodes",
    pods: "/api/v1/pods",
    namespaces: "/api/v1/namespaces",
    storageClasses: "/apis/storage.k8s.io/v1/storageclasses",
    ingressClasses: "/apis/networking.k8s.io/v1/ingressclasses",
    resourceQuotas: "/api/v1/resourcequotas",
} as const;

export function namespaced(namespace: string) {
    const ns = encodeURIComponent(namespace);
    return {
        deployments: `/apis/apps/v1/namespaces/${ns}/deployments`,
        statefulSets: `/apis/apps/v1/namespaces/${ns}/statefulsets`,
        replicaSets: `/apis/apps/v1/namespaces/${ns}/replicasets`,
        hpas: `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`,
        pdbs: `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`,
        pods: `/api/v1/namespaces/${ns}/pods`,
        events: `/api/v1/namespaces/${ns}/events`,
        pvcs: `/api/v1/namespaces/${ns}/persistentvolumeclaims`,
    };
}

/** An API object in the plain shape of the capacity checks. */
export function toKubeObject(item: any, kind?: string): KubeObject {
    return {
        kind: kind ?? item?.kind ?? "?",
        name: item?.metadata?.name ?? "?",
        namespace: item?.metadata?.namespace,
        labels: { ...(item?.metadata?.labels ?? {}) },
        spec: item?.spec ?? {},
    };
}

const zero = (): PodRequests & { pods: number } => ({ cpuMillicores: 0, memoryBytes: 0, gpus: 0, ephemeralBytes: 0, pods: 0 });

/**
 * Schedulable nodes with what is left on them once the pods that stay (every running pod
 * outside `replacedNamespaces`, whose pods the step replaces) have taken their requests.
 */
export function freeNodes(nodes: readonly any[], pods: readonly any[], replacedNamespaces: ReadonlySet<string>): NodeSlot[] {
    const used = new Map<string, PodRequests & { pods: number }>();
    for (const pod of pods) {
        const node = pod?.spec?.nodeName;
        const phase = pod?.status?.phase;
        if (!node || phase === "Succeeded" || phase === "Failed" || replacedNamespaces.has(pod?.metadata?.namespace)) continue;
        const r = podRequests(pod.spec);
        const u = used.get(node) ?? zero();
        u.cpuMillicores += r.cpuMillicores;
        u.memoryBytes += r.memoryBytes;
        u.gpus += r.gpus;
        u.ephemeralBytes += r.ephemeralBytes;
        u.pods += 1;
        used.set(node, u);
    }
    const slots: NodeSlot[] = [];
    for (const node of nodes) {
        if (node?.spec?.unschedulable) continue;
        const ready = (node?.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True");
        if (!ready) continue;
        const a = node?.status?.allocatable ?? {};
        const u = used.get(node.metadata?.name) ?? zero();
        slots.push({
            name: node.metadata?.name ?? "?",
            labels: { ...(node.metadata?.labels ?? {}) },
            taints: Array.isArray(node.spec?.taints) ? node.spec.taints : [],
            allocatable: {
                cpuMillicores: Math.round((tryParseQuantity(a.cpu) ?? 0) * 1000) - u.cpuMillicores,
                memoryBytes: (tryParseQuantity(a.memory) ?? 0) - u.memoryBytes,
                gpus: (tryParseQuantity(a[GPU_RESOURCE]) ?? 0) - u.gpus,
                ephemeralBytes: (tryParseQuantity(a["ephemeral-storage"]) ?? 0) - u.ephemeralBytes,
                pods: (tryParseQuantity(a.pods) ?? 0) - u.pods,
            },
        });
    }
    return slots;
}
