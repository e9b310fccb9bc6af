/** Deployment and ClusterIP Service specs of stateless and GPU services. */
import * as k8s from "@pulumi/kubernetes";
import { ServiceDefinition, TierPlacement } from "../../contract/catalog";
import { portName, podTemplate } from "./container";
import { selectorLabels, WorkloadContext } from "./labels";
import { spreadConstraints } from "./spread";

/** Seed 002 section 3.3: rolling updates add one pod at a time and never drop below the desired count. */
export const ROLLING_UPDATE = { maxSurge: 1, maxUnavailable: 0 } as const;

/**
 * Inference servers (catalog kind "gpu") replace a pod before starting its successor: on the GPU
 * pool each pod holds a whole GPU and the pool keeps no spare one, so a surge pod would wait
 * forever (seen on the local clusters: Ollama's update stayed Pending with "Insufficient
 * nvidia.com/gpu"); on the CPU fallback a 2 GiB surge pod rarely finds that much room on a
 * spread-out general pool. The resource-limits rule kubernetes-rollout-surge-fits-node-pools
 * checks every other Deployment's surge.
 */
export const REPLACE_FIRST_ROLLING_UPDATE = { maxSurge: 0, maxUnavailable: 1 } as const;

export function deploymentSpec(
    ctx: WorkloadContext,
    service: ServiceDefinition,
    placement: TierPlacement,
    options: { gpu: boolean },
): k8s.types.input.apps.v1.DeploymentSpec {
    // A Deployment's storage is a cache (e.g. downloaded models): an emptyDir bounded by the catalog
    // size (podTemplate declares it with the writable paths).
    const most = placement.autoscaling?.maxReplicas ?? placement.replicas;
    return {
        // Under an HPA the autoscaler owns the replica count: a declared count would reset it on
        // every update. The HPA's minReplicas is the starting count.
        ...(placement.autoscaling ? {} : { replicas: placement.replicas }),
        selector: { matchLabels: selectorLabels(ctx, service.name) },
        strategy: { type: "RollingUpdate", rollingUpdate: { ...(options.gpu || service.kind === "gpu" ? REPLACE_FIRST_ROLLING_UPDATE : ROLLING_UPDATE) } },
        template: podTemplate(ctx, service, { gpu: options.gpu, ...(most > 1 ? { spread: spreadConstraints(ctx, service.name, { hardAcrossNodes: false }) } : {}) }),
    };
}

/** ClusterIP Service in front of a Deployment; headless (clusterIP None) for StatefulSets. */
export function serviceSpec(ctx: WorkloadContext, service: ServiceDefinition, options: { headless: boolean }): k8s.types.input.core.v1.ServiceSpec {
    return {
        ...(options.headless ? { clusterIP: "None", publishNotReadyAddresses: true } : { type: "ClusterIP" }),
        selector: selectorLabels(ctx, service.name),
        ports: service.ports.map((port) => ({ name: portName(port), port, targetPort: port, protocol: "TCP" })),
    };
}
