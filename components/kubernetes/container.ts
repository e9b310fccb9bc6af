/**
 * The container and pod templates of one catalog service: resources straight from the
 * catalog, probes, non-root security context, GPU placement.
 */
import * as k8s from "@pulumi/kubernetes";
import { ServiceDefinition } from "../../infra/catalog/types";
import { GPU_NODE_POOL, GPU_RESOURCE } from "../../infra/nodePools";
import { objectLabels, WorkloadContext, WORKLOADS_COMPONENT } from "./labels";

type Container = k8s.types.input.core.v1.Container;
type PodSpec = k8s.types.input.core.v1.PodSpec;
type PodTemplateSpec = k8s.types.input.core.v1.PodTemplateSpec;

export { GPU_NODE_POOL, GPU_RESOURCE } from "../../infra/nodePools";

/** UID/GID the pods run as: any non-zero id works with runAsNonRoot; fsGroup makes volumes writable. */
export const POD_USER_ID = 10001;

/**
 * Probe timing. Failure threshold 3 follows seed 002 section 6.2 ("3 consecutive health check
 * failures" before a restart).
 */
export const PROBE_TIMING = {
    readinessPeriodSeconds: 10,
    livenessInitialDelaySeconds: 30,
    livenessPeriodSeconds: 20,
    failureThreshold: 3,
} as const;

/** Port name of a container port (IANA_SVC_NAME: at most 15 characters). */
export function portName(port: number): string {
    return `tcp-${port}`;
}

function probe(service: ServiceDefinition): k8s.types.input.core.v1.Probe | undefined {
    const port = service.ports[0];
    if (port === undefined) {
        return undefined;
    }
    return service.healthPath ? { httpGet: { path: service.healthPath, port } } : { tcpSocket: { port } };
}

/** The container of a service; `gpu` adds the GPU limit. */
export function containerSpec(service: ServiceDefinition, options: { gpu: boolean }): Container {
    const target = probe(service);
    const limits: Record<string, string> = { cpu: service.resources.limits.cpu, memory: service.resources.limits.memory };
    const requests: Record<string, string> = { cpu: service.resources.requests.cpu, memory: service.resources.requests.memory };
    if (options.gpu) {
        // Extended resources must have request == limit; setting the limit implies the request.
        limits[GPU_RESOURCE] = String(GPU_NODE_POOL.gpusPerPod);
    }
    return {
        name: service.name,
        image: service.image,
        ports: service.ports.map((port) => ({ name: portName(port), containerPort: port, protocol: "TCP" })),
        resources: { requests, limits },
        ...(target
            ? {
                  readinessProbe: { ...target, periodSeconds: PROBE_TIMING.readinessPeriodSeconds, failureThreshold: PROBE_TIMING.failureThreshold },
                  livenessProbe: {
                      ...target,
                      initialDelaySeconds: PROBE_TIMING.livenessInitialDelaySeconds,
                      periodSeconds: PROBE_TIMING.livenessPeriodSeconds,
                      failureThreshold: PROBE_TIMING.failureThreshold,
                  },
              }
            : {}),
        securityContext: {
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
        },
        ...(service.storage ? { volumeMounts: [{ name: "data", mountPath: service.storage.mountPath }] } : {}),
    };
}

/** Pod-level settings shared by every workload. */
export function podSecurity(): Pick<PodSpec, "securityContext" | "automountServiceAccountToken"> {
    return {
        automountServiceAccountToken: false,
        securityContext: {
            runAsNonRoot: true,
            runAsUser: POD_USER_ID,
            runAsGroup: POD_USER_ID,
            fsGroup: POD_USER_ID,
            seccompProfile: { type: "RuntimeDefault" },
        },
    };
}

/**
 * Pod template of a service. `volumes` are pod volumes (Deployments with storage use an
 * emptyDir cache; StatefulSets get theirs from volumeClaimTemplates and pass none).
 */
export function podTemplate(
    ctx: WorkloadContext,
    service: ServiceDefinition,
    options: { gpu: boolean; volumes?: k8s.types.input.core.v1.Volume[] },
): PodTemplateSpec {
    return {
        metadata: { labels: objectLabels(ctx, WORKLOADS_COMPONENT, service.name) },
        spec: {
            ...podSecurity(),
            containers: [containerSpec(service, { gpu: options.gpu })],
            ...(options.volumes && options.volumes.length > 0 ? { volumes: options.volumes } : {}),
            ...(options.gpu
                ? {
                      nodeSelector: { [GPU_NODE_POOL.labelKey]: GPU_NODE_POOL.labelValue },
                      tolerations: [{ key: GPU_NODE_POOL.taintKey, operator: "Equal", value: GPU_NODE_POOL.taintValue, effect: "NoSchedule" }],
                  }
                : {}),
        },
    };
}
