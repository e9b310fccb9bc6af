/** HorizontalPodAutoscaler (autoscaling/v2) and PodDisruptionBudget specs, bounds from the catalog. */
import * as k8s from "@pulumi/kubernetes";
import { AutoscalingSpec } from "../../contract/catalog";
import { selectorLabels, WorkloadContext } from "./labels";

/**
 * HPA for `target` (a Deployment name). Every figure comes from the catalog entry
 * (seed 002 sections 3.3 and 4.1: CPU 70 %, memory 80 %, cooldown 5 minutes).
 */
export function hpaSpec(target: string, autoscaling: AutoscalingSpec): k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec {
    if (autoscaling.minReplicas < 1 || autoscaling.maxReplicas < autoscaling.minReplicas) {
        throw new Error(
            `autoscaling of "${target}": minReplicas (${autoscaling.minReplicas}) must be >= 1 and <= maxReplicas (${autoscaling.maxReplicas}); fix the catalog entry`,
        );
    }
    const utilization = (name: string, averageUtilization: number) => ({
        type: "Resource",
        resource: { name, target: { type: "Utilization", averageUtilization } },
    });
    return {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: target },
        minReplicas: autoscaling.minReplicas,
        maxReplicas: autoscaling.maxReplicas,
        metrics: [utilization("cpu", autoscaling.cpuUtilization), utilization("memory", autoscaling.memoryUtilization)],
        behavior: {
            scaleUp: { stabilizationWindowSeconds: autoscaling.scaleUpWindowSeconds },
            scaleDown: { stabilizationWindowSeconds: autoscaling.scaleDownWindowSeconds },
        },
    };
}

/** Voluntary disruptions (node drains, upgrades) take at most one pod of a service at a time. */
export const PDB_MAX_UNAVAILABLE = 1;

/**
 * Pods that are running but not ready (crash-looping, wedged) may always be evicted: with the
 * default policy (IfHealthyBudget) such a pod counts against the budget and, once the budget is
 * spent, blocks every drain of its node. Evicting a pod that serves nothing costs no availability.
 */
export const PDB_UNHEALTHY_POD_EVICTION_POLICY = "AlwaysAllow";

/** The budget of the pods `matchLabels` selects (every workload's PDB, the sync's included). */
export function pdbSpecFor(matchLabels: Record<string, string>): k8s.types.input.policy.v1.PodDisruptionBudgetSpec {
    return { maxUnavailable: PDB_MAX_UNAVAILABLE, unhealthyPodEvictionPolicy: PDB_UNHEALTHY_POD_EVICTION_POLICY, selector: { matchLabels } };
}

export function pdbSpec(ctx: WorkloadContext, app: string): k8s.types.input.policy.v1.PodDisruptionBudgetSpec {
    return pdbSpecFor(selectorLabels(ctx, app));
}
