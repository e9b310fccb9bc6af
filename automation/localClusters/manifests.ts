/**
 * The objects a local cluster is set up with: its fake nodes (one per pool member, shaped
 * like the pool), the StorageClass and IngressClass the platform expects, the RBAC of the
 * kwok controller, and the kwok stage that gives Ingresses a load-balancer address.
 */
import { FakeNodePool, LocalClusterSpec } from "./types";

/** Nodes carrying this annotation are the ones kwok manages (its --manage-nodes-with-annotation-selector). */
export const KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node";
export const KWOK_NODE_SELECTOR = `${KWOK_NODE_ANNOTATION}=fake`;
/** Label on every node this module creates (so nodes of a shrunk or removed pool can be deleted). */
export const MANAGED_NODE_LABEL = "ai-platform/local-cluster-node";
/** Annotation saying an object stands in for a real cloud resource. */
export const STAND_IN_ANNOTATION = "ai-platform/local-stand-in";
/** Directory the hostPath provisioner of kube-controller-manager creates volumes in (fixed by it). */
export const HOSTPATH_PV_ROOT = "/tmp/hostpath_pv";
/** Address every Ingress and every Service of type LoadBalancer gets as its load balancer. */
export const LOAD_BALANCER_IP = "127.0.0.1";

export const DEFAULT_STORAGE_CLASS = "encrypted";
export const DEFAULT_INGRESS_CLASS = "nginx";
const DEFAULT_PODS = 110;
const DEFAULT_EPHEMERAL_STORAGE = "100Gi";
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function defaultZones(region: string): string[] {
    return ["a", "b", "c"].map((z) => `${region}${z}`);
}

/** Checks a spec for the mistakes that would otherwise surface as API errors half-way through a start. */
export function validateSpec(spec: LocalClusterSpec): void {
    if (!DNS_LABEL.test(spec.region) || spec.region.length > 40) throw new Error(`region "${spec.region}" is not a DNS label of at most 40 characters`);
    const names = new Set<string>();
    for (const pool of spec.nodePools) {
        if (!DNS_LABEL.test(pool.name) || pool.name.length > 40) throw new Error(`${spec.region}: pool name "${pool.name}" is not a DNS label of at most 40 characters`);
        if (names.has(pool.name)) throw new Error(`${spec.region}: pool "${pool.name}" appears twice`);
        names.add(pool.name);
        if (!Number.isInteger(pool.count) || pool.count < 0) throw new Error(`${spec.region}/${pool.name}: count must be a whole number >= 0`);
        if (!pool.cpu || !pool.memory) throw new Error(`${spec.region}/${pool.name}: cpu and memory are required`);
        if (pool.gpus !== undefined && (!Number.isInteger(pool.gpus) || pool.gpus < 0)) throw new Error(`${spec.region}/${pool.name}: gpus must be a whole number >= 0`);
    }
    if (spec.zones && spec.zones.length === 0) throw new Error(`${spec.region}: zones, when given, must not be empty`);
}

export interface NodeObject {
    apiVersion: "v1";
    kind: "Node";
    metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
    spec: { taints?: { key: string; value?: string; effect: string }[] };
    status: { capacity: Record<string, string>; allocatable: Record<string, string> };
}

function nodeResources(pool: FakeNodePool): Record<string, string> {
    const resources: Record<string, string> = {
        cpu: pool.cpu,
        memory: pool.memory,
        pods: String(pool.pods ?? DEFAULT_PODS),
        "ephemeral-storage": pool.ephemeralStorage ?? DEFAULT_EPHEMERAL_STORAGE,
    };
    if (pool.gpus && pool.gpus > 0) resources["nvidia.com/gpu"] = String(pool.gpus);
    return resources;
}

/** The fake nodes of a cluster: `<pool>-<i>`, zones round-robin within each pool. */
export function nodeObjects(spec: LocalClusterSpec): NodeObject[] {
    const zones = spec.zones ?? defaultZones(spec.region);
    const nodes: NodeObject[] = [];
    for (const pool of spec.nodePools) {
        for (let i = 0; i < pool.count; i++) {
            const name = `${pool.name}-${i}`;
            const resources = nodeResources(pool);
            const node: NodeObject = {
                apiVersion: "v1",
                kind: "Node",
                metadata: {
                    name,
                    labels: {
                        ...(pool.labels ?? {}),
                        "kubernetes.io/hostname": name,
                        "kubernetes.io/os": "linux",
                        "kubernetes.io/arch": "amd64",
                        "node.kubernetes.io/instance-type": pool.instanceType ?? `kwok.${pool.cpu}cpu-${pool.memory}`.toLowerCase(),
                        "topology.kubernetes.io/region": spec.region,
                        "topology.kubernetes.io/zone": zones[i % zones.length],
                        type: "kwok",
                        [MANAGED_NODE_LABEL]: "true",
                        "ai-platform/local-cluster-pool": pool.name,
                    },
                    annotations: { [KWOK_NODE_ANNOTATION]: "fake", "node.alpha.kubernetes.io/ttl": "0" },
                },
                spec: pool.taints && pool.taints.length > 0 ? { taints: pool.taints.map((t) => ({ ...t })) } : {},
                status: { capacity: resources, allocatable: { ...resources } },
            };
            nodes.push(node);
        }
    }
    return nodes;
}

export function storageClass(name: string): Record<string, unknown> {
    return {
        apiVersion: "storage.k8s.io/v1",
        kind: "StorageClass",
        metadata: {
            name,
            annotations: {
                "storageclass.kubernetes.io/is-default-class": "true",
                [STAND_IN_ANNOTATION]:
                    `local stand-in: hostPath volumes under ${HOSTPATH_PV_ROOT} on this machine, made by kube-controller-manager's hostPath provisioner; NOT encrypted at rest, whatever the class name says`,
            },
        },
        provisioner: "kubernetes.io/host-path",
        reclaimPolicy: "Delete",
        volumeBindingMode: "Immediate",
    };
}

export function ingressClass(name: string): Record<string, unknown> {
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "IngressClass",
        metadata: {
            name,
            annotations: {
                [STAND_IN_ANNOTATION]: `local stand-in: no ingress controller runs; kwok sets the load-balancer address of every Ingress to ${LOAD_BALANCER_IP}`,
            },
        },
        spec: { controller: "k8s.io/ingress-nginx" },
    };
}

export const KWOK_CLUSTER_ROLE = "local:kwok-controller";

/** What the kwok controller reads and writes: nodes, pods, their status, node leases, events, ingress and service status. */
export function kwokRbac(user: string): Record<string, unknown>[] {
    return [
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRole",
            metadata: { name: KWOK_CLUSTER_ROLE },
            rules: [
                { apiGroups: [""], resources: ["nodes", "pods"], verbs: ["get", "list", "watch", "patch", "update", "delete"] },
                { apiGroups: [""], resources: ["nodes/status", "pods/status", "services/status"], verbs: ["get", "patch", "update"] },
                { apiGroups: [""], resources: ["namespaces", "services", "configmaps"], verbs: ["get", "list", "watch"] },
                { apiGroups: [""], resources: ["events"], verbs: ["create", "patch", "update"] },
                { apiGroups: ["events.k8s.io"], resources: ["events"], verbs: ["create", "patch", "update"] },
                { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] },
                { apiGroups: ["networking.k8s.io"], resources: ["ingresses"], verbs: ["get", "list", "watch", "patch", "update"] },
                { apiGroups: ["networking.k8s.io"], resources: ["ingresses/status"], verbs: ["get", "patch", "update"] },
                { apiGroups: ["kwok.x-k8s.io"], resources: ["*"], verbs: ["get", "list", "watch"] },
            ],
        },
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRoleBinding",
            metadata: { name: KWOK_CLUSTER_ROLE },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: KWOK_CLUSTER_ROLE },
            subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: user }],
        },
    ];
}

/**
 * kwok Stages (kwok.x-k8s.io/v1alpha1) that play the missing controllers: every Ingress, and
 * every Service of type LoadBalancer, without a load-balancer address gets LOAD_BALANCER_IP,
 * as an ingress controller or a cloud load-balancer controller would set it.
 */
export function localStagesYaml(): string {
    const stage = (name: string, apiGroup: string, kind: string, extra: string) => `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: ${name}
spec:
  resourceRef:
    apiGroup: ${apiGroup}
    kind: ${kind}
  selector:
    matchExpressions:
    - key: '.metadata.deletionTimestamp'
      operator: 'DoesNotExist'
    - key: '.status.loadBalancer.ingress'
      operator: 'DoesNotExist'
${extra}  next:
    statusTemplate: |
      loadBalancer:
        ingress:
        - ip: ${LOAD_BALANCER_IP}
`;
    return [
        stage("local-ingress-load-balancer", "networking.k8s.io/v1", "Ingress", ""),
        stage("local-service-load-balancer", "v1", "Service", "    - key: '.spec.type'\n      operator: 'In'\n      values:\n      - 'LoadBalancer'\n"),
    ].join("---\n");
}
