/**
 * The container and pod templates of one catalog service: resources straight from the
 * catalog (CPU, memory, ephemeral storage), probes (readiness, liveness, startup), a non-root
 * security context with a read-only root filesystem and the catalog's writable paths as
 * size-limited emptyDirs, GPU placement.
 */
import * as k8s from "@pulumi/kubernetes";
import { emptyDirsOf, STORAGE_VOLUME } from "../../contract/emptyDirs";
import { ServiceDefinition } from "../../contract/catalog";
import { GPU_NODE_POOL, GPU_RESOURCE } from "../../contract/nodePools";
import { objectLabels, WorkloadContext, WORKLOADS_COMPONENT } from "./labels";

type Container = k8s.types.input.core.v1.Container;
type Probe = k8s.types.input.core.v1.Probe;
type PodSpec = k8s.types.input.core.v1.PodSpec;
type PodTemplateSpec = k8s.types.input.core.v1.PodTemplateSpec;

export { GPU_NODE_POOL, GPU_RESOURCE } from "../../contract/nodePools";

/** UID/GID the pods run as: any non-zero id works with runAsNonRoot; fsGroup makes volumes writable. */
export const POD_USER_ID = 10001;

/**
 * Probe timing. Readiness looks often and takes a pod out of traffic after 30 s of failures;
 * liveness restarts only after 3 consecutive failures 20 s apart (seed 002 section 6.2: "3
 * consecutive health check failures" before a restart), so a pod that is merely busy or waiting
 * for a dependency leaves the Service without being restarted. Commands (exec probes) start a
 * process in the container and get more time. A startup probe checks every
 * `startupPeriodSeconds` until the catalog's startupSeconds have passed; without one, liveness
 * waits `livenessInitialDelaySeconds` first.
 */
export const PROBE_TIMING = {
    readinessPeriodSeconds: 10,
    livenessInitialDelaySeconds: 30,
    livenessPeriodSeconds: 20,
    failureThreshold: 3,
    timeoutSeconds: 3,
    commandTimeoutSeconds: 10,
    startupPeriodSeconds: 10,
} as const;

/** Port name of a container port (IANA_SVC_NAME: at most 15 characters). */
export function portName(port: number): string {
    return `tcp-${port}`;
}

type ProbeCheck = Pick<Probe, "httpGet" | "tcpSocket" | "exec">;

/** What readiness checks: the health path, else the readiness command, else a TCP connect. */
function readinessCheck(service: ServiceDefinition, port: number): ProbeCheck {
    if (service.healthPath) return { httpGet: { path: service.healthPath, port } };
    if (service.probes?.readinessCommand) return { exec: { command: [...service.probes.readinessCommand] } };
    return { tcpSocket: { port } };
}

/** What liveness checks: the liveness path, else a TCP connect (the process answers at all). */
function livenessCheck(service: ServiceDefinition, port: number): ProbeCheck {
    return service.probes?.livenessPath ? { httpGet: { path: service.probes.livenessPath, port } } : { tcpSocket: { port } };
}

function timeoutOf(check: ProbeCheck): number {
    return check.exec ? PROBE_TIMING.commandTimeoutSeconds : PROBE_TIMING.timeoutSeconds;
}

/**
 * Readiness, liveness and (for slow starters) startup probes. When the catalog gives a service
 * no check that differs from its readiness check, it gets no liveness probe: restarting a pod on
 * the signal that only says "not ready now" turns a slow dependency into a restart loop.
 */
export function probesOf(service: ServiceDefinition): Pick<Container, "readinessProbe" | "livenessProbe" | "startupProbe"> {
    const port = service.ports[0];
    if (port === undefined) return {};
    const ready = readinessCheck(service, port);
    const alive = livenessCheck(service, port);
    const startupSeconds = service.probes?.startupSeconds;
    const distinct = JSON.stringify(ready) !== JSON.stringify(alive);
    return {
        readinessProbe: { ...ready, periodSeconds: PROBE_TIMING.readinessPeriodSeconds, timeoutSeconds: timeoutOf(ready), failureThreshold: PROBE_TIMING.failureThreshold },
        ...(distinct
            ? {
                  livenessProbe: {
                      ...alive,
                      ...(startupSeconds ? {} : { initialDelaySeconds: PROBE_TIMING.livenessInitialDelaySeconds }),
                      periodSeconds: PROBE_TIMING.livenessPeriodSeconds,
                      timeoutSeconds: timeoutOf(alive),
                      failureThreshold: PROBE_TIMING.failureThreshold,
                  },
              }
            : {}),
        ...(startupSeconds
            ? {
                  startupProbe: {
                      ...alive,
                      periodSeconds: PROBE_TIMING.startupPeriodSeconds,
                      timeoutSeconds: timeoutOf(alive),
                      failureThreshold: Math.ceil(startupSeconds / PROBE_TIMING.startupPeriodSeconds),
                  },
              }
            : {}),
    };
}

/** Mounts of a service: its storage (claim or emptyDir) and its writable paths. */
function volumeMountsOf(service: ServiceDefinition): k8s.types.input.core.v1.VolumeMount[] {
    const mounts = emptyDirsOf(service)
        .filter((d) => d.name !== STORAGE_VOLUME)
        .map((d) => ({ name: d.name, mountPath: d.path }));
    return service.storage ? [{ name: STORAGE_VOLUME, mountPath: service.storage.mountPath }, ...mounts] : mounts;
}

/** The container of a service; `gpu` adds the GPU limit. */
export function containerSpec(service: ServiceDefinition, options: { gpu: boolean }): Container {
    const limits: Record<string, string> = {
        cpu: service.resources.limits.cpu,
        memory: service.resources.limits.memory,
        "ephemeral-storage": service.ephemeralStorage.limit,
    };
    const requests: Record<string, string> = {
        cpu: service.resources.requests.cpu,
        memory: service.resources.requests.memory,
        "ephemeral-storage": service.ephemeralStorage.request,
    };
    if (options.gpu) {
        // Extended resources must have request == limit; setting the limit implies the request.
        limits[GPU_RESOURCE] = String(GPU_NODE_POOL.gpusPerPod);
    }
    const mounts = volumeMountsOf(service);
    return {
        name: service.name,
        image: service.image,
        ports: service.ports.map((port) => ({ name: portName(port), containerPort: port, protocol: "TCP" })),
        resources: { requests, limits },
        ...probesOf(service),
        securityContext: {
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
            // The image is read-only; what it writes goes to the catalog's writable paths and storage.
            readOnlyRootFilesystem: true,
        },
        ...(mounts.length > 0 ? { volumeMounts: mounts } : {}),
    };
}

/**
 * The pod's emptyDir volumes: one per writable path, each bounded by its size limit, and the
 * storage cache of a Deployment (StatefulSets claim theirs with volumeClaimTemplates instead).
 */
export function emptyDirVolumes(service: ServiceDefinition): k8s.types.input.core.v1.Volume[] {
    return emptyDirsOf(service).map((d) => ({ name: d.name, emptyDir: { sizeLimit: d.sizeLimit } }));
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
 * Pod template of a service: its emptyDirs (writable paths, and a Deployment's storage cache;
 * StatefulSets get their storage from volumeClaimTemplates) and `spread`, the topology spread
 * constraints of its replicas.
 */
export function podTemplate(
    ctx: WorkloadContext,
    service: ServiceDefinition,
    options: { gpu: boolean; spread?: k8s.types.input.core.v1.TopologySpreadConstraint[] },
): PodTemplateSpec {
    const volumes = emptyDirVolumes(service);
    return {
        metadata: { labels: objectLabels(ctx, WORKLOADS_COMPONENT, service.name) },
        spec: {
            ...podSecurity(),
            containers: [containerSpec(service, { gpu: options.gpu })],
            ...(volumes.length > 0 ? { volumes } : {}),
            ...(options.spread && options.spread.length > 0 ? { topologySpreadConstraints: options.spread } : {}),
            ...(options.gpu
                ? {
                      nodeSelector: { [GPU_NODE_POOL.labelKey]: GPU_NODE_POOL.labelValue },
                      tolerations: [{ key: GPU_NODE_POOL.taintKey, operator: "Equal", value: GPU_NODE_POOL.taintValue, effect: "NoSchedule" }],
                  }
                : {}),
        },
    };
}
