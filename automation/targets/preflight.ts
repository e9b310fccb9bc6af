/**
 * The preflight gate before `up` on a Kubernetes target: what the step's objects assume of each
 * cluster (StorageClasses, IngressClasses, namespaces they do not create) exists, the nodes can
 * hold the step's pods at their minimum replicas (selectors, taints, allocatable minus what other
 * pods use), and the quotas cover them. Nothing in the cluster changes.
 */
import { LABEL } from "../../contract/markers";
import { formatRequests, KubeObject, placePods, podGroupsAtMinimum, quotaShortfalls, stalledRollouts } from "../../policies/shared/capacity";
import { kubeObjectsOf } from "../../policies/shared/kubernetes";
import type { PlannedResource } from "../engines/engine";
import { ClusterReader, COLLECTIONS, freeNodes, toKubeObject } from "./inspect";

export interface TargetReport {
    ok: boolean;
    /** What is wrong, one line each, naming the object and the figures. */
    problems: string[];
    /** What was checked, with figures (printed and recorded whether or not it passed). */
    lines: string[];
}

/** The step's Kubernetes objects by the region label the program puts on every object. */
export function objectsByRegion(resources: readonly PlannedResource[]): Map<string, KubeObject[]> {
    const byRegion = new Map<string, KubeObject[]>();
    for (const o of kubeObjectsOf(resources)) {
        const region = o.labels[LABEL.region] ?? "";
        byRegion.set(region, [...(byRegion.get(region) ?? []), o]);
    }
    return byRegion;
}

/** `namespace/name` of the Secrets and ConfigMaps the objects' pods and Ingresses read, which the objects do not declare. */
export function assumedConfig(objects: readonly KubeObject[]): { secrets: Set<string>; configMaps: Set<string> } {
    const secrets = new Set<string>();
    const configMaps = new Set<string>();
    const key = (namespace: string | undefined, name: unknown) => `${namespace ?? "default"}/${String(name)}`;
    for (const o of objects) {
        const pod = o.spec?.template?.spec;
        if (pod) {
            for (const volume of Array.isArray(pod.volumes) ? pod.volumes : []) {
                if (volume?.secret?.secretName && !volume.secret.optional) secrets.add(key(o.namespace, volume.secret.secretName));
                if (volume?.configMap?.name && !volume.configMap.optional) configMaps.add(key(o.namespace, volume.configMap.name));
                for (const source of Array.isArray(volume?.projected?.sources) ? volume.projected.sources : []) {
                    if (source?.secret?.name && !source.secret.optional) secrets.add(key(o.namespace, source.secret.name));
                    if (source?.configMap?.name && !source.configMap.optional) configMaps.add(key(o.namespace, source.configMap.name));
                }
            }
            for (const container of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
                for (const env of Array.isArray(container?.env) ? container.env : []) {
                    const ref = env?.valueFrom;
                    if (ref?.secretKeyRef?.name && !ref.secretKeyRef.optional) secrets.add(key(o.namespace, ref.secretKeyRef.name));
                    if (ref?.configMapKeyRef?.name && !ref.configMapKeyRef.optional) configMaps.add(key(o.namespace, ref.configMapKeyRef.name));
                }
                for (const from of Array.isArray(container?.envFrom) ? container.envFrom : []) {
                    if (from?.secretRef?.name && !from.secretRef.optional) secrets.add(key(o.namespace, from.secretRef.name));
                    if (from?.configMapRef?.name && !from.configMapRef.optional) configMaps.add(key(o.namespace, from.configMapRef.name));
                }
            }
        }
        if (o.kind === "Ingress") {
            for (const entry of Array.isArray(o.spec?.tls) ? o.spec.tls : []) if (entry?.secretName) secrets.add(key(o.namespace, entry.secretName));
        }
    }
    // Declared by the step, or issued from a cert-manager Certificate the step declares.
    for (const o of objects) {
        if (o.kind === "Secret") secrets.delete(key(o.namespace, o.name));
        if (o.kind === "ConfigMap") configMaps.delete(key(o.namespace, o.name));
        if (o.kind === "Certificate" && o.spec?.secretName) secrets.delete(key(o.namespace, o.spec.secretName));
    }
    return { secrets, configMaps };
}

/** Names the objects refer to but do not declare themselves. */
export function assumedNames(objects: readonly KubeObject[]): { storageClasses: Set<string>; ingressClasses: Set<string>; namespaces: Set<string> } {
    const declared = (kind: string) => new Set(objects.filter((o) => o.kind === kind).map((o) => o.name));
    const storageClasses = new Set<string>();
    const ingressClasses = new Set<string>();
    const namespaces = new Set<string>();
    for (const o of objects) {
        for (const claim of Array.isArray(o.spec?.volumeClaimTemplates) ? o.spec.volumeClaimTemplates : []) {
            if (typeof claim?.spec?.storageClassName === "string") storageClasses.add(claim.spec.storageClassName);
        }
        if (o.kind === "PersistentVolumeClaim" && typeof o.spec?.storageClassName === "string") storageClasses.add(o.spec.storageClassName);
        if (o.kind === "Ingress" && typeof o.spec?.ingressClassName === "string") ingressClasses.add(o.spec.ingressClassName);
        if (o.namespace) namespaces.add(o.namespace);
    }
    const minus = (set: Set<string>, own: Set<string>) => new Set([...set].filter((n) => !own.has(n)));
    return {
        storageClasses: minus(storageClasses, declared("StorageClass")),
        ingressClasses: minus(ingressClasses, declared("IngressClass")),
        namespaces: minus(namespaces, declared("Namespace")),
    };
}

/** Preflight of one region's objects against its cluster. */
export async function preflightRegion(objects: readonly KubeObject[], cluster: ClusterReader): Promise<TargetReport> {
    const problems: string[] = [];
    const lines: string[] = [];
    const where = `${cluster.region}`;
    const [nodes, pods, storageClasses, ingressClasses, namespaces, quotas] = await Promise.all([
        cluster.list(COLLECTIONS.nodes),
        cluster.list(COLLECTIONS.pods),
        cluster.list(COLLECTIONS.storageClasses),
        cluster.list(COLLECTIONS.ingressClasses),
        cluster.list(COLLECTIONS.namespaces),
        cluster.list(COLLECTIONS.resourceQuotas),
    ]);
    const names = (items: any[]) => new Set(items.map((i) => String(i?.metadata?.name)));
    const assumed = assumedNames(objects);
    const missing = (kind: string, wanted: Set<string>, present: Set<string>, fix: string) => {
        for (const name of wanted) {
            if (!present.has(name)) problems.push(`${where}: ${kind} "${name}" does not exist in the cluster (${fix})`);
        }
    };
    missing("StorageClass", assumed.storageClasses, names(storageClasses), "create it, or set the stack's storageClass to one the cluster has");
    missing("IngressClass", assumed.ingressClasses, names(ingressClasses), "install the ingress controller that serves it");
    missing("namespace", assumed.namespaces, names(namespaces), "create it first; the program does not declare it");
    const config = assumedConfig(objects);
    for (const [kind, wanted, plural] of [["Secret", config.secrets, "secrets"], ["ConfigMap", config.configMaps, "configmaps"]] as const) {
        for (const ref of wanted) {
            const [namespace, name] = ref.split("/");
            const present = names(await cluster.list(`/api/v1/namespaces/${encodeURIComponent(namespace)}/${plural}`).catch(() => []));
            if (!present.has(name)) problems.push(`${where}: ${kind} ${ref} is read by the step's pods or Ingresses, but neither the step declares it nor the cluster has it (pods would not start, or TLS would fall back to the controller's default certificate)`);
        }
    }

    const ownNamespaces = new Set(objects.filter((o) => o.kind === "Namespace").map((o) => o.name));
    const groups = podGroupsAtMinimum(objects);
    const slots = freeNodes(nodes, pods, ownNamespaces);
    const placement = placePods(groups, slots);
    lines.push(
        `${where}: ${slots.length} schedulable node(s) with ${formatRequests(placement.allocatable)} free for pods; ` +
            `the step's ${placement.requested.pods} pod(s) at minimum replicas request ${formatRequests(placement.requested)}`,
    );
    for (const u of placement.unplaced) {
        problems.push(`${where}: ${u.group.workload}: ${u.pods} of ${u.group.count} pod(s) (${formatRequests(u.group.requests)} each) fit on no node: ${u.reason}`);
    }
    for (const s of stalledRollouts(groups, slots)) {
        problems.push(`${where}: ${s.group.workload}: a rolling update needs ${s.pods} surge pod(s) (${formatRequests(s.group.requests)} each) and none fits beside the running pods (${s.reason}): the update would never finish`);
    }
    const liveQuotas = quotas
        .filter((q) => !ownNamespaces.has(q?.metadata?.namespace))
        .map((q) => ({ ...toKubeObject(q, "ResourceQuota"), labels: { [LABEL.region]: cluster.region, ...(q?.metadata?.labels ?? {}) } }));
    const regionGroups = groups.map((g) => ({ ...g, region: g.region ?? cluster.region }));
    for (const s of quotaShortfalls(regionGroups, [...objects, ...liveQuotas])) {
        const figure = (n: number) => (s.resource === "requests.memory" || s.resource === "requests.ephemeral-storage" ? `${(n / 2 ** 30).toFixed(2)} GiB` : String(Math.round(n * 1000) / 1000));
        problems.push(`${where}: ResourceQuota ${s.namespace}/${s.quota} allows ${s.resource} ${figure(s.hard)}; the step's pods need ${figure(s.needed)} at minimum replicas`);
    }
    return { ok: problems.length === 0, problems, lines };
}

/** Preflight of every region the step touches; a region without a cluster is a problem. */
export async function preflight(resources: readonly PlannedResource[], clusters: ReadonlyMap<string, ClusterReader>): Promise<TargetReport> {
    const report: TargetReport = { ok: true, problems: [], lines: [] };
    for (const [region, objects] of objectsByRegion(resources)) {
        const cluster = clusters.get(region) ?? (clusters.size === 1 && region === "" ? [...clusters.values()][0] : undefined);
        if (!cluster) {
            report.problems.push(`${region || "(no region label)"}: the step declares ${objects.length} object(s) for this region but the kubeconfig has no cluster for it`);
            continue;
        }
        try {
            const r = await preflightRegion(objects, cluster);
            report.problems.push(...r.problems);
            report.lines.push(...r.lines);
        } catch (error) {
            report.problems.push(`${region}: cannot read the cluster: ${(error as Error).message}`);
        }
    }
    report.ok = report.problems.length === 0;
    return report;
}
