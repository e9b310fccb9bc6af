/**
 * Will the cluster hold the workloads? The pods each Deployment and StatefulSet runs at its
 * minimum (an HPA's minReplicas where one targets the workload), placed on nodes the way the
 * scheduler filters them (node selector, taints and tolerations, allocatable CPU, memory, GPUs,
 * ephemeral storage and pod slots, and hard per-node topology spread), and compared with the
 * namespace quotas. The capacity rule of the resource-limits pack runs it on the declared node
 * pools; the driver's preflight runs it on the nodes a real cluster reports. Objects come from
 * either source in the same plain shape.
 *
 * Topology spread: a `kubernetes.io/hostname` constraint with `whenUnsatisfiable: DoNotSchedule`
 * is a filter of the scheduler and is applied here (at most maxSkew more pods of the selector on a
 * node than on the emptiest eligible node). Soft constraints (`ScheduleAnyway`, which the
 * workloads use for zones and for Deployments across nodes) only rank nodes and are ignored, as
 * are zone constraints of any kind: the declared pools carry no zones, so a zone constraint with
 * DoNotSchedule would pass here and could still leave pods Pending on a real cluster.
 */
import { GPU_RESOURCE, HOSTNAME_TOPOLOGY_KEY, NodePoolSpec, NodeTaint } from "../../contract/nodePools";
import { LABEL } from "../../contract/markers";
import { tryParseQuantity } from "../../contract/quantities";

/** A Kubernetes object as both a preview (resource inputs) and a cluster (API object) give it. */
export interface KubeObject {
    kind: string;
    name: string;
    namespace?: string;
    labels: Record<string, string>;
    spec: any;
    /** Pulumi URN, when the object comes from a preview. */
    urn?: string;
}

export interface PodRequests {
    cpuMillicores: number;
    memoryBytes: number;
    gpus: number;
    /** Node-local disk (ephemeral-storage), bytes. */
    ephemeralBytes: number;
}

/** A hard per-node spread of a workload's pods (topologySpreadConstraints, DoNotSchedule). */
export interface HostSpread {
    maxSkew: number;
    /** nodeTaintsPolicy Honor: nodes whose taints the pods do not tolerate are not counted as domains. */
    honorTaints: boolean;
    /** Namespace and label selector of the pods counted; groups with the same key count together. */
    selectorKey: string;
}

export interface Toleration {
    key?: string;
    operator?: string;
    value?: string;
    effect?: string;
}

/** The pods of one workload at its minimum. */
export interface PodGroup {
    /** "Deployment/backend-api" */
    workload: string;
    namespace?: string;
    region?: string;
    urn?: string;
    /** Pods at the minimum (HPA minReplicas, else spec.replicas, else 1). */
    count: number;
    /** Requests of one pod (containers summed; an init container counts when larger). */
    requests: PodRequests;
    nodeSelector: Record<string, string>;
    tolerations: Toleration[];
    /** Extra pods a rolling update starts before it stops old ones (Deployment maxSurge; 0 for StatefulSets and Recreate). */
    surge: number;
    /** A hard per-node spread the scheduler enforces, if the pods declare one. */
    hostSpread?: HostSpread;
}

export interface NodeSlot {
    name: string;
    pool?: string;
    labels: Record<string, string>;
    taints: NodeTaint[];
    allocatable: PodRequests & { pods: number };
}

export interface Unplaced {
    group: PodGroup;
    /** Pods of the group that found no node. */
    pods: number;
    /** Why, in the scheduler's words: "0/3 nodes can take it: 3 Insufficient memory". */
    reason: string;
}

export interface PlacementResult {
    unplaced: Unplaced[];
    /** Requests of every pod, and what the nodes offer. */
    requested: PodRequests & { pods: number };
    allocatable: PodRequests & { pods: number };
}

const MIB = 2 ** 20;

function num(value: unknown): number | undefined {
    return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** CPU quantity -> millicores; memory / count quantities -> their number (bytes, units). */
function quantity(value: unknown): number {
    return tryParseQuantity(value) ?? 0;
}

/** Requests of one container: its requests, or its limits where a request is missing (the API server's defaulting). */
function containerRequests(container: any): PodRequests {
    const requests = container?.resources?.requests ?? {};
    const limits = container?.resources?.limits ?? {};
    const pick = (name: string) => requests[name] ?? limits[name];
    return {
        cpuMillicores: Math.round(quantity(pick("cpu")) * 1000),
        memoryBytes: quantity(pick("memory")),
        gpus: quantity(pick(GPU_RESOURCE)),
        ephemeralBytes: quantity(pick("ephemeral-storage")),
    };
}

/** Effective requests of a pod: the containers' sum, or the largest init container's when that is more. */
export function podRequests(podSpec: any): PodRequests {
    const sum: PodRequests = { cpuMillicores: 0, memoryBytes: 0, gpus: 0, ephemeralBytes: 0 };
    for (const c of Array.isArray(podSpec?.containers) ? podSpec.containers : []) {
        const r = containerRequests(c);
        sum.cpuMillicores += r.cpuMillicores;
        sum.memoryBytes += r.memoryBytes;
        sum.gpus += r.gpus;
        sum.ephemeralBytes += r.ephemeralBytes;
    }
    for (const c of Array.isArray(podSpec?.initContainers) ? podSpec.initContainers : []) {
        const r = containerRequests(c);
        sum.cpuMillicores = Math.max(sum.cpuMillicores, r.cpuMillicores);
        sum.memoryBytes = Math.max(sum.memoryBytes, r.memoryBytes);
        sum.gpus = Math.max(sum.gpus, r.gpus);
        sum.ephemeralBytes = Math.max(sum.ephemeralBytes, r.ephemeralBytes);
    }
    return sum;
}

function expressionHolds(e: any, labels: Record<string, string>): boolean {
    const has = Object.prototype.hasOwnProperty.call(labels, e?.key);
    const values: unknown[] = Array.isArray(e?.values) ? e.values : [];
    switch (e?.operator) {
        case "In":
            return has && values.includes(labels[e.key]);
        case "NotIn":
            return !has || !values.includes(labels[e.key]);
        case "Exists":
            return has;
        case "DoesNotExist":
            return !has;
        default:
            return false;
    }
}

/** Whether a label selector ({matchLabels, matchExpressions}) selects pods with `labels`; an empty or missing one selects none here. */
export function selects(selector: any, labels: Record<string, string>): boolean {
    if (!selector || typeof selector !== "object") return false;
    for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
        if (labels[key] !== value) return false;
    }
    for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
        if (!expressionHolds(e, labels)) return false;
    }
    return Object.keys(selector.matchLabels ?? {}).length + (Array.isArray(selector.matchExpressions) ? selector.matchExpressions.length : 0) > 0;
}

/** The pod template's hard per-node spread over its own pods, if it declares one. */
export function hostSpreadOf(podTemplate: any, namespace: string | undefined): HostSpread | undefined {
    const labels: Record<string, string> = { ...(podTemplate?.metadata?.labels ?? {}) };
    const constraints: any[] = Array.isArray(podTemplate?.spec?.topologySpreadConstraints) ? podTemplate.spec.topologySpreadConstraints : [];
    const hard = constraints.find(
        (c) => c?.topologyKey === HOSTNAME_TOPOLOGY_KEY && (c?.whenUnsatisfiable ?? "DoNotSchedule") === "DoNotSchedule" && selects(c?.labelSelector, labels),
    );
    if (!hard) return undefined;
    return {
        maxSkew: num(hard.maxSkew) ?? 1,
        honorTaints: hard.nodeTaintsPolicy === "Honor",
        selectorKey: `${namespace ?? ""}/${JSON.stringify(hard.labelSelector)}`,
    };
}

/** A Deployment's maxSurge in pods (integer, or a percentage of `replicas` rounded up; default 25 %). */
export function surgePods(spec: any, replicas: number): number {
    const strategy = spec?.strategy ?? {};
    if (strategy.type === "Recreate") return 0;
    const value = strategy.rollingUpdate?.maxSurge ?? "25%";
    if (typeof value === "number") return value;
    const percent = /^(\d+)%$/.exec(String(value));
    return percent ? Math.ceil((Number(percent[1]) / 100) * replicas) : Number(value) || 0;
}

function hpaKey(namespace: string | undefined, kind: string, name: string): string {
    return `${namespace ?? ""}/${kind}/${name}`;
}

/** The HPAs' minimum replicas by target. */
export function hpaMinimums(objects: readonly KubeObject[]): Map<string, number> {
    const minimums = new Map<string, number>();
    for (const o of objects) {
        if (o.kind !== "HorizontalPodAutoscaler") continue;
        const target = o.spec?.scaleTargetRef;
        if (typeof target?.name !== "string" || typeof target?.kind !== "string") continue;
        minimums.set(hpaKey(o.namespace, target.kind, target.name), num(o.spec?.minReplicas) ?? 1);
    }
    return minimums;
}

const podGroupsByObjects = new WeakMap<readonly KubeObject[], readonly PodGroup[]>();

/** The pods of every Deployment and StatefulSet at their minimum (computed once per objects array, read-only). */
export function podGroupsAtMinimum(objects: readonly KubeObject[]): readonly PodGroup[] {
    let groups = podGroupsByObjects.get(objects);
    if (!groups) {
        groups = Object.freeze(buildPodGroups(objects));
        podGroupsByObjects.set(objects, groups);
    }
    return groups;
}

function buildPodGroups(objects: readonly KubeObject[]): PodGroup[] {
    const minimums = hpaMinimums(objects);
    const groups: PodGroup[] = [];
    for (const o of objects) {
        if (o.kind !== "Deployment" && o.kind !== "StatefulSet") continue;
        const podSpec = o.spec?.template?.spec ?? {};
        const count = minimums.get(hpaKey(o.namespace, o.kind, o.name)) ?? num(o.spec?.replicas) ?? 1;
        groups.push({
            workload: `${o.kind}/${o.name}`,
            namespace: o.namespace,
            region: o.labels[LABEL.region],
            urn: o.urn,
            count,
            requests: podRequests(podSpec),
            nodeSelector: { ...(podSpec.nodeSelector ?? {}) },
            tolerations: Array.isArray(podSpec.tolerations) ? podSpec.tolerations : [],
            surge: o.kind === "Deployment" ? surgePods(o.spec, count) : 0,
            hostSpread: hostSpreadOf(o.spec?.template, o.namespace),
        });
    }
    return groups;
}

/** Nodes of the declared pools (each pool at its starting size). Pools without known capacity are skipped. */
export function nodesOfPools(pools: readonly NodePoolSpec[]): NodeSlot[] {
    const nodes: NodeSlot[] = [];
    for (const pool of pools) {
        if (!pool.allocatable) continue;
        for (let i = 0; i < pool.nodes; i++) {
            nodes.push({
                name: `${pool.name}-${i + 1}`,
                pool: pool.name,
                labels: { ...pool.labels },
                taints: pool.taints,
                allocatable: {
                    cpuMillicores: pool.allocatable.cpuMillicores,
                    memoryBytes: pool.allocatable.memoryMib * MIB,
                    gpus: pool.allocatable.gpus,
                    ephemeralBytes: pool.allocatable.ephemeralStorageMib * MIB,
                    pods: pool.allocatable.pods,
                },
            });
        }
    }
    return nodes;
}

function tolerates(tolerations: readonly Toleration[], taint: NodeTaint): boolean {
    return tolerations.some((t) => {
        if (t.effect && t.effect !== taint.effect) return false;
        if (t.operator === "Exists") return t.key === undefined || t.key === "" || t.key === taint.key;
        return t.key === taint.key && (t.value ?? "") === (taint.value ?? "");
    });
}

function selectorMismatch(group: PodGroup, node: NodeSlot): boolean {
    return Object.entries(group.nodeSelector).some(([key, value]) => node.labels[key] !== value);
}

function untoleratedTaint(group: PodGroup, node: NodeSlot): NodeTaint | undefined {
    return node.taints.find((t) => (t.effect === "NoSchedule" || t.effect === "NoExecute") && !tolerates(group.tolerations, t));
}

/** Why a node can never take pods of this group, or undefined. */
function filterReason(group: PodGroup, node: NodeSlot): string | undefined {
    if (selectorMismatch(group, node)) return "didn't match Pod's node affinity/selector";
    const untolerated = untoleratedTaint(group, node);
    return untolerated ? `had untolerated taint {${untolerated.key}: ${untolerated.value ?? ""}}` : undefined;
}

/** A node's per-node topology domain: its hostname label, else its name. */
function hostOf(node: NodeSlot): string {
    return node.labels[HOSTNAME_TOPOLOGY_KEY] ?? node.name;
}

/**
 * The scheduler's PodTopologySpread filter for a hard per-node spread: a node may take one more
 * pod when its count stays within maxSkew of the smallest count among the eligible nodes (those
 * matching the pod's node selector and, with nodeTaintsPolicy Honor, whose taints it tolerates).
 */
function spreadAllows(group: PodGroup, nodes: readonly NodeSlot[], i: number, counts: Map<string, number>): boolean {
    const spread = group.hostSpread;
    if (!spread) return true;
    const count = (node: NodeSlot) => counts.get(`${spread.selectorKey}@${hostOf(node)}`) ?? 0;
    const eligible = nodes.filter((n) => !selectorMismatch(group, n) && !(spread.honorTaints && untoleratedTaint(group, n)));
    const minimum = eligible.length > 0 ? Math.min(...eligible.map(count)) : 0;
    return count(nodes[i]) + 1 - minimum <= spread.maxSkew;
}

type Free = PodRequests & { pods: number };

/** The resource a node lacks for one more pod, or undefined when it fits. */
function shortOf(request: PodRequests, free: Free): string | undefined {
    if (free.pods < 1) return "Too many pods";
    if (request.cpuMillicores > free.cpuMillicores) return "Insufficient cpu";
    if (request.memoryBytes > free.memoryBytes) return "Insufficient memory";
    if (request.gpus > free.gpus) return `Insufficient ${GPU_RESOURCE}`;
    if (request.ephemeralBytes > free.ephemeralBytes) return "Insufficient ephemeral-storage";
    return undefined;
}

function summarise(reasons: Map<string, number>, total: number): string {
    const parts = [...reasons].sort((a, b) => b[1] - a[1]).map(([reason, n]) => (reason.startsWith("Insufficient") || reason === "Too many pods" ? `${n} ${reason}` : `${n} node(s) ${reason}`));
    return `0/${total} nodes can take it: ${parts.join(", ") || "no nodes"}`;
}

/**
 * Places every pod, largest first, on the feasible node with the least free memory (best fit
 * decreasing: a tight packing, so a pod reported as fitting nowhere would not fit under the
 * scheduler's spreading either; the other way round the scheduler can do worse), then the `after`
 * groups on what is left, and reports the pods that fit nowhere with the reasons. A hard per-node
 * spread (see the file comment) is a filter like the others, and its pods go first: placed after
 * a tight packing of everything else, they would find too few distinct nodes with room.
 */
export function placePods(groups: readonly PodGroup[], nodes: readonly NodeSlot[], after: readonly PodGroup[] = []): PlacementResult {
    const free: Free[] = nodes.map((n) => ({ ...n.allocatable }));
    const requested = { cpuMillicores: 0, memoryBytes: 0, gpus: 0, ephemeralBytes: 0, pods: 0 };
    const allocatable = nodes.reduce(
        (t, n) => ({
            cpuMillicores: t.cpuMillicores + n.allocatable.cpuMillicores,
            memoryBytes: t.memoryBytes + n.allocatable.memoryBytes,
            gpus: t.gpus + n.allocatable.gpus,
            ephemeralBytes: t.ephemeralBytes + n.allocatable.ephemeralBytes,
            pods: t.pods + n.allocatable.pods,
        }),
        { cpuMillicores: 0, memoryBytes: 0, gpus: 0, ephemeralBytes: 0, pods: 0 },
    );
    /** Pods placed per spread selector and node. */
    const spreadCounts = new Map<string, number>();
    // The most constrained first: pods that need distinct nodes, then GPUs, memory, CPU, storage;
    // equal pods by name, so the result does not depend on the order the engine declared them in
    // (the offline and the real engine register resources in different orders).
    const spreadFirst = (g: PodGroup) => (g.hostSpread ? 1 : 0);
    const identity = (g: PodGroup) => `${g.namespace ?? ""}/${g.workload}`;
    const order = [...groups].sort(
        (a, b) =>
            spreadFirst(b) - spreadFirst(a) ||
            b.requests.gpus - a.requests.gpus ||
            b.requests.memoryBytes - a.requests.memoryBytes ||
            b.requests.cpuMillicores - a.requests.cpuMillicores ||
            b.requests.ephemeralBytes - a.requests.ephemeralBytes ||
            (identity(a) < identity(b) ? -1 : identity(a) > identity(b) ? 1 : 0),
    );
    const unplaced: Unplaced[] = [];
    for (const group of [...order, ...after]) {
        requested.cpuMillicores += group.count * group.requests.cpuMillicores;
        requested.memoryBytes += group.count * group.requests.memoryBytes;
        requested.gpus += group.count * group.requests.gpus;
        requested.ephemeralBytes += group.count * group.requests.ephemeralBytes;
        requested.pods += group.count;
        let missing = 0;
        let reasons = new Map<string, number>();
        for (let pod = 0; pod < group.count; pod++) {
            reasons = new Map<string, number>();
            let best = -1;
            nodes.forEach((node, i) => {
                const reason =
                    filterReason(group, node) ??
                    (spreadAllows(group, nodes, i, spreadCounts) ? undefined : "didn't match pod topology spread constraints") ??
                    shortOf(group.requests, free[i]);
                if (reason) {
                    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
                } else if (best < 0 || free[i].memoryBytes < free[best].memoryBytes) {
                    best = i;
                }
            });
            if (best < 0) {
                missing++;
                continue;
            }
            free[best].cpuMillicores -= group.requests.cpuMillicores;
            free[best].memoryBytes -= group.requests.memoryBytes;
            free[best].gpus -= group.requests.gpus;
            free[best].ephemeralBytes -= group.requests.ephemeralBytes;
            free[best].pods -= 1;
            if (group.hostSpread) {
                const key = `${group.hostSpread.selectorKey}@${hostOf(nodes[best])}`;
                spreadCounts.set(key, (spreadCounts.get(key) ?? 0) + 1);
            }
        }
        if (missing > 0) unplaced.push({ group, pods: missing, reason: summarise(reasons, nodes.length) });
    }
    return { unplaced, requested, allocatable };
}

/**
 * Deployments whose rolling update cannot start its surge pods once every workload runs at its
 * minimum: the update would wait forever (maxUnavailable 0 keeps the old pods, and the new ones
 * find no room). Each is checked alone, as an update of one workload at a time would be.
 */
export function stalledRollouts(groups: readonly PodGroup[], nodes: readonly NodeSlot[]): Unplaced[] {
    const stalled: Unplaced[] = [];
    if (placePods(groups, nodes).unplaced.length > 0) return stalled; // the minimum itself does not fit: reported elsewhere
    for (const group of groups) {
        if (group.surge < 1) continue;
        const surge: PodGroup = { ...group, workload: `${group.workload} (rolling-update surge)`, count: group.surge };
        const blocked = placePods(groups, nodes, [surge]).unplaced.find((u) => u.group === surge);
        if (blocked) stalled.push({ group, pods: blocked.pods, reason: blocked.reason });
    }
    return stalled;
}

export interface QuotaShortfall {
    namespace: string;
    quota: string;
    urn?: string;
    resource: string;
    /** What the pods at their minimum request, and what the quota allows (same unit). */
    needed: number;
    hard: number;
}

/** Quota keys compared with the pods' requests at their minimum. */
const QUOTA_KEYS: Array<{ key: string; of: (r: PodRequests & { pods: number }) => number }> = [
    { key: "pods", of: (r) => r.pods },
    { key: "requests.cpu", of: (r) => r.cpuMillicores / 1000 },
    { key: "requests.memory", of: (r) => r.memoryBytes },
    { key: `requests.${GPU_RESOURCE}`, of: (r) => r.gpus },
    { key: "requests.ephemeral-storage", of: (r) => r.ephemeralBytes },
];

/**
 * Where a namespace's ResourceQuota does not cover its pods at their minimum. Namespaces of the
 * same name in different regions (clusters) are told apart by the region label.
 */
export function quotaShortfalls(groups: readonly PodGroup[], objects: readonly KubeObject[]): QuotaShortfall[] {
    const totals = new Map<string, PodRequests & { pods: number }>();
    const keyOf = (region: string | undefined, namespace: string | undefined) => `${region ?? ""}/${namespace ?? ""}`;
    for (const g of groups) {
        const ns = keyOf(g.region, g.namespace);
        const t = totals.get(ns) ?? { cpuMillicores: 0, memoryBytes: 0, gpus: 0, ephemeralBytes: 0, pods: 0 };
        t.cpuMillicores += g.count * g.requests.cpuMillicores;
        t.memoryBytes += g.count * g.requests.memoryBytes;
        t.gpus += g.count * g.requests.gpus;
        t.ephemeralBytes += g.count * g.requests.ephemeralBytes;
        t.pods += g.count;
        totals.set(ns, t);
    }
    const shortfalls: QuotaShortfall[] = [];
    for (const quota of objects) {
        if (quota.kind !== "ResourceQuota") continue;
        const need = totals.get(keyOf(quota.labels[LABEL.region], quota.namespace));
        if (!need) continue;
        const hard = quota.spec?.hard ?? {};
        for (const { key, of } of QUOTA_KEYS) {
            if (hard[key] === undefined) continue;
            const allowed = quantity(hard[key]);
            const needed = of(need);
            if (needed > allowed + 1e-9) {
                shortfalls.push({ namespace: quota.namespace ?? "", quota: quota.name, urn: quota.urn, resource: key, needed, hard: allowed });
            }
        }
    }
    return shortfalls;
}

/** "2.5 GiB" / "1500m" style figures for messages. */
export function formatRequests(r: PodRequests): string {
    const gib = (bytes: number) => (bytes / 2 ** 30).toFixed(bytes / 2 ** 30 < 10 ? 2 : 1);
    return `${r.cpuMillicores}m CPU, ${gib(r.memoryBytes)} GiB memory${r.gpus ? `, ${r.gpus} GPU` : ""}${r.ephemeralBytes ? `, ${gib(r.ephemeralBytes)} GiB ephemeral storage` : ""}`;
}
