/**
 * The cross-region sync workload as data: a Deployment whose every container reads the TOTP
 * seed from the OTP gate's Secret (never a literal) and refuses requests without a valid code,
 * talking to the other regions over TLS 1.3 (seed 002 section 3.4; seed 000 "OTP-validated sync").
 */
import * as k8s from "@pulumi/kubernetes";
import { objectLabels, podSecurity, selectorLabels, WorkloadContext, ROLLING_UPDATE } from "../kubernetes";
import { QuotaReserve } from "../kubernetes";
import { cpuToMillicores, formatMebibytes, formatMillicores, memoryToBytes } from "../kubernetes/quantities";
import { ANNOTATION, OTP_SEED_KEY, ROLE, SYNC_ENV } from "../shared/markers";

/** Name of the sync Deployment, Service and Ingress in every region. */
export const SYNC_WORKLOAD_NAME = "cross-region-sync";
/** Component label value of the sync's objects. */
export const SYNC_COMPONENT = "multi-region-sync";
export const SYNC_PORT = 8443;
/** Two pods per region: one survives a node drain (PDB maxUnavailable 1). */
export const SYNC_REPLICAS = 2;
/** Seed 002 section 3.4 "Cross-Region Communication: encryption: TLS 1.3". */
export const SYNC_TLS_MIN_VERSION = "1.3";
export const SYNC_DEFAULT_IMAGE = "ghcr.io/sutazai/cross-region-sync:1.0.0";
/** Requests and limits of one sync container (a small relay: state goes to the stores, not here). */
export const SYNC_RESOURCES = {
    requests: { cpu: "250m", memory: "256Mi" },
    limits: { cpu: "1000m", memory: "512Mi" },
} as const;

/** Further environment of the sync container (the gate's keys live in markers.ts SYNC_ENV). */
export const SYNC_EXTRA_ENV = {
    region: "SYNC_REGION",
    peers: "SYNC_PEERS",
    tlsMinVersion: "SYNC_TLS_MIN_VERSION",
    listenPort: "SYNC_LISTEN_PORT",
} as const;

const SYNC_PODS_AT_MOST = SYNC_REPLICAS + ROLLING_UPDATE.maxSurge;
const times = (n: number, cpu: string, memory: string) => ({
    cpu: formatMillicores(n * cpuToMillicores(cpu)),
    memory: formatMebibytes(n * memoryToBytes(memory)),
});

/** Namespace quota room for the sync pods (plus one rolling-update surge). */
export const SYNC_QUOTA_RESERVE: QuotaReserve = {
    pods: SYNC_PODS_AT_MOST,
    requests: times(SYNC_PODS_AT_MOST, SYNC_RESOURCES.requests.cpu, SYNC_RESOURCES.requests.memory),
    limits: times(SYNC_PODS_AT_MOST, SYNC_RESOURCES.limits.cpu, SYNC_RESOURCES.limits.memory),
};

/** Public host of a region's sync endpoint. */
export function syncHost(region: string, domain: string): string {
    return `sync.${region}.${domain}`;
}

/** HTTPS endpoints of every region except `region`. */
export function syncPeers(region: string, allRegions: string[], domain: string): string[] {
    return allRegions.filter((r) => r !== region).map((r) => `https://${syncHost(r, domain)}`);
}

export interface SyncSpecInputs {
    ctx: WorkloadContext;
    /** Every region taking part, this one included. */
    regions: string[];
    domain: string;
    /** Name of the OtpGate (annotation) and of its Kubernetes Secret. */
    gateName: string;
    gateSecretName: string;
    image: string;
}

/** Labels of the sync's objects: the platform's plus the cross-region-sync role. */
export function syncLabels(ctx: WorkloadContext): Record<string, string> {
    return objectLabels(ctx, SYNC_COMPONENT, SYNC_WORKLOAD_NAME, ROLE.crossRegionSync);
}

export function syncAnnotations(gateName: string): Record<string, string> {
    return { [ANNOTATION.otpGate]: gateName };
}

export function syncContainerEnv(inputs: SyncSpecInputs): k8s.types.input.core.v1.EnvVar[] {
    return [
        { name: SYNC_ENV.seed, valueFrom: { secretKeyRef: { name: inputs.gateSecretName, key: OTP_SEED_KEY, optional: false } } },
        { name: SYNC_ENV.requireOtp, value: "true" },
        { name: SYNC_EXTRA_ENV.region, value: inputs.ctx.region },
        { name: SYNC_EXTRA_ENV.peers, value: syncPeers(inputs.ctx.region, inputs.regions, inputs.domain).join(",") },
        { name: SYNC_EXTRA_ENV.tlsMinVersion, value: SYNC_TLS_MIN_VERSION },
        { name: SYNC_EXTRA_ENV.listenPort, value: String(SYNC_PORT) },
    ];
}

export function syncDeploymentSpec(inputs: SyncSpecInputs): k8s.types.input.apps.v1.DeploymentSpec {
    const probe = { httpGet: { path: "/healthz", port: SYNC_PORT, scheme: "HTTPS" } };
    return {
        replicas: SYNC_REPLICAS,
        selector: { matchLabels: selectorLabels(inputs.ctx, SYNC_WORKLOAD_NAME) },
        strategy: { type: "RollingUpdate", rollingUpdate: { ...ROLLING_UPDATE } },
        template: {
            metadata: { labels: syncLabels(inputs.ctx), annotations: syncAnnotations(inputs.gateName) },
            spec: {
                ...podSecurity(),
                containers: [
                    {
                        name: SYNC_WORKLOAD_NAME,
                        image: inputs.image,
                        ports: [{ name: "https", containerPort: SYNC_PORT, protocol: "TCP" }],
                        env: syncContainerEnv(inputs),
                        resources: {
                            requests: { ...SYNC_RESOURCES.requests },
                            limits: { ...SYNC_RESOURCES.limits },
                        },
                        readinessProbe: { ...probe, periodSeconds: 10 },
                        livenessProbe: { ...probe, initialDelaySeconds: 15, periodSeconds: 20 },
                        securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true },
                    },
                ],
            },
        },
    };
}
