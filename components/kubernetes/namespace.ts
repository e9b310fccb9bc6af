/**
 * Namespace guardrails: a ResourceQuota sized from the catalog (so the namespace can reach every
 * service's maximum scale, and no further; CPU, memory, ephemeral storage, GPUs, pods, claims)
 * and a LimitRange that gives defaults to containers that forget theirs and caps any single
 * container at the stack's maxima. Once the quota names ephemeral storage, the API server admits
 * only pods whose containers request it: the catalog's do, the LimitRange defaults the others.
 */
import * as k8s from "@pulumi/kubernetes";
import { GPU_NODE_POOL, GPU_RESOURCE } from "./container";
import { maxReplicas, PlannedWorkload } from "./plan";
import { cpuToMillicores, formatMebibytes, formatMillicores, memoryToBytes } from "../../contract/quantities";
import { ROLLING_UPDATE } from "./deployment";

/** Extra room above the catalog's maximum scale, for jobs and debugging pods. */
export const QUOTA_HEADROOM = 1.2;

/** Requests/limits/pods of workloads declared next to the catalog (e.g. the cross-region sync). */
export interface QuotaReserve {
    pods: number;
    requests: { cpu: string; memory: string; ephemeralStorage?: string };
    limits: { cpu: string; memory: string; ephemeralStorage?: string };
}

export const NO_RESERVE: QuotaReserve = { pods: 0, requests: { cpu: "0m", memory: "0Mi" }, limits: { cpu: "0m", memory: "0Mi" } };

/** Defaults for containers without their own requests/limits (catalog services always have theirs). */
export const CONTAINER_DEFAULTS = {
    defaultRequest: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "256Mi" },
    default: { cpu: "500m", memory: "512Mi", "ephemeral-storage": "1Gi" },
} as const;

export function resourceQuotaSpec(plan: PlannedWorkload[], reserve: QuotaReserve = NO_RESERVE): k8s.types.input.core.v1.ResourceQuotaSpec {
    let pods = reserve.pods;
    let requestsCpu = cpuToMillicores(reserve.requests.cpu);
    let limitsCpu = cpuToMillicores(reserve.limits.cpu);
    let requestsMemory = memoryToBytes(reserve.requests.memory);
    let limitsMemory = memoryToBytes(reserve.limits.memory);
    let requestsEphemeral = memoryToBytes(reserve.requests.ephemeralStorage ?? "0Mi");
    let limitsEphemeral = memoryToBytes(reserve.limits.ephemeralStorage ?? "0Mi");
    let gpus = 0;
    let claims = 0;
    for (const workload of plan) {
        if (workload.shape === "managed") {
            continue;
        }
        // Deployments briefly run one extra pod during a rolling update.
        const surge = workload.shape === "statefulSet" ? 0 : ROLLING_UPDATE.maxSurge;
        const count = maxReplicas(workload) + surge;
        const { requests, limits } = workload.service.resources;
        pods += count;
        requestsCpu += count * cpuToMillicores(requests.cpu);
        limitsCpu += count * cpuToMillicores(limits.cpu);
        requestsMemory += count * memoryToBytes(requests.memory);
        limitsMemory += count * memoryToBytes(limits.memory);
        requestsEphemeral += count * memoryToBytes(workload.service.ephemeralStorage.request);
        limitsEphemeral += count * memoryToBytes(workload.service.ephemeralStorage.limit);
        if (workload.shape === "gpu") {
            gpus += count * GPU_NODE_POOL.gpusPerPod;
        }
        if (workload.shape === "statefulSet" && workload.service.storage) {
            claims += maxReplicas(workload);
        }
    }
    const room = (n: number) => Math.ceil(n * QUOTA_HEADROOM);
    return {
        hard: {
            pods: String(room(pods)),
            "requests.cpu": formatMillicores(room(requestsCpu)),
            "requests.memory": formatMebibytes(room(requestsMemory)),
            "limits.cpu": formatMillicores(room(limitsCpu)),
            "limits.memory": formatMebibytes(room(limitsMemory)),
            "requests.ephemeral-storage": formatMebibytes(room(requestsEphemeral)),
            "limits.ephemeral-storage": formatMebibytes(room(limitsEphemeral)),
            persistentvolumeclaims: String(room(claims)),
            [`requests.${GPU_RESOURCE}`]: String(gpus),
        },
    };
}

/** @param maxima the stack's per-container maxima (config `maxContainerCpu`, `maxContainerMemory`). */
export function limitRangeSpec(maxima: { cpu: string; memory: string }): k8s.types.input.core.v1.LimitRangeSpec {
    return {
        limits: [
            {
                type: "Container",
                defaultRequest: { ...CONTAINER_DEFAULTS.defaultRequest },
                default: { ...CONTAINER_DEFAULTS.default },
                max: { cpu: maxima.cpu, memory: maxima.memory },
            },
        ],
    };
}
