/** Workloads, HPAs, quotas and pools shaped like what the program declares, for the capacity rules. */
import { LABEL } from "../../../../../contract/markers";
import { GPU_NODE_POOL, NODE_POOL_LABEL } from "../../../../../contract/nodePools";
import { T } from "../../../support/fixtures";

export const REGION = "us-west-2";

export interface FixtureRequests {
    cpu: string;
    memory: string;
    gpu?: number;
    /** ephemeral-storage request (and limit). */
    ephemeral?: string;
}

export function deployment(name: string, replicas: number | undefined, requests: FixtureRequests, kind: "Deployment" | "StatefulSet" = "Deployment", spread?: "DoNotSchedule" | "ScheduleAnyway") {
    const disk = requests.ephemeral ? { "ephemeral-storage": requests.ephemeral } : {};
    return {
        type: kind === "Deployment" ? T.deployment : T.statefulSet,
        name,
        props: {
            metadata: { name, namespace: "ai-platform", labels: { [LABEL.region]: REGION } },
            spec: {
                ...(replicas === undefined ? {} : { replicas }),
                template: {
                    metadata: { labels: { app: name } },
                    spec: {
                        containers: [
                            {
                                name,
                                resources: {
                                    requests: { cpu: requests.cpu, memory: requests.memory, ...disk },
                                    limits: { cpu: requests.cpu, memory: requests.memory, ...disk, ...(requests.gpu ? { [GPU_NODE_POOL.taintKey]: String(requests.gpu) } : {}) },
                                },
                            },
                        ],
                        ...(spread
                            ? { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: spread, labelSelector: { matchLabels: { app: name } }, nodeTaintsPolicy: "Honor" }] }
                            : {}),
                        ...(requests.gpu
                            ? {
                                  nodeSelector: { [NODE_POOL_LABEL]: "gpu" },
                                  tolerations: [{ key: GPU_NODE_POOL.taintKey, operator: "Equal", value: GPU_NODE_POOL.taintValue, effect: "NoSchedule" }],
                              }
                            : {}),
                    },
                },
            },
        },
    };
}

export function hpa(target: string, minReplicas: number) {
    return {
        type: T.hpa,
        name: `${target}-hpa`,
        props: {
            metadata: { name: target, namespace: "ai-platform", labels: { [LABEL.region]: REGION } },
            spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: target }, minReplicas, maxReplicas: 10 },
        },
    };
}

export function quota(hard: Record<string, string>) {
    return { type: T.quota, name: "quota", props: { metadata: { name: "platform-quota", namespace: "ai-platform", labels: { [LABEL.region]: REGION } }, spec: { hard } } };
}

/**
 * Policy config of `general` t3.medium general nodes (1930m, 3308 MiB, 44 GiB ephemeral storage of
 * a 50 GiB root volume each) and optionally `gpu` g4dn.xlarge GPU nodes.
 */
export function pools(general: number, gpu = 0, generalRootVolumeGb?: number) {
    return {
        nodePools: [
            { name: "general", instanceType: "t3.medium", nodes: general, labels: { [NODE_POOL_LABEL]: "general" }, taints: [], ...(generalRootVolumeGb ? { rootVolumeGb: generalRootVolumeGb } : {}) },
            {
                name: "gpu",
                instanceType: "g4dn.xlarge",
                nodes: gpu,
                labels: { [NODE_POOL_LABEL]: "gpu" },
                taints: [{ key: GPU_NODE_POOL.taintKey, value: GPU_NODE_POOL.taintValue, effect: "NoSchedule" }],
            },
        ],
    };
}
