/**
 * Where the pod template and containers sit in each Kubernetes workload kind, so rules about
 * containers treat Deployments, StatefulSets, DaemonSets, Jobs, CronJobs and Pods alike.
 */
import { k8s } from "./resourceClasses";
import { list, read } from "./props";
import { typeTokens } from "./types";
import type { KubeObject } from "./capacity";

/** Workload classes whose pods the policies inspect (apps/v1, batch/v1, core/v1). */
export const WORKLOAD_CLASSES = [
    k8s.apps.v1.Deployment,
    k8s.apps.v1.StatefulSet,
    k8s.apps.v1.DaemonSet,
    k8s.batch.v1.Job,
    k8s.batch.v1.CronJob,
    k8s.core.v1.Pod,
] as const;

/** Type tokens of the workload classes, from the SDK. */
export const WORKLOAD_TYPES: ReadonlySet<string> = typeTokens(...WORKLOAD_CLASSES);

export function isWorkloadType(type: string): boolean {
    return WORKLOAD_TYPES.has(type);
}

/** The pod spec of a workload's inputs, or undefined. */
export function podSpecOf(type: string, props: Record<string, any>): Record<string, any> | undefined {
    switch (type) {
        case "kubernetes:core/v1:Pod":
            return read(props, "spec");
        case "kubernetes:batch/v1:CronJob":
            return read(props, "spec", "jobTemplate", "spec", "template", "spec");
        default:
            return isWorkloadType(type) ? read(props, "spec", "template", "spec") : undefined;
    }
}

/** The pod template metadata (labels/annotations of the pods), or the Pod's own metadata. */
export function podMetadataOf(type: string, props: Record<string, any>): Record<string, any> | undefined {
    switch (type) {
        case "kubernetes:core/v1:Pod":
            return read(props, "metadata");
        case "kubernetes:batch/v1:CronJob":
            return read(props, "spec", "jobTemplate", "spec", "template", "metadata");
        default:
            return read(props, "spec", "template", "metadata");
    }
}

export interface ContainerRef {
    /** "containers" or "initContainers". */
    kind: "containers" | "initContainers";
    name: string;
    container: Record<string, any>;
}

/** Every container and init container of a workload. */
export function containersOf(type: string, props: Record<string, any>): ContainerRef[] {
    const spec = podSpecOf(type, props);
    const result: ContainerRef[] = [];
    for (const kind of ["initContainers", "containers"] as const) {
        for (const container of list(spec, kind)) {
            result.push({ kind, name: String(read(container, "name") ?? "?"), container });
        }
    }
    return result;
}

/** Labels and annotations of a workload and its pod template, merged (the workload's own win). */
export function workloadMetadata(type: string, props: Record<string, any>): { labels: Record<string, string>; annotations: Record<string, string> } {
    const pod = podMetadataOf(type, props) ?? {};
    const own = read(props, "metadata") ?? {};
    const pick = (meta: unknown, key: string): Record<string, string> => {
        const value = read(meta, key);
        return value && typeof value === "object" ? { ...value } : {};
    };
    return {
        labels: { ...pick(pod, "labels"), ...pick(own, "labels") },
        annotations: { ...pick(pod, "annotations"), ...pick(own, "annotations") },
    };
}

/** `metadata.name` of a Kubernetes object, or its Pulumi resource name when the name is generated. */
export function objectName(props: Record<string, any>, resourceName: string): string {
    const name = read(props, "metadata", "name");
    return typeof name === "string" ? name : resourceName;
}

/**
 * `metadata.namespace` of a namespaced object when it is known; undefined when it is not: absent,
 * or computed (an Output of the Namespace resource is unknown during a real preview, where the
 * engine gives it as absent or as the SDK's unknown value). Since "absent" and "not known yet"
 * look alike in a preview, callers must not assume "default" and should treat undefined as
 * "cannot tell".
 */
export function objectNamespace(props: Record<string, any>): string | undefined {
    const ns = read(props, "metadata", "namespace");
    return typeof ns === "string" && ns !== "" ? ns : undefined;
}

const kubeObjectsByResources = new WeakMap<readonly object[], readonly KubeObject[]>();

/**
 * The Kubernetes objects among a stack's resources, in the plain shape the capacity checks read.
 * Every stack rule of an evaluation gets the same resources array, so they are built once per
 * evaluation and shared (read-only).
 */
export function kubeObjectsOf(resources: readonly { type: string; name: string; urn: string; props: Record<string, any> }[]): readonly KubeObject[] {
    let objects = kubeObjectsByResources.get(resources);
    if (!objects) {
        objects = Object.freeze(buildKubeObjects(resources));
        kubeObjectsByResources.set(resources, objects);
    }
    return objects;
}

function buildKubeObjects(resources: readonly { type: string; name: string; urn: string; props: Record<string, any> }[]): KubeObject[] {
    return resources
        .filter((r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:index:"))
        .map((r) => ({
            kind: r.type.slice(r.type.lastIndexOf(":") + 1),
            name: objectName(r.props, r.name),
            namespace: objectNamespace(r.props),
            labels: { ...(read(r.props, "metadata", "labels") ?? {}) },
            spec: read(r.props, "spec") ?? {},
            urn: r.urn,
        }));
}
