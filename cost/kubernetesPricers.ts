/**
 * Price rules for Kubernetes objects that provision capacity. Pods are priced by their requests
 * only where no priced EC2 nodes run them (no double counting); volumes and load balancers are
 * EBS volumes and NLBs wherever the pods run.
 */
import { ebsPart, hourly, LinePart, Pricer, Priced, PricingContext } from "./pricing";
import { tryParseQuantity as quantityToNumber } from "../contract/quantities";
import { list, numberAt, read, stringAt } from "../contract/resourceProps";
import type { CostResource } from "./types";

const GIB = 2 ** 30;

/** What an HPA's scaleTargetRef names: namespace, kind and name. */
function targetKey(namespace: string, kind: string, name: string): string {
    return JSON.stringify([namespace, kind, name]);
}

interface HpaBounds {
    min?: number;
    max?: number;
}

/**
 * The replica bounds of the HorizontalPodAutoscalers by the workload they scale (the first HPA in
 * declaration order for a workload that has several); minReplicas defaults to 1 as in the API.
 */
function hpaBoundsByTarget(all: CostResource[]): Map<string, HpaBounds> {
    const result = new Map<string, HpaBounds>();
    for (const r of all) {
        if (!r.type.startsWith("kubernetes:autoscaling/") || !r.type.endsWith(":HorizontalPodAutoscaler")) continue;
        const name = read(r.props, "spec", "scaleTargetRef", "name");
        const kind = read(r.props, "spec", "scaleTargetRef", "kind");
        if (typeof name !== "string" || typeof kind !== "string") continue;
        const key = targetKey(stringAt(r.props, "metadata", "namespace") ?? "default", kind, name);
        if (!result.has(key)) result.set(key, { min: numberAt(r.props, "spec", "minReplicas") ?? 1, max: numberAt(r.props, "spec", "maxReplicas") });
    }
    return result;
}

/** The HorizontalPodAutoscaler's replica bounds for a workload, if one targets it. */
function hpaBounds(ctx: PricingContext, workload: CostResource): HpaBounds {
    const name = stringAt(workload.props, "metadata", "name") ?? workload.name;
    const namespace = stringAt(workload.props, "metadata", "namespace") ?? "default";
    const kind = workload.type.split(":").pop() ?? "";
    return ctx.derived("hpa bounds by target", hpaBoundsByTarget).get(targetKey(namespace, kind, name)) ?? {};
}

function podSpec(resource: CostResource): unknown {
    return resource.type === "kubernetes:core/v1:Pod" ? read(resource.props, "spec") : read(resource.props, "spec", "template", "spec");
}

/** Sum of container CPU (cores) and memory (GB) requests of a pod, falling back to limits. */
function podRequests(spec: unknown): { cpu: number; memoryGb: number } {
    let cpu = 0;
    let memoryGb = 0;
    for (const c of list(spec, "containers")) {
        cpu += quantityToNumber(read(c, "resources", "requests", "cpu") ?? read(c, "resources", "limits", "cpu")) ?? 0;
        memoryGb += (quantityToNumber(read(c, "resources", "requests", "memory") ?? read(c, "resources", "limits", "memory")) ?? 0) / GIB;
    }
    return { cpu, memoryGb };
}

function workload(ctx: PricingContext): Priced {
    const p = ctx.regionPrices();
    const { resource } = ctx;
    // Expected: the declared count, else (a workload an HPA scales declares none) the HPA's minimum.
    const hpa = hpaBounds(ctx, resource);
    const replicas = resource.type === "kubernetes:apps/v1:DaemonSet" || resource.type === "kubernetes:core/v1:Pod" ? 1 : numberAt(resource.props, "spec", "replicas") ?? hpa.min ?? 1;
    const maxReplicas = Math.max(replicas, hpa.max ?? replicas);
    const parts: LinePart[] = [];
    // StatefulSet volumes are EBS volumes whether or not the nodes are priced.
    for (const template of list(resource.props, "spec", "volumeClaimTemplates")) {
        const size = quantityToNumber(read(template, "spec", "resources", "requests", "storage"));
        if (size !== undefined) {
            parts.push(ebsPart(p, size / GIB, "gp3", replicas, maxReplicas, `volume claim ${stringAt(template, "metadata", "name") ?? ""}`.trim(), ctx.region));
        }
    }
    if (ctx.nodeRegions.has(ctx.region)) {
        return { parts }; // compute is paid for by the priced nodes of this region
    }
    const { cpu, memoryGb } = podRequests(podSpec(resource));
    const range = replicas === maxReplicas ? `${replicas}` : `${replicas}-${maxReplicas}`;
    parts.push({ unitPrice: p.kubernetesVcpuHourly, unit: "vCPU-hour", quantity: cpu * replicas, quantityWorstCase: cpu * maxReplicas, detail: `${range} pod(s) x ${cpu} vCPU requested` });
    parts.push({ unitPrice: p.kubernetesGbHourly, unit: "GB-hour", quantity: memoryGb * replicas, quantityWorstCase: memoryGb * maxReplicas, detail: `${range} pod(s) x ${memoryGb.toFixed(2)} GB requested` });
    return { parts };
}

export const KUBERNETES_PRICERS: Record<string, Pricer> = {
    "kubernetes:apps/v1:Deployment": workload,
    "kubernetes:apps/v1:StatefulSet": workload,
    "kubernetes:apps/v1:DaemonSet": workload,
    "kubernetes:core/v1:Pod": workload,
    "kubernetes:core/v1:PersistentVolumeClaim": (ctx) => {
        const size = quantityToNumber(read(ctx.resource.props, "spec", "resources", "requests", "storage"));
        if (size === undefined) {
            return { parts: [], unpriced: ["the claim requests no storage size"] };
        }
        return { parts: [ebsPart(ctx.regionPrices(), size / GIB, "gp3", 1, 1, "persistent volume", ctx.region)] };
    },
    "kubernetes:core/v1:Service": (ctx) =>
        read(ctx.resource.props, "spec", "type") === "LoadBalancer" ? { parts: [hourly(ctx.regionPrices().nlbHourly, 1, 1, "LoadBalancer Service (network load balancer)")] } : { parts: [] },
    // Helm releases the program installs: ingress-nginx makes one network load balancer (its pods
    // run on the node pools, priced there); cert-manager only runs pods on the node pools.
    // Any other chart is not priced (it may provision anything).
    "kubernetes:helm.sh/v3:Release": (ctx) => {
        switch (read(ctx.resource.props, "chart")) {
            case "ingress-nginx":
                return { parts: [hourly(ctx.regionPrices().nlbHourly, 1, 1, "ingress-nginx controller (network load balancer)")] };
            case "cert-manager":
                return { parts: [] };
            default:
                return { parts: [], unpriced: [`Helm chart ${JSON.stringify(read(ctx.resource.props, "chart"))} may provision capacity the inputs do not show`] };
        }
    },
};
